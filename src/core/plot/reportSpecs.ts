/**
 * The unified-picture charts of one or several results tables (Jousseaume et al., Energy Environ. Sci. 2024, 17,
 * 2753, §3.4–3.6): lattice parameters, derivatives with the characteristic contents marked, eqn (1) strain curves,
 * the strain master curve and the voltage, all against c_Li. Used by `operando-xrd analyze --svg` and the notebook API.
 */
import { type AnalysisResult, untrustedFit } from '../analysis/analyzeResults.ts';
import { splitMonotonicBranches } from '../analysis/splitMonotonicBranches.ts';
import { mergeEqualAbscissae } from '../analysis/mergeEqualAbscissae.ts';
import { rollingMean } from '../analysis/rollingMean.ts';
import { localPolynomialFit } from '../analysis/localPolynomial.ts';
import { latticeHeterogeneityStrain } from '../analysis/heterogeneityStrain.ts';
import { latticeSpec, latticeSeriesFromRows } from './latticeSpec.ts';
import { derivativeSpec, strainCurvesSpec, masterCurveSpec, type DerivativeSeries } from './analysisSpecs.ts';
import { voltageSpec } from './electrochemistrySpecs.ts';
import type { CharacteristicMarker } from './markers.ts';
import type { VegaLiteSpec } from './spec.ts';

type Row = Readonly<Record<string, unknown>>;

/** One results table and its analysis. */
export interface ReportSeries {
  readonly name: string;
  readonly rows: readonly Row[];
  readonly analysis: AnalysisResult;
}

export interface ReportOptions {
  /** Odd rolling-mean / local-fit window in samples (the analysis's window). */
  readonly window: number;
  /** Δc_Li values of the eqn (1) curves. */
  readonly deltas: readonly number[];
  /** Column of the refined ε₀₀₁ (its σ in `<column>_sigma`). */
  readonly strainColumn: string;
}

export const REPORT_DEFAULTS: ReportOptions = { window: 7, deltas: [0.02, 0.05, 0.1], strainColumn: 'strain_001' };

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN);
const column = (rows: readonly Row[], name: string) => Float64Array.from(rows, (r) => num(r[name]));

/** d_TM and d_IL columns, from the table's own columns or from a and c (d_TM = a, d_IL = c/3, science.md §2). */
function lattice(rows: readonly Row[]) {
  const dTM = column(rows, 'd_TM');
  const dIL = column(rows, 'd_IL');
  const a = column(rows, 'a');
  const c = column(rows, 'c');
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isFinite(dTM[i])) dTM[i] = a[i];
    if (!Number.isFinite(dIL[i])) dIL[i] = c[i] / 3;
    if (!Number.isFinite(a[i])) a[i] = dTM[i];
    if (!Number.isFinite(c[i])) c[i] = 3 * dIL[i];
  }
  return { cLi: column(rows, 'c_Li'), dTM, dIL, a, c };
}

/** Branches with rests merged and c_Li increasing, as the derivatives need. */
function branches(rows: readonly Row[], name: string) {
  const { cLi, dTM, dIL, a, c } = lattice(rows);
  const out: { name: string; cLi: Float64Array; dTM: Float64Array; dIL: Float64Array; a: Float64Array; c: Float64Array }[] = [];
  for (const b of splitMonotonicBranches(cLi, 1e-4)) {
    if (b.end - b.start < 5 || b.direction === 'constant') continue;
    const idx = Array.from({ length: b.end - b.start }, (_, k) => b.start + k).sort((i, j) => cLi[i] - cLi[j]);
    const pick = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]);
    const merged = mergeEqualAbscissae(pick(cLi), [pick(dTM), pick(dIL), pick(a), pick(c)], 1e-4);
    const label = `${name} ${b.direction === 'decreasing' ? 'charge' : 'discharge'}`;
    out.push({ name: label, cLi: merged.x, dTM: merged.columns[0], dIL: merged.columns[1], a: merged.columns[2], c: merged.columns[3] });
  }
  return out;
}

function derivativeSeries(name: string, cLi: Float64Array, y: Float64Array, window: number): DerivativeSeries {
  const w = Math.min(window, cLi.length % 2 ? cLi.length : cLi.length - 1);
  const smoothed = rollingMean(y, w);
  const fit = localPolynomialFit(cLi, smoothed, w, 2);
  return { name, cLi, value: smoothed, derivative: fit.derivative };
}

const marker = (label: string, c: { value: number; sigma: number; status: 'interior' | 'boundary' | 'none' }): CharacteristicMarker[] =>
  c.status === 'none' || !Number.isFinite(c.value) ? [] : [{ label, cLi: c.value, sigma: Number.isFinite(c.sigma) ? c.sigma : undefined, status: c.status }];

/** Every chart of the report, by file-name-friendly key. */
export function reportSpecs(series: readonly ReportSeries[], options: Partial<ReportOptions> = {}): Record<string, VegaLiteSpec> {
  // An option given as undefined keeps its default.
  const o: ReportOptions = {
    window: options.window ?? REPORT_DEFAULTS.window,
    deltas: options.deltas ?? REPORT_DEFAULTS.deltas,
    strainColumn: options.strainColumn ?? REPORT_DEFAULTS.strainColumn,
  };
  const charts: Record<string, VegaLiteSpec> = {};
  charts.lattice = latticeSpec({ series: series.flatMap((s) => latticeSeriesFromRows(s.rows, s.name)), title: 'Lattice parameters against c_Li' });

  // Derivatives and strain from the fits the analysis trusts (analyzeResults.ts leaves the runaway ones out too).
  const trusted = (rows: readonly Row[]) => rows.filter((r) => !untrustedFit(r.flags));
  const all = series.flatMap((s) => branches(trusted(s.rows), s.name).map((b) => ({ ...b, analysis: s.analysis })));
  const first = series[0]?.analysis;
  if (all.length) {
    charts.dTM_derivative = derivativeSpec({
      quantity: 'd_TM',
      series: all.map((b) => derivativeSeries(b.name, b.cLi, b.dTM, o.window)),
      markers: first ? [...marker('d_TM plateau', first.dTM_plateau_cLi), ...marker('max d(d_TM)/dc_Li', first.dTM_maxslope_cLi)] : [],
      title: 'd_TM and its derivative',
    });
    charts.dIL_derivative = derivativeSpec({
      quantity: 'd_IL',
      series: all.map((b) => derivativeSeries(b.name, b.cLi, b.dIL, o.window)),
      markers: first ? marker('max d_IL', first.dIL_max_cLi) : [],
      title: 'd_IL and its derivative',
    });
    const b = all[0];
    if (b.cLi.length >= o.window) {
      const eqn1 = latticeHeterogeneityStrain(b.cLi, b.a, b.c, o.deltas, o.window);
      charts.heterogeneity_strain = strainCurvesSpec({
        cLi: b.cLi,
        curves: o.deltas.map((d, k) => ({ deltaCLi: d, epsA: eqn1.a[k].strain, epsC: eqn1.c[k].strain })),
        title: `Strain from lithiation heterogeneity, eqn (1): ${b.name}`,
      });
    }
  }

  const strainSeries = series
    .map((s) => ({ name: s.name, rows: trusted(s.rows) }))
    .map(({ name, rows }) => ({ name, cLi: column(rows, 'c_Li'), strain: column(rows, o.strainColumn), strainSigma: column(rows, `${o.strainColumn}_sigma`) }))
    .filter((s) => s.strain.some(Number.isFinite));
  if (strainSeries.length) {
    const mc = first?.masterCurve;
    charts.master_curve = masterCurveSpec({
      series: strainSeries,
      fit: mc && Number.isFinite(mc.cStar) ? { eps0: mc.eps0, A: mc.A, lambda: mc.lambda, cStar: mc.cStar, cStarSigma: mc.cStarSigma } : undefined,
      title: 'Anisotropic strain ε₀₀₁ against c_Li',
    });
  }
  const voltageSeries = series
    .map((s) => ({ name: s.name, cLi: column(s.rows, 'c_Li'), voltageV: column(s.rows, 'voltage_V') }))
    .filter((s) => s.voltageV.some(Number.isFinite));
  if (voltageSeries.length) charts.voltage = voltageSpec({ series: voltageSeries, title: 'Voltage against c_Li' });
  return charts;
}
