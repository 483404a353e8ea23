/**
 * The notebook controller on the built-in `jupyter-notebook` type. Cells are transpiled here and run in one
 * worker process per notebook (persistent context; a process, so that nothing a cell does can end the extension
 * host); interrupt and restart kill that process.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { transpileCell } from '../worker/transpile.ts';
import { WorkerClient, WorkerTerminatedError } from '../worker/workerClient.ts';
import { toNotebookOutput } from './outputs.ts';

export const CONTROLLER_ID = 'operando-xrd-ts';
export { KERNELSPEC } from './kernelspec.ts';
import { KERNELSPEC } from './kernelspec.ts';

export class Kernel implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly workers = new Map<string, WorkerClient>();
  private readonly queues = new Map<string, Promise<void>>();
  private executionOrder = 0;
  private readonly disposables: vscode.Disposable[] = [];

  private readonly context: vscode.ExtensionContext;
  private readonly log: vscode.LogOutputChannel;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    this.context = context;
    this.log = log;
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, 'jupyter-notebook', KERNELSPEC.display_name);
    this.controller.supportedLanguages = ['typescript', 'javascript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'TypeScript cells on the Operando XRD engine';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.disposables.push(
      this.controller,
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.dispose1(nb)),
      vscode.window.onDidChangeActiveNotebookEditor((editor) => editor && this.claim(editor.notebook)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.claim(nb)),
    );
    for (const nb of vscode.workspace.notebookDocuments) this.claim(nb);
  }

  /** Notebooks with our kernelspec prefer our controller. */
  private claim(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== 'jupyter-notebook') return;
    const spec = (notebook.metadata as { metadata?: { kernelspec?: { name?: string } } }).metadata?.kernelspec;
    if (spec?.name !== KERNELSPEC.name) return;
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    // With one controller for the type VS Code selects ours by itself. An explicit `notebook.selectKernel` (the
    // workaround for a rival controller in 1.100) opened the kernel picker here after a window reload, so it is not
    // sent: with a rival kernel extension installed the user picks once and VS Code remembers it.
  }

  private workerFor(notebook: vscode.NotebookDocument): WorkerClient {
    const key = notebook.uri.toString();
    let w = this.workers.get(key);
    if (!w) {
      w = new WorkerClient(path.join(this.context.extensionPath, 'dist', 'worker.js'), (l) => this.log.warn(l), { isolation: 'process' });
      this.workers.set(key, w);
    }
    return w;
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    // One cell at a time per notebook: chain onto the notebook's queue.
    const key = notebook.uri.toString();
    const run = (this.queues.get(key) ?? Promise.resolve()).then(async () => {
      for (const cell of cells) if (!(await this.executeCell(cell, notebook))) break;
    });
    this.queues.set(key, run.catch(() => undefined));
    return run;
  }

  /** Returns false when the run should stop (error or interrupt). */
  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<boolean> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.executionOrder;
    execution.start(Date.now());
    await execution.clearOutput();
    if (!vscode.workspace.isTrusted) {
      await execution.replaceOutput(toNotebookOutput({ kind: 'error', name: 'Untrusted', message: 'Operando XRD runs no code in an untrusted workspace.', stack: '' }));
      execution.end(false, Date.now());
      return false;
    }
    const worker = this.workerFor(notebook);
    const cellName = `Cell ${cell.index + 1}`;
    let progressOutput: vscode.NotebookCellOutput | undefined;
    try {
      const language = cell.document.languageId === 'javascript' ? 'javascript' : 'typescript';
      const { code } = transpileCell(cell.document.getText(), language);
      const cwd = notebook.uri.scheme === 'file' || notebook.uri.scheme === 'vscode-remote' ? path.dirname(notebook.uri.fsPath) : process.cwd();
      const cancel = execution.token.onCancellationRequested(() => void worker.terminate('Interrupted'));
      try {
        const { value } = await worker.request(
          { type: 'runCell', code, cellName, cwd },
          {
            onOutput: (o) => this.append(execution, toNotebookOutput(o)),
            onProgress: (done, total, message) => {
              const text = `${message ?? 'Working'}: ${done}/${total}`;
              const item = vscode.NotebookCellOutputItem.text(text, 'text/plain');
              if (progressOutput) void execution.replaceOutputItems(item, progressOutput);
              else {
                progressOutput = new vscode.NotebookCellOutput([item], { transient: true });
                this.append(execution, progressOutput);
              }
            },
          },
        );
        // Not awaited: end() sends the pending output edits before it completes the execution, and waiting for their
        // round trip to the workbench would only delay the next cell (and an interrupted run's return to idle).
        if (value) this.append(execution, toNotebookOutput(value, { executionCount: execution.executionOrder }));
      } finally {
        cancel.dispose();
      }
      execution.end(true, Date.now());
      return true;
    } catch (e) {
      const err = e as Error;
      const interrupted = err instanceof WorkerTerminatedError;
      this.append(
        execution,
        toNotebookOutput({
          kind: 'error',
          name: interrupted ? (err.crashed ? 'KernelDied' : 'Interrupted') : err.name,
          message: interrupted ? `${err.message}: the kernel was restarted and its variables are gone.` : err.message,
          stack: interrupted ? '' : cleanStack(err.stack ?? '', cellName),
        }),
      );
      execution.end(false, Date.now());
      return false;
    }
  }

  /** Appends an output without waiting for the workbench (see executeCell); an edit that fails is logged. */
  private append(execution: vscode.NotebookCellExecution, output: vscode.NotebookCellOutput): void {
    execution.appendOutput(output).then(undefined, (e: unknown) => this.log.warn(`an output could not be shown: ${String(e)}`));
  }

  async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    const t0 = Date.now();
    await this.workers.get(notebook.uri.toString())?.terminate('Interrupted');
    this.log.info(`interrupt: worker terminated in ${Date.now() - t0} ms`);
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    await this.workers.get(notebook.uri.toString())?.terminate('Kernel restarted');
  }

  private dispose1(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    void this.workers.get(key)?.terminate('Notebook closed');
    this.workers.delete(key);
    this.queues.delete(key);
  }

  dispose(): void {
    for (const w of this.workers.values()) void w.terminate('Extension deactivated');
    for (const d of this.disposables) d.dispose();
  }
}

/** Keep the stack frames that point into the cell; the worker's own frames only distract. */
export function cleanStack(stack: string, cellName: string): string {
  const lines = stack.split('\n');
  const kept = lines.filter((l, i) => i === 0 || l.includes(cellName));
  return kept.join('\n');
}
