/**
 * Fitting threads kept between sequential refinements in one process (a notebook's kernel): a thread's first fits run
 * before V8 has optimised the fitting code (about half a second per thread), so a second run on warm threads saves that
 * and its threads start at full speed. Threads wait unreferenced (they never keep a process alive) and end after
 * `idleMs` without work. Threads that a cancel ended mid-fit are gone, not returned; a cancel the driver noticed
 * between fits leaves them idle, and they come back.
 */
import { WorkerClient } from './workerClient.ts';

export class WorkerPool {
  private readonly idle: WorkerClient[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly script: string;
  private readonly idleMs: number;

  constructor(script: string, idleMs = 60_000) {
    this.script = script;
    this.idleMs = idleMs;
  }

  /** Threads waiting for work. */
  get waiting(): number {
    return this.idle.length;
  }

  /** `count` clients: waiting ones first (warm), then new ones. */
  acquire(count: number): WorkerClient[] {
    const clients = this.idle.splice(0, count);
    while (clients.length < count) clients.push(new WorkerClient(this.script));
    for (const c of clients) c.keepAlive(true);
    if (!this.idle.length) this.clearTimer();
    return clients;
  }

  /** Give clients back after a run that ended normally; they wait for the next run. */
  release(clients: readonly WorkerClient[]): void {
    for (const c of clients) {
      if (!c.running) continue;
      c.keepAlive(false);
      this.idle.push(c);
    }
    this.clearTimer();
    if (this.idle.length) {
      this.timer = setTimeout(() => void this.dispose(), this.idleMs);
      this.timer.unref?.();
    }
  }

  /** End every waiting thread. */
  async dispose(): Promise<void> {
    this.clearTimer();
    const clients = this.idle.splice(0);
    await Promise.all(clients.map((c) => c.terminate('worker pool idle')));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
