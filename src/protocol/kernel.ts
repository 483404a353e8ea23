/**
 * Messages between the extension host (or the CLI) and a worker thread. One request id per cell run or call;
 * every request ends with exactly one `done` or `failed`.
 */
import type { CellOutput } from './outputs.ts';

/** Run one cell's JavaScript (already transpiled) in the worker's persistent context. */
export interface RunCellRequest {
  readonly type: 'runCell';
  readonly id: number;
  readonly code: string;
  /** Shown in stack traces, e.g. 'Cell 3'. */
  readonly cellName: string;
  /** Folder that relative paths in the cell resolve against (the notebook's folder). */
  readonly cwd: string;
}

/** Call one engine function by name (custom editor, CLI, refinement pool). */
export interface CallRequest {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

export type ToWorker = RunCellRequest | CallRequest;

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'output'; readonly id: number; readonly output: CellOutput }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number; readonly message?: string }
  | { readonly type: 'done'; readonly id: number; readonly value?: CellOutput; readonly result?: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly stack: string } };
