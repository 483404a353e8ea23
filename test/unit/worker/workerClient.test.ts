// The worker as the extension host runs it: dist/worker.js forked as a process (scripts/test.mjs builds dist/ first).
// What is checked: requests and typed arrays cross the IPC channel, a cell that aborts its process or spins forever
// costs only that process (this one, standing for the extension host, lives on), and the next request starts afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WorkerClient, WorkerTerminatedError } from '../../../src/worker/workerClient.ts';

const script = path.resolve('dist/worker.js');
const cwd = path.resolve('test/fixtures');

test('a forked worker process answers engine calls with typed arrays on the wire', async () => {
  const client = new WorkerClient(script, () => undefined, { isolation: 'process' });
  try {
    const bytes = new Uint8Array(fs.readFileSync(path.join(cwd, 'xy/LaB6_d500_si_psd.xye')));
    const { result } = await client.request({ type: 'call', method: 'describeFile', args: [bytes, 'LaB6_d500_si_psd.xye'] });
    assert.ok(client.pid && client.pid !== process.pid, 'a process of its own');
    const scans = (result as { scans: { x: ArrayLike<number> }[] }).scans;
    assert.equal(scans[0].x.length, 17381, 'the point count of the file');
  } finally {
    await client.terminate('test done');
  }
});

test('a cell that aborts its process rejects with WorkerTerminatedError, and the next cell runs in a new process', async () => {
  const lines: string[] = [];
  const client = new WorkerClient(script, (l) => lines.push(l), { isolation: 'process' });
  try {
    const first = await client.request({ type: 'runCell', code: 'globalThis.kept = 1; 40 + 2', cellName: 'Cell 1', cwd });
    assert.match(JSON.stringify(first.value), /42/);
    const pid = client.pid;
    // In a worker thread this would abort the whole process: in the extension host, VS Code's extension host.
    await assert.rejects(
      client.request({ type: 'runCell', code: "require('node:process').abort()", cellName: 'Cell 2', cwd }),
      (e: unknown) => e instanceof WorkerTerminatedError && e.crashed && /SIGABRT/.test(e.message),
    );
    const after = await client.request({ type: 'runCell', code: 'typeof kept', cellName: 'Cell 3', cwd });
    assert.match(JSON.stringify(after.value), /undefined/, 'the context is new');
    assert.notEqual(client.pid, pid);
  } finally {
    await client.terminate('test done');
  }
});

test('terminating a process stuck in an endless cell ends it at once', async () => {
  const client = new WorkerClient(script, () => undefined, { isolation: 'process' });
  const spinning = client.request({ type: 'runCell', code: 'while (true) {}', cellName: 'Cell 1', cwd });
  const outcome = spinning.then(
    () => 'resolved',
    (e: unknown) => (e instanceof WorkerTerminatedError && !e.crashed ? 'terminated' : String(e)),
  );
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  await client.terminate('Interrupted');
  const ms = performance.now() - t0;
  console.log(`interrupt of a spinning worker process: ${ms.toFixed(1)} ms`);
  assert.equal(await outcome, 'terminated');
  // Goal 1 s (the kernel's interrupt); a test asserts only 10× the goal.
  assert.ok(ms < 10000, `${ms} ms`);
});
