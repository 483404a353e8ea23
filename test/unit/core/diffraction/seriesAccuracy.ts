// The operando-series accuracy protocol, shared by the unit test (a subset) and scripts/check-series-accuracy.mjs
// (all 200 patterns). Sequential refinement as a user would run it: the first pattern from the preset cell, each next
// one seeded with the previous result; the instrument profile (U, V, W, X) is the beamline's calibration, held fixed;
// cell, zero, background, ε_iso, ε_001 and ζ are refined per pattern.
import { fitLeBail, fitPawley, type LeBailOptions, type LeBailResult } from '../../../../src/core/diffraction/leBail.ts';
import { phasePreset } from '../../../../src/core/diffraction/phases.ts';
import { readSimulatedXy, readTruth, type TruthRow } from './fixtures.ts';

/** One pattern's outcome against the truth. */
export interface SeriesRow {
  readonly index: number;
  readonly truth: TruthRow;
  readonly a: number;
  readonly aSigma: number;
  readonly c: number;
  readonly cSigma: number;
  readonly e001: number;
  readonly e001Sigma: number;
  readonly zeta: number;
  readonly fwhm003: number;
  readonly gof: number;
  readonly ms: number;
}

/** The calibrated instrument of the simulated beamline (27 keV, Caglioti U V W in deg², Lorentzian X in deg). */
export const SERIES_INSTRUMENT = { U: 0.002, V: -0.0001, W: 0.0004, X: 0.0105241 } as const;

/**
 * Fit the listed patterns in order, each seeded with the previous result.
 * 18 Chebyshev terms: the air-scatter background falls by a factor 2.5 over the first 6° (see the file header).
 */
export function runSeries(
  indices: readonly number[],
  method: 'lebail' | 'pawley',
  extra: Partial<LeBailOptions> = {},
): SeriesRow[] {
  const truth = readTruth();
  const fit = method === 'pawley' ? fitPawley : fitLeBail;
  const rows: SeriesRow[] = [];
  let seed: LeBailResult | undefined;
  for (const i of indices) {
    const scan = readSimulatedXy(truth[i].file);
    const t0 = performance.now();
    const res = fit(scan, [phasePreset('layered')], {
      strain: 'uniaxial001',
      backgroundTerms: 18,
      instrument: SERIES_INSTRUMENT,
      refine: { W: false, X: false, zero: true, zeta: true },
      seed,
      ...extra,
    });
    const ms = performance.now() - t0;
    seed = res;
    const p = res.phases[0];
    rows.push({
      index: i,
      truth: truth[i],
      a: p.a,
      aSigma: p.aSigma,
      c: p.c,
      cSigma: p.cSigma,
      e001: p.strain.e001,
      e001Sigma: p.strain.e001Sigma,
      zeta: p.strain.zeta,
      fwhm003: p.fwhm003Deg ?? Number.NaN,
      gof: res.gof,
      ms,
    });
  }
  return rows;
}

/** Summary numbers of a run. */
export function summarise(rows: readonly SeriesRow[]): Record<string, number> {
  const max = (f: (r: SeriesRow) => number): number => Math.max(...rows.map(f));
  const frac = (f: (r: SeriesRow) => boolean): number => rows.filter(f).length / rows.length;
  const strained = rows.filter((r) => r.truth.epsC >= 4e-4);
  return {
    patterns: rows.length,
    maxAbsDa: max((r) => Math.abs(r.a - r.truth.a)),
    maxAbsDc: max((r) => Math.abs(r.c - r.truth.c)),
    coverA2sigma: frac((r) => Math.abs(r.a - r.truth.a) <= 2 * r.aSigma),
    coverC2sigma: frac((r) => Math.abs(r.c - r.truth.c) <= 2 * r.cSigma),
    e001Within10pctOr2e5: frac((r) => Math.abs(r.e001 - r.truth.epsC) <= Math.max(0.1 * r.truth.epsC, 2e-5)),
    e001Within10pctOr2e5Strained: strained.length
      ? strained.filter((r) => Math.abs(r.e001 - r.truth.epsC) <= Math.max(0.1 * r.truth.epsC, 2e-5)).length / strained.length
      : Number.NaN,
    e001Within3sigma: frac((r) => Math.abs(r.e001 - r.truth.epsC) <= 3 * r.e001Sigma),
    meanZa: rows.reduce((s, r) => s + (r.a - r.truth.a) / r.aSigma, 0) / rows.length,
    meanZc: rows.reduce((s, r) => s + (r.c - r.truth.c) / r.cSigma, 0) / rows.length,
    rmsZa: Math.sqrt(rows.reduce((s, r) => s + ((r.a - r.truth.a) / r.aSigma) ** 2, 0) / rows.length),
    rmsZc: Math.sqrt(rows.reduce((s, r) => s + ((r.c - r.truth.c) / r.cSigma) ** 2, 0) / rows.length),
    maxRelErrFwhm003: max((r) => Math.abs(r.fwhm003 / r.truth.fwhm003 - 1)),
    maxGof: max((r) => r.gof),
    meanMs: rows.reduce((s, r) => s + r.ms, 0) / rows.length,
    medianWarmMs: [...rows.slice(1)].sort((p, q) => p.ms - q.ms)[Math.max(rows.length - 1, 1) >> 1]?.ms ?? Number.NaN,
    coldMs: rows[0]?.ms ?? Number.NaN,
    maxMs: max((r) => r.ms),
  };
}
