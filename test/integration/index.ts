// extensionTestsPath entry: the extension host requires this file and awaits run(). It runs every
// out/integration/*.test.js with mocha (tdd) and writes a JSON summary where OPERANDO_XRD_TEST_RESULTS points.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function run(): Promise<void> {
  // mocha stays external to the bundle and resolves from the repository's node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('mocha');
  const Mocha = m.default ?? m;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000 });
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  const out = process.env.OPERANDO_XRD_TEST_RESULTS ?? path.join(dir, 'results.json');
  const results = { passed: 0, failed: 0, passes: [] as string[], failures: [] as { title: string; error: string }[] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      fs.writeFileSync(out, JSON.stringify(results, null, 1));
      if (failures) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
    runner.on('pass', (t: { fullTitle(): string; duration?: number }) => {
      results.passed++;
      results.passes.push(t.fullTitle());
      console.log(`OPERANDO_XRD_TEST ok   - ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t: { fullTitle(): string }, err: Error) => {
      results.failed++;
      results.failures.push({ title: t.fullTitle(), error: String(err?.stack ?? err) });
      console.log(`OPERANDO_XRD_TEST FAIL - ${t.fullTitle()}: ${err?.message}`);
    });
  });
}
