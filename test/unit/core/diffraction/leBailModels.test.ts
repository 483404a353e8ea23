import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scan } from '../../../../src/core/data/scan.ts';
import { fitLeBail, fitPawley, strainModelFor } from '../../../../src/core/diffraction/leBail.ts';
import {
  INSTRUMENT_DEFAULTS,
  REFINE_DEFAULTS,
  createPatternModel,
  evaluateModel,
} from '../../../../src/core/diffraction/patternModel.ts';
import { phasePreset } from '../../../../src/core/diffraction/phases.ts';
import { SQRT_8LN2 } from '../../../../src/core/diffraction/strain.ts';
import { readSimulatedXy, readTruth } from './fixtures.ts';
import { SERIES_INSTRUMENT } from './seriesAccuracy.ts';

test("Stephens' −3m model on the most strained series pattern: S004 alone carries the c-spread (ε_001 within 10 %)", () => {
  const truth = readTruth()[199];
  const scan = readSimulatedXy(truth.file);
  const res = fitPawley(scan, [phasePreset('layered', { a: 2.815, c: 13.95 })], {
    strain: 'stephens',
    backgroundTerms: 18,
    instrument: SERIES_INSTRUMENT,
    refine: { W: false, X: false },
  });
  const p = res.phases[0];
  assert.ok(Math.abs(p.a - truth.a) <= 5e-5, `Δa ${p.a - truth.a}`);
  assert.ok(Math.abs(p.c - truth.c) <= 3e-4, `Δc ${p.c - truth.c}`);
  // S004 c⁴ = k² + (2ε_001/√(8 ln 2))² and S400 = 16 k²/(9 a⁴), k = 2ε_iso/√(8 ln 2) (see stephensFromUniaxial).
  const [s400, s004] = p.strain.stephens ?? [0, 0];
  const k2 = (s400 * 9 * p.a ** 4) / 16;
  const e001 = (SQRT_8LN2 / 2) * Math.sqrt(s004 * p.c ** 4 - k2);
  assert.ok(Math.abs(e001 / truth.epsC - 1) < 0.1, `ε_001 from S004 ${e001} vs ${truth.epsC}`);
});

test('two phases (layered oxide + Al current collector) are co-refined from start cells 0.1 % off (model-made data)', () => {
  const x = new Float64Array(3251).map((_, i) => 15 + i * 0.02);
  const lines = [
    { wavelengthAngstrom: 1.540593, ratio: 1 },
    { wavelengthAngstrom: 1.544427, ratio: 0.5 },
  ];
  const phases = [phasePreset('layered'), phasePreset('al')];
  const truthModel = createPatternModel({
    x,
    lines,
    phases,
    strain: [
      { model: 'iso', iso: 5e-4, e001: 0, stephens: [0, 0, 0, 0], zeta: 0.5 },
      { model: 'iso', iso: 3e-4, e001: 0, stephens: [0, 0, 0, 0], zeta: 0.5 },
    ],
    instrument: { ...INSTRUMENT_DEFAULTS, U: 0.004, V: -0.002, W: 0.003, X: 0.02 },
    refine: REFINE_DEFAULTS,
    backgroundTerms: 3,
    windowFwhm: 30,
    fcjNodes: 6,
  });
  truthModel.full[truthModel.backgroundIndex] = 200;
  truthModel.phases[0].intensity.forEach((_, r, arr) => (arr[r] = 400 / (1 + r)));
  truthModel.phases[1].intensity.forEach((_, r, arr) => (arr[r] = 300 / (1 + r)));
  const y = new Float64Array(x.length);
  evaluateModel(truthModel, undefined, y);
  const scan: Scan = {
    x,
    y,
    sigma: y.map((v) => Math.sqrt(v)),
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'counts',
    wavelengths: [
      { angstrom: 1.540593, ratio: 1, source: 'default' },
      { angstrom: 1.544427, ratio: 0.5, source: 'default' },
    ],
    geometry: 'braggBrentano',
    metadata: {},
  };
  const res = fitLeBail(scan, [phasePreset('layered', { a: 2.8727 * 1.001, c: 14.2127 * 0.999 }), phasePreset('al', { a: 4.0495 * 1.001 })], {
    strain: 'iso',
    backgroundTerms: 3,
    instrument: { U: 0.004, V: -0.002, W: 0.003, X: 0.02 },
    refine: { W: false, X: false, zero: false },
  });
  // Noise-free data made by the same model: the cells come back to 1e-6 relative.
  assert.ok(Math.abs(res.phases[0].a / 2.8727 - 1) < 1e-6, `a ${res.phases[0].a}`);
  assert.ok(Math.abs(res.phases[0].c / 14.2127 - 1) < 1e-6, `c ${res.phases[0].c}`);
  assert.ok(Math.abs(res.phases[1].a / 4.0495 - 1) < 1e-6, `Al a ${res.phases[1].a}`);
  assert.ok(res.Rwp < 1e-3, `Rwp ${res.Rwp}`);
});

test('a cancelled fit returns with stopReason "cancelled" instead of throwing', () => {
  const scan = readSimulatedXy('series/series_000.xy');
  const res = fitLeBail(scan, [phasePreset('layered')], { isCancelled: () => true });
  assert.equal(res.stopReason, 'cancelled');
});

test('a seed from the previous pattern gives the same cell as a cold start on the next one (within 0.5 σ)', () => {
  const truth = readTruth();
  const opts = { strain: 'uniaxial001' as const, backgroundTerms: 18, instrument: SERIES_INSTRUMENT, refine: { W: false, X: false } };
  const first = fitPawley(readSimulatedXy(truth[0].file), [phasePreset('layered')], opts);
  const scan = readSimulatedXy(truth[1].file);
  const warm = fitPawley(scan, [phasePreset('layered')], { ...opts, seed: first });
  const cold = fitPawley(scan, [phasePreset('layered')], opts);
  assert.ok(Math.abs(warm.phases[0].a - cold.phases[0].a) < 0.5 * cold.phases[0].aSigma);
  assert.ok(Math.abs(warm.phases[0].c - cold.phases[0].c) < 0.5 * cold.phases[0].cSigma);
  assert.ok(warm.iterations < cold.iterations);
});

test('a cold Pawley start from preset cells 1 % off recovers cells, zero shift and ε_001 of a noisy two-phase Mo Kα pattern', () => {
  // Model-made data with Gaussian-approximated counting noise from a fixed LCG: layered (2.85, 14.35) + Al, zero 0.03°.
  const x = new Float64Array(5001).map((_, i) => 5 + i * 0.005);
  const truthModel = createPatternModel({
    x,
    lines: [
      { wavelengthAngstrom: 0.709317, ratio: 1 },
      { wavelengthAngstrom: 0.713607, ratio: 0.5 },
    ],
    phases: [phasePreset('layered', { a: 2.85, c: 14.35 }), phasePreset('al')],
    strain: [
      { model: 'uniaxial001', iso: 4e-4, e001: 1.5e-3, stephens: [0, 0, 0, 0], zeta: 0.5 },
      { model: 'iso', iso: 3e-4, e001: 0, stephens: [0, 0, 0, 0], zeta: 0.5 },
    ],
    instrument: { ...INSTRUMENT_DEFAULTS, U: 0.003, V: -0.001, W: 0.002, X: 0.01, zeroDeg: 0.03 },
    refine: REFINE_DEFAULTS,
    backgroundTerms: 4,
    windowFwhm: 40,
    fcjNodes: 6,
  });
  truthModel.full[truthModel.backgroundIndex] = 400;
  truthModel.full[truthModel.backgroundIndex + 1] = -100;
  truthModel.phases[0].intensity.forEach((_, r, a) => (a[r] = 3000 / (1 + 0.3 * r)));
  truthModel.phases[1].intensity.forEach((_, r, a) => (a[r] = 1500 / (1 + r)));
  const y = new Float64Array(x.length);
  evaluateModel(truthModel, undefined, y);
  let state = 12345;
  const uniform = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < y.length; i++) {
    const g = Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
    y[i] = Math.round(y[i] + Math.sqrt(y[i]) * g);
  }
  const scan: Scan = {
    x,
    y,
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'counts',
    wavelengths: [
      { angstrom: 0.709317, ratio: 1, source: 'default' },
      { angstrom: 0.713607, ratio: 0.5, source: 'default' },
    ],
    geometry: 'debyeScherrer',
    metadata: {},
  };
  const res = fitPawley(scan, [phasePreset('layered'), phasePreset('al')], {
    strain: ['uniaxial001', 'iso'],
    backgroundTerms: 6,
    refine: { U: true, V: true, W: true, X: true },
  });
  const [nmc, al] = res.phases;
  // Within 4σ (one pattern, so no coverage statistics), zero within 0.002°, ε_001 within 10 %.
  assert.ok(Math.abs(nmc.a - 2.85) < 4 * nmc.aSigma, `a ${nmc.a} ± ${nmc.aSigma}`);
  assert.ok(Math.abs(nmc.c - 14.35) < 4 * nmc.cSigma, `c ${nmc.c} ± ${nmc.cSigma}`);
  assert.ok(Math.abs(al.a - 4.0495) < 4 * al.aSigma, `Al a ${al.a} ± ${al.aSigma}`);
  assert.ok(Math.abs(res.zeroDeg - 0.03) < 0.002, `zero ${res.zeroDeg}`);
  assert.ok(Math.abs(nmc.strain.e001 / 1.5e-3 - 1) < 0.1, `ε_001 ${nmc.strain.e001}`);
  assert.ok(res.gof < 1.1, `GoF ${res.gof}`);
});

test('a cubic phase takes the isotropic strain model where [001] or Stephens -3m terms are asked for; Stephens needs hexagonal axes', () => {
  assert.equal(strainModelFor(phasePreset('al'), 'uniaxial001'), 'iso');
  assert.equal(strainModelFor(phasePreset('li'), 'stephens'), 'iso');
  assert.equal(strainModelFor(phasePreset('cu'), 'none'), 'none');
  assert.equal(strainModelFor(phasePreset('layered'), 'uniaxial001'), 'uniaxial001');
  assert.equal(strainModelFor(phasePreset('layered'), 'stephens'), 'stephens');
  assert.equal(strainModelFor(phasePreset('monoclinic'), 'stephens'), 'uniaxial001');
});
