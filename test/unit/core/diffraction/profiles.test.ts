import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fcjWeights,
  gaussian,
  lnGamma,
  lorentzian,
  pearsonVII,
  pseudoVoigt,
  splitPseudoVoigt,
  tchWidths,
} from '../../../../src/core/diffraction/profiles.ts';

/** ∫ f over [−L, L] by the trapezoid rule on a fine grid. */
function integrate(f: (x: number) => number, halfRange: number, steps = 400000): number {
  const h = (2 * halfRange) / steps;
  let s = 0.5 * (f(-halfRange) + f(halfRange));
  for (let i = 1; i < steps; i++) s += f(-halfRange + i * h);
  return s * h;
}

test('tchWidths reduces to the pure Gaussian and pure Lorentzian limits (η = 0 and η = 1 to 1e-5)', () => {
  const g = tchWidths(0.1, 0);
  assert.ok(Math.abs(g.fwhm - 0.1) < 1e-15);
  assert.equal(g.eta, 0);
  const l = tchWidths(0, 0.1);
  assert.ok(Math.abs(l.fwhm - 0.1) < 1e-15);
  assert.ok(Math.abs(l.eta - 1) < 1e-5);
});

test('tchWidths derivatives match central differences (1e-7 relative)', () => {
  const [hg, hl] = [0.031, 0.017];
  const w = tchWidths(hg, hl);
  const e = 1e-7;
  const dg = (tchWidths(hg + e, hl).fwhm - tchWidths(hg - e, hl).fwhm) / (2 * e);
  const dl = (tchWidths(hg, hl + e).fwhm - tchWidths(hg, hl - e).fwhm) / (2 * e);
  const deg = (tchWidths(hg + e, hl).eta - tchWidths(hg - e, hl).eta) / (2 * e);
  const del = (tchWidths(hg, hl + e).eta - tchWidths(hg, hl - e).eta) / (2 * e);
  assert.ok(Math.abs(w.dFwhmDGauss / dg - 1) < 1e-7);
  assert.ok(Math.abs(w.dFwhmDLorentz / dl - 1) < 1e-7);
  assert.ok(Math.abs(w.dEtaDGauss / deg - 1) < 1e-6);
  assert.ok(Math.abs(w.dEtaDLorentz / del - 1) < 1e-6);
});

test('Gaussian, Lorentzian and pseudo-Voigt have FWHM H: half the peak value at ±H/2 (1e-12)', () => {
  for (const f of [(x: number) => gaussian(x, 0.05), (x: number) => lorentzian(x, 0.05), (x: number) => pseudoVoigt(x, 0.05, 0.4)]) {
    assert.ok(Math.abs(f(0.025) / f(0) - 0.5) < 1e-12);
  }
  assert.ok(Math.abs(pearsonVII(0.025, 0.05, 2.3) / pearsonVII(0, 0.05, 2.3) - 0.5) < 1e-12);
});

test('profiles have unit area (Gaussian 1e-9; Lorentzian tails beyond ±2000 H accounted analytically, 1e-6)', () => {
  const H = 0.05;
  assert.ok(Math.abs(integrate((x) => gaussian(x, H), 10 * H) - 1) < 1e-9);
  // The Lorentzian mass beyond ±L is 1 − (2/π) atan(2L/H).
  const L = 2000 * H;
  const lorentzMass = (2 / Math.PI) * Math.atan((2 * L) / H);
  assert.ok(Math.abs(integrate((x) => lorentzian(x, H), L, 4000000) / lorentzMass - 1) < 1e-6);
  const pv = integrate((x) => pseudoVoigt(x, H, 0.3), L, 4000000);
  assert.ok(Math.abs(pv - (0.3 * lorentzMass + 0.7)) < 1e-6);
  const split = integrate((x) => splitPseudoVoigt(x, 0.03, 0.07, 0.3), L, 4000000);
  assert.ok(Math.abs(split - (0.3 * lorentzMass + 0.7)) < 1e-5);
  // Pearson VII with m = 3 decays as x⁻⁶: ±200 H holds all but ~1e-12.
  assert.ok(Math.abs(integrate((x) => pearsonVII(x, H, 3), 200 * H, 2000000) - 1) < 1e-7);
});

test('lnGamma matches factorials and Γ(1/2) = √π (1e-12)', () => {
  assert.ok(Math.abs(lnGamma(5) - Math.log(24)) < 1e-12);
  assert.ok(Math.abs(lnGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-12);
  assert.ok(Math.abs(lnGamma(10.5) - Math.log(1133278.3889487855)) < 1e-10);
});

test('FCJ weights sum to 1, shift the centroid to low angle below 90° and to high angle above', () => {
  const off = new Float64Array(24);
  const w = new Float64Array(24);
  for (const [tt, sign] of [
    [10, -1],
    [40, -1],
    [140, 1],
  ]) {
    const n = fcjWeights(tt, 0.02, 0.015, 8, off, w);
    assert.equal(n, 16);
    let s = 0;
    let m = 0;
    for (let j = 0; j < n; j++) {
      s += w[j];
      m += w[j] * off[j];
    }
    assert.ok(Math.abs(s - 1) < 1e-12);
    assert.equal(Math.sign(m), sign);
  }
  // Lower angles are more asymmetric (the FCJ shift grows like cot 2θ).
  const centroid = (tt: number): number => {
    const n = fcjWeights(tt, 0.02, 0.015, 8, off, w);
    let m = 0;
    for (let j = 0; j < n; j++) m += w[j] * off[j];
    return m;
  };
  assert.ok(centroid(10) < centroid(40));
  assert.equal(fcjWeights(30, 0, 0, 8, off, w), 0);
});

test('FCJ weights are continuous in 2θ when H = S (no sliver segment at the inflection)', () => {
  const off = new Float64Array(24);
  const w = new Float64Array(24);
  const centroid = (tt: number): number => {
    const n = fcjWeights(tt, 0.01, 0.01, 6, off, w);
    let m = 0;
    for (let j = 0; j < n; j++) m += w[j] * off[j];
    return m;
  };
  assert.ok(Math.abs(centroid(18.7) - centroid(18.7 + 1e-7)) < 1e-9);
});
