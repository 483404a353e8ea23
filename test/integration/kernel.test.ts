import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'operando-xrd.operando-xrd';
const CHART_MIME = 'application/vnd.operando-xrd.chart+json';

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

async function appendCell(editor: vscode.NotebookEditor, source: string): Promise<vscode.NotebookCell> {
  const nb = editor.notebook;
  const edit = new vscode.WorkspaceEdit();
  edit.set(nb.uri, [vscode.NotebookEdit.insertCells(nb.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'typescript')])]);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return nb.cellAt(nb.cellCount - 1);
}

async function runCell(cell: vscode.NotebookCell): Promise<vscode.NotebookCell> {
  const before = cell.executionSummary?.executionOrder;
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri });
  await until('cell to finish', () => cell.executionSummary?.success !== undefined && cell.executionSummary.executionOrder !== before && cell.executionSummary.timing?.endTime);
  return cell;
}

const texts = (cell: vscode.NotebookCell) =>
  cell.outputs.flatMap((o) => o.items.map((i) => ({ mime: i.mime, text: new TextDecoder().decode(i.data) })));

suite('Notebook kernel', () => {
  let editor: vscode.NotebookEditor;

  suiteSetup(async () => {
    const doc = await vscode.workspace.openNotebookDocument(workspaceFile('cells.ipynb'));
    editor = await vscode.window.showNotebookDocument(doc);
    await until('activation', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  test('our kernel is selected for a notebook with our kernelspec and runs it with Run All', async () => {
    // No kernel is chosen by the test: if ours were not selected, Run All would wait on a picker and time out.
    await vscode.commands.executeCommand('notebook.execute', editor.notebook.uri);
    const cell = editor.notebook.cellAt(0);
    await until('first cell executed', () => cell.executionSummary?.success);
    const out = texts(cell);
    assert.ok(out.some((o) => o.mime === 'application/vnd.code.notebook.stdout' && o.text.includes('hello from the worker')), JSON.stringify(out));
    assert.ok(out.some((o) => o.mime === 'text/plain' && o.text === '42'), JSON.stringify(out));
  });

  test('names from earlier cells persist and the value is an execute_result', async () => {
    const cell = await runCell(await appendCell(editor, 'answer + 1'));
    assert.equal(cell.executionSummary?.success, true);
    const value = cell.outputs.at(-1)!;
    assert.equal(new TextDecoder().decode(value.items[0].data), '43');
    assert.equal(value.metadata?.outputType, 'execute_result');
  });

  test('a chart is one output with our MIME first, then Vega-Lite 5, SVG and text', async () => {
    const cell = await runCell(await appendCell(editor, "const scan = xrd.read('pattern.xy');\nshow(xrd.plot.pattern(scan));"));
    assert.equal(cell.executionSummary?.success, true, JSON.stringify(texts(cell)).slice(0, 500));
    const chart = cell.outputs.find((o) => o.items[0]?.mime === CHART_MIME);
    assert.ok(chart, JSON.stringify(cell.outputs.map((o) => o.items.map((i) => i.mime))));
    assert.deepEqual(chart.items.map((i) => i.mime), [CHART_MIME, 'application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain']);
    const svg = new TextDecoder().decode(chart.items[2].data);
    assert.match(svg, /^<svg/);
    const v5 = JSON.parse(new TextDecoder().decode(chart.items[1].data));
    assert.match(v5.$schema, /vega-lite\/v5/);
  });

  test('an error shows the cell\'s own line number', async () => {
    const cell = await runCell(await appendCell(editor, 'const ok = 1;\n\nthrow new RangeError("bad value");'));
    assert.equal(cell.executionSummary?.success, false);
    const err = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/vnd.code.notebook.error');
    assert.ok(err);
    const parsed = JSON.parse(new TextDecoder().decode(err.data));
    assert.equal(parsed.name, 'RangeError');
    assert.match(parsed.stack, /Cell \d+:3/);
  });

  test('interrupt stops an endless cell quickly and the host stays responsive', async () => {
    const cell = await appendCell(editor, 'while (true) {}');
    const running = vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri });
    await until('cell to start', () => cell.executionSummary === undefined || cell.executionSummary.timing === undefined);
    await new Promise((r) => setTimeout(r, 500));
    // The extension host answers while the worker spins.
    const t0 = Date.now();
    await vscode.commands.executeCommand('workbench.action.files.save').then(undefined, () => undefined);
    assert.ok(Date.now() - t0 < 5000, 'extension host blocked');
    const tInterrupt = Date.now();
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: cell.notebook.uri });
    await until('interrupted cell to end', () => cell.executionSummary?.success === false, 10000);
    const interruptMs = Date.now() - tInterrupt;
    console.log(`OPERANDO_XRD_TEST metric interruptMs=${interruptMs}`);
    // Goal 1 s; a test may assert only 10× the goal.
    assert.ok(interruptMs < 10000, `interrupt took ${interruptMs} ms`);
    await running.then(undefined, () => undefined);
    const after = await runCell(await appendCell(editor, 'typeof answer'));
    assert.equal(after.executionSummary?.success, true);
    assert.equal(new TextDecoder().decode(after.outputs.at(-1)!.items[0].data), "'undefined'");
  });

  test('a cell that aborts its process ends only the kernel, not the extension host', async () => {
    await runCell(await appendCell(editor, 'const before = 7;'));
    const cell = await runCell(await appendCell(editor, "require('node:process').abort()"));
    assert.equal(cell.executionSummary?.success, false);
    const err = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/vnd.code.notebook.error');
    assert.ok(err);
    assert.equal(JSON.parse(new TextDecoder().decode(err.data)).name, 'KernelDied');
    // The host is alive (this test runs in it) and the next cell gets a fresh kernel.
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    const after = await runCell(await appendCell(editor, 'typeof before'));
    assert.equal(after.executionSummary?.success, true);
    assert.equal(new TextDecoder().decode(after.outputs.at(-1)!.items[0].data), "'undefined'");
  });

  test('Restart Kernel clears the context', async () => {
    await runCell(await appendCell(editor, 'const kept = 5;'));
    await vscode.commands.executeCommand('operandoXrd.restartKernel');
    const cell = await runCell(await appendCell(editor, 'typeof kept'));
    assert.equal(new TextDecoder().decode(cell.outputs.at(-1)!.items[0].data), "'undefined'");
  });
});
