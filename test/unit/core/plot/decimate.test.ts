import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMax, minMaxDecimate } from '../../../../src/core/plot/decimate.ts';

function noisy(n: number, seed = 1): Float64Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50) + 0.1 * rnd());
}

test('minMaxDecimate keeps every index when the curve is short enough', () => {
  const y = noisy(100);
  assert.deepEqual(Array.from(minMaxDecimate([y], 100)), Array.from({ length: 100 }, (_, i) => i));
});

test('minMaxDecimate keeps the global extremes, a one-sample spike, the ends, and at most maxPoints', () => {
  const y = noisy(20000);
  y[12345] = 50;
  y[777] = -50;
  const keep = minMaxDecimate([y], 5000);
  assert.ok(keep.length <= 5000);
  const set = new Set(keep);
  assert.ok(set.has(12345) && set.has(777) && set.has(0) && set.has(19999));
  for (let i = 1; i < keep.length; i++) assert.ok(keep[i] > keep[i - 1]);
});

test("minMaxDecimate keeps each bucket's minimum and maximum of every curve", () => {
  const a = noisy(10000, 3);
  const b = noisy(10000, 7).map((v) => -v);
  const maxPoints = 1002;
  const keep = new Set(minMaxDecimate([a, b], maxPoints));
  const buckets = Math.floor((maxPoints - 2) / 4);
  for (let k = 0; k < buckets; k++) {
    const from = Math.floor((k * 10000) / buckets);
    const to = Math.floor(((k + 1) * 10000) / buckets);
    for (const y of [a, b]) {
      let lo = from;
      let hi = from;
      for (let i = from; i < to; i++) {
        if (y[i] < y[lo]) lo = i;
        if (y[i] > y[hi]) hi = i;
      }
      assert.ok(keep.has(lo) && keep.has(hi), `bucket ${k}`);
    }
  }
});

test('minMaxDecimate skips NaN and refuses a limit too small for its curves', () => {
  const y = noisy(1000);
  y[10] = Number.NaN;
  assert.ok(!minMaxDecimate([y], 100).includes(10));
  assert.throws(() => minMaxDecimate([y, y], 5), RangeError);
});

test('binMax keeps the largest value of each bin, so a narrow peak survives', () => {
  const x = Float64Array.from({ length: 1000 }, (_, i) => i);
  const y = new Float64Array(1000);
  y[501] = 9;
  const r = binMax(x, y, 100);
  assert.equal(r.x.length, 100);
  assert.equal(r.y[50], 9);
  assert.equal(r.x[50], 504.5);
});
