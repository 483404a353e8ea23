import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// Runs first (files run in name order): nothing has activated the extension yet.
suite('Activation', () => {
  test('opening an .ipynb activates the extension, and activation only registers', async () => {
    const ext = vscode.extensions.getExtension('operando-xrd.operando-xrd');
    assert.ok(ext, 'extension not installed');
    assert.equal(ext.isActive, false, 'active before any notebook opened');
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'cells.ipynb'));
    await vscode.window.showNotebookDocument(doc);
    const t0 = Date.now();
    while (!ext.isActive && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ext.isActive, 'opening a notebook did not activate the extension');
    const exports = ext.exports as { controllerId: string; engine(): { running: boolean } };
    assert.equal(exports.controllerId, 'operando-xrd-ts');
    // Workers start lazily: activation alone must not start one.
    assert.equal(exports.engine().running, false);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['operandoXrd.newNotebook', 'operandoXrd.restartKernel', 'operandoXrd.newNotebookFromFile']) assert.ok(commands.includes(c), c);
  });
});
