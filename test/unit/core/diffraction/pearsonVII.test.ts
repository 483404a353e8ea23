// Whole-pattern fits with the Pearson VII profile, on a pattern made here by a simulator that shares no code with the
// engine: CeO2-like Fm-3m (a = 5.4116 Å), Cu Kα1 only, peaks at Bragg's law with FWHM² = U tan²θ + V tanθ + W and
// Pearson VII exponent m = 1.4 + 0.8·100/2θ (5.4 at 20°, 2.1 at 120°), each summed over ±60 FWHM, a sloping
// background and Gaussian-approximated Poisson noise from a fixed seed. Truth: the numbers above.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scan } from '../../../../src/core/data/scan.ts';
import type { Phase } from '../../../../src/core/diffraction/phases.ts';
import { fitLeBail, fitPawley } from '../../../../src/core/diffraction/leBail.ts';

const A = 5.4116;
const LAMBDA = 1.540593;
const [U, V, W] = [0.01, -0.004, 0.004];
const [M0, M1] = [1.4, 0.8];

function lnGamma(z: number): number {
  // Stirling series with recurrence to z ≥ 10 (independent of the engine's Lanczos form).
  let shift = 0;
  while (z < 10) {
    shift -= Math.log(z);
    z += 1;
  }
  return shift + (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * z) - 1 / (360 * z ** 3) + 1 / (1260 * z ** 5);
}

function simulate(): Scan {
  const x = Float64Array.from({ length: 10001 }, (_, i) => 20 + i * 0.01);
  const y = Float64Array.from(x, (tt) => 200 + 0.5 * (tt - 20));
  for (let h = 0; h <= 8; h++) {
    for (let k = 0; k <= h; k++) {
      for (let l = 0; l <= k; l++) {
        if (h + k + l === 0) continue;
        const allEven = h % 2 === 0 && k % 2 === 0 && l % 2 === 0;
        const allOdd = h % 2 === 1 && k % 2 === 1 && l % 2 === 1;
        if (!allEven && !allOdd) continue;
        const d = A / Math.sqrt(h * h + k * k + l * l);
        const s = LAMBDA / (2 * d);
        if (s >= 1) continue;
        const th = Math.asin(s);
        const tt = (2 * th * 180) / Math.PI;
        if (tt < 21 || tt > 119) continue;
        const fwhm = Math.sqrt(U * Math.tan(th) ** 2 + V * Math.tan(th) + W);
        const m = M0 + (M1 * 100) / tt;
        // Unit area: (1 + 4(2^{1/m} − 1)(Δ/H)²)^{−m} integrates to H √π Γ(m − ½) / (2 √(2^{1/m} − 1) Γ(m)).
        const c = Math.pow(2, 1 / m) - 1;
        const area = 3000 * (1 + ((h * 7 + k * 3 + l) % 5)) * Math.exp(-0.4 * (1 / (2 * d)) ** 2);
        const height = (area * 2 * Math.sqrt(c) * Math.exp(lnGamma(m) - lnGamma(m - 0.5))) / (fwhm * Math.sqrt(Math.PI));
        for (let i = 0; i < x.length; i++) {
          const u = (x[i] - tt) / fwhm;
          if (Math.abs(u) > 60) continue;
          y[i] += height * Math.pow(1 + 4 * c * u * u, -m);
        }
      }
    }
  }
  let seed = 12345;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  for (let i = 0; i < y.length; i++) {
    const gauss = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    y[i] = Math.max(0, y[i] + Math.sqrt(y[i]) * gauss);
  }
  return {
    x,
    y,
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'counts',
    wavelengths: [{ angstrom: LAMBDA, ratio: 1, source: 'user' }],
    geometry: 'braggBrentano',
    metadata: {},
  };
}

const phase: Phase = { name: 'CeO2', spaceGroup: 'Fm-3m', cell: { a: 5.41, b: 5.41, c: 5.41, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 } };
const common = {
  strain: 'none' as const,
  backgroundTerms: 4,
  instrument: { U: 0.005, V: 0, W: 0.003, X: 0, Y: 0 },
  directStart: true,
};
// The exponent starts at 2; every term of it is refined.
const pearson = {
  ...common,
  profile: { shape: 'pearsonVII' as const, m: [2, 0, 0] as const },
  refine: { U: true, V: true, W: true, X: false, pearsonM: true, pearsonMAngular: true },
};
const scan = simulate();

test('Pawley with the Pearson VII profile recovers a within 3σ (σ < 2e-5 Å) and the exponent m₀, m₁ within 3σ, at GoF ≈ 1', () => {
  const res = fitPawley(scan, [phase], pearson);
  const p = res.phases[0];
  assert.equal(res.profile.shape, 'pearsonVII');
  if (res.profile.shape !== 'pearsonVII') return;
  const { m, mSigma } = res.profile;
  const msg = `a ${p.a} ± ${p.aSigma}, m ${m.map((v, j) => `${v.toFixed(3)} ± ${mSigma[j].toFixed(3)}`).join(', ')}, GoF ${res.gof}, ${res.stopReason}`;
  console.log(msg);
  assert.ok(Math.abs(p.a - A) <= 3 * p.aSigma && p.aSigma < 2e-5, msg);
  assert.ok(Math.abs(m[0] - M0) <= 3 * mSigma[0] && Math.abs(m[1] - M1) <= 3 * mSigma[1] && Math.abs(m[2]) <= 3 * mSigma[2], msg);
  assert.ok(res.gof < 1.05, msg);
  // The per-reflection shape parameter is m at the reflection's (Bragg) angle; the reported position adds the zero.
  const r = p.reflections[0];
  const mAt = m[0] + (m[1] * 100) / r.twoThetaDeg + m[2] * (100 / r.twoThetaDeg) ** 2;
  assert.ok(Math.abs(r.eta - mAt) < 1e-3 * mAt, `m at ${r.twoThetaDeg}°: ${r.eta} vs ${mAt}`);
});

test('the TCH pseudo-Voigt cannot take the same pattern: its GoF is clearly worse than Pearson VII\'s', () => {
  const pv7 = fitPawley(scan, [phase], pearson);
  const tch = fitPawley(scan, [phase], { ...common, instrument: { ...common.instrument, X: 0.02 }, refine: { U: true, V: true, W: true, X: true, Y: true } });
  console.log(`GoF Pearson VII ${pv7.gof.toFixed(3)}, TCH ${tch.gof.toFixed(3)}`);
  assert.ok(tch.gof > 1.2 * pv7.gof, `TCH ${tch.gof} vs Pearson VII ${pv7.gof}`);
});

test('Le Bail with the Pearson VII profile (intensities partitioned by the Pearson VII shape) recovers a and m₀ as Pawley does', () => {
  const res = fitLeBail(scan, [phase], pearson);
  const p = res.phases[0];
  assert.equal(res.profile.shape, 'pearsonVII');
  if (res.profile.shape !== 'pearsonVII') return;
  const msg = `a ${p.a} ± ${p.aSigma}, m₀ ${res.profile.m[0]} ± ${res.profile.mSigma[0]}, GoF ${res.gof}`;
  assert.ok(Math.abs(p.a - A) <= 3 * p.aSigma && p.aSigma < 2e-5, msg);
  assert.ok(Math.abs(res.profile.m[0] - M0) <= 3 * res.profile.mSigma[0], msg);
  assert.ok(res.gof < 1.1, msg);
});
