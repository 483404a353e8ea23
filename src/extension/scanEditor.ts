/**
 * Read-only custom editor for scan and cycler files. The file is read through `workspace.fs` (so remote and
 * virtual workspaces work), parsed and fitted in a worker, and drawn by the webview in media/. Nothing is ever
 * written to the file: exports go through a save dialog to a file the user picks.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { FromEditor, ToEditor } from '../protocol/scanEditor.ts';
import type { WorkerClient } from '../worker/workerClient.ts';

export const VIEW_TYPE_DEFAULT = 'operandoXrd.scanViewer';
export const VIEW_TYPE_OPTION = 'operandoXrd.scanViewerOptional';

class ScanDocument implements vscode.CustomDocument {
  readonly uri: vscode.Uri;
  constructor(uri: vscode.Uri) {
    this.uri = uri;
  }
  dispose(): void {}
}

/** Content-Security-Policy, one rule per line with its reason. */
function contentSecurityPolicy(webview: vscode.Webview, nonce: string): string {
  return [
    "default-src 'none'", // nothing loads unless a rule below allows it: no network, no frames, no eval
    `script-src 'nonce-${nonce}'`, // only our bundle; no 'unsafe-eval' (vega runs with vega-interpreter)
    // Our CSS file (vega-embed's injected style is turned off), and style elements with the nonce: the toolkit (FAST)
    // probes :focus-visible with an empty <style>, which it marks with the page's csp-nonce meta.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data: blob:`, // PNG export renders to a data: URL before it is sent to the host
    `font-src ${webview.cspSource}`, // codicons / toolkit fonts shipped in dist/
  ].join('; ');
}

/** The viewer webview (media/editor.ts) with its CSP, local resources limited to dist/. */
export function setViewerHtml(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string): void {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const asset = (name: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, name));
  panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(panel.webview, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="${asset('editor.css')}">
<title>${escapeHtml(title)}</title>
</head><body><main id="app" aria-live="polite"><p class="status">Opening ${escapeHtml(title)}…</p></main>
<script nonce="${nonce}" src="${asset('editor.js')}"></script></body></html>`;
}

export class ScanEditorProvider implements vscode.CustomReadonlyEditorProvider<ScanDocument> {
  private readonly context: vscode.ExtensionContext;
  private readonly engine: () => WorkerClient;
  private readonly log: vscode.LogOutputChannel;

  constructor(context: vscode.ExtensionContext, engine: () => WorkerClient, log: vscode.LogOutputChannel) {
    this.context = context;
    this.engine = engine;
    this.log = log;
  }

  openCustomDocument(uri: vscode.Uri): ScanDocument {
    return new ScanDocument(uri);
  }

  async resolveCustomEditor(document: ScanDocument, panel: vscode.WebviewPanel): Promise<void> {
    setViewerHtml(panel, this.context.extensionUri, path.basename(document.uri.path));

    const post = (m: ToEditor) => void panel.webview.postMessage(m);
    const fileName = path.basename(document.uri.path);

    const load = async () => {
      try {
        const stat = await vscode.workspace.fs.stat(document.uri);
        post({ type: 'loading', file: fileName, bytes: stat.size });
        const bytes = await vscode.workspace.fs.readFile(document.uri);
        const t0 = Date.now();
        const { result } = await this.engine().request({ type: 'call', method: 'describeFile', args: [bytes, fileName] });
        const message = result as ToEditor;
        this.log.info(`opened ${fileName} (${stat.size} bytes) in ${Date.now() - t0} ms`);
        post(message);
      } catch (e) {
        post({ type: 'error', file: fileName, message: (e as Error).message });
      }
    };

    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), fileName),
    );
    const disposables = [
      watcher,
      watcher.onDidChange(() => void load()),
      panel.webview.onDidReceiveMessage(async (m: FromEditor) => {
        switch (m.type) {
          case 'ready':
            await load();
            break;
          case 'fit':
            try {
              post({ type: 'fitProgress', message: `Fitting ${m.phase}…` });
              const bytes = await vscode.workspace.fs.readFile(document.uri);
              const { result } = await this.engine().request(
                { type: 'call', method: 'quickFit', args: [bytes, fileName, m.scanIndex, m.phase, m.wavelengthAngstrom] },
                { onProgress: (done, total, msg) => post({ type: 'fitProgress', message: `${msg ?? 'Fitting'} ${done}/${total}` }) },
              );
              post(result as ToEditor);
            } catch (e) {
              post({ type: 'fitError', message: (e as Error).message });
            }
            break;
          case 'lithium':
            try {
              const bytes = await vscode.workspace.fs.readFile(document.uri);
              const { result } = await this.engine().request({ type: 'call', method: 'lithium', args: [bytes, fileName, m.activeMassMg, m.composition, m.timeZone] });
              post(result as ToEditor);
            } catch (e) {
              post({ type: 'fitError', message: (e as Error).message });
            }
            break;
          case 'cancelFit':
            await this.engine().terminate('Fit cancelled');
            post({ type: 'fitError', message: 'Fit cancelled' });
            break;
          case 'export':
            await this.export(document.uri, m);
            break;
          case 'newNotebook':
            await vscode.commands.executeCommand('operandoXrd.newNotebookFromFile', document.uri);
            break;
          case 'reopenAsText':
            await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default');
            break;
        }
      }),
    ];
    panel.onDidDispose(() => disposables.forEach((d) => d.dispose()));
  }

  private async export(
    uri: vscode.Uri,
    m: Extract<FromEditor, { type: 'export' }>,
  ): Promise<void> {
    const base = path.basename(uri.path).replace(/\.[^.]+$/, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(uri, '..', `${base}.${m.format}`),
      filters: { [m.format.toUpperCase()]: [m.format] },
    });
    // The dialog refuses nothing, so never write onto the file being viewed.
    if (!target || target.toString() === uri.toString()) return;
    let bytes: Uint8Array;
    if (m.format === 'csv') {
      // From the file itself in the worker: the view may hold a decimated copy of a huge scan.
      const { result } = await this.engine().request({ type: 'call', method: 'csv', args: [await vscode.workspace.fs.readFile(uri), path.basename(uri.path), m.scanIndex] });
      bytes = new TextEncoder().encode(result as string);
    }
    else if (m.format === 'svg') bytes = new TextEncoder().encode(m.content ?? '');
    else bytes = Uint8Array.from(atob((m.content ?? '').replace(/^data:image\/png;base64,/, '')), (c) => c.charCodeAt(0));
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${path.basename(target.path)}`);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

