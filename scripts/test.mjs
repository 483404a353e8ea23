// `npm test`: build, then the three tiers in order — unit (node:test), integration (mocha inside a real VS Code
// extension host), e2e (the real workbench in chromium). Prints one closing summary line for all of them.
// usage: node scripts/test.mjs [unit|integration|e2e …]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1;

const totals = { passed: 0, failed: 0 };
const lines = [];
const t0 = Date.now();
if (run(['esbuild.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
for (const tier of tiers) {
  const script = { unit: 'scripts/unit.mjs', integration: 'test/integration/run.mjs', e2e: 'test/e2e/run.mjs' }[tier];
  if (!script) throw new Error(`unknown tier ${tier}`);
  const summaryFile = path.join('out', `${tier}-summary.json`);
  fs.rmSync(summaryFile, { force: true });
  const started = Date.now();
  console.log(`\n=== ${tier} ===`);
  const status = run([script]);
  let summary = { passed: 0, failed: 1 };
  if (fs.existsSync(summaryFile)) summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  // A tier that crashed before writing its summary, or exited non-zero with nothing failed, still fails.
  if (status !== 0 && summary.failed === 0) summary.failed = 1;
  if (summary.passed + summary.failed === 0) summary.failed = 1;
  totals.passed += summary.passed;
  totals.failed += summary.failed;
  lines.push(`${tier}: ${summary.passed} passed, ${summary.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
console.log('\n' + lines.join('\n'));
console.log(`# all tiers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
