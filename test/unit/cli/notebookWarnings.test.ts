// A notebook cell's xrd.fit that runs away says so in the cell's output (stderr), as the CLI's fit does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runNotebook } from '../../../src/cli/notebook.ts';

const cell = (source: string) => ({ cell_type: 'code', source, outputs: [] as unknown[], execution_count: null, metadata: {} });

test('xrd.fit of a phase the pattern does not hold warns in the cell; the right phase does not', async () => {
  // examples/pattern.xy: a simulated layered oxide alone (true a = 2.873, c = 14.21 Å), no Cu.
  const notebook = {
    cells: [cell("const scan = xrd.read('pattern.xy');\nxrd.fit(scan, { phases: ['layered'] }).atBounds"), cell("xrd.fit(scan, { phases: ['cu'] }).atBounds")],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  await runNotebook(notebook as never, path.resolve('examples'));
  const text = (c: { outputs: unknown[] }) => JSON.stringify(c.outputs);
  assert.ok(!/ended on the edge/.test(text(notebook.cells[0])), text(notebook.cells[0]));
  assert.match(text(notebook.cells[1]), /"name":"stderr".*warning: zeroDeg ended on the edge of the search window, so the fit is not a minimum/);
});
