/**
 * Le Bail whole-pattern fit (Le Bail, Duroy & Fourquet, Mater. Res. Bull. 1988, 23, 447).
 *
 * Pipeline: scan → fitted points (range, exclusions, σ) → pattern model (phases, lines, instrument) →
 * cycles of [intensity extraction by partitioning | Levenberg–Marquardt on cell, zero/shifts, profile, strain,
 * background with intensities held] until χ² stops changing → result with σ from (JᵀWJ)⁻¹·χ²_red.
 *
 * Extraction (per reflection k, over its peaks' windows): I_k ← I_k · Σ_i φ_k(i) (y_i − b_i)/(f_i − b_i) / Σ_i φ_k(i),
 * i.e. the classical partition Σ_i I_k φ_k(i) (y_i − b_i)/(f_i − b_i) divided by the window's share of the unit-area
 * profile, so that truncating the Lorentzian tails does not bias intensities.
 */
import type { Scan, WavelengthLine } from '../data/scan.ts';
import { levenbergMarquardt, type LmResult } from '../fit/levenbergMarquardt.ts';
import { agreementFactors, berarLelannFactor } from '../fit/statistics.ts';
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';
import { cellVolume } from './cell.ts';
import {
  type EmissionLine,
  INSTRUMENT_DEFAULTS,
  type InstrumentProfile,
  type PatternModel,
  type PhaseStrain,
  REFINE_DEFAULTS,
  type RefineFlags,
  addPeaks,
  computePeaks,
  createPatternModel,
  evaluateModel,
  modelJacobian,
  packFree,
  peakShape,
  phaseCell,
  unpackFree,
  updateFree,
  writeBackground,
} from './patternModel.ts';
import type { Phase } from './phases.ts';
import { cellFromFree } from './phases.ts';
import type { StrainModel } from './strain.ts';

/** A region left out of the fit, in 2θ (deg), d (Å) or q (Å⁻¹) so that it carries across wavelengths. */
export interface Exclusion {
  readonly from: number;
  readonly to: number;
  readonly unit: 'deg' | 'angstrom' | 'invAngstrom';
}

/** Options of {@link fitLeBail}; every default lives in {@link LE_BAIL_DEFAULTS}. */
export interface LeBailOptions {
  /** Emission lines; default the scan's own. */
  readonly wavelengths?: readonly WavelengthLine[];
  /** 2θ range (deg) to fit; default the whole scan. */
  readonly rangeDeg?: readonly [number, number];
  readonly exclusions?: readonly Exclusion[];
  /** Strain model for all phases, or one per phase. */
  readonly strain?: StrainModel | readonly StrainModel[];
  /** Start values of the strain parameters (ε as FWHM of Δd/d), for all phases. */
  readonly strainStart?: Partial<Omit<PhaseStrain, 'model'>>;
  /** Instrument profile and geometry (start values; held fixed unless `refine` says otherwise). */
  readonly instrument?: Partial<InstrumentProfile>;
  readonly refine?: Partial<RefineFlags>;
  readonly backgroundTerms?: number;
  /** Half-width of each peak's evaluation window, in FWHM. */
  readonly windowFwhm?: number;
  /** Gauss–Legendre nodes per FCJ segment. */
  readonly fcjNodes?: number;
  /** Maximum Le Bail cycles (extraction + least squares). */
  readonly maxCycles?: number;
  /** Maximum LM iterations per cycle. */
  readonly maxIterationsPerCycle?: number;
  /** A previous result (e.g. the neighbouring pattern of a series): start from its parameters and intensities. */
  readonly seed?: LeBailResult;
  readonly isCancelled?: () => boolean;
}

/** Defaults of {@link LeBailOptions} (the one place they are written). */
export const LE_BAIL_DEFAULTS = {
  strain: 'iso' as StrainModel,
  strainStart: { iso: 3e-4, e001: 3e-4, stephens: [0, 0, 0, 0] as readonly [number, number, number, number], zeta: 0.5 },
  backgroundTerms: 12,
  windowFwhm: 30,
  fcjNodes: 6,
  maxCycles: 12,
  maxIterationsPerCycle: 40,
} as const;

/** One reflection of a result. */
export interface ReflectionResult {
  readonly h: number;
  readonly k: number;
  readonly l: number;
  readonly multiplicity: number;
  readonly dAngstrom: number;
  /** Position of the main line's peak, shifts included (deg). */
  readonly twoThetaDeg: number;
  /** Extracted intensity (area, counts·deg, main line). */
  readonly intensity: number;
  readonly fwhmDeg: number;
  readonly eta: number;
}

/** Strain of a phase: ε values are FWHMs of Δd/d (GSAS-II μstrain = 2·10⁶ ε). */
export interface StrainResult {
  readonly model: StrainModel;
  readonly iso: number;
  readonly isoSigma: number;
  readonly e001: number;
  readonly e001Sigma: number;
  /** Lorentzian share ζ of the strain broadening. */
  readonly zeta: number;
  readonly zetaSigma: number;
  /** Stephens −3m S400, S004, S202, S301 (Å⁻⁴) when model = 'stephens'. */
  readonly stephens?: readonly number[];
  readonly stephensSigma?: readonly number[];
}

/** One phase of a result. σ are 0 for parameters held fixed. */
export interface PhaseResult {
  readonly name: string;
  readonly spaceGroup: string;
  readonly a: number;
  readonly aSigma: number;
  readonly b: number;
  readonly bSigma: number;
  readonly c: number;
  readonly cSigma: number;
  readonly alpha: number;
  readonly beta: number;
  readonly betaSigma: number;
  readonly gamma: number;
  /** Å³. */
  readonly volume: number;
  readonly volumeSigma: number;
  readonly strain: StrainResult;
  /** FWHM of 003 (deg, main line) when the phase has that reflection in range, else undefined. */
  readonly fwhm003Deg?: number;
  readonly reflections: readonly ReflectionResult[];
}

/** Result of {@link fitLeBail} (also the CLI's JSON, minus the typed arrays). */
export interface LeBailResult {
  readonly phases: readonly PhaseResult[];
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  /** Bragg–Brentano specimen displacement (mm). */
  readonly displacement: number;
  readonly displacementSigma: number;
  /** Instrument profile at the end of the fit. */
  readonly instrument: InstrumentProfile;
  /** Every named parameter of the model with its σ (0 when held fixed). */
  readonly parameters: Readonly<Record<string, { readonly value: number; readonly sigma: number }>>;
  readonly Rwp: number;
  readonly RwpBackgroundSubtracted: number;
  readonly Rp: number;
  readonly Rexp: number;
  readonly chi2red: number;
  readonly gof: number;
  /** Bérar–Lelann factor for σ (multiply σ by it for serially correlated residuals). */
  readonly sigmaFactorBerarLelann: number;
  /** Number of fitted points. */
  readonly points: number;
  /** Refined least-squares parameters (Le Bail intensities not counted). */
  readonly parametersRefined: number;
  /** LM iterations summed over cycles, and Le Bail cycles. */
  readonly iterations: number;
  readonly cycles: number;
  readonly stopReason: string;
  /** Abscissae (deg) of `calculated` and `background`: every scan point in the range, excluded ones included. */
  readonly twoThetaDeg: Float64Array;
  readonly calculated: Float64Array;
  readonly background: Float64Array;
}

const DEG = Math.PI / 180;

/** Emission lines of the fit from options or the scan; RangeError when there are none. */
export function emissionLines(scan: Pick<Scan, 'wavelengths'>, wavelengths?: readonly WavelengthLine[]): EmissionLine[] {
  const src = wavelengths && wavelengths.length ? wavelengths : scan.wavelengths;
  if (!src.length) throw new RangeError('no wavelength: the scan has none and no wavelength option was given');
  return src.map((w) => ({ wavelengthAngstrom: w.angstrom, ratio: w.ratio }));
}

/** σ of each point: the file's, else √counts (never below 1) for counts, else 1. */
export function pointSigma(scan: Scan, i: number): number {
  if (scan.sigma) return scan.sigma[i];
  if (scan.intensityKind === 'counts' || scan.intensityKind === 'unknown') return Math.sqrt(Math.max(scan.y[i], 1));
  if (scan.intensityKind === 'countsPerSecond' && scan.countTimeS) {
    return Math.sqrt(Math.max(scan.y[i] * scan.countTimeS, 1)) / scan.countTimeS;
  }
  return 1;
}

function exclusionToDeg(ex: Exclusion, lambda: number): [number, number] {
  const fromD = (d: number): number => (2 * Math.asin(Math.min(1, lambda / (2 * d)))) / DEG;
  if (ex.unit === 'deg') return [Math.min(ex.from, ex.to), Math.max(ex.from, ex.to)];
  const ds = ex.unit === 'angstrom' ? [ex.from, ex.to] : [(2 * Math.PI) / ex.from, (2 * Math.PI) / ex.to];
  const a = fromD(ds[0]);
  const b = fromD(ds[1]);
  return [Math.min(a, b), Math.max(a, b)];
}

interface FitPoints {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly w: Float64Array;
  readonly dx: Float64Array;
  readonly rangeX: Float64Array;
}

function selectPoints(scan: Scan, lines: readonly EmissionLine[], options: LeBailOptions): FitPoints {
  if (scan.axis !== 'twoTheta') throw new RangeError('fitLeBail: the scan axis must be 2θ (convert it first)');
  const [from, to] = options.rangeDeg ?? [-Infinity, Infinity];
  const lambda = lines.reduce((p, q) => (q.ratio > p.ratio ? q : p)).wavelengthAngstrom;
  const ex = (options.exclusions ?? []).map((e) => exclusionToDeg(e, lambda));
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  const range: number[] = [];
  for (let i = 0; i < scan.x.length; i++) {
    const t = scan.x[i];
    if (!(t >= from && t <= to)) continue;
    range.push(t);
    if (ex.some(([a, b]) => t >= a && t <= b)) continue;
    const s = pointSigma(scan, i);
    if (!(s > 0) || !Number.isFinite(scan.y[i])) continue;
    xs.push(t);
    ys.push(scan.y[i]);
    ws.push(1 / (s * s));
  }
  const x = Float64Array.from(xs);
  const n = x.length;
  if (n < 10) throw new RangeError('fitLeBail: fewer than 10 points to fit');
  const dx = new Float64Array(n);
  for (let i = 0; i < n; i++) dx[i] = 0.5 * (x[Math.min(i + 1, n - 1)] - x[Math.max(i - 1, 0)]) * (i === 0 || i === n - 1 ? 2 : 1);
  return { x, y: Float64Array.from(ys), w: Float64Array.from(ws), dx, rangeX: Float64Array.from(range) };
}

/** Background by iteratively clipped least squares of the Chebyshev basis (points above b + 1.5σ dropped). */
function initialBackground(model: PatternModel, pts: FitPoints): void {
  const nb = model.backgroundTerms;
  const n = pts.x.length;
  const use = new Uint8Array(n).fill(1);
  const a = new Float64Array(nb * nb);
  const lf = new Float64Array(nb * nb);
  const rhs = new Float64Array(nb);
  const c = new Float64Array(nb);
  const bg = new Float64Array(n);
  for (let it = 0; it < 8; it++) {
    a.fill(0);
    rhs.fill(0);
    for (let p = 0; p < nb; p++) {
      const bp = model.basis.subarray(p * n, (p + 1) * n);
      for (let q = 0; q <= p; q++) {
        const bq = model.basis.subarray(q * n, (q + 1) * n);
        let s = 0;
        for (let i = 0; i < n; i++) if (use[i]) s += pts.w[i] * bp[i] * bq[i];
        a[p * nb + q] = s;
        a[q * nb + p] = s;
      }
      let s = 0;
      for (let i = 0; i < n; i++) if (use[i]) s += pts.w[i] * bp[i] * pts.y[i];
      rhs[p] = s;
    }
    for (let p = 0; p < nb; p++) a[p * nb + p] *= 1 + 1e-10;
    if (!choleskyDecompose(a, nb, lf)) break;
    choleskySolve(lf, nb, rhs, c);
    for (let m = 0; m < nb; m++) model.full[model.backgroundIndex + m] = c[m];
    writeBackground(model, bg);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const keep = (pts.y[i] - bg[i]) * Math.sqrt(pts.w[i]) < 1.5 ? 1 : 0;
      if (keep !== use[i]) changed++;
      use[i] = keep;
    }
    if (changed === 0) break;
  }
}

/** Le Bail extraction: `sweeps` partitions of the observed intensity among the calculated peaks. */
export function extractIntensities(model: PatternModel, y: Float64Array, dx: Float64Array, sweeps: number): void {
  const n = model.x.length;
  const bg = new Float64Array(n);
  const calc = new Float64Array(n);
  const x0 = model.x[0];
  const xN = model.x[n - 1];
  writeBackground(model, bg);
  for (let s = 0; s < sweeps; s++) {
    computePeaks(model, false);
    calc.set(bg);
    addPeaks(model, calc);
    for (let pi = 0; pi < model.phases.length; pi++) {
      const mp = model.phases[pi];
      const nl = model.lines.length;
      let maxI = 0;
      for (let r = 0; r < mp.reflections.length; r++) {
        // A peak whose centre left the range (the cell moved) cannot be extracted from its tail: drop it, and
        // restart it from the net height when it comes back.
        let inside = false;
        for (let j = 0; j < nl; j++) {
          const p = model.peakPos[mp.firstPeak + r * nl + j];
          if (p >= x0 && p <= xN) inside = true;
        }
        if (!inside) {
          mp.intensity[r] = 0;
          continue;
        }
        if (mp.intensity[r] === 0) {
          const pk = mp.firstPeak + r * nl;
          let i = model.peakLo[pk];
          while (i < model.peakHi[pk] - 1 && model.x[i] < model.peakPos[pk]) i++;
          mp.intensity[r] = Math.max(y[i] - bg[i], 1e-3) * model.peakFwhm[pk];
        }
        let num = 0;
        let den = 0;
        for (let j = 0; j < nl; j++) {
          const pk = mp.firstPeak + r * nl + j;
          const ratio = model.lines[j].ratio;
          for (let i = model.peakLo[pk]; i < model.peakHi[pk]; i++) {
            const phi = ratio * peakShape(model, pk, model.x[i]) * dx[i];
            const net = calc[i] - bg[i];
            den += phi;
            if (net > 1e-12) num += (phi * (y[i] - bg[i])) / net;
          }
        }
        if (den > 0) mp.intensity[r] = Math.max(mp.intensity[r] * (num / den), 1e-300);
        if (mp.intensity[r] > maxI) maxI = mp.intensity[r];
      }
      // A zero intensity could never come back under multiplicative updates: keep a tiny floor.
      const floor = 1e-6 * maxI;
      for (let r = 0; r < mp.reflections.length; r++) {
        if (mp.intensity[r] > 0 && mp.intensity[r] < floor) mp.intensity[r] = floor;
      }
    }
  }
}

function initialIntensities(model: PatternModel, y: Float64Array): void {
  const n = model.x.length;
  const bg = new Float64Array(n);
  writeBackground(model, bg);
  computePeaks(model, false);
  for (const mp of model.phases) {
    for (let r = 0; r < mp.reflections.length; r++) {
      const pk = mp.firstPeak + r * model.lines.length;
      const lo = model.peakLo[pk];
      const hi = model.peakHi[pk];
      if (hi <= lo) {
        mp.intensity[r] = 0;
        continue;
      }
      // Nearest point to the peak, net height × FWHM ≈ area.
      let i = lo;
      while (i < hi - 1 && model.x[i] < model.peakPos[pk]) i++;
      mp.intensity[r] = Math.max(y[i] - bg[i], 1e-3) * model.peakFwhm[pk];
    }
  }
}

/** Make a strain spec per phase. */
function phaseStrains(phases: readonly Phase[], options: LeBailOptions): PhaseStrain[] {
  const d = LE_BAIL_DEFAULTS.strainStart;
  const s = options.strainStart ?? {};
  return phases.map((_, i) => {
    const model = Array.isArray(options.strain)
      ? ((options.strain as readonly StrainModel[])[i] ?? LE_BAIL_DEFAULTS.strain)
      : ((options.strain as StrainModel | undefined) ?? LE_BAIL_DEFAULTS.strain);
    return {
      model,
      iso: s.iso ?? d.iso,
      e001: s.e001 ?? d.e001,
      stephens: s.stephens ?? d.stephens,
      zeta: s.zeta ?? d.zeta,
    };
  });
}

/** Apply a seed's parameter values and intensities to a fresh model (matched by parameter name and hkl). */
function applySeed(model: PatternModel, seed: LeBailResult): boolean {
  let matched = 0;
  model.params.forEach((p, i) => {
    const v = seed.parameters[p.name];
    if (v && Number.isFinite(v.value)) {
      model.full[i] = Math.min(p.upper, Math.max(p.lower, v.value));
      matched++;
    }
  });
  for (let pi = 0; pi < model.phases.length; pi++) {
    const mp = model.phases[pi];
    const sp = seed.phases.find((p) => p.name === mp.phase.name);
    if (!sp) return false;
    const map = new Map(sp.reflections.map((r) => [`${r.h},${r.k},${r.l}`, r.intensity]));
    let any = 0;
    for (let r = 0; r < mp.reflections.length; r++) {
      const v = map.get(`${mp.h[r]},${mp.k[r]},${mp.l[r]}`);
      mp.intensity[r] = v ?? 0;
      if (v !== undefined) any++;
    }
    if (any === 0) return false;
    // Reflections new to this range: neighbours' mean keeps the extraction alive.
    let mean = 0;
    for (let r = 0; r < mp.reflections.length; r++) mean += mp.intensity[r];
    mean /= mp.reflections.length;
    for (let r = 0; r < mp.reflections.length; r++) if (!(mp.intensity[r] > 0)) mp.intensity[r] = 1e-3 * mean;
  }
  return matched > 0;
}

interface CycleOutcome {
  lm: LmResult | undefined;
  iterations: number;
  cycles: number;
  cancelled: boolean;
}

function runCycles(
  model: PatternModel,
  pts: FitPoints,
  maxCycles: number,
  minCycles: number,
  sweeps: number,
  maxIter: number,
  isCancelled?: () => boolean,
): CycleOutcome {
  let lm: LmResult | undefined;
  let iterations = 0;
  let prev = Infinity;
  let cycles = 0;
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    if (isCancelled?.()) return { lm, iterations, cycles, cancelled: true };
    if (sweeps > 0) extractIntensities(model, pts.y, pts.dx, sweeps);
    const start = packFree(model);
    const lower = Float64Array.from(model.free, (fi) => model.params[fi].lower);
    const upper = Float64Array.from(model.free, (fi) => model.params[fi].upper);
    lm = levenbergMarquardt(
      {
        y: pts.y,
        weights: pts.w,
        start,
        lower,
        upper,
        model: (theta, out) => evaluateModel(model, theta, out),
        jacobian: (theta, f, jac) => modelJacobian(model, theta, f, jac),
      },
      { maxIterations: maxIter, chi2Tolerance: 1e-8, stepTolerance: 1e-8, isCancelled },
    );
    unpackFree(model, lm.values);
    iterations += lm.iterations;
    cycles++;
    if (lm.stopReason === 'cancelled') return { lm, iterations, cycles, cancelled: true };
    // Converged when a cycle changes χ² by less than 0.05·χ²_red: parameters then move by well under 0.1 σ.

    const change = Math.abs(prev - lm.chi2);
    prev = lm.chi2;
    if (cycle + 1 >= minCycles && change < 0.05 * Math.max(lm.chi2red, 1e-300)) break;
  }
  return { lm, iterations, cycles, cancelled: false };
}

/**
 * Le Bail fit of one or more phases to a 2θ scan.
 *
 * @param scan - the pattern (2θ in degrees); σ from its third column, else √counts.
 * @param phases - phases with start cells (e.g. from {@link phasePreset}).
 * @param options - see {@link LeBailOptions}; defaults in {@link LE_BAIL_DEFAULTS}.
 * @returns refined cells with σ, strain, profile, zero/displacement, agreement factors and curves.
 */
export function fitLeBail(scan: Scan, phases: readonly Phase[], options: LeBailOptions = {}): LeBailResult {
  return wholePatternFit(scan, phases, options, false);
}

/**
 * Pawley fit (Pawley, J. Appl. Cryst. 1981, 14, 357): the reflection intensities are least-squares parameters
 * (bounded ≥ 0) refined jointly with cell, profile, strain and background, so σ of the cell include their
 * correlation with the intensities. Starts from Le Bail cycles (or the seed), then one joint refinement.
 * Same options and result as {@link fitLeBail}.
 */
export function fitPawley(scan: Scan, phases: readonly Phase[], options: LeBailOptions = {}): LeBailResult {
  return wholePatternFit(scan, phases, options, true);
}

function wholePatternFit(scan: Scan, phases: readonly Phase[], options: LeBailOptions, pawley: boolean): LeBailResult {
  if (!phases.length) throw new RangeError('fitLeBail: at least one phase is needed');
  const lines = emissionLines(scan, options.wavelengths);
  const pts = selectPoints(scan, lines, options);
  const instrument: InstrumentProfile = { ...INSTRUMENT_DEFAULTS, ...options.seed?.instrument, ...options.instrument };
  const refine: RefineFlags = { ...REFINE_DEFAULTS, ...options.refine };
  const model = createPatternModel({
    x: pts.x,
    lines,
    phases,
    strain: phaseStrains(phases, options),
    instrument,
    refine,
    backgroundTerms: options.backgroundTerms ?? LE_BAIL_DEFAULTS.backgroundTerms,
    windowFwhm: options.windowFwhm ?? LE_BAIL_DEFAULTS.windowFwhm,
    fcjNodes: options.fcjNodes ?? LE_BAIL_DEFAULTS.fcjNodes,
  });
  // Instrument values given explicitly win over the seed's.
  const seeded = options.seed ? applySeed(model, options.seed) : false;
  if (options.instrument) {
    for (const [k, v] of Object.entries(options.instrument)) {
      const idx = model.params.findIndex((p) => p.name === k);
      if (idx >= 0 && typeof v === 'number') model.full[idx] = v;
    }
  }
  const maxCycles = options.maxCycles ?? LE_BAIL_DEFAULTS.maxCycles;
  const maxIter = options.maxIterationsPerCycle ?? LE_BAIL_DEFAULTS.maxIterationsPerCycle;
  let iterations = 0;
  let cycles = 0;
  let outcome: CycleOutcome;
  if (seeded) {
    outcome = runCycles(model, pts, pawley ? 1 : maxCycles, pawley ? 1 : 2, 2, maxIter, options.isCancelled);
  } else {
    initialBackground(model, pts);
    initialIntensities(model, pts.y);
    // Coarse stage: peaks broadened so that start cells a few FWHM off still overlap the data; only positions and
    // background move.
    const saved = model.params.map((p) => p.refine);
    const extraIndex = model.params.findIndex((p) => p.name === 'extraGaussDeg');
    computePeaks(model, false);
    let meanFwhm = 0;
    for (let pk = 0; pk < model.peakCount; pk++) meanFwhm += model.peakFwhm[pk] || 0;
    meanFwhm /= Math.max(model.peakCount, 1);
    model.full[extraIndex] = 3 * meanFwhm;
    model.params.forEach((p) => {
      p.refine = p.refine && (p.name.includes('.') ? isCellName(p.name) : p.name === 'zeroDeg' || p.name.startsWith('background'));
    });
    for (const p of model.params) if (p.name.startsWith('background.')) p.refine = refine.background;
    updateFree(model);
    extractIntensities(model, pts.y, pts.dx, 5);
    const coarse = runCycles(model, pts, 4, 2, 3, 20, options.isCancelled);
    iterations += coarse.iterations;
    cycles += coarse.cycles;
    model.full[extraIndex] = 0;
    model.params.forEach((p, i) => (p.refine = saved[i]));
    updateFree(model);
    // Fresh intensities at the corrected positions: multiplicative partitioning cannot revive a reflection the
    // coarse stage starved while it sat in the wrong place.
    initialIntensities(model, pts.y);
    extractIntensities(model, pts.y, pts.dx, 10);
    outcome = coarse.cancelled
      ? coarse
      : runCycles(model, pts, pawley ? 3 : maxCycles, 2, 3, maxIter, options.isCancelled);
  }
  iterations += outcome.iterations;
  cycles += outcome.cycles;
  if (pawley && !outcome.cancelled) {
    for (const mp of model.phases) {
      for (let r = 0; r < mp.reflections.length; r++) model.params[mp.intensityIndex + r].refine = true;
    }
    updateFree(model);
    outcome = runCycles(model, pts, 1, 1, 0, 4 * maxIter, options.isCancelled);
    iterations += outcome.iterations;
    cycles += outcome.cycles;
  }
  return buildResult(model, pts, scan, outcome.lm, iterations, cycles, outcome.cancelled, refine, lines, phases, options);
}

function isCellName(name: string): boolean {
  const tail = name.slice(name.lastIndexOf('.') + 1);
  return ['a', 'b', 'c', 'alphaDeg', 'betaDeg', 'gammaDeg'].includes(tail);
}

function buildResult(
  model: PatternModel,
  pts: FitPoints,
  scan: Scan,
  lm: LmResult | undefined,
  iterations: number,
  cycles: number,
  cancelled: boolean,
  refine: RefineFlags,
  lines: readonly EmissionLine[],
  phases: readonly Phase[],
  options: LeBailOptions,
): LeBailResult {
  const n = pts.x.length;
  const calcFit = new Float64Array(n);
  const bgFit = new Float64Array(n);
  evaluateModel(model, undefined, calcFit);
  writeBackground(model, bgFit);
  const nFree = model.free.length;
  const stats = agreementFactors(pts.y, calcFit, pts.w, nFree, 0, bgFit);
  const bl = berarLelannFactor(pts.y, calcFit, pts.w);
  const sigmaOf = (fullIndex: number): number => {
    const t = model.work.fullToFree[fullIndex];
    return t >= 0 && lm ? lm.sigma[t] : 0;
  };
  const parameters: Record<string, { value: number; sigma: number }> = {};
  model.params.forEach((p, i) => (parameters[p.name] = { value: model.full[i], sigma: sigmaOf(i) }));
  const idx = (name: string): number => model.params.findIndex((p) => p.name === name);
  const phaseResults: PhaseResult[] = model.phases.map((mp, pi) => {
    const cell = phaseCell(model, pi);
    const sig: Record<string, number> = {};
    mp.cellNames.forEach((nm, j) => (sig[nm] = sigmaOf(mp.cellIndex[j])));
    const tied = mp.system === 'cubic' || mp.system === 'hexagonal' || mp.system === 'tetragonal';
    // σ(V) from the covariance of the free cell parameters: gradient by central differences.
    let volumeSigma = 0;
    if (lm) {
      const nc = mp.cellIndex.length;
      const grad = new Float64Array(nc);
      const vals = Float64Array.from(mp.cellIndex, (fi) => model.full[fi]);
      for (let j = 0; j < nc; j++) {
        const h = 1e-6 * Math.max(Math.abs(vals[j]), 1);
        const up = Float64Array.from(vals);
        const dn = Float64Array.from(vals);
        up[j] += h;
        dn[j] -= h;
        grad[j] = (cellVolume(cellFromFree(mp.system, up)) - cellVolume(cellFromFree(mp.system, dn))) / (2 * h);
      }
      let v = 0;
      const P = nFree;
      for (let j = 0; j < nc; j++) {
        const tj = model.work.fullToFree[mp.cellIndex[j]];
        if (tj < 0) continue;
        for (let q = 0; q < nc; q++) {
          const tq = model.work.fullToFree[mp.cellIndex[q]];
          if (tq < 0) continue;
          v += grad[j] * grad[q] * lm.covariance[tj * P + tq];
        }
      }
      volumeSigma = Math.sqrt(Math.max(v, 0));
    }
    const strainVal = (k: number): number => (mp.strainIndex.length > k ? model.full[mp.strainIndex[k]] : 0);
    const strainSig = (k: number): number => (mp.strainIndex.length > k ? sigmaOf(mp.strainIndex[k]) : 0);
    const model001 = mp.strainModel === 'uniaxial001';
    const iso = mp.strainModel === 'iso' || model001;
    const strain: StrainResult = {
      model: mp.strainModel,
      iso: iso ? strainVal(0) : 0,
      isoSigma: iso ? strainSig(0) : 0,
      e001: model001 ? Math.abs(strainVal(1)) : 0,
      e001Sigma: model001 ? strainSig(1) : 0,
      zeta: mp.strainModel === 'none' ? 0 : model.full[mp.zetaIndex],
      zetaSigma: mp.strainModel === 'none' ? 0 : sigmaOf(mp.zetaIndex),
      ...(mp.strainModel === 'stephens'
        ? { stephens: [0, 1, 2, 3].map(strainVal), stephensSigma: [0, 1, 2, 3].map(strainSig) }
        : {}),
    };
    const nl = lines.length;
    const main = lines.reduce((bi, l, j) => (l.ratio > lines[bi].ratio ? j : bi), 0);
    const reflections: ReflectionResult[] = mp.reflections.map((rf, r) => {
      const pk = mp.firstPeak + r * nl + main;
      return {
        h: rf.h,
        k: rf.k,
        l: rf.l,
        multiplicity: rf.multiplicity,
        dAngstrom: 1 / Math.sqrt(1 / (rf.dAngstrom * rf.dAngstrom)),
        twoThetaDeg: model.peakPos[pk],
        intensity: mp.intensity[r] * lines[main].ratio,
        fwhmDeg: model.peakFwhm[pk],
        eta: model.peakEta[pk],
      };
    });
    const r003 = mp.reflections.findIndex((rf) => rf.h === 0 && rf.k === 0 && Math.abs(rf.l) === 3);
    return {
      name: mp.phase.name,
      spaceGroup: mp.group.symbol,
      a: cell.a,
      aSigma: sig.a ?? 0,
      b: cell.b,
      bSigma: sig.b ?? (tied ? (sig.a ?? 0) : 0),
      c: cell.c,
      cSigma: sig.c ?? (mp.system === 'cubic' ? (sig.a ?? 0) : 0),
      alpha: cell.alphaDeg,
      beta: cell.betaDeg,
      betaSigma: sig.betaDeg ?? 0,
      gamma: cell.gammaDeg,
      volume: cellVolume(cell),
      volumeSigma,
      strain,
      ...(r003 >= 0 ? { fwhm003Deg: model.peakFwhm[mp.firstPeak + r003 * nl + main] } : {}),
      reflections,
    };
  });
  // Curves on every point of the range (excluded regions included), with the final parameters.
  const outModel = createPatternModel({
    x: pts.rangeX,
    lines,
    phases: model.phases.map((mp) => mp.phase),
    strain: model.phases.map((mp) => ({ model: mp.strainModel, iso: 0, e001: 0, stephens: [0, 0, 0, 0], zeta: 0 })),
    instrument: INSTRUMENT_DEFAULTS,
    refine,
    backgroundTerms: model.backgroundTerms,
    windowFwhm: model.windowFwhm,
    fcjNodes: model.fcjNodes,
    // The background basis must map the same 2θ interval as the fit's.
    backgroundRangeDeg: [pts.x[0], pts.x[n - 1]],
  });
  outModel.full.set(model.full);
  outModel.phases.forEach((mp, pi) => mp.intensity.set(model.phases[pi].intensity));
  const calculated = new Float64Array(pts.rangeX.length);
  const background = new Float64Array(pts.rangeX.length);
  evaluateModel(outModel, undefined, calculated);
  writeBackground(outModel, background);
  const get = (name: string): number => model.full[idx(name)];
  const inst: InstrumentProfile = {
    U: get('U'),
    V: get('V'),
    W: get('W'),
    P: get('P'),
    X: get('X'),
    Y: get('Y'),
    sOverL: get('sOverL'),
    hOverL: get('hOverL'),
    zeroDeg: get('zeroDeg'),
    displacementMm: get('displacementMm'),
    transparencyMm: get('transparencyMm'),
    capillaryOffsetXMm: get('capillaryOffsetXMm'),
    capillaryOffsetYMm: get('capillaryOffsetYMm'),
    goniometerRadiusMm: model.radiusMm,
  };
  return {
    phases: phaseResults,
    zeroDeg: get('zeroDeg'),
    zeroSigma: sigmaOf(idx('zeroDeg')),
    displacement: get('displacementMm'),
    displacementSigma: sigmaOf(idx('displacementMm')),
    instrument: inst,
    parameters,
    Rwp: stats.rwp,
    RwpBackgroundSubtracted: stats.rwpBackgroundSubtracted ?? Number.NaN,
    Rp: stats.rp,
    Rexp: stats.rexp,
    chi2red: stats.chi2red,
    gof: stats.gof,
    sigmaFactorBerarLelann: bl.sigmaFactor,
    points: n,
    parametersRefined: nFree,
    iterations,
    cycles,
    stopReason: cancelled ? 'cancelled' : (lm?.stopReason ?? 'not-run'),
    twoThetaDeg: pts.rangeX,
    calculated,
    background,
  };
}

