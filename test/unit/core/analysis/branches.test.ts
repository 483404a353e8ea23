import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMonotonicBranches } from '../../../../src/core/analysis/splitMonotonicBranches.ts';
import { mergeEqualAbscissae } from '../../../../src/core/analysis/mergeEqualAbscissae.ts';

test('splitMonotonicBranches splits a charge, a rest and a discharge, sharing the turning sample', () => {
  const c = [1, 0.9, 0.8, 0.8, 0.8, 0.7, 0.8, 0.9];
  assert.deepEqual(splitMonotonicBranches(c), [
    { start: 0, end: 6, direction: 'decreasing' },
    { start: 5, end: 8, direction: 'increasing' },
  ]);
});

test('splitMonotonicBranches treats changes within the tolerance as a rest and reports a constant series', () => {
  assert.deepEqual(splitMonotonicBranches([0.5, 0.5000001, 0.4999999, 0.5], 1e-6), [{ start: 0, end: 4, direction: 'constant' }]);
  assert.equal(splitMonotonicBranches([0.5, 0.5000001, 0.4999999, 0.5], 0).length, 3);
  assert.deepEqual(splitMonotonicBranches([]), []);
});

test('mergeEqualAbscissae averages the samples of a rest and combines their σ as √(Σσ²)/m', () => {
  const x = [0.9, 0.8, 0.8, 0.8, 0.7];
  const y = [1, 2, 4, 6, 5];
  const s = [0.1, 0.3, 0.3, 0.3, 0.1];
  const m = mergeEqualAbscissae(x, [y, s], 0, ['mean', 'sigma']);
  assert.ok([0.9, 0.8, 0.7].every((v, i) => Math.abs(m.x[i] - v) < 1e-15));
  assert.deepEqual(Array.from(m.counts), [1, 3, 1]);
  assert.deepEqual(Array.from(m.columns[0]), [1, 4, 5]);
  assert.ok(Math.abs(m.columns[1][1] - Math.sqrt(3 * 0.09) / 3) < 1e-15);
});
