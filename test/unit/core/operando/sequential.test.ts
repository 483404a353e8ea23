import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SEQUENTIAL_DEFAULTS,
  chunkRanges,
  divergenceReasons,
  failureLines,
  runSequential,
  sequentialCacheKey,
  type FitLike,
  type Seed,
  type SequentialCache,
  type SequentialEntry,
} from '../../../../src/core/operando/sequential.ts';

interface Pattern {
  readonly a: number;
  readonly branch: string;
}
interface Estimate {
  readonly a: number;
}
interface Fit extends FitLike {
  readonly a: number;
  readonly seededWith: string;
}

// A fake refinement: converges (Rwp 5) when its starting a is within 0.05 Å of the truth, else stays off (Rwp 50,
// not converged). The quick estimate is within 0.01 Å.
function fakeFit(log: string[]) {
  return async (p: Pattern, seed: Seed<Estimate, Fit>, i: number): Promise<Fit> => {
    const start = seed.kind === 'estimate' ? seed.estimate.a : seed.previous.a;
    log.push(seed.kind === 'estimate' ? `${i}:estimate:${seed.reason}` : `${i}:previous:${seed.fromIndex}`);
    const ok = Math.abs(start - p.a) < 0.05;
    return {
      phases: [{ name: 'NMC', a: ok ? p.a : start, c: 14.2 }],
      Rwp: ok ? 5 : 50,
      stopReason: ok ? 'converged-chi2' : 'max-iterations',
      a: ok ? p.a : start,
      seededWith: seed.kind,
    };
  };
}
const quick = async (p: Pattern): Promise<Estimate> => ({ a: p.a + 0.01 });
const series = (n: number, branch = (i: number) => 'c1'): Pattern[] =>
  Array.from({ length: n }, (_, i) => ({ a: 2.87 - 0.001 * i, branch: branch(i) }));

test('each pattern is seeded from the previous result; only the first from the quick estimate', async () => {
  const log: string[] = [];
  const r = await runSequential(series(4), { fit: fakeFit(log), quickEstimate: quick });
  assert.deepEqual(log, ['0:estimate:chunk-start', '1:previous:0', '2:previous:1', '3:previous:2']);
  assert.equal(r.done, 4);
  assert.equal(r.cancelled, false);
  assert.ok(r.entries.every((e) => e?.flags.length === 0));
  assert.equal(r.entries[2]?.seededFrom, 1);
});

test('seeding never crosses a branch: the first pattern of a new branch starts from the estimate', async () => {
  const log: string[] = [];
  await runSequential(series(4, (i) => (i < 2 ? 'charge' : 'discharge')), {
    fit: fakeFit(log),
    quickEstimate: quick,
    branchOf: (p) => p.branch,
  });
  assert.deepEqual(log, ['0:estimate:chunk-start', '1:previous:0', '2:estimate:branch-start', '3:previous:2']);
});

test('with 3 chunks each chunk starts from a quick estimate and chains inside itself', async () => {
  const log: string[] = [];
  const r = await runSequential(series(7), { fit: fakeFit(log), quickEstimate: quick, chunks: 3 });
  assert.deepEqual(chunkRanges(7, 3), [
    [0, 2],
    [2, 4],
    [4, 7],
  ]);
  assert.deepEqual(
    [...log].sort(),
    ['0:estimate:chunk-start', '1:previous:0', '2:estimate:chunk-start', '3:previous:2', '4:estimate:chunk-start', '5:previous:4', '6:previous:5'].sort(),
  );
  assert.deepEqual(
    r.entries.map((e) => e?.result?.a),
    series(7).map((p) => p.a),
  );
});

test('a jump in the truth makes the seeded fit diverge: it restarts from the estimate and is flagged', async () => {
  const log: string[] = [];
  const pats = series(4);
  const jumped = [...pats.slice(0, 2), { a: 2.7, branch: 'c1' }, { a: 2.699, branch: 'c1' }];
  const r = await runSequential(jumped, { fit: fakeFit(log), quickEstimate: quick });
  assert.deepEqual(log, ['0:estimate:chunk-start', '1:previous:0', '2:previous:1', '2:estimate:restart', '3:previous:2']);
  assert.deepEqual(r.entries[2]?.flags, ['rwp-jump', 'not-converged', 'restarted']);
  assert.equal(r.entries[2]?.result?.a, 2.7);
  assert.equal(r.entries[2]?.seed, 'estimate');
  assert.deepEqual(r.entries[3]?.flags, []);
});

test('divergenceReasons sees an Rwp jump beyond the factor, a parameter at a bound and non-convergence', () => {
  assert.deepEqual(divergenceReasons({ phases: [], Rwp: 10, stopReason: 'converged-step' }, 5, 1.5), ['rwp-jump']);
  assert.deepEqual(divergenceReasons({ phases: [], Rwp: 7, stopReason: 'converged-step' }, 5, 1.5), []);
  assert.deepEqual(divergenceReasons({ phases: [], Rwp: 5, atBounds: ['NMC.a'] }, 5, 1.5), ['at-bound']);
  assert.deepEqual(divergenceReasons({ phases: [], Rwp: Number.NaN, converged: false }, 5, 1.5), ['rwp-jump', 'not-converged']);
});

test('cancel stops new fits and keeps the finished results', async () => {
  const log: string[] = [];
  let finished = 0;
  const r = await runSequential(series(10), {
    fit: fakeFit(log),
    quickEstimate: quick,
    onProgress: (p) => {
      finished = p.done;
    },
    isCancelled: () => finished >= 3,
  });
  assert.equal(r.cancelled, true);
  assert.equal(r.done, 3);
  assert.equal(r.entries.filter((e) => e !== undefined).length, 3);
  assert.equal(r.entries[2]?.result?.a, series(10)[2].a);
  assert.equal(r.entries[3], undefined);
});

test('a fit cut short by the cancel (its worker ended, the call failed) is dropped, not recorded as an error', async () => {
  let cancelled = false;
  const fit = fakeFit([]);
  const r = await runSequential<Pattern, Estimate, Fit>(series(10), {
    fit: async (p, seed, i) => {
      if (i === 4) {
        // The cancel arrives during this fit; ending the worker makes the call fail.
        cancelled = true;
        throw new Error('worker terminated');
      }
      return fit(p, seed, i);
    },
    quickEstimate: quick,
    isCancelled: () => cancelled,
  });
  assert.equal(r.cancelled, true);
  assert.equal(r.done, 4);
  assert.equal(r.entries[4], undefined);
  assert.ok(r.entries.slice(0, 4).every((e) => e?.result && !e.flags.includes('error')));
});

test('progress reports done/total and an ETA from the injected clock', async () => {
  let clock = 0;
  const seen: { done: number; total: number; etaS: number }[] = [];
  await runSequential<Pattern, Estimate, Fit>(series(4), {
    fit: async (p, s, i) => {
      clock += 500;
      return fakeFit([])(p, s, i);
    },
    quickEstimate: quick,
    now: () => clock,
    onProgress: (p) => seen.push(p),
  });
  assert.deepEqual(
    seen.map((p) => [p.done, p.total, p.etaS]),
    [
      [1, 4, 1.5],
      [2, 4, 1],
      [3, 4, 0.5],
      [4, 4, 0],
    ],
  );
});

test('a fit that throws is recorded with its message and the next pattern restarts from the estimate', async () => {
  const log: string[] = [];
  const inner = fakeFit(log);
  const r = await runSequential<Pattern, Estimate, Fit>(series(3), {
    fit: async (p, s, i) => {
      if (i === 1) throw new Error('singular matrix');
      return inner(p, s, i);
    },
    quickEstimate: quick,
  });
  assert.equal(r.entries[1]?.error, 'singular matrix');
  assert.deepEqual(r.entries[1]?.flags, ['error']);
  assert.deepEqual(log, ['0:estimate:chunk-start', '2:estimate:branch-start']);
});

test('the cache key changes when the seed chain, model, instrument or content changes', () => {
  const base = { contentHash: 'abc', model: 'NMC R-3m', instrument: 'I11', seedLink: 'previous:k1' };
  const k = sequentialCacheKey(base);
  assert.match(k, /^[0-9a-f]{16}$/);
  assert.equal(sequentialCacheKey({ ...base }), k);
  assert.notEqual(sequentialCacheKey({ ...base, seedLink: 'previous:k2' }), k);
  assert.notEqual(sequentialCacheKey({ ...base, model: 'NMC R-3m + Al' }), k);
  assert.notEqual(sequentialCacheKey({ ...base, instrument: 'I11b' }), k);
  assert.notEqual(sequentialCacheKey({ ...base, contentHash: 'abd' }), k);
  // Length prefixes: moving a character between parts changes the key.
  assert.notEqual(sequentialCacheKey({ ...base, contentHash: 'abcN', model: 'MC R-3m' }), k);
});

test('a re-run with the same inputs is served from the cache; another chunking reuses nothing', async () => {
  const store = new Map<string, SequentialEntry<Fit>>();
  const cache: SequentialCache<Fit> = { get: (k) => store.get(k), set: (k, e) => void store.set(k, e) };
  const identity = { contentHash: (_p: Pattern, i: number) => `hash${i}`, model: 'm', instrument: 'i' };
  const log1: string[] = [];
  const first = await runSequential(series(6), { fit: fakeFit(log1), quickEstimate: quick, cache, identity, chunks: 2 });
  assert.equal(log1.length, 6);
  assert.equal(store.size, 6);
  const log2: string[] = [];
  const again = await runSequential(series(6), { fit: fakeFit(log2), quickEstimate: quick, cache, identity, chunks: 2 });
  assert.equal(log2.length, 0);
  assert.ok(again.entries.every((e) => e?.fromCache));
  assert.deepEqual(
    again.entries.map((e) => e?.key),
    first.entries.map((e) => e?.key),
  );
  const log3: string[] = [];
  const rechunked = await runSequential(series(6), { fit: fakeFit(log3), quickEstimate: quick, cache, identity, chunks: 3 });
  assert.equal(log3.length, 6);
  assert.ok(rechunked.entries.every((e) => e?.fromCache === false));
});

test('a changed pattern changes its own key and every key after it in the chain, not those before', async () => {
  const store = new Map<string, SequentialEntry<Fit>>();
  const cache: SequentialCache<Fit> = { get: (k) => store.get(k), set: (k, e) => void store.set(k, e) };
  const run = (changed: number) =>
    runSequential(series(5), {
      fit: fakeFit([]),
      quickEstimate: quick,
      cache,
      identity: { contentHash: (_p, i) => (i === changed ? 'edited' : `hash${i}`), model: 'm', instrument: 'i' },
    });
  const a = await run(-1);
  const b = await run(2);
  assert.deepEqual(
    a.entries.map((e, i) => e?.key === b.entries[i]?.key),
    [true, true, false, false, false],
  );
  assert.deepEqual(
    b.entries.map((e) => e?.fromCache),
    [true, true, false, false, false],
  );
});

test('the default Rwp jump factor is SEQUENTIAL_DEFAULTS.rwpJumpFactor (1.5): ×1.4 passes, ×1.6 restarts', async () => {
  assert.equal(SEQUENTIAL_DEFAULTS.rwpJumpFactor, 1.5);
  const run = async (ratio: number) => {
    const r = await runSequential<Pattern, Estimate, Fit>(series(2), {
      fit: async (p, seed) => ({ phases: [], Rwp: seed.kind === 'estimate' && seed.reason === 'chunk-start' ? 10 : 10 * ratio, a: p.a, seededWith: seed.kind }),
      quickEstimate: quick,
    });
    return r.entries[1]?.flags ?? [];
  };
  assert.deepEqual(await run(1.4), []);
  assert.ok((await run(1.6)).includes('rwp-jump'));
});

test('failureLines gives each reason once, naming the one pattern or the count and first and last of several', () => {
  const entry = (index: number, error?: string) => ({ index, result: error ? undefined : { phases: [], Rwp: 1 }, error, seed: 'estimate' as const, flags: [], fromCache: false });
  const entries = [entry(0), entry(1, 'too few points'), entry(2, 'no wavelength'), entry(3, 'too few points'), undefined, entry(5, 'too few points')];
  const names = ['s0.xy', 's1.xy', 's2.xy', 's3.xy', 's4.xy', 's5.xy'];
  assert.deepEqual(failureLines(entries, names), ['3 patterns (s1.xy … s5.xy): too few points', 's2.xy: no wavelength']);
  assert.deepEqual(failureLines([entry(0)], ['s0.xy']), []);
});
