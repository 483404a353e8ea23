import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'operando-xrd.operando-xrd';

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

interface Exports {
  engine(): { request(m: unknown): Promise<{ result?: unknown }> };
}

suite('Custom editor', () => {
  test('an .xy file opens read-only in our viewer with the option editor', async () => {
    const uri = workspaceFile('pattern.xy');
    const before = await vscode.workspace.fs.readFile(uri);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'operandoXrd.scanViewerOptional');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, String(tab?.label));
    assert.equal((tab.input as vscode.TabInputCustom).viewType, 'operandoXrd.scanViewerOptional');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await vscode.workspace.fs.readFile(uri), before, 'the viewer changed the file');
  });

  test('the worker parses the file the editor shows', async () => {
    const api = vscode.extensions.getExtension<Exports>(EXTENSION_ID)!;
    const exports = api.isActive ? api.exports : await api.activate();
    const bytes = await vscode.workspace.fs.readFile(workspaceFile('pattern.xy'));
    const { result } = await exports.engine().request({ type: 'call', method: 'describeFile', args: [bytes, 'pattern.xy'] });
    const message = result as { type: string; scans: { x: number[]; axis: string }[] };
    assert.equal(message.type, 'diffraction');
    // sync_27keV_fpa.xy: 2θ 2–30° in 0.004° steps.
    assert.equal(message.scans[0].x.length, 7001);
    assert.equal(message.scans[0].axis, 'twoTheta');
  });

  test('a corrupt file gives a readable error, not a crash', async () => {
    const api = vscode.extensions.getExtension<Exports>(EXTENSION_ID)!;
    const exports = api.isActive ? api.exports : await api.activate();
    const bytes = await vscode.workspace.fs.readFile(workspaceFile('corrupt.xrdml'));
    const { result } = await exports.engine().request({ type: 'call', method: 'describeFile', args: [bytes, 'corrupt.xrdml'] });
    const message = result as { type: string; message: string };
    assert.equal(message.type, 'error');
    assert.match(message.message, /corrupt\.xrdml/);
    await vscode.commands.executeCommand('vscode.openWith', workspaceFile('corrupt.xrdml'), 'operandoXrd.scanViewer');
    assert.ok(vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputCustom);
  });
});

suite('Operando series', () => {
  test('Open as Operando Series shows a folder of scans in one viewer panel', async () => {
    const folder = workspaceFile('series');
    await vscode.commands.executeCommand('operandoXrd.openSeries', folder);
    const find = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Series: series');
    for (let i = 0; i < 100 && !find(); i++) await new Promise((r) => setTimeout(r, 50));
    const tab = find();
    assert.ok(tab, vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', '));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.match((tab.input as vscode.TabInputWebview).viewType, /operandoXrd\.series/);
  });
});
