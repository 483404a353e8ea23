/**
 * One notebook's kernel state: a persistent context in which transpiled cells run one at a time.
 * No worker_threads here (main.ts owns the thread), and `vm`/`require` are injected, so the session runs
 * in unit tests and in the headless CLI as it does in a worker.
 */
import type { CellOutput } from '../protocol/outputs.ts';
import { toCellOutput } from './display.ts';

/** What the session needs from `node:vm`. */
export interface VmLike {
  createContext(sandbox: object): object;
  runInContext(code: string, context: object, options: { filename: string }): unknown;
}

export interface SessionHost {
  readonly vm: VmLike;
  /** A `require` for `import`/`require` in cells, resolving from the notebook's folder. */
  makeRequire(cwd: string): (id: string) => unknown;
  /** Format a value for `text/plain` (node's util.inspect). */
  inspect(value: unknown): string;
  /** The cell API (`xrd`) bound to a folder and an output sink. */
  makeApi(ctx: CellContext): Record<string, unknown>;
  /** Headless SVG of a Vega-Lite spec, for saved notebooks and viewers without our renderer. */
  renderSvg?(spec: Record<string, unknown>): Promise<string>;
}

/** What the API sees of the running cell. */
export interface CellContext {
  readonly cwd: string;
  emit(output: CellOutput): void;
  progress(done: number, total: number, message?: string): void;
}

export class Session {
  private readonly context: object;
  private readonly globals: Record<string, unknown>;
  private readonly host: SessionHost;
  private current: CellContext | undefined;

  constructor(host: SessionHost) {
    this.host = host;
    const emitStream = (name: 'stdout' | 'stderr') => (...args: unknown[]) =>
      this.current?.emit({ kind: 'stream', name, text: args.map((a) => (typeof a === 'string' ? a : host.inspect(a))).join(' ') + '\n' });
    const console = { log: emitStream('stdout'), info: emitStream('stdout'), debug: emitStream('stdout'), warn: emitStream('stderr'), error: emitStream('stderr') };
    this.globals = { console };
    this.context = host.vm.createContext(this.globals);
  }

  /**
   * Run one transpiled cell; outputs stream through `sink` as they happen. Resolves with the value output
   * (or undefined); rejects with the cell's error.
   */
  async run(code: string, cellName: string, cwd: string, sink: Omit<CellContext, 'cwd'>): Promise<CellOutput | undefined> {
    // Outputs keep their order although a chart's SVG is rendered asynchronously.
    let queue = Promise.resolve();
    const emit = (output: CellOutput) => {
      queue = queue.then(async () => sink.emit(await this.withSvg(output)));
    };
    const ctx: CellContext = { cwd, emit, progress: sink.progress };
    this.current = ctx;
    const api = this.host.makeApi(ctx);
    Object.assign(this.globals, { xrd: api, show: api.show, table: api.table, require: this.host.makeRequire(cwd) });
    try {
      const value = await (this.host.vm.runInContext(code, this.context, { filename: cellName }) as Promise<unknown>);
      await queue;
      return value === undefined ? undefined : await this.withSvg(toCellOutput(value, this.host.inspect));
    } finally {
      await queue.catch(() => undefined);
      this.current = undefined;
    }
  }

  private async withSvg(output: CellOutput): Promise<CellOutput> {
    if (output.kind !== 'chart' || output.svg || !this.host.renderSvg) return output;
    try {
      return { ...output, svg: await this.host.renderSvg(output.chart.spec) };
    } catch (err) {
      // A chart without its SVG fallback still renders in VS Code; say why the fallback is missing.
      return { ...output, text: `${output.text} (no SVG: ${(err as Error).message})` };
    }
  }
}
