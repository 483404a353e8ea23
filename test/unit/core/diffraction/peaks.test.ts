import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scan } from '../../../../src/core/data/scan.ts';
import { estimateLattice, findPeaks, fitPeaks, latticeFromPositions } from '../../../../src/core/diffraction/peaks.ts';
import { phasePreset } from '../../../../src/core/diffraction/phases.ts';
import { pseudoVoigt } from '../../../../src/core/diffraction/profiles.ts';
import { dSpacingAngstrom, twoThetaDegFromD } from '../../../../src/core/diffraction/cell.ts';
import { readSimulatedXy } from './fixtures.ts';

/** Noise-free synthetic scan: pseudo-Voigt peaks (position, area, FWHM, η) on a linear background, Cu Kα doublet. */
function synthetic(peaks: [number, number, number, number][], doublet: boolean): Scan {
  const x = new Float64Array(1201).map((_, i) => 40 + i * 0.005);
  const y = x.map((t) => 100 + 2 * (t - 40));
  const lines = doublet
    ? [
        { angstrom: 1.540593, ratio: 1, source: 'default' as const },
        { angstrom: 1.544427, ratio: 0.5, source: 'default' as const },
      ]
    : [{ angstrom: 1.540593, ratio: 1, source: 'default' as const }];
  for (const [pos, area, fwhm, eta] of peaks) {
    for (const line of lines) {
      const s = (Math.sin((pos * Math.PI) / 360) * line.angstrom) / 1.540593;
      const p = (Math.asin(s) * 360) / Math.PI;
      for (let i = 0; i < x.length; i++) y[i] += line.ratio * area * pseudoVoigt(x[i] - p, fwhm, eta);
    }
  }
  return {
    x,
    y,
    sigma: new Float64Array(x.length).fill(1),
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'normalised',
    wavelengths: lines,
    geometry: 'braggBrentano',
    metadata: {},
  };
}

test('fitPeaks recovers three overlapping pseudo-Voigt peaks of a Kα doublet exactly (noise-free, 1e-6 relative)', () => {
  const truth: [number, number, number, number][] = [
    [44.4, 50, 0.08, 0.4],
    [44.7, 30, 0.07, 0.5],
    [45.3, 80, 0.1, 0.3],
  ];
  const scan = synthetic(truth, true);
  const res = fitPeaks(scan, { positionsDeg: [44.38, 44.72, 45.29], backgroundTerms: 2 });
  truth.forEach(([pos, area, fwhm, eta], j) => {
    const p = res.peaks[j];
    assert.ok(Math.abs(p.twoThetaDeg - pos) < 1e-6, `position ${j}`);
    assert.ok(Math.abs(p.area / area - 1) < 1e-6, `area ${j}`);
    assert.ok(Math.abs(p.fwhmDeg / fwhm - 1) < 1e-6, `fwhm ${j}`);
    assert.ok(Math.abs(p.shapeParameter - eta) < 1e-5, `eta ${j}`);
  });
});

test('findPeaks finds the three peaks, strongest first, and no noise-free background maxima', () => {
  const scan = synthetic(
    [
      [42, 50, 0.08, 0.4],
      [44, 20, 0.08, 0.4],
      [45, 80, 0.08, 0.4],
    ],
    false,
  );
  const found = findPeaks(scan, { minSeparationDeg: 0.2 });
  assert.equal(found.length, 3);
  assert.ok(Math.abs(found[0] - 45) < 0.01 && Math.abs(found[2] - 44) < 0.01);
});

test('split pseudo-Voigt and Pearson VII fits report their shape parameters', () => {
  const scan = synthetic([[45, 80, 0.1, 0.3]], false);
  const split = fitPeaks(scan, { positionsDeg: [45], shape: 'splitPseudoVoigt', backgroundTerms: 2 });
  assert.ok(Math.abs((split.peaks[0].asymmetry ?? 0) - 1) < 1e-3, 'symmetric data give asymmetry 1');
  const p7 = fitPeaks(scan, { positionsDeg: [45], shape: 'pearsonVII', backgroundTerms: 2 });
  assert.ok(p7.peaks[0].shapeParameter > 1 && p7.peaks[0].shapeParameter < 10);
  assert.ok(Math.abs(p7.peaks[0].twoThetaDeg - 45) < 1e-4);
});

test('latticeFromPositions inverts exact hexagonal positions (1e-10 Å)', () => {
  const cell = { a: 2.8727, b: 2.8727, c: 14.2127, alphaDeg: 90, betaDeg: 90, gammaDeg: 120 };
  const lam = 1.540593;
  const pos = [
    [0, 0, 3],
    [1, 0, 4],
    [1, 1, 0],
  ].map(([h, k, l]) => ({ h, k, l, twoThetaDeg: twoThetaDegFromD(dSpacingAngstrom(cell, h, k, l), lam) }));
  const est = latticeFromPositions(pos, 'hexagonal', lam);
  assert.ok(Math.abs(est.cell.a - 2.8727) < 1e-10);
  assert.ok(Math.abs(est.cell.c - 14.2127) < 1e-10);
});

test('estimateLattice from 003, 104 and 110 of series_000 lands within 1e-4 Å (a) and 5e-4 Å (c) of the truth', () => {
  const scan = readSimulatedXy('series/series_000.xy');
  const est = estimateLattice(scan, phasePreset('layered'), { reflections: ['003', '104', '110'], windowDeg: 0.15 });
  assert.ok(Math.abs(est.cell.a - 2.873) < 1e-4, `a ${est.cell.a}`);
  assert.ok(Math.abs(est.cell.c - 14.21) < 5e-4, `c ${est.cell.c}`);
  assert.ok(est.aSigma > 0 && est.cSigma > 0);
});
