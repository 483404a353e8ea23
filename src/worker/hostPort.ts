/**
 * The channel of a worker entry (dist/worker.js) to whoever started it: the parent thread's port when it runs as a
 * worker thread (CLI, tests), or the IPC channel when the extension host forked it as a process. The extension host
 * uses a process so that nothing a cell or a thread teardown does (an abort, an out-of-memory, Node 20's
 * NodePlatform::ForIsolate assertion when a thread ends while V8 compiles for it) can end VS Code's extension host.
 */
import { parentPort } from 'node:worker_threads';
import v8 from 'node:v8';

export interface HostPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function hostPort(entry: string): HostPort {
  if (parentPort) {
    const port = parentPort;
    return { postMessage: (m) => port.postMessage(m), onMessage: (l) => port.on('message', l) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error(`${entry} must run as a worker thread or as a forked process with an IPC channel`);
  // This process is ours alone: its V8 may compile on the threads that run the code. Ending the sequential pool's
  // threads while V8 compiled for them in the background aborted Node 20 (3 in 30 two-worker runs).
  v8.setFlagsFromString('--no-concurrent-recompilation');
  // The host went away (window closed, host killed): nobody is left to answer.
  process.on('disconnect', () => process.exit(0));
  return { postMessage: (m) => void send(m), onMessage: (l) => process.on('message', l) };
}
