/**
 * Entry of the HDF5 reader thread (dist/hdf5Worker.mjs, an ES module because h5wasm is one). It uses h5wasm's ESM
 * build, whose file system is in memory: the Node build maps the real file system (NODERAWFS), so writing the
 * input there would put a file at the disk's root. For each request it reads one file's bytes with h5wasm and the
 * core's NeXus walker, posts the ScanFile or the error on the request's port, then wakes the caller, which waits
 * on the request's shared flag (hdf5.ts). The caller stops the thread when it hangs or fails unexpectedly.
 */
import { takeHdf5Diagnostic } from './hdf5Diagnostics.ts';
import { parentPort, type MessagePort } from 'node:worker_threads';
import * as h5wasm from 'h5wasm';
import { readNexus } from '../core/io/nexus.ts';
import { ParseError } from '../core/io/parseError.ts';
import { h5wasmTree } from './h5wasmTree.ts';
import type { Hdf5Answer, Hdf5Request } from './hdf5.ts';

if (!parentPort) throw new Error('dist/hdf5Worker.mjs must run as a worker thread');

let requests = 0;

function read(bytes: Uint8Array): ScanFileAnswer {
  // A name of its own per request: a damaged file can leave the library holding a half-opened handle, and the next
  // file under the same name would then be refused as already open.
  const name = `/input-${++requests}.h5`;
  h5wasm.FS!.writeFile(name, bytes);
  let file: h5wasm.File | undefined;
  try {
    try {
      file = new h5wasm.File(name, 'r');
    } catch {
      file = undefined;
    }
    if (!file || file.file_id < 0n) {
      throw new ParseError({ format: 'nexus', offset: 0, expected: 'an HDF5 file the HDF5 library can open', found: takeHdf5Diagnostic() ?? 'one it cannot open' });
    }
    return { ok: true, file: readNexus(h5wasmTree(file)) };
  } finally {
    if (file && file.file_id >= 0n) file.close();
    h5wasm.FS!.unlink(name);
  }
}
type ScanFileAnswer = Extract<Hdf5Answer, { ok: true }>;

function answerOf(bytes: Uint8Array): Hdf5Answer {
  try {
    const got = read(bytes);
    takeHdf5Diagnostic();
    return got;
  } catch (e) {
    const diagnostic = takeHdf5Diagnostic();
    if (e instanceof ParseError) {
      const found = diagnostic && !e.found.includes(diagnostic) ? `${e.found} (HDF5: ${diagnostic})` : e.found;
      return { ok: false, parseError: { format: e.format, offset: e.offset, line: e.line, expected: e.expected, found } };
    }
    return { ok: false, message: `${e instanceof Error ? e.message : String(e)}${diagnostic ? ` (HDF5: ${diagnostic})` : ''}` };
  }
}

await h5wasm.ready;
parentPort.on('message', ({ bytes, signal, port }: Hdf5Request & { port: MessagePort }) => {
  port.postMessage(answerOf(bytes));
  port.close();
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
