import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyDecompose, choleskyInverse, choleskySolve } from '../../../../src/core/linalg/cholesky.ts';

// A = BᵀB + I for a fixed B: symmetric positive definite by construction.
function spd(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += Math.sin(1 + k * n + i) * Math.sin(1 + k * n + j);
      a[i * n + j] = s;
    }
  }
  return a;
}

test('choleskySolve returns x with A·x = b to 1e-12 for a 6×6 positive-definite matrix', () => {
  const n = 6;
  const a = spd(n);
  const l = new Float64Array(n * n);
  assert.equal(choleskyDecompose(a, n, l), true);
  const b = Float64Array.from({ length: n }, (_, i) => i - 2.5);
  const x = new Float64Array(n);
  choleskySolve(l, n, b, x);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    assert.ok(Math.abs(s - b[i]) < 1e-12, `row ${i}: ${s} vs ${b[i]}`);
  }
});

test('choleskyDecompose refuses an indefinite matrix', () => {
  const a = Float64Array.from([1, 2, 2, 1]);
  assert.equal(choleskyDecompose(a, 2, new Float64Array(4)), false);
});

test('choleskyDecompose refuses a singular matrix and NaN', () => {
  assert.equal(choleskyDecompose(Float64Array.from([1, 1, 1, 1]), 2, new Float64Array(4)), false);
  assert.equal(choleskyDecompose(Float64Array.from([Number.NaN, 0, 0, 1]), 2, new Float64Array(4)), false);
});

test('choleskyInverse times A is the identity to 1e-12', () => {
  const n = 5;
  const a = spd(n);
  const l = new Float64Array(n * n);
  assert.ok(choleskyDecompose(a, n, l));
  const inv = new Float64Array(n * n);
  choleskyInverse(l, n, inv);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12);
    }
  }
});
