/**
 * Extension host entry. activate() only registers: the notebook controller, the custom editors and the
 * commands. Workers start lazily, on the first cell run or the first file opened.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { Kernel } from './kernel.ts';
import { ScanEditorProvider, VIEW_TYPE_DEFAULT, VIEW_TYPE_OPTION } from './scanEditor.ts';
import { WorkerClient } from '../worker/workerClient.ts';
import { blankNotebook, notebookForFile } from './notebookTemplates.ts';
import { openSeriesPanel } from './seriesPanel.ts';

/** What integration tests read back from the extension. */
export interface OperandoXrdExports {
  readonly controllerId: string;
  readonly kernel: Kernel;
  readonly engine: () => WorkerClient;
}

export function activate(context: vscode.ExtensionContext): OperandoXrdExports {
  const log = vscode.window.createOutputChannel('Operando XRD', { log: true });
  const kernel = new Kernel(context, log);
  let engine: WorkerClient | undefined;
  // The editor's readers and the series panel's refinements run in a process of their own, as notebook cells do.
  const getEngine = () =>
    (engine ??= new WorkerClient(path.join(context.extensionPath, 'dist', 'worker.js'), (l) => log.warn(l), { isolation: 'process' }));
  const provider = new ScanEditorProvider(context, getEngine, log);
  const editorOptions = { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true };

  context.subscriptions.push(
    log,
    kernel,
    { dispose: () => void engine?.terminate('Extension deactivated') },
    vscode.window.registerCustomEditorProvider(VIEW_TYPE_DEFAULT, provider, editorOptions),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE_OPTION, provider, editorOptions),
    vscode.commands.registerCommand('operandoXrd.newNotebook', () => createNotebook('operando-xrd.ipynb', blankNotebook())),
    vscode.commands.registerCommand('operandoXrd.restartKernel', async () => {
      const nb = vscode.window.activeNotebookEditor?.notebook;
      if (nb) await kernel.restart(nb);
      void vscode.window.showInformationMessage('Operando XRD kernel restarted');
    }),
    vscode.commands.registerCommand('operandoXrd.newNotebookFromFile', async (uri?: vscode.Uri) => {
      uri ??= activeResource();
      if (!uri) return;
      const stat = await vscode.workspace.fs.stat(uri);
      const isFolder = (stat.type & vscode.FileType.Directory) !== 0;
      const name = path.basename(uri.path);
      const kind = isFolder ? 'series' : /\.(mpr|mpt|nda|ndax|dta|res)$/i.test(name) ? 'electrochemistry' : 'diffraction';
      const folder = isFolder ? vscode.Uri.joinPath(uri, '..') : vscode.Uri.joinPath(uri, '..');
      await createNotebook(`${name.replace(/\.[^.]+$/, '')}.ipynb`, notebookForFile(name, kind), folder);
    }),
    vscode.commands.registerCommand('operandoXrd.openSeries', async (uri?: vscode.Uri) => {
      uri ??= (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open as operando series' }))?.[0];
      if (uri) await openSeriesPanel(uri, context.extensionUri, getEngine);
    }),
    vscode.commands.registerCommand('operandoXrd.reopenAsText', async (uri?: vscode.Uri) => {
      uri ??= activeResource();
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
    }),
  );
  log.info(`activated (${context.extension.packageJSON.version})`);
  return { controllerId: kernel.controller.id, kernel, engine: getEngine };
}

function activeResource(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText) return tab.uri;
  return undefined;
}

/** Write a new notebook next to the file (never over an existing one) and open it. */
async function createNotebook(fileName: string, content: string, folder?: vscode.Uri): Promise<void> {
  const dir = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!dir) {
    const data = new vscode.NotebookData(
        (JSON.parse(content).cells as { cell_type: string; source: string[] }[]).map(
          (c) =>
            new vscode.NotebookCellData(
              c.cell_type === 'code' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup,
              c.source.join(''),
              c.cell_type === 'code' ? 'typescript' : 'markdown',
            ),
        ),
      );
    // The ipynb serializer keeps the file's top-level metadata under `metadata`.
    data.metadata = { metadata: JSON.parse(content).metadata };
    await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument('jupyter-notebook', data));
    return;
  }
  const stem = fileName.replace(/\.ipynb$/, '');
  let target = vscode.Uri.joinPath(dir, fileName);
  for (let i = 2; await exists(target); i++) target = vscode.Uri.joinPath(dir, `${stem}-${i}.ipynb`);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(target));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function deactivate(): void {}
