/**
 * A lazily started worker thread with typed requests. Interrupt = terminate the thread: every pending request
 * rejects with `WorkerTerminatedError` and the next request starts a fresh worker. A crash does the same, so
 * neither an infinite loop nor a crash in a cell can block or kill the extension host.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../protocol/kernel.ts';
import type { CellOutput } from '../protocol/outputs.ts';

export class WorkerTerminatedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WorkerTerminatedError';
  }
}

export interface RequestHandlers {
  onOutput?(output: CellOutput): void;
  onProgress?(done: number, total: number, message?: string): void;
}

interface Pending extends RequestHandlers {
  resolve(value: { value?: CellOutput; result?: unknown }): void;
  reject(err: Error): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly scriptPath: string;
  private readonly log: (line: string) => void;

  constructor(scriptPath: string, log: (line: string) => void = () => undefined) {
    this.scriptPath = scriptPath;
    this.log = log;
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath, { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => {
      this.log(`worker error: ${err.stack ?? err}`);
      this.failAll(new WorkerTerminatedError(`The worker crashed: ${err.message}`));
      this.worker = undefined;
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.failAll(new WorkerTerminatedError(`The worker exited (code ${code})`));
      }
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'output':
        p.onOutput?.(m.output);
        break;
      case 'progress':
        p.onProgress?.(m.done, m.total, m.message);
        break;
      case 'done':
        this.pending.delete(m.id);
        p.resolve({ value: m.value, result: m.result });
        break;
      case 'failed': {
        this.pending.delete(m.id);
        const err = new Error(m.error.message);
        err.name = m.error.name;
        err.stack = m.error.stack;
        p.reject(err);
        break;
      }
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Send a request; resolves when the worker answers `done`, rejects on `failed` or termination. */
  request(msg: DistributiveOmit<ToWorker, 'id'>, handlers: RequestHandlers = {}): Promise<{ value?: CellOutput; result?: unknown }> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { ...handlers, resolve, reject });
      worker.postMessage({ ...msg, id } as ToWorker);
    });
  }

  /** Stop the thread now (interrupt / restart). Resolves once it has exited. */
  async terminate(reason = 'Interrupted'): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new WorkerTerminatedError(reason));
    if (worker) await worker.terminate();
  }
}
