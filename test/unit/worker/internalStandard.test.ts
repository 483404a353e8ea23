// The Al current collector as an internal standard: its reference cell fixes the 2θ scale that a detector-distance
// error distorts. Truth: the simulated pattern's own cell (truth_series.csv, independent simulator), Al peaks placed by
// Bragg's law at the preset's 4.0495 Å, and the exact flat-detector geometry tan 2θ' = tan 2θ / (1 + ε) applied to
// the axis — not the first-order shift the model refines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readData } from '../../../src/core/io/index.ts';
import type { Scan, ScanFile } from '../../../src/core/data/scan.ts';
import { parseInstprm } from '../../../src/core/diffraction/instprm.ts';
import { fitPattern, quickEstimate, type ModelSpec } from '../../../src/worker/refine.ts';

const root = path.resolve('test/fixtures/simulated');
const LAMBDA = 0.459200735;
const DEG = Math.PI / 180;
const AL_ANGSTROM = 4.0495;
const EPSILON = 1e-3;

function truthRow(index: number): { a: number; c: number } {
  const lines = fs.readFileSync(path.join(root, 'truth_series.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const row = lines[index + 1].split(',');
  return { a: Number(row[head.indexOf('a')]), c: Number(row[head.indexOf('c')]) };
}

/** series_100 with Al peaks added (pseudo-Voigt, FWHM 0.035°) and the axis warped by a detector 0.1 % too far. */
function patternWithAl(): Scan {
  const bytes = new Uint8Array(fs.readFileSync(path.join(root, 'series/series_100.xy')));
  const scan = (readData(bytes, 'series_100.xy') as ScanFile).scans[0];
  const y = Float64Array.from(scan.y);
  for (const [h, k, l, area] of [
    [1, 1, 1, 400],
    [2, 0, 0, 200],
    [2, 2, 0, 150],
    [3, 1, 1, 160],
    [2, 2, 2, 60],
    [4, 0, 0, 40],
    [3, 3, 1, 60],
    [4, 2, 0, 60],
  ]) {
    const d = AL_ANGSTROM / Math.hypot(h, k, l);
    const center = (2 * Math.asin(LAMBDA / (2 * d))) / DEG;
    const fwhm = 0.035;
    for (let i = 0; i < y.length; i++) {
      const u = (scan.x[i] - center) / fwhm;
      const gauss = (Math.sqrt(4 * Math.LN2 / Math.PI) / fwhm) * Math.exp(-4 * Math.LN2 * u * u);
      const lorentz = 2 / (Math.PI * fwhm) / (1 + 4 * u * u);
      y[i] += area * (0.7 * gauss + 0.3 * lorentz);
    }
  }
  const x = Float64Array.from(scan.x, (t) => Math.atan(Math.tan(t * DEG) / (1 + EPSILON)) / DEG);
  // σ stay √counts of what was recorded.
  return { ...scan, x, y, sigma: undefined };
}

const instrument = parseInstprm(fs.readFileSync(path.join(root, 'series.instprm'), 'utf8')).instrument;

test('with Al as internal standard, a 0.1 % detector-distance error is refined away: the cathode cell lands on the truth', () => {
  const truth = truthRow(100);
  const scan = patternWithAl();
  const model: ModelSpec = { phases: ['layered'], strain: 'uniaxial001', instrument, internalStandard: 'al' };
  const fit = fitPattern(scan, model, {}, quickEstimate(scan, model));
  const layered = fit.phases[0];
  const al = fit.phases[1];
  assert.equal(al.a, AL_ANGSTROM, 'the standard keeps its reference cell');
  // The engine's series tolerances (5·10⁻⁵ Å on a, 3·10⁻⁴ Å on c); the first-order shift model leaves ~ε² = 10⁻⁶ rad.
  assert.ok(Math.abs(layered.a - truth.a) <= 5e-5, `a ${layered.a} vs ${truth.a}`);
  assert.ok(Math.abs(layered.c - truth.c) <= 3e-4, `c ${layered.c} vs ${truth.c}`);
  // Δ2θ ≈ −ε sin2θ cos2θ for a detector too far by ε, so ΔD/D as the model defines it (a shift of +ΔD/D sin2θ cos2θ) is −ε.
  assert.ok(Math.abs(fit.detectorDistanceRelative + EPSILON) <= 2e-5, `ΔD/D ${fit.detectorDistanceRelative}`);
  assert.ok(fit.detectorDistanceRelativeSigma > 0 && fit.detectorDistanceRelativeSigma < 1e-4);
});

test('without the standard the same pattern gives a cell off by about ε·a: the standard is what fixes it', () => {
  const truth = truthRow(100);
  const scan = patternWithAl();
  const model: ModelSpec = { phases: ['layered', 'al'], strain: 'uniaxial001', instrument };
  const fit = fitPattern(scan, model, {}, quickEstimate(scan, model));
  assert.ok(Math.abs(fit.phases[0].a - truth.a) > 1e-3, `a ${fit.phases[0].a} vs ${truth.a}`);
});
