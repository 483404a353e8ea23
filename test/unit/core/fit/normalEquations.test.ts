import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNormalWorkspace, normalEquations } from '../../../../src/core/fit/normalEquations.ts';

/** A and g against the plain sums Σ w J_p J_q and Σ w J_p r, to 1e-10 relative. */
function assertDenseSums(jac: Float64Array, w: Float64Array, r: Float64Array, a: Float64Array, g: Float64Array, label: string): void {
  const n = w.length;
  const P = g.length;
  for (let p = 0; p < P; p++) {
    let gp = 0;
    for (let i = 0; i < n; i++) gp += w[i] * jac[p * n + i] * r[i];
    assert.ok(Math.abs(g[p] - gp) <= 1e-10 * Math.max(1, Math.abs(gp)), `${label} g[${p}]: ${g[p]} vs ${gp}`);
    for (let q = 0; q < P; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i] * jac[p * n + i] * jac[q * n + i];
      assert.ok(Math.abs(a[p * P + q] - s) <= 1e-10 * Math.max(1, Math.abs(s)), `${label} (${p},${q}): ${a[p * P + q]} vs ${s}`);
    }
  }
}

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
  normalEquations(jac, r, a, g, createNormalWorkspace(P, n, w));
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

test('normalEquations reuses the products of constant rows and still matches the dense sums when other rows change', () => {
  const P = 3;
  const n = 40;
  const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 4));
  const r = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 3));
  const ws = createNormalWorkspace(P, n, w, Uint8Array.of(1, 1, 0));
  const a = new Float64Array(P * P);
  const g = new Float64Array(P);
  const jac = new Float64Array(P * n);
  for (let call = 0; call < 3; call++) {
    for (let i = 0; i < n; i++) {
      jac[i] = 1;
      jac[n + i] = i / n;
      jac[2 * n + i] = Math.exp(-((i - 10 - 5 * call) ** 2) / 8) * (call + 1);
    }
    normalEquations(jac, r, a, g, ws);
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i] * jac[p * n + i] * jac[q * n + i];
        assert.ok(Math.abs(a[p * P + q] - s) < 1e-10 * Math.max(1, Math.abs(s)), `call ${call} (${p},${q}): ${a[p * P + q]} vs ${s}`);
      }
    }
  }
});

test('normalEquations with dense rows, cached constant rows, moving windows and an empty row equals the dense sums', () => {
  // Rows 0–5 and the constant rows 9–11 span everything, rows 6–8 are windows that move between calls, row 12 is empty.
  const P = 13;
  const n = 700;
  const w = Float64Array.from({ length: n }, (_, i) => 0.3 + ((i * 7) % 5));
  const r = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 11) + 0.1);
  const constant = new Uint8Array(P);
  constant[9] = constant[10] = constant[11] = 1;
  const ws = createNormalWorkspace(P, n, w, constant);
  const a = new Float64Array(P * P);
  const g = new Float64Array(P);
  const jac = new Float64Array(P * n);
  for (let call = 0; call < 3; call++) {
    jac.fill(0);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 6; p++) jac[p * n + i] = Math.cos((p + 1) * i * 0.01 + call) * (p + 1);
      for (let p = 9; p < 12; p++) jac[p * n + i] = ((i / n) * 2 - 1) ** (p - 9);
    }
    const windows: [number, number][] = [
      [200 + 10 * call, 300],
      [250, 520 - call],
      [690, 700],
    ];
    windows.forEach(([lo, hi], k) => {
      for (let i = lo; i < hi; i++) jac[(6 + k) * n + i] = Math.exp(-(((i - (lo + hi) / 2) / 20) ** 2)) + 0.01;
    });
    normalEquations(jac, r, a, g, ws);
    assertDenseSums(jac, w, r, a, g, `call ${call}`);
  }
});

test('normalEquations on wide rows split into runs (short and long gaps, > 256 runs, span hints) equals the dense sums', () => {
  // n = 3000: rows wider than 512 points are split into runs of non-zeros. Row 0 has windows every 100 points (gaps of
  // 60, well above the 16 kept inside a run), row 1 alternates non-zero and short zero gaps (kept inside runs), row 2
  // has 400 isolated non-zeros (too many runs: one span), row 3 is dense, row 4 a narrow window, row 5 constant.
  const P = 6;
  const n = 3000;
  const w = Float64Array.from({ length: n }, (_, i) => 0.2 + ((i * 13) % 7));
  const r = Float64Array.from({ length: n }, (_, i) => Math.cos(i / 17));
  const constant = Uint8Array.of(0, 0, 0, 0, 0, 1);
  const ws = createNormalWorkspace(P, n, w, constant);
  const a = new Float64Array(P * P);
  const g = new Float64Array(P);
  const jac = new Float64Array(P * n);
  for (let call = 0; call < 4; call++) {
    jac.fill(0);
    for (let i = 0; i < n; i++) {
      if (i % 100 < 40 + call) jac[i] = Math.sin(i / 5) + 1.5;
      if (i % 9 < 4) jac[n + i] = (i % 9) + call;
      if (i % 7 === 0 && i < 2800) jac[2 * n + i] = 1 + i / n;
      jac[3 * n + i] = Math.cos(i / 300 + call);
      if (i >= 1200 + call && i < 1450) jac[4 * n + i] = Math.exp(-(((i - 1325) / 40) ** 2));
      jac[5 * n + i] = (i / n) ** 2;
    }
    // Calls 2 and 3 pass span hints as a model would: a superset on call 2, exact spans on call 3.
    if (call >= 2) {
      for (let p = 0; p < P; p++) {
        let lo = 0;
        while (lo < n && jac[p * n + lo] === 0) lo++;
        let hi = n;
        while (hi > lo && jac[p * n + hi - 1] === 0) hi--;
        ws.spans.first[p] = call === 2 ? Math.max(0, lo - 37) : lo;
        ws.spans.last[p] = call === 2 ? Math.min(n, hi + 11) : hi;
      }
      ws.spans.known = true;
    }
    normalEquations(jac, r, a, g, ws);
    assert.equal(ws.spans.known, false, 'hints are used once');
    assertDenseSums(jac, w, r, a, g, `call ${call}`);
  }
});
