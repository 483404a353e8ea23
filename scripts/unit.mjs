// Unit tier: bundle test/unit/**/*.test.ts with esbuild (Node 20 cannot run .ts) and run them with node:test.
// usage: node scripts/unit.mjs [SUBSTRING…]   (only test files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
fs.rmSync('out/unit', { recursive: true, force: true });
const build = spawnSync(process.execPath, ['esbuild.mjs', '--unit'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function list(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? list(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}
const files = list('out/unit').filter((f) => !filters.length || filters.some((s) => f.includes(s)));
if (!files.length) {
  console.error('no unit test files matched');
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
