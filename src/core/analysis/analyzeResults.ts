/**
 * The unified-picture analysis of one results table (issue 6's `analyze` JSON):
 *
 *   rows → d_TM (= a) and d_IL (= c/3) → monotonic branches → rests merged → sorted by c_Li
 *        → max of d_IL, plateau of d_TM, max of d(d_TM)/dc_Li (each with σ and status)
 *        → strain master curve (onset c* with profile-likelihood σ)
 */
import {
  CHARACTERISTIC_DEFAULTS,
  dILMaximum,
  dTMMaxSlope,
  dTMPlateau,
  type CharacteristicContent,
  type CharacteristicOptions,
} from './characteristicContents.ts';
import { fitMasterCurve, type MasterCurveFit, type MasterCurveSeries } from './masterCurve.ts';
import { mergeEqualAbscissae } from './mergeEqualAbscissae.ts';
import { splitMonotonicBranches } from './splitMonotonicBranches.ts';

/** Column names read from the rows; defaults in {@link RESULT_COLUMN_NAMES} (the results-table columns of issue 5). */
export interface ResultColumnNames {
  readonly cLi: string;
  readonly a: string;
  readonly c: string;
  readonly dTM: string;
  readonly dIL: string;
  readonly strain: string;
}

/** c_Li, a, c, d_TM, d_IL, strain_001; σ columns are the same names with `_sigma`. */
export const RESULT_COLUMN_NAMES: ResultColumnNames = {
  cLi: 'c_Li',
  a: 'a',
  c: 'c',
  dTM: 'd_TM',
  dIL: 'd_IL',
  strain: 'strain_001',
};

/** Options of {@link analyzeResults}. */
export interface AnalyzeOptions extends Partial<CharacteristicOptions> {
  readonly columns?: Partial<ResultColumnNames>;
  /**
   * c_Li changes up to this size count as no change: such samples are one rest (merged) and do not turn a branch
   * (default 1e-4, far below one pattern's Δc_Li even at C/100, far above the drift of integrated rest currents).
   */
  readonly mergeTolerance?: number;
}

/** The master-curve summary of the CLI JSON (ε₀ and A of the first series; all series in the arrays). */
export interface MasterCurveSummary {
  readonly eps0: number;
  readonly A: number;
  readonly lambda: number;
  readonly cStar: number;
  readonly cStarSigma: number;
  readonly eps0BySeries: number[];
  readonly ABySeries: number[];
}

/** Analysis of one monotonic branch. */
export interface BranchAnalysis {
  readonly direction: 'increasing' | 'decreasing' | 'constant';
  /** Row indices start … end − 1 of the table. */
  readonly start: number;
  readonly end: number;
  /** Points after merging rests. */
  readonly points: number;
  readonly dIL_max_cLi: CharacteristicContent;
  readonly dTM_plateau_cLi: CharacteristicContent;
  readonly dTM_maxslope_cLi: CharacteristicContent;
  readonly strain_onset_cLi: CharacteristicContent;
  readonly masterCurve?: MasterCurveSummary;
}

/** The analysis: the first analysable branch's results at top level (the CLI JSON), every branch in `branches`. */
export interface AnalysisResult {
  readonly dIL_max_cLi: CharacteristicContent;
  readonly dTM_plateau_cLi: CharacteristicContent;
  readonly dTM_maxslope_cLi: CharacteristicContent;
  readonly strain_onset_cLi: CharacteristicContent;
  /** Fitted over all analysable branches at once (λ and c* shared), absent without a strain column. */
  readonly masterCurve?: MasterCurveSummary;
  readonly branches: BranchAnalysis[];
  /**
   * Rows left out because their fit is not a minimum: flagged `unresolved` (the seeded fit and its restart both
   * diverged), `at-bound` without a successful restart, or `error` (the results table's `flags`, `;`-separated).
   */
  readonly leftOut: number[];
}

/** Whether a results row's flags say its fit cannot be trusted (see AnalysisResult.leftOut). */
export function untrustedFit(flags: unknown): boolean {
  const set = new Set(String(flags ?? '').split(';'));
  return set.has('unresolved') || set.has('error') || (set.has('at-bound') && !set.has('restarted'));
}

const NONE: CharacteristicContent = { value: Number.NaN, sigma: Number.NaN, status: 'none' };

/**
 * @param table - rows with at least c_Li and either a and c or d_TM and d_IL; strain_001 (and `_sigma` columns)
 *   when present. Values may be numbers or numeric strings (a parsed CSV).
 * @param options - column names, rolling window, resampling.
 * @throws RangeError when the c_Li column is missing.
 */
export function analyzeResults(table: readonly Readonly<Record<string, unknown>>[], options: AnalyzeOptions = {}): AnalysisResult {
  const names = { ...RESULT_COLUMN_NAMES, ...options.columns };
  const o: CharacteristicOptions = { ...CHARACTERISTIC_DEFAULTS, ...options };
  const column = (name: string): Float64Array => Float64Array.from(table, (row) => toNumber(row[name]));
  const cLi = column(names.cLi);
  if (!cLi.some(Number.isFinite)) throw new RangeError(`analyzeResults: no values in column ${names.cLi}`);
  const dTM = preferred(column(names.dTM), column(names.a), 1);
  const dIL = preferred(column(names.dIL), column(names.c), 1 / 3);
  const strain = column(names.strain);
  const strainSigma = column(`${names.strain}_sigma`);
  const hasStrain = strain.some(Number.isFinite);
  const leftOut: number[] = [];
  table.forEach((row, i) => untrustedFit(row.flags) && leftOut.push(i));
  const trusted = new Uint8Array(table.length).fill(1);
  for (const i of leftOut) trusted[i] = 0;

  const tolerance = options.mergeTolerance ?? 1e-4;
  const branches: BranchAnalysis[] = [];
  const curves: MasterCurveSeries[] = [];
  for (const b of splitMonotonicBranches(cLi, tolerance)) {
    const keep: number[] = [];
    for (let i = b.start; i < b.end; i++) if (Number.isFinite(cLi[i]) && trusted[i]) keep.push(i);
    const pick = (v: Float64Array): Float64Array => Float64Array.from(keep, (i) => v[i]);
    const columns = [pick(dTM), pick(dIL), pick(strain), pick(strainSigma)];
    const merged = mergeEqualAbscissae(pick(cLi), columns, tolerance, ['mean', 'mean', 'mean', 'sigma']);
    // Work on increasing c_Li whatever the branch direction.
    const ascending = merged.x.length > 1 && merged.x[0] > merged.x[merged.x.length - 1];
    const order = (v: Float64Array): Float64Array => (ascending ? v.slice().reverse() : v);
    const x = order(merged.x);
    const [m, d, s, sSigma] = merged.columns.map(order);
    const enough = x.length >= Math.max(8, 2 * o.window);
    const base = { direction: b.direction, start: b.start, end: b.end, points: x.length };
    if (!enough || b.direction === 'constant') {
      branches.push({ ...base, dIL_max_cLi: NONE, dTM_plateau_cLi: NONE, dTM_maxslope_cLi: NONE, strain_onset_cLi: NONE });
      continue;
    }
    const dILmax = finiteSubset(x, d, (xx, yy) => dILMaximum(xx, yy, o));
    const plateau = finiteSubset(x, m, (xx, yy) => dTMPlateau(xx, yy, o));
    const maxSlope = finiteSubset(x, m, (xx, yy) => dTMMaxSlope(xx, yy, o));
    let onset = NONE;
    let masterCurve: MasterCurveSummary | undefined;
    if (hasStrain) {
      const curve: MasterCurveSeries = { cLi: x, strain: s, sigma: sSigma.every((v) => v > 0) ? sSigma : undefined };
      const fit = tryFit([curve]);
      if (fit) {
        curves.push(curve);
        onset = { value: fit.cStar, sigma: fit.cStarSigma, status: fit.cStarStatus };
        masterCurve = summary(fit);
      }
    }
    branches.push({
      ...base,
      dIL_max_cLi: dILmax,
      dTM_plateau_cLi: plateau,
      dTM_maxslope_cLi: maxSlope,
      strain_onset_cLi: onset,
      ...(masterCurve ? { masterCurve } : {}),
    });
  }
  const first = branches.find((b) => b.dIL_max_cLi !== NONE || b.strain_onset_cLi !== NONE || b.dTM_maxslope_cLi !== NONE);
  const joint = curves.length > 1 ? tryFit(curves) : undefined;
  const masterCurve = joint ? summary(joint) : first?.masterCurve;
  return {
    dIL_max_cLi: first?.dIL_max_cLi ?? NONE,
    dTM_plateau_cLi: first?.dTM_plateau_cLi ?? NONE,
    dTM_maxslope_cLi: first?.dTM_maxslope_cLi ?? NONE,
    strain_onset_cLi: first?.strain_onset_cLi ?? NONE,
    ...(masterCurve ? { masterCurve } : {}),
    branches,
    leftOut,
  };
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

/** The explicit column where it has values, else `fallback × factor` (d_TM = a, d_IL = c/3). */
function preferred(explicit: Float64Array, fallback: Float64Array, factor: number): Float64Array {
  if (explicit.some(Number.isFinite)) return explicit;
  return fallback.map((v) => v * factor);
}

/** Run a locator on the samples where y is finite (x stays strictly increasing). */
function finiteSubset(
  x: Float64Array,
  y: Float64Array,
  locate: (x: Float64Array, y: Float64Array) => CharacteristicContent,
): CharacteristicContent {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(y[i])) keep.push(i);
  if (keep.length < 8) return NONE;
  return locate(
    Float64Array.from(keep, (i) => x[i]),
    Float64Array.from(keep, (i) => y[i]),
  );
}

function tryFit(series: MasterCurveSeries[]): MasterCurveFit | undefined {
  const clean = series.map((s) => {
    const keep: number[] = [];
    for (let i = 0; i < s.cLi.length; i++) if (Number.isFinite(s.strain[i])) keep.push(i);
    return {
      cLi: Float64Array.from(keep, (i) => s.cLi[i]),
      strain: Float64Array.from(keep, (i) => s.strain[i]),
      sigma: s.sigma ? Float64Array.from(keep, (i) => (s.sigma as ArrayLike<number>)[i]) : undefined,
    };
  });
  if (clean.some((s) => s.cLi.length < 8)) return undefined;
  return fitMasterCurve(clean);
}

function summary(fit: MasterCurveFit): MasterCurveSummary {
  return {
    eps0: fit.eps0[0],
    A: fit.A[0],
    lambda: fit.lambda,
    cStar: fit.cStar,
    cStarSigma: fit.cStarSigma,
    eps0BySeries: fit.eps0,
    ABySeries: fit.A,
  };
}
