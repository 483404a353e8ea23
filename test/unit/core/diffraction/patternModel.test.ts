import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INSTRUMENT_DEFAULTS,
  REFINE_DEFAULTS,
  createPatternModel,
  evaluateModel,
} from '../../../../src/core/diffraction/patternModel.ts';
import { phasePreset } from '../../../../src/core/diffraction/phases.ts';
import { jacobianErrors } from './jacobianCheck.ts';

function model(intensitiesRefined: boolean, pearson = false) {
  const x = new Float64Array(2001).map((_, i) => 15 + i * 0.02);
  const m = createPatternModel({
    x,
    lines: [
      { wavelengthAngstrom: 1.540593, ratio: 1 },
      { wavelengthAngstrom: 1.544427, ratio: 0.5 },
    ],
    phases: [phasePreset('layered'), phasePreset('al')],
    strain: [
      { model: 'uniaxial001', iso: 3e-4, e001: 2e-4, stephens: [0, 0, 0, 0], zeta: 0.4 },
      { model: 'iso', iso: 5e-4, e001: 0, stephens: [0, 0, 0, 0], zeta: 0.6 },
    ],
    instrument: { ...INSTRUMENT_DEFAULTS, U: 0.004, V: -0.002, W: 0.003, X: 0.02, Y: 0.01, sOverL: 0.012, hOverL: 0.008, goniometerRadiusMm: 240 },
    refine: { ...REFINE_DEFAULTS, U: true, V: true, Y: true, asymmetry: true, displacement: true, transparency: true, capillaryOffsets: true, detectorDistance: true, pearsonMAngular: true },
    backgroundTerms: 4,
    // Windows wider than the pattern: no window edge moves under the finite differences.
    windowFwhm: 5000,
    fcjNodes: 6,
    intensitiesRefined,
    ...(pearson ? { profile: { shape: 'pearsonVII' as const, m: [1.6, 0.4, -0.05] as const } } : {}),
  });
  for (const p of m.phases) p.intensity.forEach((_, r) => (p.intensity[r] = 50 + 10 * r));
  m.full[m.params.findIndex((p) => p.name === 'transparencyMm')] = 0.05;
  return m;
}

test('the analytic Jacobian matches central differences for every parameter (relative L2 error ≤ 2 %)', () => {
  const m = model(true);
  const errors = jacobianErrors(m);
  // Every refined parameter of this model moves the pattern (none is checked vacuously).
  assert.equal(errors.size, m.free.length);
  // Position and width derivatives are accumulated within ±12 FWHM only (Lorentzian tails beyond carry ≈ 1 %).
  for (const [name, error] of errors) assert.ok(error < 0.02, `${name}: ${error}`);
});

test('Pearson VII model: the analytic Jacobian matches central differences for every parameter, the exponent\'s terms included', () => {
  const m = model(true, true);
  const errors = jacobianErrors(m);
  assert.equal(errors.size, m.free.length);
  for (const name of ['pearsonM0', 'pearsonM1', 'pearsonM2']) assert.ok(errors.has(name), name);
  for (const [name, error] of errors) assert.ok(error < 0.02, `${name}: ${error}`);
});

test('Pearson VII model: each peak has unit area and the FWHM of the TCH combination (quadrature over ±2000 FWHM)', () => {
  const x = new Float64Array(400001).map((_, i) => 10 + i * 0.0002);
  for (const m0 of [1, 1.7, 6]) {
    const m = createPatternModel({
      x,
      lines: [{ wavelengthAngstrom: 1.540593, ratio: 1 }],
      phases: [{ name: 'Cu', spaceGroup: 'Fm-3m', cell: { a: 3.615, b: 3.615, c: 3.615, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 } }],
      strain: [{ model: 'none', iso: 0, e001: 0, stephens: [0, 0, 0, 0], zeta: 0 }],
      instrument: { ...INSTRUMENT_DEFAULTS, U: 0, V: 0, W: 0.0004, X: 0, Y: 0 },
      refine: REFINE_DEFAULTS,
      backgroundTerms: 1,
      windowFwhm: 2000,
      fcjNodes: 6,
      profile: { shape: 'pearsonVII', m: [m0, 0, 0] },
    });
    m.phases[0].intensity[0] = 1;
    const f = new Float64Array(x.length);
    evaluateModel(m, undefined, f);
    let area = 0;
    let peak = 0;
    for (let i = 0; i < x.length; i++) {
      area += f[i] * 0.0002;
      peak = Math.max(peak, f[i]);
    }
    // Width at half maximum, from the grid.
    let lo = 0;
    while (f[lo] < peak / 2) lo++;
    let hi = x.length - 1;
    while (f[hi] < peak / 2) hi--;
    // Beyond ±2000 FWHM (0.02°) a Lorentzian (m = 1) still holds 1 − (2/π) atan(8000) ≈ 8e-5 of its area.
    assert.ok(Math.abs(area - 1) < 2e-4, `m ${m0}: area ${area}`);
    assert.ok(Math.abs(x[hi] - x[lo] - 0.02) < 5e-4, `m ${m0}: FWHM ${x[hi] - x[lo]}`);
  }
});

test('the model is the background plus the intensity-weighted unit-area peaks: doubling intensities doubles the net pattern', () => {
  const m = model(false);
  const n = m.x.length;
  const f1 = new Float64Array(n);
  const f2 = new Float64Array(n);
  evaluateModel(m, undefined, f1);
  for (const p of m.phases) for (let r = 0; r < p.intensity.length; r++) p.intensity[r] *= 2;
  evaluateModel(m, undefined, f2);
  for (const p of m.phases) for (let r = 0; r < p.intensity.length; r++) p.intensity[r] /= 2;
  const bg = new Float64Array(n);
  for (const p of m.phases) p.intensity.fill(0);
  evaluateModel(m, undefined, bg);
  for (let i = 0; i < n; i += 97) assert.ok(Math.abs(f2[i] - bg[i] - 2 * (f1[i] - bg[i])) < 1e-9 * (1 + Math.abs(f1[i])));
});
