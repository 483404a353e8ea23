// The worker's speculative next fit (sequentialJob.ts): a request answered from it carries exactly the numbers of the
// same fit made on request, and any request other than the hinted one (a restart, another pattern, an estimate, a
// request that came before the speculation ran) never receives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SequentialJob } from '../../../src/worker/sequentialJob.ts';
import { readScan } from '../../../src/worker/scanFiles.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { parseInstprm } from '../../../src/core/diffraction/instprm.ts';
import type { FitSummary } from '../../../src/worker/refine.ts';

const dir = path.resolve('test/fixtures/simulated/series');
const files = [0, 1, 2, 3, 4].map((k) => path.join(dir, `series_${String(k * 10).padStart(3, '0')}.xy`));
const instrument = parseInstprm(fs.readFileSync(path.resolve('test/fixtures/simulated/series.instprm'), 'utf8')).instrument;
const model = { phases: ['layered'], strain: 'uniaxial001' as const, instrument };
const newJob = () => new SequentialJob(model, (f) => readScan(nodeFileAccess, f, {}));

/** A chain over `files`: estimate for the first, then each seeded from the one before. */
function chain(job: SequentialJob, speculate: boolean): FitSummary[] {
  const out: FitSummary[] = [];
  const start = job.estimate(files[0]);
  for (let i = 0; i < files.length; i++) {
    const next = i + 1 < files.length ? { file: files[i + 1], index: i + 1 } : undefined;
    const seed = i === 0 ? { kind: 'estimate' as const, phases: start } : { kind: 'previous' as const, fromIndex: i - 1, phases: [] };
    out.push(job.fit(files[i], i, seed, speculate ? next : undefined));
    if (speculate) job.speculate();
  }
  return out;
}

test('requests answered from speculative fits give exactly the numbers of fits made on request', () => {
  const plain = chain(newJob(), false);
  const job = newJob();
  const speculated = chain(job, true);
  assert.deepEqual(job.speculationCounts, { used: files.length - 1, discarded: 0 });
  assert.deepEqual(speculated, plain);
  // The chain moves: a from the pristine pattern to k = 40 changes by more than rounding, so equality is not vacuous.
  assert.ok(Math.abs(plain[4].phases[0].a - plain[0].phases[0].a) > 1e-4);
});

test('a restart, another pattern or an early request never receives the speculative fit', () => {
  const reference = newJob();
  const job = newJob();
  const both = [reference, job];
  const start = reference.estimate(files[0]);
  job.estimate(files[0]);
  for (const j of both) j.fit(files[0], 0, { kind: 'estimate', phases: start }, { file: files[1], index: 1 });
  job.speculate();
  // The driver restarts pattern 0 from its estimate (its fit diverged): the speculation seeded from the old result goes.
  for (const j of both) j.estimate(files[0]);
  const restart = both.map((j) => j.fit(files[0], 0, { kind: 'estimate', phases: start }, { file: files[1], index: 1 }));
  assert.deepEqual(restart[1], restart[0]);
  assert.equal(job.speculationCounts.discarded, 1);
  job.speculate();
  // A request for another pattern than the hinted one (the hinted one was in the cache) discards it too.
  const other = both.map((j) => j.fit(files[2], 2, { kind: 'previous', fromIndex: 0, phases: [] }, { file: files[3], index: 3 }));
  assert.deepEqual(other[1], other[0]);
  assert.deepEqual(job.speculationCounts, { used: 0, discarded: 2 });
  // The hinted request arrives before the speculation ran: it is fitted on request and the speculation never runs.
  assert.equal(job.hasSpeculation, true);
  const early = both.map((j) => j.fit(files[3], 3, { kind: 'previous', fromIndex: 2, phases: [] }));
  assert.equal(job.hasSpeculation, false);
  job.speculate();
  assert.deepEqual(early[1], early[0]);
  assert.deepEqual(job.speculationCounts, { used: 0, discarded: 2 });
});
