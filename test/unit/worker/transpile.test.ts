import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { transpileCell } from '../../../src/worker/transpile.ts';

async function runAll(cells: string[]): Promise<unknown[]> {
  const context = vm.createContext({ Promise });
  const values: unknown[] = [];
  for (const [i, cell] of cells.entries()) {
    const { code } = transpileCell(cell);
    values.push(await new vm.Script(code, { filename: `Cell ${i + 1}` }).runInContext(context));
  }
  return values;
}

test('names declared in one cell are visible in later cells', async () => {
  const values = await runAll(['const a: number = 2;', 'let { b } = { b: 3 };', 'a * b']);
  assert.equal(values[2], 6);
});

test('re-running a cell that declares a const works', async () => {
  const values = await runAll(['const x = 1;', 'const x = 5;', 'x']);
  assert.equal(values[2], 5);
});

test('top-level await and the last expression as the value', async () => {
  const values = await runAll(['const v = await Promise.resolve(41);\nv + 1']);
  assert.equal(values[0], 42);
});

test('functions and classes are usable from later cells', async () => {
  const values = await runAll(['function twice(n: number) { return 2 * n }\nclass Box { constructor(public v: number) {} }', 'twice(new Box(4).v)']);
  assert.equal(values[1], 8);
});

test('interfaces and type-only code are erased', async () => {
  const values = await runAll(['interface P { a: number }\ntype Q = P[];\nconst q: Q = [{ a: 1 }];\nq.length']);
  assert.equal(values[0], 1);
});

test('an error reports the cell\'s own line number', async () => {
  await assert.rejects(runAll(['const a = 1;\n\nthrow new Error("boom");']), (err: Error) => {
    assert.match(err.stack ?? '', /Cell 1:3/);
    return true;
  });
});

test('a syntax error names its line', () => {
  assert.throws(() => transpileCell('const a = ;'), /1/);
});
