/**
 * Le Bail (Le Bail, Duroy & Fourquet, Mater. Res. Bull. 1988, 23, 447) and Pawley (J. Appl. Cryst. 1981, 14, 357)
 * whole-pattern fits.
 *
 * Pipeline: scan → fitted points (range, exclusions, σ) → pattern model (phases, lines, instrument) →
 * cycles of [intensity extraction by partitioning | Levenberg–Marquardt on cell, zero/shifts, profile, strain,
 * background with intensities held] until no parameter moves by more than 0.1 σ in a cycle → (Pawley: one joint
 * refinement with the intensities as parameters) → result with σ from (JᵀWJ)⁻¹·χ²_red.
 *
 * Starts: cold (from preset cells) = clipped-envelope background, widths from the data unless given, a coarse stage
 * with broadened peaks moving only cell/zero/background, then the full refinement. Warm (`seed`, e.g. the previous
 * pattern of a series) = the seed's parameters and intensities, escalating to a staged and then a cold start when the
 * fit ends clearly worse than the seed's (GoF > max(1.5·GoF_seed, GoF_seed + 0.5)).
 *
 * Extraction (per reflection k, over its peaks' windows): I_k ← I_k · Σ_i φ_k(i) (y_i − b_i)/(f_i − b_i) / Σ_i φ_k(i),
 * i.e. the classical partition Σ_i I_k φ_k(i) (y_i − b_i)/(f_i − b_i) divided by the window's share of the unit-area
 * profile, so that truncating the Lorentzian tails does not bias intensities.
 */
import type { Scan, WavelengthLine } from '../data/scan.ts';
import { levenbergMarquardt, type LmResult } from '../fit/levenbergMarquardt.ts';
import type { LeastSquaresProblem } from '../fit/problem.ts';
import { type NormalWorkspace, createNormalWorkspace, prepareNormalWorkspace } from '../fit/normalEquations.ts';
import { agreementFactors, berarLelannFactor, type AgreementFactors } from '../fit/statistics.ts';
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';
import { clipAboveBackground, maskedNormalEquations } from './background.ts';
import { cellVolume } from './cell.ts';
import {
  type EmissionLine,
  INSTRUMENT_DEFAULTS,
  type InstrumentProfile,
  type PatternModel,
  type PhaseSize,
  type PhaseStrain,
  type ProfileShape,
  REFINE_DEFAULTS,
  type RefineFlags,
  addPeaks,
  computePeaks,
  createPatternModel,
  evaluateModel,
  modelJacobian,
  onWindowBound,
  packFree,
  peakShape,
  phaseCell,
  unpackFree,
  updateFree,
  writeBackground,
} from './patternModel.ts';
import type { Phase } from './phases.ts';
import { cellFromFree } from './phases.ts';
import { type StrainModel, stephensFromUniaxial } from './strain.ts';
import { spaceGroup } from './spaceGroups.ts';
import { type SizeModel, integralBreadthRatio } from './size.ts';

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
  /**
   * Crystallite-size model for all phases, or one per phase: 'iso' refines an isotropic Scherrer size L, with a
   * Lorentzian share ζ_s held at 1 unless `refine.sizeZeta` (size.ts). It needs a calibrated instrument: X (also
   * ∝ 1/cosθ) is then held unless `refine.X` says otherwise, and any refined instrumental width would absorb part of
   * the size.
   */
  readonly size?: SizeModel | readonly SizeModel[];
  /** Start values of the size (L in nm, ζ_s) and the Scherrer constant K (held), for all phases. */
  readonly sizeStart?: Partial<Omit<PhaseSize, 'model'>>;
  /** Instrument profile and geometry (start values; held fixed unless `refine` says otherwise). */
  readonly instrument?: Partial<InstrumentProfile>;
  readonly refine?: Partial<RefineFlags>;
  readonly backgroundTerms?: number;
  /** Half-width of each peak's evaluation window, in FWHM. */
  readonly windowFwhm?: number;
  /** Gauss–Legendre nodes per FCJ segment. */
  readonly fcjNodes?: number;
  /** Maximum Le Bail cycles (extraction + least squares); a seeded Le Bail fit defaults to `warmMaxCycles`. */
  readonly maxCycles?: number;
  /** Maximum LM iterations per cycle; a seeded Le Bail fit defaults to `warmIterationsPerCycle`. */
  readonly maxIterationsPerCycle?: number;
  /**
   * Relative standard uncertainty of the wavelength(s), σ_λ/λ (default 0): added to the cell σ as σ_a² += (a σ_λ/λ)²
   * (and 3 V σ_λ/λ for the volume) since d scales with λ (science.md §5).
   */
  readonly wavelengthRelativeSigma?: number;
  /** A previous result (e.g. the neighbouring pattern of a series): start from its parameters and intensities. */
  readonly seed?: LeBailResult;
  /**
   * The start cells were measured on this pattern (e.g. by `estimateLattice`), so its peaks sit within a fraction of
   * a FWHM of their reflections: an unseeded fit first refines directly from them and runs the coarse stage (see
   * `coldFit`) only when that direct fit ends with GoF above `LE_BAIL_DEFAULTS.directStartMaxGof`, keeping the better
   * of the two.
   */
  readonly directStart?: boolean;
  readonly isCancelled?: () => boolean;
  /** Peak shape; default the TCH pseudo-Voigt (see {@link ProfileShape}). With a seed, the seed's exponent is the start. */
  readonly profile?: ProfileShape;
}

/** Defaults of {@link LeBailOptions} (the one place they are written). */
export const LE_BAIL_DEFAULTS = {
  strain: 'iso' as StrainModel,
  strainStart: { iso: 3e-4, e001: 3e-4, zeta: 0.5 },
  size: 'none' as SizeModel,
  sizeStart: { lengthNm: 100, zeta: 1, scherrerK: 1 },
  backgroundTerms: 12,
  windowFwhm: 30,
  fcjNodes: 6,
  /** Start of a Pearson VII exponent m₀, m₁, m₂ when none is given (m = 2: between a Lorentzian and a Gaussian). */
  pearsonStart: [2, 0, 0] as const,
  maxCycles: 12,
  maxIterationsPerCycle: 40,
  /**
   * A seeded Le Bail fit is already near its minimum: one LM step per extraction cycle (as FullProf does) and up to
   * this many cycles, which converges in 4–7 cycles on the test series where full LM runs per cycle needed 12–17 steps.
   */
  warmMaxCycles: 36,
  warmIterationsPerCycle: 1,
  /**
   * Partition sweeps per cycle of a seeded Le Bail fit: one, as in Le Bail's own algorithm. A sweep costs about two
   * model evaluations; on the 200-pattern series one sweep gives the same cells (max Δa 3.2e-5 Å against 3.8e-5 with
   * two) at 13 ms per warm fit instead of 22 ms.
   */
  warmSweepsPerCycle: 1,
  /**
   * A direct start is kept when its GoF is at most this: on the simulated series a direct Pawley start from the quick
   * estimate ends at the coarse path's minimum (GoF ≈ 1.0) on 199 of 200 patterns in 4–5 steps instead of 40, and in
   * a wrong minimum (GoF well above 1.5) on the other, where the coarse path then takes over.
   */
  directStartMaxGof: 1.5,
  /**
   * A least-squares run stops when an accepted step lowers χ² by at most this × χ²_red and the quadratic model
   * predicts no more: that step moved the parameters by ≤ 0.1 σ in the metric of the normal matrix (FullProf's
   * shift/σ convention, and this file's criterion for Le Bail cycles), and the steps shrink several-fold per
   * iteration there. GSAS-II stops at a relative Δχ² of 10⁻³, about 7 χ²_red on a 7000-point pattern.
   */
  chi2StepTolerance: 0.01,
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
  /** The shape parameter: η of the TCH pseudo-Voigt, or the exponent m of a Pearson VII profile. */
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

/**
 * Crystallite size of a phase (size.ts): the Scherrer size L = K λ / (Γ_size cosθ) from the FWHM Γ_size of the size
 * contribution (K = 1 by default: GSAS-II's isotropic "size", in nm here), and the volume-weighted column length
 * ⟨L⟩_V = λ / (β cosθ) from the integral breadth β of the refined size profile (Stokes & Wilson). The refined
 * parameter is 1/L; L = ∞ (and ⟨L⟩_V = ∞) when it reaches 0 or when the model is 'none'.
 */
export interface SizeResult {
  readonly model: SizeModel;
  readonly lengthNm: number;
  readonly lengthNmSigma: number;
  readonly inverseLengthPerNm: number;
  readonly inverseLengthPerNmSigma: number;
  /** Volume-weighted column length ⟨L⟩_V (nm), σ from the covariance of 1/L and ζ_s. */
  readonly volumeWeightedNm: number;
  readonly volumeWeightedNmSigma: number;
  /** Lorentzian share ζ_s of the size broadening. */
  readonly zeta: number;
  readonly zetaSigma: number;
  /**
   * ζ_s ended on a bound (0 or 1; 1, a purely Lorentzian size profile, is the usual case): the σ of L and ⟨L⟩_V are
   * then those with ζ_s held there, and zetaSigma is not meaningful.
   */
  readonly zetaAtBound: boolean;
  readonly scherrerK: number;
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
  readonly size: SizeResult;
  /** FWHM of 003 (deg, main line) when the phase has that reflection in range, else undefined. */
  readonly fwhm003Deg?: number;
  readonly reflections: readonly ReflectionResult[];
}

/**
 * Agreement factors and convergence of a whole-pattern fit (Le Bail, Pawley, Rietveld), as FullProf and GSAS-II
 * define them: R factors as fractions, GoF = √χ²_red.
 */
export interface FitAgreement {
  readonly Rwp: number;
  readonly RwpBackgroundSubtracted: number;
  readonly Rp: number;
  readonly Rexp: number;
  readonly chi2red: number;
  readonly gof: number;
  /** Number of fitted points. */
  readonly points: number;
  readonly iterations: number;
  readonly stopReason: string;
}

/** The agreement factors of a fit under the names its result carries (Rwp, Rp, … as FullProf and GSAS-II print). */
export function agreementFields(stats: AgreementFactors): Pick<FitAgreement, 'Rwp' | 'RwpBackgroundSubtracted' | 'Rp' | 'Rexp' | 'chi2red' | 'gof'> {
  return {
    Rwp: stats.rwp,
    RwpBackgroundSubtracted: stats.rwpBackgroundSubtracted ?? Number.NaN,
    Rp: stats.rp,
    Rexp: stats.rexp,
    chi2red: stats.chi2red,
    gof: stats.gof,
  };
}

/** Result of {@link fitLeBail} (also the CLI's JSON, minus the typed arrays). */
export interface LeBailResult extends FitAgreement {
  readonly phases: readonly PhaseResult[];
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  /** Bragg–Brentano specimen displacement (mm). */
  readonly displacement: number;
  readonly displacementSigma: number;
  /** Flat-detector distance error ΔD/D (refined against an internal standard, else as given) and its σ. */
  readonly detectorDistanceRelative: number;
  readonly detectorDistanceRelativeSigma: number;
  /** Instrument profile at the end of the fit. */
  readonly instrument: InstrumentProfile;
  /** The peak shape of the fit; for Pearson VII its exponent's terms m₀, m₁, m₂ with σ (m = m₀ + m₁·100/2θ + m₂·(100/2θ)²). */
  readonly profile: { readonly shape: 'tch' } | { readonly shape: 'pearsonVII'; readonly m: readonly [number, number, number]; readonly mSigma: readonly [number, number, number] };
  /** Every named parameter of the model with its σ (0 when held fixed). */
  readonly parameters: Readonly<Record<string, { readonly value: number; readonly sigma: number }>>;
  /**
   * Refined parameters that ended on a search-window bound (a cell edge at ±20 % of its start, the zero shift at ±1°,
   * …; physical limits such as a width at 0 are not counted): the fit ran away, and its numbers are not a minimum.
   */
  readonly atBounds: readonly string[];
  /** Bérar–Lelann factor for σ (multiply σ by it for serially correlated residuals). */
  readonly sigmaFactorBerarLelann: number;
  /** Refined least-squares parameters (Le Bail intensities not counted). */
  readonly parametersRefined: number;
  /** Le Bail cycles (`iterations` sums the LM iterations over them). */
  readonly cycles: number;
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

/**
 * The loop of {@link selectPoints} over every point, on its own: a fresh thread optimises it in the middle of its first
 * call, and the code after such a loop has no type feedback yet (in selectPoints, a deoptimisation and a recompile of
 * the whole). Writes the points to fit into x/y/w, every point within the range into rangeX, and the two counts.
 */
function gatherPoints(
  scan: Scan,
  from: number,
  to: number,
  exclusions: Float64Array,
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  rangeX: Float64Array,
  counts: Int32Array,
): void {
  let n = 0;
  let nRange = 0;
  for (let i = 0; i < scan.x.length; i++) {
    const t = scan.x[i];
    if (!(t >= from && t <= to)) continue;
    rangeX[nRange++] = t;
    let excluded = false;
    for (let k = 0; k < exclusions.length; k += 2) if (t >= exclusions[k] && t <= exclusions[k + 1]) excluded = true;
    if (excluded) continue;
    const s = pointSigma(scan, i);
    if (!(s > 0) || !Number.isFinite(scan.y[i])) continue;
    x[n] = t;
    y[n] = scan.y[i];
    w[n] = 1 / (s * s);
    n++;
  }
  counts[0] = n;
  counts[1] = nRange;
}

/**
 * The range and exclusions come as values, not as the caller's options object: options arrive in many shapes, and
 * each new one would deoptimise this loop over every point (compiled again in each fresh fitting thread).
 */
function selectPoints(
  scan: Scan,
  lines: readonly EmissionLine[],
  rangeDeg: readonly [number, number] | undefined,
  exclusions: readonly Exclusion[] | undefined,
): FitPoints {
  if (scan.axis !== 'twoTheta' || scan.unit !== 'deg') {
    throw new RangeError('fitLeBail: the scan axis must be 2θ in degrees (convert it first)');
  }
  const from = rangeDeg ? rangeDeg[0] : -Infinity;
  const to = rangeDeg ? rangeDeg[1] : Infinity;
  const lambda = lines.reduce((p, q) => (q.ratio > p.ratio ? q : p)).wavelengthAngstrom;
  // Pairs (from, to) in degrees, flat.
  const ex = new Float64Array(2 * (exclusions?.length ?? 0));
  exclusions?.forEach((e, k) => ex.set(exclusionToDeg(e, lambda), 2 * k));
  const xAll = new Float64Array(scan.x.length);
  const yAll = new Float64Array(scan.x.length);
  const wAll = new Float64Array(scan.x.length);
  const rangeAll = new Float64Array(scan.x.length);
  const counts = new Int32Array(2);
  gatherPoints(scan, from, to, ex, xAll, yAll, wAll, rangeAll, counts);
  const n = counts[0];
  const nRange = counts[1];
  if (n < 10) throw new RangeError('fitLeBail: fewer than 10 points to fit');
  const x = n === xAll.length ? xAll : xAll.slice(0, n);
  const dx = new Float64Array(n);
  for (let i = 0; i < n; i++) dx[i] = 0.5 * (x[Math.min(i + 1, n - 1)] - x[Math.max(i - 1, 0)]) * (i === 0 || i === n - 1 ? 2 : 1);
  const keep = (a: Float64Array, m: number): Float64Array => (m === a.length ? a : a.slice(0, m));
  return { x, y: keep(yAll, n), w: keep(wAll, n), dx, rangeX: keep(rangeAll, nRange) };
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
    maskedNormalEquations(use, pts.w, pts.y, model.basis, nb, a, rhs);
    for (let p = 0; p < nb; p++) a[p * nb + p] *= 1 + 1e-10;
    if (!choleskyDecompose(a, nb, lf)) break;
    choleskySolve(lf, nb, rhs, c);
    for (let m = 0; m < nb; m++) model.full[model.backgroundIndex + m] = c[m];
    writeBackground(model, bg);
    if (clipAboveBackground(use, pts.y, pts.w, bg) === 0) break;
  }
}

/**
 * One peak's part of a Le Bail partition over its window: adds Σ φ_i (y_i − b_i)/(calc_i − b_i) to shares[0] and Σ φ_i
 * to shares[1] (φ_i its profile times the step). Its own function, so that a fresh thread optimises this loop alone
 * (compiled in the middle of extractIntensities' first call, the whole extraction lacked type feedback for its later
 * statements and was compiled again).
 */
function addPeakShares(
  model: PatternModel,
  pk: number,
  ratio: number,
  y: Float64Array,
  bg: Float64Array,
  calc: Float64Array,
  dx: Float64Array,
  shares: Float64Array,
): void {
  let num = 0;
  let den = 0;
  const hi = model.peakHi[pk];
  for (let i = model.peakLo[pk]; i < hi; i++) {
    const phi = ratio * peakShape(model, pk, model.x[i]) * dx[i];
    const net = calc[i] - bg[i];
    den += phi;
    if (net > 1e-12) num += (phi * (y[i] - bg[i])) / net;
  }
  shares[0] += num;
  shares[1] += den;
}

/** Le Bail extraction: `sweeps` partitions of the observed intensity among the calculated peaks. */
export function extractIntensities(model: PatternModel, y: Float64Array, dx: Float64Array, sweeps: number): void {
  const n = model.x.length;
  const bg = new Float64Array(n);
  const calc = new Float64Array(n);
  const x0 = model.x[0];
  const xN = model.x[n - 1];
  const shares = new Float64Array(2);
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
        shares[0] = 0;
        shares[1] = 0;
        for (let j = 0; j < nl; j++) addPeakShares(model, mp.firstPeak + r * nl + j, model.lines[j].ratio, y, bg, calc, dx, shares);
        const num = shares[0];
        const den = shares[1];
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

/**
 * Start widths from the data when the caller gave none: the median FWHM (half-maximum crossings above the
 * background) of the strongest local maxima, split as H_G ≈ 0.75 H (W) and H_L ≈ 0.35 H (X/cosθ) — the
 * pseudo-Voigt of these has FWHM ≈ H. U, V, Y start at their defaults.
 */
function startWidths(model: PatternModel, pts: FitPoints): void {
  const n = pts.x.length;
  const bg = new Float64Array(n);
  writeBackground(model, bg);
  const peaks: number[] = [];
  for (let i = 2; i < n - 2; i++) {
    const v = pts.y[i] - bg[i];
    if (v > 0 && pts.y[i] >= pts.y[i - 1] && pts.y[i] >= pts.y[i + 1] && pts.y[i] > pts.y[i - 2] && pts.y[i] > pts.y[i + 2]) {
      peaks.push(i);
    }
  }
  peaks.sort((a, b) => pts.y[b] - bg[b] - (pts.y[a] - bg[a]));
  const widths: number[] = [];
  const at: number[] = [];
  for (const i of peaks.slice(0, 7)) {
    const half = (pts.y[i] - bg[i]) / 2;
    if (!(half * Math.sqrt(pts.w[i]) > 5)) continue;
    let lo = i;
    while (lo > 0 && pts.y[lo] - bg[lo] > half) lo--;
    let hi = i;
    while (hi < n - 1 && pts.y[hi] - bg[hi] > half) hi++;
    const interp = (a: number, b: number): number => {
      const ya = pts.y[a] - bg[a] - half;
      const yb = pts.y[b] - bg[b] - half;
      return pts.x[a] + ((pts.x[b] - pts.x[a]) * ya) / (ya - yb || 1);
    };
    const w = interp(hi, hi - 1) - interp(lo, lo + 1);
    if (w > 0) {
      widths.push(w);
      at.push(pts.x[i]);
    }
  }
  if (!widths.length) return;
  const order = widths.map((_, j) => j).sort((a, b) => widths[a] - widths[b]);
  const mid = order[order.length >> 1];
  const h = widths[mid];
  const cosT = Math.cos((at[mid] * DEG) / 2);
  const set = (name: string, v: number): void => {
    const idx = model.params.findIndex((p) => p.name === name);
    model.full[idx] = v;
  };
  set('W', (0.75 * h) ** 2);
  set('X', 0.35 * h * cosT);
}

/**
 * The strain model a phase can carry. A cubic cell has no unique axis: broadening "along [001]" there is not a property
 * of the crystal (its [100] and [010] are the same direction by symmetry), and the extra term is undetermined (on a
 * real Li-foil series it ran to ε₀₀₁ = 2.7 ± 470). Cubic phases (an Al or Cu current collector, Li metal beside a
 * layered cathode) take the isotropic model; Stephens' −3m terms need hexagonal axes, and other systems take the
 * [001] model instead.
 */
export function strainModelFor(phase: Pick<Phase, 'spaceGroup'>, asked: StrainModel): StrainModel {
  const system = spaceGroup(phase.spaceGroup).system;
  if (system === 'cubic' && (asked === 'uniaxial001' || asked === 'stephens')) return 'iso';
  if (asked === 'stephens' && system !== 'hexagonal') return 'uniaxial001';
  return asked;
}

/** Make a strain spec per phase. */
function phaseStrains(phases: readonly Phase[], options: LeBailOptions): PhaseStrain[] {
  const d = LE_BAIL_DEFAULTS.strainStart;
  const s = options.strainStart ?? {};
  return phases.map((phase, i) => {
    const asked = Array.isArray(options.strain)
      ? ((options.strain as readonly StrainModel[])[i] ?? LE_BAIL_DEFAULTS.strain)
      : ((options.strain as StrainModel | undefined) ?? LE_BAIL_DEFAULTS.strain);
    return {
      model: strainModelFor(phase, asked),
      iso: s.iso ?? d.iso,
      e001: s.e001 ?? d.e001,
      // Without explicit Stephens start values, start from the [001] model's start values mapped exactly.
      stephens: s.stephens ?? stephensFromUniaxial(s.iso ?? d.iso, s.e001 ?? d.e001, phase.cell.a, phase.cell.c),
      zeta: s.zeta ?? d.zeta,
    };
  });
}

/** Make a size spec per phase. */
function phaseSizes(phases: readonly Phase[], options: LeBailOptions): PhaseSize[] {
  const d = LE_BAIL_DEFAULTS.sizeStart;
  const s = options.sizeStart ?? {};
  return phases.map((_, i) => ({
    model: Array.isArray(options.size)
      ? ((options.size as readonly SizeModel[])[i] ?? LE_BAIL_DEFAULTS.size)
      : ((options.size as SizeModel | undefined) ?? LE_BAIL_DEFAULTS.size),
    lengthNm: s.lengthNm ?? d.lengthNm,
    zeta: s.zeta ?? d.zeta,
    scherrerK: s.scherrerK ?? d.scherrerK,
  }));
}

/** X (Lorentzian ∝ 1/cosθ) is the size's own angular dependence: held when a size is refined, unless asked for. */
function sizeHoldsX(options: LeBailOptions): Partial<RefineFlags> {
  const sized = (Array.isArray(options.size) ? options.size : [options.size]).some((m) => m !== undefined && m !== 'none');
  return sized && options.refine?.X === undefined ? { X: false } : {};
}

/**
 * Apply a seed's parameter values to a fresh model, matched by name (cell, profile, strain, background and the
 * intensities, named `phase.I.h,k,l`). False when a phase has no intensity in common with the seed.
 */
function applySeed(model: PatternModel, seed: LeBailResult): boolean {
  model.params.forEach((p, i) => {
    const v = seed.parameters[p.name];
    // Only refined parameters are clamped into their bounds: a held FCJ ratio of 0 must stay 0 (its lower bound
    // 1e-5 exists for the least squares and would switch the asymmetry on for every peak of a seeded fit).
    if (v && Number.isFinite(v.value)) model.full[i] = p.refine ? Math.min(p.upper, Math.max(p.lower, v.value)) : v.value;
  });
  for (const mp of model.phases) {
    let any = 0;
    for (let r = 0; r < mp.reflections.length; r++) if (seed.parameters[model.params[mp.intensityIndex + r].name]) any++;
    if (any === 0) return false;
    // Reflections new to this range: neighbours' mean keeps the extraction alive.
    let mean = 0;
    for (let r = 0; r < mp.reflections.length; r++) mean += mp.intensity[r];
    mean /= mp.reflections.length;
    for (let r = 0; r < mp.reflections.length; r++) if (!(mp.intensity[r] > 0)) mp.intensity[r] = 1e-3 * mean;
  }
  return true;
}

/**
 * A seed for pattern k from the results of k − 1 (`previous`) and k − 2 (`before`) of a series: cells and strain
 * continued linearly (2·p_{k−1} − p_{k−2}), everything else (profile, intensities, background) from k − 1. Along a
 * charge the cell moves by tens of σ per pattern; starting where the trend points saves about one least-squares
 * step per warm fit on the simulated series without moving the results.
 */
export function extrapolatedSeed(previous: LeBailResult, before: LeBailResult): LeBailResult {
  const parameters: Record<string, { value: number; sigma: number }> = { ...previous.parameters };
  for (const [name, p] of Object.entries(previous.parameters)) {
    const q = before.parameters[name];
    if (!q || !Number.isFinite(p.value) || !Number.isFinite(q.value) || !TRENDING.test(name)) continue;
    parameters[name] = { value: 2 * p.value - q.value, sigma: p.sigma };
  }
  return { ...previous, parameters };
}

/** Parameters that follow the sample along a series: cell edges and angles, strain. */
const TRENDING = /\.(a|b|c|alphaDeg|betaDeg|gammaDeg)$|\.strain\./;

/**
 * Least-squares buffers kept between fits, by size: a series refines patterns of the same size one after another, and
 * fresh multi-megabyte buffers for every fit cost page faults, not arithmetic. Fits are synchronous and never nested,
 * so one workspace per size is never in use twice.
 */
const spareWorkspaces = new Map<string, NormalWorkspace>();
const SPARE_WORKSPACES_MAX = 4;

function reusableWorkspace(parameters: number, points: number, weights: Float64Array, constantRows: Uint8Array): NormalWorkspace {
  const key = `${parameters}x${points}`;
  const spare = spareWorkspaces.get(key);
  if (spare) {
    prepareNormalWorkspace(spare, weights, constantRows);
    return spare;
  }
  const ws = createNormalWorkspace(parameters, points, weights, constantRows);
  if (spareWorkspaces.size >= SPARE_WORKSPACES_MAX) spareWorkspaces.delete(spareWorkspaces.keys().next().value!);
  spareWorkspaces.set(key, ws);
  return ws;
}

/** The least-squares problem of a pattern model's refined parameters on the fitted points, from their current values. */
function modelProblem(model: PatternModel, pts: FitPoints, constantJacobianRows?: Uint8Array): LeastSquaresProblem {
  // Every key in the order of peaks.ts's problem: the solver's optimised code sees one object shape (a new shape
  // deoptimises it, and a fresh fitting thread then compiles it again).
  return {
    y: pts.y,
    weights: pts.w,
    start: packFree(model),
    lower: Float64Array.from(model.free, (fi) => model.params[fi].lower),
    upper: Float64Array.from(model.free, (fi) => model.params[fi].upper),
    model: (theta, out) => evaluateModel(model, theta, out),
    jacobian: (theta, f, jac, spans) => modelJacobian(model, theta, f, jac, spans),
    constantJacobianRows,
  };
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
  let cycles = 0;
  const constantJacobianRows = new Uint8Array(model.free.length);
  model.free.forEach((fi, t) => {
    // ∂f/∂c_m = T_m(x): the background rows never change, so their mutual products are formed once per stage.
    if (fi >= model.backgroundIndex && fi < model.backgroundIndex + model.backgroundTerms) constantJacobianRows[t] = 1;
  });
  const normalWorkspace = reusableWorkspace(model.free.length, pts.y.length, pts.w, constantJacobianRows);
  let settled = false;
  const solve = (maxIterations: number, covarianceAtSolution: boolean): LmResult => {
    return levenbergMarquardt(
      modelProblem(model, pts, constantJacobianRows),
      { maxIterations, chi2Tolerance: LE_BAIL_DEFAULTS.chi2StepTolerance / pts.y.length, stepTolerance: 1e-8, isCancelled, covarianceAtSolution, normalWorkspace },
    );
  };
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    if (isCancelled?.()) return { lm, iterations, cycles, cancelled: true };
    if (sweeps > 0) extractIntensities(model, pts.y, pts.dx, sweeps);
    const start = packFree(model);
    // σ of an intermediate cycle only measure the shifts: the normal matrix of its last iteration is enough.
    lm = solve(maxIter, false);
    unpackFree(model, lm.values);
    iterations += lm.iterations;
    cycles++;
    if (lm.stopReason === 'cancelled') return { lm, iterations, cycles, cancelled: true };
    // Converged when no refined parameter moved by more than 0.1 σ in this cycle (Le Bail's partition is not the
    // least-squares intensity, so χ² itself drifts slowly towards the fixed point and is no stopping measure).
    let maxShift = 0;
    for (let t = 0; t < start.length; t++) {
      const sg = lm.sigma[t];
      if (sg > 0 && Number.isFinite(sg)) maxShift = Math.max(maxShift, Math.abs(lm.values[t] - start[t]) / sg);
    }
    if (cycle + 1 >= minCycles && maxShift < 0.1) {
      settled = true;
      break;
    }
  }
  // A single joint refinement (Pawley) that converged took its last step below the χ² tolerance (≤ 0.1 σ): the normal
  // matrix of its last iteration is the one at the solution to that order, and its σ and covariance stand.
  if (lm && sweeps === 0 && cycles === 1 && (lm.stopReason === 'converged-chi2' || lm.stopReason === 'converged-gradient')) {
    return { lm, iterations, cycles, cancelled: false };
  }
  if (lm) {
    // σ and covariance from a Jacobian at the final point (no step is taken with zero iterations).
    const exact = solve(0, true);
    // Cycles that settled (every shift below 0.1 σ) converged by steps, whatever stopped their last, short LM run.
    const stopReason = settled && !lm.converged ? 'converged-step' : lm.stopReason;
    lm = { ...lm, stopReason, converged: lm.converged || settled, sigma: exact.sigma, covariance: exact.covariance, rank: exact.rank, chi2: exact.chi2, chi2red: exact.chi2red };
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
  const pts = selectPoints(scan, lines, options.rangeDeg, options.exclusions);
  const refine: RefineFlags = { ...REFINE_DEFAULTS, ...sizeHoldsX(options), ...options.refine };
  const build = (seed: LeBailResult | undefined): { model: PatternModel; seeded: boolean } => {
    const instrument: InstrumentProfile = { ...INSTRUMENT_DEFAULTS, ...seed?.instrument, ...options.instrument };
    const model = createPatternModel({
      x: pts.x,
      lines,
      phases,
      strain: phaseStrains(phases, options),
      size: phaseSizes(phases, options),
      instrument,
      refine,
      backgroundTerms: options.backgroundTerms ?? LE_BAIL_DEFAULTS.backgroundTerms,
      windowFwhm: options.windowFwhm ?? LE_BAIL_DEFAULTS.windowFwhm,
      fcjNodes: options.fcjNodes ?? LE_BAIL_DEFAULTS.fcjNodes,
      profile: options.profile,
    });
    const seeded = seed ? applySeed(model, seed) : false;
    // Instrument values given explicitly win over the seed's.
    for (const [k, v] of Object.entries(options.instrument ?? {})) {
      const idx = model.params.findIndex((p) => p.name === k);
      if (idx >= 0 && typeof v === 'number') model.full[idx] = v;
    }
    return { model, seeded };
  };
  if (options.seed) {
    // A seed far from this pattern (a jump in the series, a phase change) can trap a warm fit: escalate from the
    // direct refinement to the staged one, then to a cold start, while the fit is clearly worse than the seed's own.
    const seedGof = options.seed.gof;
    const acceptable = (r: LeBailResult): boolean =>
      !(Number.isFinite(seedGof) && r.gof > Math.max(1.5 * seedGof, seedGof + 0.5));
    for (const staged of [false, true]) {
      const { model, seeded } = build(options.seed);
      if (!seeded) break;
      const warm = warmFit(model, pts, pawley, staged, options);
      const result = buildResult(model, pts, warm, refine, lines, options.wavelengthRelativeSigma ?? 0);
      if (warm.cancelled || acceptable(result)) return result;
    }
  }
  const { model } = build(undefined);
  const cold = coldFit(model, pts, pawley, options);
  return buildResult(model, pts, cold, refine, lines, options.wavelengthRelativeSigma ?? 0);
}

/** Hold every parameter not selected by `keep`; returns the previous flags for {@link restoreRefine}. */
function restrictRefine(model: PatternModel, keep: (name: string) => boolean): boolean[] {
  const saved = model.params.map((p) => p.refine);
  for (const p of model.params) p.refine = p.refine && keep(p.name);
  updateFree(model);
  return saved;
}

function restoreRefine(model: PatternModel, saved: readonly boolean[]): void {
  model.params.forEach((p, i) => (p.refine = saved[i]));
  updateFree(model);
}

const positionsOnly = (name: string): boolean =>
  name === 'zeroDeg' || name.startsWith('background.') || (name.includes('.') && isCellName(name));

function add(a: CycleOutcome, b: CycleOutcome): CycleOutcome {
  return { lm: b.lm, iterations: a.iterations + b.iterations, cycles: a.cycles + b.cycles, cancelled: b.cancelled };
}

/**
 * From a seed: adapt intensities; `staged` first moves positions with the profile held (for large jumps), then the
 * full refinement (Pawley: one joint least squares; Le Bail: cycles).
 */
function warmFit(model: PatternModel, pts: FitPoints, pawley: boolean, staged: boolean, options: LeBailOptions): CycleOutcome {
  const maxCycles = options.maxCycles ?? LE_BAIL_DEFAULTS.maxCycles;
  const maxIter = options.maxIterationsPerCycle ?? LE_BAIL_DEFAULTS.maxIterationsPerCycle;
  if (!staged) {
    if (!pawley) {
      const warmCycles = options.maxCycles ?? LE_BAIL_DEFAULTS.warmMaxCycles;
      const warmIterations = options.maxIterationsPerCycle ?? LE_BAIL_DEFAULTS.warmIterationsPerCycle;
      return runCycles(model, pts, warmCycles, 2, LE_BAIL_DEFAULTS.warmSweepsPerCycle, warmIterations, options.isCancelled);
    }
    extractIntensities(model, pts.y, pts.dx, 2);
    return pawleyStage(model, pts, maxIter, options);
  }
  const saved = restrictRefine(model, positionsOnly);
  let out = runCycles(model, pts, 1, 1, 2, maxIter, options.isCancelled);
  restoreRefine(model, saved);
  if (out.cancelled) return out;
  if (pawley) {
    extractIntensities(model, pts.y, pts.dx, 2);
    return add(out, pawleyStage(model, pts, maxIter, options));
  }
  out = add(out, runCycles(model, pts, maxCycles, 2, 2, maxIter, options.isCancelled));
  return out;
}

/** Joint refinement with the intensities as parameters. */
function pawleyStage(model: PatternModel, pts: FitPoints, maxIter: number, options: LeBailOptions): CycleOutcome {
  for (const mp of model.phases) {
    for (let r = 0; r < mp.reflections.length; r++) model.params[mp.intensityIndex + r].refine = mp.intensity[r] > 0;
  }
  updateFree(model);
  return runCycles(model, pts, 1, 1, 0, 4 * maxIter, options.isCancelled);
}

/**
 * Without a seed: a background from the lower envelope and intensities from net heights, then either the direct
 * refinement (start cells measured on the pattern, `directStart`) or the coarse path of {@link coarseStart}; a direct
 * start that ends badly falls back to the coarse path and the lower χ² wins.
 */
function coldFit(model: PatternModel, pts: FitPoints, pawley: boolean, options: LeBailOptions): CycleOutcome {
  initialBackground(model, pts);
  if (options.instrument?.W === undefined && options.instrument?.X === undefined) startWidths(model, pts);
  initialIntensities(model, pts.y);
  if (!options.directStart) return coarseStart(model, pts, pawley, options);
  const start = Float64Array.from(model.full);
  const startFlags = model.params.map((p) => p.refine);
  extractIntensities(model, pts.y, pts.dx, 10);
  // Pawley goes straight to the joint refinement from the extracted intensities (as a seeded fit does): on the
  // simulated series 4.5 steps instead of 15 through Le Bail cycles first, with the same cells.
  const direct = pawley
    ? pawleyStage(model, pts, options.maxIterationsPerCycle ?? LE_BAIL_DEFAULTS.maxIterationsPerCycle, options)
    : refineFromIntensities(model, pts, pawley, options);
  const directChi2 = direct.lm?.chi2 ?? Number.POSITIVE_INFINITY;
  if (direct.cancelled || Math.sqrt(direct.lm?.chi2red ?? Number.POSITIVE_INFINITY) <= LE_BAIL_DEFAULTS.directStartMaxGof) return direct;
  // Values and refine flags both: the Pawley stage refines the intensities, and σ are indexed by the free list.
  const directState = Float64Array.from(model.full);
  const directFlags = model.params.map((p) => p.refine);
  model.full.set(start);
  restoreRefine(model, startFlags);
  const coarse = coarseStart(model, pts, pawley, options);
  const iterations = direct.iterations + coarse.iterations;
  const cycles = direct.cycles + coarse.cycles;
  if (coarse.cancelled || !(directChi2 < (coarse.lm?.chi2 ?? Number.POSITIVE_INFINITY))) return { ...coarse, iterations, cycles };
  model.full.set(directState);
  restoreRefine(model, directFlags);
  return { ...direct, iterations, cycles };
}

/**
 * From start cells that may be a few FWHM off: a coarse stage with peaks broadened (so that they still overlap the
 * data) moving only positions and background, then fresh intensities and the full refinement.
 */
function coarseStart(model: PatternModel, pts: FitPoints, pawley: boolean, options: LeBailOptions): CycleOutcome {
  const extraIndex = model.params.findIndex((p) => p.name === 'extraGaussDeg');
  computePeaks(model, false);
  let meanFwhm = 0;
  for (let pk = 0; pk < model.peakCount; pk++) meanFwhm += model.peakFwhm[pk] || 0;
  meanFwhm /= Math.max(model.peakCount, 1);
  model.full[extraIndex] = 3 * meanFwhm;
  const saved = restrictRefine(model, positionsOnly);
  extractIntensities(model, pts.y, pts.dx, 5);
  const out = runCycles(model, pts, 4, 2, 3, 20, options.isCancelled);
  model.full[extraIndex] = 0;
  restoreRefine(model, saved);
  if (out.cancelled) return out;
  // Fresh intensities at the corrected positions: multiplicative partitioning cannot revive a reflection the
  // coarse stage starved while it sat in the wrong place.
  initialIntensities(model, pts.y);
  extractIntensities(model, pts.y, pts.dx, 10);
  return add(out, refineFromIntensities(model, pts, pawley, options));
}

/** Le Bail cycles of the full refinement (for Pawley three, then the joint refinement of the intensities). */
function refineFromIntensities(model: PatternModel, pts: FitPoints, pawley: boolean, options: LeBailOptions): CycleOutcome {
  const maxCycles = options.maxCycles ?? LE_BAIL_DEFAULTS.maxCycles;
  const maxIter = options.maxIterationsPerCycle ?? LE_BAIL_DEFAULTS.maxIterationsPerCycle;
  let out = runCycles(model, pts, pawley ? 3 : maxCycles, 2, 3, maxIter, options.isCancelled);
  if (pawley && !out.cancelled) out = add(out, pawleyStage(model, pts, maxIter, options));
  return out;
}

function isCellName(name: string): boolean {
  const tail = name.slice(name.lastIndexOf('.') + 1);
  return ['a', 'b', 'c', 'alphaDeg', 'betaDeg', 'gammaDeg'].includes(tail);
}

function buildResult(
  model: PatternModel,
  pts: FitPoints,
  outcome: CycleOutcome,
  refine: RefineFlags,
  lines: readonly EmissionLine[],
  wavelengthRelativeSigma: number,
): LeBailResult {
  const { lm, iterations, cycles, cancelled } = outcome;
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
  const atBounds = model.params.filter((p, i) => model.work.fullToFree[i] >= 0 && onWindowBound(p, model.full[i])).map((p) => p.name);
  const idx = (name: string): number => model.params.findIndex((p) => p.name === name);
  // d ∝ λ: a relative σ of λ adds (value · σ_λ/λ)² to each edge's variance (science.md §5).
  const withLambda = (value: number, sigma: number): number => Math.hypot(sigma, value * wavelengthRelativeSigma);
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
    const size = sizeResult(model, pts, mp, sigmaOf, lm);
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
      aSigma: withLambda(cell.a, sig.a ?? 0),
      b: cell.b,
      bSigma: withLambda(cell.b, sig.b ?? (tied ? (sig.a ?? 0) : 0)),
      c: cell.c,
      cSigma: withLambda(cell.c, sig.c ?? (mp.system === 'cubic' ? (sig.a ?? 0) : 0)),
      alpha: cell.alphaDeg,
      beta: cell.betaDeg,
      betaSigma: sig.betaDeg ?? 0,
      gamma: cell.gammaDeg,
      volume: cellVolume(cell),
      volumeSigma: withLambda(3 * cellVolume(cell), volumeSigma),
      strain,
      size,
      ...(r003 >= 0 ? { fwhm003Deg: model.peakFwhm[mp.firstPeak + r003 * nl + main] } : {}),
      reflections,
    };
  });
  // Curves on every point of the range (excluded regions included), with the final parameters.
  let calculated = calcFit;
  let background = bgFit;
  if (pts.rangeX.length !== n) {
    const outModel = createPatternModel({
      x: pts.rangeX,
      lines,
      phases: model.phases.map((mp) => mp.phase),
      strain: model.phases.map((mp) => ({ model: mp.strainModel, iso: 0, e001: 0, stephens: [0, 0, 0, 0], zeta: 0 })),
      size: model.phases.map((mp) => ({ model: mp.sizeModel, lengthNm: 1, zeta: 0, scherrerK: mp.scherrerK })),
      instrument: INSTRUMENT_DEFAULTS,
      refine,
      backgroundTerms: model.backgroundTerms,
      windowFwhm: model.windowFwhm,
      fcjNodes: model.fcjNodes,
      profile: model.pearsonIndex >= 0 ? { shape: 'pearsonVII', m: [0, 1, 2].map((j) => model.full[model.pearsonIndex + j]) as [number, number, number] } : undefined,
      // The background basis must map the same 2θ interval as the fit's.
      backgroundRangeDeg: [pts.x[0], pts.x[n - 1]],
    });
    // By name: the reflection lists may differ when exclusions cut the ends of the range.
    outModel.params.forEach((p, i) => {
      const v = parameters[p.name];
      outModel.full[i] = v ? v.value : 0;
    });
    calculated = new Float64Array(pts.rangeX.length);
    background = new Float64Array(pts.rangeX.length);
    evaluateModel(outModel, undefined, calculated);
    writeBackground(outModel, background);
  }
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
    detectorDistanceRelative: get('detectorDistanceRelative'),
    goniometerRadiusMm: model.radiusMm,
  };
  return {
    phases: phaseResults,
    zeroDeg: get('zeroDeg'),
    zeroSigma: sigmaOf(idx('zeroDeg')),
    displacement: get('displacementMm'),
    displacementSigma: sigmaOf(idx('displacementMm')),
    detectorDistanceRelative: get('detectorDistanceRelative'),
    detectorDistanceRelativeSigma: sigmaOf(idx('detectorDistanceRelative')),
    instrument: inst,
    profile:
      model.pearsonIndex >= 0
        ? {
            shape: 'pearsonVII',
            m: [0, 1, 2].map((j) => model.full[model.pearsonIndex + j]) as [number, number, number],
            mSigma: [0, 1, 2].map((j) => sigmaOf(model.pearsonIndex + j)) as [number, number, number],
          }
        : { shape: 'tch' },
    parameters,
    atBounds,
    ...agreementFields(stats),
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


/**
 * The size result of one phase: L = 1/(1/L) with σ_L = σ_{1/L} / (1/L)², and ⟨L⟩_V = L / (K b(ζ_s)) with σ from the
 * covariance of 1/L and ζ_s (∂b/∂ζ_s by central differences).
 */
function sizeResult(
  model: PatternModel,
  pts: FitPoints,
  mp: PatternModel['phases'][number],
  sigmaOf: (fullIndex: number) => number,
  lm: LmResult | undefined,
): SizeResult {
  const K = mp.scherrerK;
  if (mp.sizeModel === 'none') {
    return {
      model: 'none',
      lengthNm: Infinity,
      lengthNmSigma: 0,
      inverseLengthPerNm: 0,
      inverseLengthPerNmSigma: 0,
      volumeWeightedNm: Infinity,
      volumeWeightedNmSigma: 0,
      zeta: 0,
      zetaSigma: 0,
      zetaAtBound: false,
      scherrerK: K,
    };
  }
  const inv = model.full[mp.sizeIndex];
  const zeta = model.full[mp.sizeZetaIndex];
  const zetaDef = model.params[mp.sizeZetaIndex];
  const zetaAtBound = zetaDef.refine && (zeta <= zetaDef.lower || zeta >= zetaDef.upper);
  // At ζ_s = 1 only ζ_s/L enters H_L and (1 − ζ_s)²/L² has zero slope in H_G: the columns of 1/L and ζ_s are
  // proportional and the unconstrained covariance is singular. σ(1/L) then comes from a Jacobian at the solution with
  // ζ_s held on its bound.
  const sInv = lm && zetaAtBound && model.params[mp.sizeIndex].refine ? sigmaWithHeld(model, pts, mp.sizeZetaIndex, mp.sizeIndex) : sigmaOf(mp.sizeIndex);
  const sZeta = zetaAtBound ? 0 : sigmaOf(mp.sizeZetaIndex);
  const zetaSigmaReported = sigmaOf(mp.sizeZetaIndex);
  const b = integralBreadthRatio(zeta);
  const h = 1e-6;
  const dbdz = (integralBreadthRatio(Math.min(zeta + h, 1)) - integralBreadthRatio(Math.max(zeta - h, 0))) / (Math.min(zeta + h, 1) - Math.max(zeta - h, 0));
  const lv = 1 / (K * b * inv);
  // ⟨L⟩_V = 1/(K b (1/L)): ∂/∂(1/L) = −⟨L⟩_V/(1/L), ∂/∂ζ_s = −⟨L⟩_V b′/b.
  const gInv = -lv / inv;
  const gZeta = (-lv * dbdz) / b;
  const P = model.free.length;
  const tInv = model.work.fullToFree[mp.sizeIndex];
  const tZeta = model.work.fullToFree[mp.sizeZetaIndex];
  const cov = lm && !zetaAtBound && tInv >= 0 && tZeta >= 0 ? lm.covariance[tInv * P + tZeta] : 0;
  const varLv = gInv * gInv * sInv * sInv + gZeta * gZeta * sZeta * sZeta + 2 * gInv * gZeta * cov;
  return {
    model: mp.sizeModel,
    lengthNm: 1 / inv,
    lengthNmSigma: inv > 0 ? sInv / (inv * inv) : sInv > 0 ? Infinity : 0,
    inverseLengthPerNm: inv,
    inverseLengthPerNmSigma: sInv,
    volumeWeightedNm: lv,
    volumeWeightedNmSigma: inv > 0 ? Math.sqrt(Math.max(varLv, 0)) : sInv > 0 ? Infinity : 0,
    zeta,
    zetaSigma: zetaSigmaReported,
    zetaAtBound,
    scherrerK: K,
  };
}

/** σ of parameter `wantFullIndex` from a Jacobian at the current solution with parameter `heldFullIndex` held. */
function sigmaWithHeld(model: PatternModel, pts: FitPoints, heldFullIndex: number, wantFullIndex: number): number {
  const held = model.params[heldFullIndex];
  held.refine = false;
  updateFree(model);
  try {
    // The options in the one shape of every solve here (see peaks.ts).
    const lm = levenbergMarquardt(modelProblem(model, pts), {
      maxIterations: 0,
      chi2Tolerance: undefined,
      stepTolerance: undefined,
      isCancelled: undefined,
      covarianceAtSolution: true,
      normalWorkspace: undefined,
    });
    const t = model.work.fullToFree[wantFullIndex];
    return t >= 0 ? lm.sigma[t] : 0;
  } finally {
    held.refine = true;
    updateFree(model);
  }
}
