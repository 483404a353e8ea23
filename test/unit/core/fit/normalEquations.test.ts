import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalEquations } from '../../../../src/core/fit/normalEquations.ts';

test('normalEquations on rows with zero runs (peak windows) equals the dense JᵀWJ and JᵀWr', () => {
  const P = 4;
  const n = 50;
  const jac = new Float64Array(P * n);
  for (let i = 0; i < n; i++) {
    jac[i] = 1; // global, e.g. a scale
    if (i >= 10 && i < 20) jac[n + i] = Math.sin(i); // a peak window
    if (i >= 15 && i < 40) jac[2 * n + i] = i / 7; // an overlapping window
    // row 3 stays zero: a parameter without influence
  }
  const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const r = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const a = new Float64Array(P * P);
  const g = new Float64Array(P);
  normalEquations(jac, P, n, w, r, a, g, new Int32Array(P), new Int32Array(P));
  for (let p = 0; p < P; p++) {
    let gp = 0;
    for (let i = 0; i < n; i++) gp += w[i] * jac[p * n + i] * r[i];
    assert.ok(Math.abs(g[p] - gp) < 1e-12);
    for (let q = 0; q < P; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * jac[p * n + i] * jac[q * n + i];
      assert.ok(Math.abs(a[p * P + q] - s) < 1e-12, `(${p},${q})`);
    }
  }
});
