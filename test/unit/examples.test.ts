// Every example notebook runs headless (the CLI's `run`, the kernel's own transpiler, session and API) without a
// cell error, and keeps its chart outputs in all four representations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = process.cwd();
const examples = fs.readdirSync(path.join(repo, 'examples')).filter((f) => f.endsWith('.ipynb'));

test('there are example notebooks', () => assert.ok(examples.length >= 3, examples.join(', ')));

for (const name of examples) {
  test(`examples/${name} runs headless without errors`, () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'operando-xrd-ex-')), name);
    const input = path.join(repo, 'examples', name);
    const before = fs.readFileSync(input, 'utf8');
    const r = spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), 'run', input, '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(input, 'utf8'), before, 'the input notebook was changed');
    const nb = JSON.parse(fs.readFileSync(out, 'utf8'));
    const outputs = nb.cells.flatMap((c: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }) => c.outputs ?? []);
    assert.ok(!outputs.some((o: { output_type: string }) => o.output_type === 'error'));
    for (const o of outputs.filter((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.operando-xrd.chart+json'])) {
      assert.deepEqual(Object.keys(o.data!), ['application/vnd.operando-xrd.chart+json', 'application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain']);
    }
  });
}
