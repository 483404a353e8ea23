// Sequential runs on pooled fitting threads (dist/fitWorker.js; scripts/test.mjs builds dist/ first), as a notebook's
// kernel runs them: a second run borrows the first run's threads and gives the same numbers as fresh threads, a
// cancelled run ends its threads, and idle threads end by themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runSequentialRefinement } from '../../../src/worker/sequentialRun.ts';
import { WorkerPool } from '../../../src/worker/workerPool.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { parseInstprm } from '../../../src/core/diffraction/instprm.ts';

const script = path.resolve('dist/fitWorker.js');
const dir = path.resolve('test/fixtures/simulated/series');
const files = [0, 1, 2, 3, 4, 5].map((k) => path.join(dir, `series_${String(k).padStart(3, '0')}.xy`));
const instrument = parseInstprm(fs.readFileSync(path.resolve('test/fixtures/simulated/series.instprm'), 'utf8')).instrument;
const model = { phases: ['layered'], strain: 'uniaxial001' as const, instrument };
const cells = (run: Awaited<ReturnType<typeof runSequentialRefinement>>) => run.entries.map((e) => [e?.result?.phases[0].a, e?.result?.phases[0].c]);

test('a second run on the pool borrows the same warm threads and gives exactly the results of fresh threads', async () => {
  const pool = new WorkerPool(script);
  try {
    const fresh = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, workerScript: script });
    const first = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, pool });
    assert.equal(pool.waiting, 2, 'both threads wait after the run');
    const waiting = pool.acquire(2);
    pool.release(waiting);
    const second = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, pool });
    const again = pool.acquire(2);
    assert.deepEqual(again, waiting, 'the same thread clients come back');
    pool.release(again);
    assert.deepEqual(cells(first), cells(fresh));
    assert.deepEqual(cells(second), cells(fresh));
    assert.equal(second.done, files.length);
  } finally {
    await pool.dispose();
  }
  assert.equal(pool.waiting, 0);
});

test('a run cancelled while its threads start ends them; after a cancel mid-run the pool still serves a correct run; idle threads end after idleMs', async () => {
  const pool = new WorkerPool(script, 300);
  // Cancelled from the start: the watch (every 20 ms) ends the threads while they still start (~70 ms).
  const early = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, pool, isCancelled: () => true });
  assert.equal(early.cancelled, true);
  assert.equal(early.done, 0);
  assert.equal(pool.waiting, 0, 'threads ended while starting are not kept');
  // Cancelled after the first pattern: the threads either end mid-fit (gone) or stop between fits (idle, kept); a
  // kept thread must serve the next run as a fresh one would.
  let done = 0;
  const mid = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, pool, onProgress: (d) => (done = d), isCancelled: () => done >= 1 });
  assert.equal(mid.cancelled, true);
  const after = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, pool });
  assert.equal(pool.waiting, 2);
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(pool.waiting, 0, 'idle threads ended');
  const fresh = await runSequentialRefinement({ files, model, workers: 2, fileAccess: nodeFileAccess, workerScript: script });
  assert.deepEqual(cells(after), cells(fresh));
});

test('a worker count that is not a whole number ≥ 1 is refused before any thread starts', async () => {
  for (const workers of [0, -1, 1.5, Number.NaN]) {
    await assert.rejects(runSequentialRefinement({ files, model, workers, fileAccess: nodeFileAccess, workerScript: script }), /workers must be a whole number ≥ 1/);
  }
});
