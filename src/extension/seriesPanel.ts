/**
 * "Open as Operando Series" on a folder: every scan file in it (natural order) read in the worker and shown as one
 * multi-scan view (scan selector and heatmap) in the viewer webview, with a link to a new notebook for the series.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FromEditor, ScanView, ToEditor } from '../protocol/scanEditor.ts';
import type { WorkerClient } from '../worker/workerClient.ts';
import { seriesFilesInFolder } from '../core/operando/seriesFiles.ts';
import { setViewerHtml } from './scanEditor.ts';

export async function openSeriesPanel(folder: vscode.Uri, extensionUri: vscode.Uri, engine: () => WorkerClient): Promise<vscode.WebviewPanel> {
  const name = path.basename(folder.path);
  const panel = vscode.window.createWebviewPanel('operandoXrd.series', `Series: ${name}`, vscode.ViewColumn.Active, { enableScripts: true });
  setViewerHtml(panel, extensionUri, name);
  const post = (m: ToEditor) => void panel.webview.postMessage(m);
  const load = async () => {
    const entries = seriesFilesInFolder(
      (await vscode.workspace.fs.readDirectory(folder)).filter(([, type]) => type === vscode.FileType.File).map(([f]) => f),
    );
    if (!entries.length) return post({ type: 'error', file: name, message: `${name} holds no scan files` });
    const scans: ScanView[] = [];
    const warnings: string[] = [];
    for (const [i, f] of entries.entries()) {
      post({ type: 'fitProgress', message: `Reading ${i + 1}/${entries.length}: ${f}` });
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, f));
      const { result } = await engine().request({ type: 'call', method: 'describeFile', args: [bytes, f] });
      const m = result as ToEditor;
      if (m.type === 'diffraction') scans.push(...m.scans.map((s) => ({ ...s, label: f })));
      else warnings.push(m.type === 'error' ? m.message : `${f}: not a diffraction file`);
    }
    post({ type: 'diffraction', file: `${name} (${scans.length} patterns)`, format: 'series', scans, metadata: { folder: folder.fsPath }, warnings });
  };
  panel.webview.onDidReceiveMessage(async (m: FromEditor) => {
    if (m.type === 'ready') await load().catch((e) => post({ type: 'error', file: name, message: (e as Error).message }));
    else if (m.type === 'newNotebook') await vscode.commands.executeCommand('operandoXrd.newNotebookFromFile', folder);
  });
  return panel;
}
