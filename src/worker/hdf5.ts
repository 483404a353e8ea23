/**
 * NeXus/HDF5 reading off the caller's thread. h5wasm (WebAssembly) can abort or hang on a damaged file, so files
 * are read in a thread of their own (dist/hdf5Worker.mjs) while the caller waits on a shared flag, at most
 * {@link HDF5_TIMEOUT_MS}; then the thread is stopped and the caller gets a ParseError. The thread is kept for the
 * next file (starting it and the HDF5 library costs ~0.5 s) unless it timed out or failed other than with a
 * ParseError (an aborted wasm runtime is not reused). Waiting synchronously
 * (Atomics.wait) keeps `xrd.read`, `readSeries` and the CLI synchronous; the callers are the CLI's main thread and
 * the kernel's worker thread, never the extension host.
 *
 *   bytes ──detectFormat── 'nexus' ──▶ hdf5Worker thread (h5wasm + core readNexus) ──▶ ScanFile | ParseError
 *                        └ other ────▶ core readData
 */
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { EchemRecord } from '../core/data/echem.ts';
import type { ScanFile } from '../core/data/scan.ts';
import { detectFormat, readData, type ReadOptions } from '../core/io/index.ts';
import { ParseError } from '../core/io/parseError.ts';

/** How long one HDF5 file may take before its reader thread is stopped (ms). */
export const HDF5_TIMEOUT_MS = 20_000;

/** What the HDF5 thread posts back: the pattern(s), a ParseError's fields, or another error's message. */
export type Hdf5Answer =
  | { readonly ok: true; readonly file: ScanFile }
  | { readonly ok: false; readonly parseError: { format: string; offset?: number; line?: number; expected: string; found: string } }
  | { readonly ok: false; readonly message: string };

/** One request to the HDF5 thread (with a MessagePort for the answer, transferred alongside). */
export interface Hdf5Request {
  readonly bytes: Uint8Array;
  /** Set to 1 and notified when the answer has been posted. */
  readonly signal: Int32Array;
}

let thread: { worker: Worker; file: string; failures: number } | undefined;

/**
 * Failed reads after which the thread is replaced: a damaged file can leave the library holding a half-opened file,
 * and many of them would fill its memory.
 */
const FAILURES_PER_THREAD = 200;

function hdf5Thread(workerFile: string): Worker {
  if (thread?.file === workerFile) return thread.worker;
  if (thread) void thread.worker.terminate();
  // stdout/stderr piped and never read: nothing the library prints may reach the user's terminal. A heap limit turns
  // an out-of-memory in the thread into the thread's end (a ParseError here), not the end of the process.
  const worker = new Worker(workerFile, { stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  worker.unref();
  const forget = () => {
    if (thread?.worker === worker) thread = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  thread = { worker, file: workerFile, failures: 0 };
  return worker;
}

function stopThread(worker: Worker): void {
  if (thread?.worker === worker) thread = undefined;
  void worker.terminate();
}

/** Options of {@link readNexusInWorker}. */
export interface Hdf5ReadOptions {
  readonly timeoutMs?: number;
  /** The worker script; by default dist/hdf5Worker.mjs beside this bundle (or up to two folders above, for test bundles). */
  readonly workerFile?: string;
}

function defaultWorkerFile(): string {
  const candidates = [__dirname, path.join(__dirname, '..'), path.join(__dirname, '..', '..')].map((d) => path.join(d, 'hdf5Worker.mjs'));
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
}

/**
 * Reads a NeXus/HDF5 file's patterns in a separate thread, waiting at most `timeoutMs`. Every failure, including a
 * timeout, a crashed thread or a missing worker script, is a ParseError of format 'nexus' naming the file.
 */
export function readNexusInWorker(bytes: Uint8Array, fileName: string, options: Hdf5ReadOptions = {}): ScanFile {
  const timeoutMs = options.timeoutMs ?? HDF5_TIMEOUT_MS;
  const workerFile = options.workerFile ?? defaultWorkerFile();
  const fail = (expected: string, found: string): never => {
    throw new ParseError({ format: 'nexus', file: fileName, expected, found });
  };
  if (!fs.existsSync(workerFile)) fail(`the HDF5 reader ${path.basename(workerFile)} beside the program`, `no file ${workerFile}`);
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // A copy, so that the thread gets exactly the file (a Buffer's view may share a larger pool).
  const copy = bytes.slice();
  const worker = hdf5Thread(workerFile);
  const request: Hdf5Request & { port: typeof port2 } = { bytes: copy, signal, port: port2 };
  worker.postMessage(request, [port2, copy.buffer]);
  const waited = Atomics.wait(signal, 0, 0, timeoutMs);
  const message = receiveMessageOnPort(port1)?.message as Hdf5Answer | undefined;
  port1.close();
  if (message && !message.ok && thread?.worker === worker && ++thread.failures >= FAILURES_PER_THREAD) stopThread(worker);
  if (!message || (!message.ok && !('parseError' in message))) stopThread(worker);
  if (!message) {
    return fail(
      `an answer from the HDF5 reader within ${timeoutMs / 1000} s`,
      waited === 'timed-out' ? `HDF5 reader timed out after ${timeoutMs / 1000} s` : 'the HDF5 reader stopped without one',
    );
  }
  if (message.ok) return message.file;
  if ('parseError' in message) throw new ParseError({ ...message.parseError, file: fileName });
  return fail('a readable HDF5 file', `HDF5 reader error: ${message.message}`);
}

/**
 * {@link readData} for the worker and the CLI: NeXus/HDF5 goes to {@link readNexusInWorker}, every other format to
 * the core's synchronous readers.
 */
export function readDataAnyFormat(bytes: Uint8Array, fileName: string, options: ReadOptions & Hdf5ReadOptions = {}): ScanFile | EchemRecord {
  const format = options.format ?? detectFormat(bytes, fileName).format;
  return format === 'nexus' ? readNexusInWorker(bytes, fileName, options) : readData(bytes, fileName, { ...options, format });
}
