/**
 * Entry of the fitting worker (dist/fitWorker.js) that a sequential refinement starts, one per thread: the readers and
 * the whole-pattern fits only, without the notebook session, the API and its charts, so that a thread is ready in
 * about half the time of the full worker (dist/worker.js) and a run of a few seconds does not spend a tenth of them
 * starting. Same message protocol as the full worker's `call`.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../protocol/kernel.ts';
import { callSequentialMethod, speculatePending } from './sequentialMethods.ts';
import { nodeFileAccess } from './nodeFiles.ts';

if (!parentPort) throw new Error('dist/fitWorker.js must run as a worker thread');
const port = parentPort;
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'call') {
    post({ type: 'failed', id: msg.id, error: { name: 'Error', message: `the fitting worker only takes engine calls, not ${msg.type}`, stack: '' } });
    return;
  }
  try {
    post({ type: 'done', id: msg.id, result: callSequentialMethod(msg.method, msg.args, nodeFileAccess) });
    // At once, not after the event loop's turn: the reply wakes the driver, which often answers before this thread
    // gets back to its loop, and a request served first would leave the speculation unused.
    if (msg.method === 'seqFit') speculatePending();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'failed', id: msg.id, error: { name: err.name, message: err.message, stack: String(err.stack ?? err.message) } });
  }
});
post({ type: 'ready' });
