/**
 * Worker entry (dist/worker.js), as a thread (CLI, tests) or as a process forked by the extension host (see
 * hostPort.ts). One Session (persistent cell context) per worker; engine calls (`call`) run outside that context.
 * The host ends the whole thread or process to interrupt.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import util from 'node:util';
import type { FromWorker, ToWorker } from '../protocol/kernel.ts';
import { Session } from './session.ts';
import { makeApi } from './api.ts';
import { renderSvg } from './svg.ts';
import { callMethod } from './methods.ts';
import { speculatePending } from './sequentialMethods.ts';
import { nodeFileAccess } from './nodeFiles.ts';
import { hostPort } from './hostPort.ts';

const port = hostPort('dist/worker.js');
const post = (m: FromWorker) => port.postMessage(m);

const inspect = (v: unknown) => util.inspect(v, { depth: 4, maxArrayLength: 20, breakLength: 100 });
const session = new Session({
  vm: { createContext: (s) => vm.createContext(s), runInContext: (code, ctx, o) => vm.runInContext(code, ctx, o) },
  makeRequire: (cwd) => createRequire(path.join(cwd, '__cell__.js')),
  inspect,
  makeApi: (ctx) => makeApi(ctx, nodeFileAccess),
  renderSvg,
});

// Errors thrown by cells come from the vm context's realm, so `instanceof Error` is false for them: duck-type.
const errorOf = (e: unknown) => {
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const err = e as { name?: unknown; message: unknown; stack?: unknown };
    return { name: String(err.name ?? 'Error'), message: String(err.message), stack: String(err.stack ?? err.message) };
  }
  return { name: 'Error', message: String(e), stack: String(e) };
};

port.onMessage(async (message) => {
  const msg = message as ToWorker;
  if (msg.type === 'runCell') {
    try {
      const value = await session.run(msg.code, msg.cellName, msg.cwd, {
        emit: (output) => post({ type: 'output', id: msg.id, output }),
        progress: (done, total, message) => post({ type: 'progress', id: msg.id, done, total, message }),
      });
      post({ type: 'done', id: msg.id, value });
    } catch (e) {
      post({ type: 'failed', id: msg.id, error: errorOf(e) });
    }
  } else if (msg.type === 'call') {
    try {
      const result = await callMethod(msg.method, msg.args, nodeFileAccess, (done, total, message) =>
        post({ type: 'progress', id: msg.id, done, total, message }),
      );
      post({ type: 'done', id: msg.id, result });
      // At once (see fitWorkerMain.ts).
      if (msg.method === 'seqFit') speculatePending();
    } catch (e) {
      post({ type: 'failed', id: msg.id, error: errorOf(e) });
    }
  }
});
post({ type: 'ready' });
