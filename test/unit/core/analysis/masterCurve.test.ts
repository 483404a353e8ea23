import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASTER_CURVE_DEFAULTS, fitMasterCurve } from '../../../../src/core/analysis/masterCurve.ts';
import { seededRandom } from '../../../../src/core/analysis/seededRandom.ts';

function curve(c: number, eps0: number, A: number, cStar: number, lambda: number): number {
  return c >= cStar ? eps0 : eps0 + A * Math.expm1((cStar - c) / lambda);
}

test('the onset of an exact flat-then-exponential curve is recovered with every parameter', () => {
  const c = Float64Array.from({ length: 120 }, (_, i) => 0.25 + (0.7 * i) / 119);
  const eps = Float64Array.from(c, (v) => curve(v, 3e-4, 1e-4, 0.55, 0.07));
  const fit = fitMasterCurve([{ cLi: c, strain: eps }]);
  assert.equal(fit.cStarStatus, 'interior');
  assert.ok(Math.abs(fit.cStar - 0.55) < 1e-6, `${fit.cStar}`);
  assert.ok(Math.abs(fit.lambda - 0.07) < 1e-6);
  assert.ok(Math.abs(fit.eps0[0] - 3e-4) < 1e-10);
  assert.ok(Math.abs(fit.A[0] - 1e-4) < 1e-8);
});

test('with noise the onset lies within 3σ(c*) of the truth and σ comes from a Δχ² = 1 profile with data σ', () => {
  const random = seededRandom(2024);
  const c = Float64Array.from({ length: 150 }, (_, i) => 0.2 + (0.8 * i) / 149);
  const noise = 1e-5;
  const eps = Float64Array.from(c, (v) => curve(v, 2e-4, 1.5e-4, 0.47, 0.05) + noise * (random() + random() + random() - 1.5) * 2);
  const sigma = new Float64Array(c.length).fill(noise);
  const fit = fitMasterCurve([{ cLi: c, strain: eps, sigma }]);
  assert.equal(fit.deltaChi2, 1);
  assert.ok(fit.cStarSigma > 0 && fit.cStarSigma < 0.05, `σ = ${fit.cStarSigma}`);
  assert.ok(Math.abs(fit.cStar - 0.47) < 3 * fit.cStarSigma, `${fit.cStar} ± ${fit.cStarSigma}`);
  // The profile is lowest near the reported c*.
  let best = 0;
  for (let k = 1; k < fit.profile.chi2.length; k++) if (fit.profile.chi2[k] < fit.profile.chi2[best]) best = k;
  assert.ok(Math.abs(fit.profile.cStar[best] - fit.cStar) <= 0.8 / 80 + 1e-12);
});

test('two series share λ and c* but keep their own ε₀ and A', () => {
  const c1 = Float64Array.from({ length: 90 }, (_, i) => 0.3 + (0.6 * i) / 89);
  const c2 = Float64Array.from({ length: 70 }, (_, i) => 0.28 + (0.5 * i) / 69);
  const fit = fitMasterCurve([
    { cLi: c1, strain: Float64Array.from(c1, (v) => curve(v, 2e-4, 1e-4, 0.5, 0.06)) },
    { cLi: c2, strain: Float64Array.from(c2, (v) => curve(v, 5e-4, 3e-4, 0.5, 0.06)) },
  ]);
  assert.ok(Math.abs(fit.cStar - 0.5) < 1e-5);
  assert.ok(Math.abs(fit.lambda - 0.06) < 1e-5);
  assert.ok(Math.abs(fit.eps0[1] - 5e-4) < 1e-9 && Math.abs(fit.A[1] - 3e-4) < 1e-7);
});

test('strain that never grows gives status none', () => {
  const c = Float64Array.from({ length: 50 }, (_, i) => 0.2 + (0.8 * i) / 49);
  const fit = fitMasterCurve([{ cLi: c, strain: Float64Array.from(c, (v) => 2e-4 + 1e-6 * Math.sin(40 * v)) }]);
  assert.equal(fit.cStarStatus, 'none');
});

test('MASTER_CURVE_DEFAULTS holds the documented 81 trial onsets', () => {
  assert.deepEqual({ ...MASTER_CURVE_DEFAULTS }, { gridPoints: 81 });
});
