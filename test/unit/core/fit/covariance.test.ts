import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covarianceFromJacobian, covarianceFromNormalMatrix } from '../../../../src/core/fit/covariance.ts';
import { createNormalWorkspace, normalEquations } from '../../../../src/core/fit/normalEquations.ts';
import { seededRandom } from '../../../../src/core/analysis/seededRandom.ts';

function normalMatrix(jac: Float64Array, P: number, n: number, w: Float64Array): Float64Array {
  const a = new Float64Array(P * P);
  normalEquations(jac, new Float64Array(n), a, new Float64Array(P), createNormalWorkspace(P, n, w));
  return a;
}

test('the Cholesky fast path and the pivoted-QR path give the same covariance on a well-conditioned Jacobian', () => {
  const P = 4;
  const n = 60;
  const random = seededRandom(17);
  // Random columns of very different scales: well conditioned once scaled.
  const jac = Float64Array.from({ length: P * n }, (_, k) => (random() - 0.5) * 10 ** Math.floor(k / n));
  const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 5));
  const fast = covarianceFromNormalMatrix(normalMatrix(jac, P, n, w), P, 2.5);
  const qr = covarianceFromJacobian(jac, P, n, w, 2.5);
  assert.ok(fast);
  assert.equal(fast.rank, 4);
  for (let k = 0; k < P * P; k++) {
    assert.ok(Math.abs(fast.covariance[k] - qr.covariance[k]) < 1e-10 * Math.abs(qr.covariance[k]) + 1e-15, `${k}`);
  }
});

test('the fast path declines a nearly collinear Jacobian, which the QR path still inverts', () => {
  const n = 30;
  const c0 = Float64Array.from({ length: n }, (_, i) => Math.exp(-i / 10));
  const jac = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    jac[i] = c0[i];
    jac[n + i] = c0[i] * (1 + 1e-5 * Math.sin(i));
  }
  const w = new Float64Array(n).fill(1);
  assert.equal(covarianceFromNormalMatrix(normalMatrix(jac, 2, n, w), 2, 1), undefined);
  const qr = covarianceFromJacobian(jac, 2, n, w, 1);
  assert.equal(qr.rank, 2);
  assert.ok(Number.isFinite(qr.sigma[0]) && qr.sigma[0] > 1e3);
});

test('a parameter without influence gets σ = Infinity on both paths', () => {
  const n = 10;
  const jac = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) jac[i] = 1 + i;
  const w = new Float64Array(n).fill(1);
  const fast = covarianceFromNormalMatrix(normalMatrix(jac, 2, n, w), 2, 1);
  assert.ok(fast);
  assert.equal(fast.sigma[1], Infinity);
  assert.equal(fast.rank, 1);
  assert.equal(covarianceFromJacobian(jac, 2, n, w, 1).sigma[1], Infinity);
  let s = 0;
  for (let i = 0; i < n; i++) s += (1 + i) ** 2;
  assert.ok(Math.abs(fast.sigma[0] - 1 / Math.sqrt(s)) < 1e-15);
});
