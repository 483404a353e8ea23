import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// The TypeScript server plugin adds types/xrd.d.ts to projects that hold notebook cells: `xrd.` completes.
suite('Completions in cells', () => {
  test('typing xrd. in a cell offers the API, with its documentation', async function () {
    this.timeout(120000);
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'completion.ipynb');
    const nb = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(0).document;
    const position = new vscode.Position(1, 4);
    // tsserver starts on demand; ask until it answers with our API or the time runs out.
    const t0 = Date.now();
    let labels: string[] = [];
    while (Date.now() - t0 < 90000) {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', cell.uri, position);
      labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      if (labels.includes('readSeries')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const name of ['read', 'readSeries', 'sequential', 'analyze', 'plot']) assert.ok(labels.includes(name), `${name} not in ${labels.slice(0, 20).join(', ')}`);
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', cell.uri, new vscode.Position(0, 15));
    const text = hover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /readSeries/);
  });
});
