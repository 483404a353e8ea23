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

function model(intensitiesRefined: boolean) {
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
    refine: { ...REFINE_DEFAULTS, U: true, V: true, Y: true, asymmetry: true, displacement: true, transparency: true, capillaryOffsets: true, detectorDistance: true },
    backgroundTerms: 4,
    // Windows wider than the pattern: no window edge moves under the finite differences.
    windowFwhm: 5000,
    fcjNodes: 6,
    intensitiesRefined,
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
