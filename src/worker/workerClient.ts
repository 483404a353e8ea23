/**
 * A lazily started worker with typed requests, as a thread or as a child process. Interrupt = end the thread or kill
 * the process: every pending request rejects with `WorkerTerminatedError` and the next request starts a fresh worker.
 * A crash does the same, so neither an infinite loop nor a crash in a cell can block the caller. The extension host
 * uses processes: a thread shares the host's process, and a V8 abort in a thread (an out-of-memory outside the heap
 * limit, a native crash, Node 20's assertion when a thread ends during a background compile) would end the host.
 */
import { Worker } from 'node:worker_threads';
import { fork, type ChildProcess } from 'node:child_process';
import type { FromWorker, ToWorker } from '../protocol/kernel.ts';
import type { CellOutput } from '../protocol/outputs.ts';

export class WorkerTerminatedError extends Error {
  /** True when the worker died by itself (crash, abort, exit); false when the caller ended it. */
  readonly crashed: boolean;
  constructor(reason: string, crashed = false) {
    super(reason);
    this.name = 'WorkerTerminatedError';
    this.crashed = crashed;
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

export interface WorkerClientOptions {
  /** 'thread' (default) or 'process' (a forked Node process; see the file comment). */
  readonly isolation?: 'thread' | 'process';
  /** Old-generation heap limit of the worker, MB. */
  readonly maxHeapMb?: number;
}

/** What the client needs of a started worker, thread or process. */
interface Channel {
  readonly pid?: number;
  post(message: ToWorker): void;
  end(): Promise<void>;
  /** Whether the worker keeps the process alive (a pooled worker that waits does not). */
  hold(keepAlive: boolean): void;
}

export class WorkerClient {
  private channel: Channel | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly scriptPath: string;
  private readonly log: (line: string) => void;
  private readonly options: WorkerClientOptions;

  constructor(scriptPath: string, log: (line: string) => void = () => undefined, options: WorkerClientOptions = {}) {
    this.scriptPath = scriptPath;
    this.log = log;
    this.options = options;
  }

  get running(): boolean {
    return this.channel !== undefined;
  }

  /** Process id of the worker process (isolation 'process', once started). */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  private ensure(): Channel {
    if (this.channel) return this.channel;
    const channel = this.options.isolation === 'process' ? this.startProcess() : this.startThread();
    this.channel = channel;
    return channel;
  }

  /** The worker is gone (crash, exit, kill): its requests fail and the next request starts a new one. */
  private lost(channel: Channel, reason: string): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.failAll(new WorkerTerminatedError(reason, true));
  }

  private startThread(): Channel {
    const worker = new Worker(this.scriptPath, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 8192 } });
    const channel: Channel = {
      post: (m) => worker.postMessage(m),
      end: async () => void (await worker.terminate()),
      hold: (keepAlive) => (keepAlive ? worker.ref() : worker.unref()),
    };
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => {
      this.log(`worker error: ${err.stack ?? err}`);
      this.lost(channel, `The worker crashed: ${err.message}`);
    });
    worker.on('exit', (code) => this.lost(channel, `The worker exited (code ${code})`));
    return channel;
  }

  private startProcess(): Channel {
    const child: ChildProcess = fork(this.scriptPath, [], {
      execArgv: [`--max-old-space-size=${this.options.maxHeapMb ?? 8192}`],
      // Structured clone, as between threads: typed arrays and Maps cross intact.
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Inside VS Code process.execPath is Electron's binary: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const channel: Channel = {
      pid: child.pid,
      post: (m) => {
        if (!exited && child.connected) child.send(m);
      },
      end: async () => {
        if (!exited) child.kill('SIGKILL');
        await exit;
      },
      hold: (keepAlive) => (keepAlive ? child.ref() : child.unref()),
    };
    const forward = (stream: NodeJS.ReadableStream | null, label: string) => {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line) this.log(`worker ${label}: ${line}`);
      });
    };
    forward(child.stdout, 'stdout');
    forward(child.stderr, 'stderr');
    child.on('message', (m) => this.onMessage(m as FromWorker));
    child.on('error', (err) => {
      this.log(`worker process error: ${err.stack ?? err}`);
      this.lost(channel, `The worker process failed: ${err.message}`);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      this.lost(channel, signal ? `The worker process ended (${signal})` : `The worker process exited (code ${code})`);
    });
    return channel;
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
    const channel = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { ...handlers, resolve, reject });
      channel.post({ ...msg, id } as ToWorker);
    });
  }

  /** Let a started worker keep the process alive, or not (an idle pooled worker must not hold a CLI open). */
  keepAlive(keep: boolean): void {
    this.channel?.hold(keep);
  }

  /** Stop the worker now (interrupt / restart). Resolves once it has exited. */
  async terminate(reason = 'Interrupted'): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    this.failAll(new WorkerTerminatedError(reason));
    if (channel) await channel.end();
  }
}
