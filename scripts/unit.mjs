// Unit tier: bundle test/unit/**/*.test.ts with esbuild (Node 20 cannot run .ts) and run them with node:test.
// usage: node scripts/unit.mjs [SUBSTRING…]   (only test files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
// A folder per run, so that two runs at once (several people on one machine) do not delete each other's bundles.
const outDir = path.join('out', `unit-${process.pid}`);
process.on('exit', () => fs.rmSync(outDir, { recursive: true, force: true }));
const build = spawnSync(process.execPath, ['esbuild.mjs', '--unit'], { stdio: 'inherit', env: { ...process.env, UNIT_OUTDIR: outDir } });
if (build.status !== 0) process.exit(build.status ?? 1);
// Tests of the CLI and the examples run dist/ as users do: build it when they are selected.
if (!filters.length || filters.some((f) => 'cli examples'.includes(f) || f.includes('cli') || f.includes('examples'))) {
  const shipped = spawnSync(process.execPath, ['esbuild.mjs', '--no-tests'], { stdio: 'inherit' });
  if (shipped.status !== 0) process.exit(shipped.status ?? 1);
}

function list(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? list(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}
const files = list(outDir).filter((f) => !filters.length || filters.some((s) => f.includes(s)));
if (!files.length) {
  console.error('no unit test files matched');
  process.exit(1);
}
// spec for people, TAP to a file for the summary that scripts/test.mjs prints at the end.
const tap = path.join(outDir, 'unit.tap');
const run = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  // Sequential results are cached on disk between runs; tests start without one unless they give their own.
  { stdio: 'inherit', env: { ...process.env, OPERANDO_XRD_RESULTS_CACHE: process.env.OPERANDO_XRD_RESULTS_CACHE ?? 'off' } },
);
const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (key) => Number(new RegExp(`^# ${key} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
fs.writeFileSync(path.join('out', 'unit-summary.json'), JSON.stringify({ passed: count('pass'), failed: count('fail') + count('cancelled') }));
process.exit(run.status ?? 1);
