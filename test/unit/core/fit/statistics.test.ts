import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementFactors, berarLelannFactor } from '../../../../src/core/fit/statistics.ts';

test('agreementFactors matches the §5 formulas on a hand-computed case, and GoF = Rwp/Rexp', () => {
  const y = [10, 20, 30, 40];
  const f = [11, 19, 30, 42];
  const w = [0.1, 0.05, 0.2, 0.025];
  const r = agreementFactors(y, f, w, 1);
  const chi2 = 0.1 * 1 + 0.05 * 1 + 0 + 0.025 * 4; // 0.25
  const wyy = 0.1 * 100 + 0.05 * 400 + 0.2 * 900 + 0.025 * 1600; // 250
  assert.ok(Math.abs(r.chi2 - chi2) < 1e-15);
  assert.ok(Math.abs(r.rwp - Math.sqrt(chi2 / wyy)) < 1e-15);
  assert.ok(Math.abs(r.rp - 4 / 100) < 1e-15);
  assert.ok(Math.abs(r.rexp - Math.sqrt(3 / wyy)) < 1e-15);
  assert.ok(Math.abs(r.chi2red - chi2 / 3) < 1e-15);
  assert.ok(Math.abs(r.gof - r.rwp / r.rexp) < 1e-12);
  assert.equal(r.degreesOfFreedom, 3);
  assert.equal(r.rwpBackgroundSubtracted, undefined);
});

test('constraints add degrees of freedom and a background raises the background-subtracted Rwp', () => {
  const y = [10, 20, 30, 40];
  const f = [11, 19, 30, 42];
  const w = [1, 1, 1, 1];
  const r = agreementFactors(y, f, w, 2, 1, [9, 9, 9, 9]);
  assert.equal(r.degreesOfFreedom, 3);
  assert.ok(r.rwpBackgroundSubtracted !== undefined && r.rwpBackgroundSubtracted > r.rwp);
  assert.ok(Math.abs(r.rwpBackgroundSubtracted - Math.sqrt(6 / (1 + 121 + 441 + 961))) < 1e-15);
});

test('berarLelannFactor is 1 for alternating residuals and grows for residuals of one sign in runs', () => {
  const n = 200;
  const y = Array.from({ length: n }, () => 0);
  const alternating = Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1));
  const runs = Array.from({ length: n }, (_, i) => (Math.floor(i / 10) % 2 ? 1 : -1));
  const w = Array.from({ length: n }, () => 1);
  const a = berarLelannFactor(y, alternating, w);
  assert.equal(a.sigmaFactor, 1);
  assert.ok(Math.abs(a.durbinWatson - (4 * (n - 1)) / n) < 1e-12);
  const b = berarLelannFactor(y, runs, w);
  const rho = (n - 1 - 2 * 19) / n; // 19 sign changes among n − 1 neighbours
  assert.ok(Math.abs(b.rho - rho) < 1e-12);
  assert.ok(Math.abs(b.sigmaFactor - Math.sqrt((1 + rho) / (1 - rho))) < 1e-12);
});
