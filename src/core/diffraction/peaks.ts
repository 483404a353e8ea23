/**
 * Single- and multi-peak fits on a local Chebyshev background, automatic peak search, and a fast lattice estimate
 * from a few named reflections (positions → 1/d² → linear least squares in the reciprocal metric).
 */
import type { Scan } from '../data/scan.ts';
import { levenbergMarquardt } from '../fit/levenbergMarquardt.ts';
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';
import { chebyshevBasis, clipAboveBackground, evaluateBackground, maskedNormalEquations } from './background.ts';
import { type Cell, dSpacingAngstrom, twoThetaDegFromD } from './cell.ts';
import { emissionLines, pointSigma } from './leBail.ts';
import type { Phase } from './phases.ts';
import { FOUR_LN2, GAUSS_NORM, LORENTZ_NORM, pearsonVII, pseudoVoigt, splitPseudoVoigt } from './profiles.ts';
import { spaceGroup } from './spaceGroups.ts';

/** Peak shapes for single-peak fits. */
export const PeakShape = {
  pseudoVoigt: 'pseudoVoigt',
  pearsonVII: 'pearsonVII',
  splitPseudoVoigt: 'splitPseudoVoigt',
} as const;
export type PeakShape = keyof typeof PeakShape;

/** Options of {@link fitPeaks}. */
export interface PeakFitOptions {
  /** Start positions (deg); default: {@link findPeaks} in the range. */
  readonly positionsDeg?: readonly number[];
  /** 2θ range (deg); default the whole scan. */
  readonly rangeDeg?: readonly [number, number];
  readonly shape?: PeakShape;
  /** Chebyshev terms of the local background. */
  readonly backgroundTerms?: number;
  /** Start FWHM (deg); default estimated from the data. */
  readonly fwhmDeg?: number;
  /** Also fit each Kα2-like line of the scan at its Bragg-law position with the scan's intensity ratio. */
  readonly useAllLines?: boolean;
}

/** Defaults of {@link PeakFitOptions}. */
export const PEAK_FIT_DEFAULTS = { shape: 'pseudoVoigt' as PeakShape, backgroundTerms: 3, useAllLines: true } as const;

/** One fitted peak; σ from the covariance scaled by χ²_red. */
export interface FittedPeak {
  readonly twoThetaDeg: number;
  readonly twoThetaSigma: number;
  /** Integrated intensity (counts·deg) of the main line. */
  readonly area: number;
  readonly areaSigma: number;
  /** FWHM (deg); for the split pseudo-Voigt, the mean of both sides. */
  readonly fwhmDeg: number;
  readonly fwhmSigma: number;
  /** η (pseudo-Voigt) or the Pearson VII exponent m. */
  readonly shapeParameter: number;
  /** Split pseudo-Voigt only: FWHM above the centre over FWHM below. */
  readonly asymmetry?: number;
}

/** Result of {@link fitPeaks}. */
export interface PeakFitResult {
  readonly peaks: readonly FittedPeak[];
  readonly chi2red: number;
  readonly points: number;
  readonly iterations: number;
  readonly stopReason: string;
  readonly twoThetaDeg: Float64Array;
  readonly calculated: Float64Array;
}

interface Window {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
}

function windowOf(scan: Scan, rangeDeg?: readonly [number, number]): Window {
  const [a, b] = rangeDeg ?? [-Infinity, Infinity];
  const idx: number[] = [];
  for (let i = 0; i < scan.x.length; i++) if (scan.x[i] >= a && scan.x[i] <= b && Number.isFinite(scan.y[i])) idx.push(i);
  return {
    x: Float64Array.from(idx, (i) => scan.x[i]),
    y: Float64Array.from(idx, (i) => scan.y[i]),
    w: Float64Array.from(idx, (i) => 1 / pointSigma(scan, i) ** 2),
  };
}

/** Lower-envelope background: iteratively clipped weighted least squares of `terms` Chebyshev polynomials. */
function envelope(win: Window, terms: number): Float64Array {
  const n = win.x.length;
  const basis = chebyshevBasis(win.x, terms, win.x[0], win.x[n - 1]);
  const use = new Uint8Array(n).fill(1);
  const a = new Float64Array(terms * terms);
  const l = new Float64Array(terms * terms);
  const rhs = new Float64Array(terms);
  const c = new Float64Array(terms);
  const bg = new Float64Array(n);
  for (let it = 0; it < 10; it++) {
    maskedNormalEquations(use, win.w, win.y, basis, terms, a, rhs);
    if (!choleskyDecompose(a, terms, l)) break;
    choleskySolve(l, terms, rhs, c);
    evaluateBackground(basis, c, bg);
    if (clipAboveBackground(use, win.y, win.w, bg) === 0) break;
  }
  return bg;
}

/** A peak of the automatic search, with what can be read off the data around it. */
export interface FoundPeak {
  readonly twoThetaDeg: number;
  /** Smoothed height above the clipped background (counts, or the scan's intensity unit). */
  readonly netHeight: number;
  /** Full width where the smoothed net signal falls to half of `netHeight`, interpolated between points (deg). */
  readonly fwhmDeg: number;
  /** Height above the higher of the two lowest points that separate it from a higher neighbour or the scan's end. */
  readonly prominence: number;
}

/**
 * Automatic peak search: local maxima of the 5-point-smoothed net signal above a clipped Chebyshev background that
 * stand `minSignificance` σ both above the background and above their surroundings (their prominence), at least
 * `minSeparationDeg` apart (strongest kept). Prominence is what rejects noise riding on a stretch where the smooth
 * background undershoots (a pattern's steep low-angle end): there every wiggle is "above the background", but none
 * above its neighbours. Strongest first.
 */
export function searchPeaks(
  scan: Scan,
  options: { readonly rangeDeg?: readonly [number, number]; readonly minSignificance?: number; readonly minSeparationDeg?: number; readonly backgroundTerms?: number } = {},
): FoundPeak[] {
  const win = windowOf(scan, options.rangeDeg);
  const n = win.x.length;
  if (n < 7) return [];
  const bg = envelope(win, options.backgroundTerms ?? 6);
  const k = options.minSignificance ?? 5;
  const sep = options.minSeparationDeg ?? 0;
  const net = new Float64Array(n);
  for (let i = 2; i < n - 2; i++) {
    // 5-point binomial smoothing (1 4 6 4 1)/16 lowers the noise of the maximum test.
    net[i] = (win.y[i - 2] + 4 * win.y[i - 1] + 6 * win.y[i] + 4 * win.y[i + 1] + win.y[i + 2]) / 16 - bg[i];
  }
  const cand: number[] = [];
  const prominence = new Map<number, number>();
  for (let i = 3; i < n - 3; i++) {
    if (!(net[i] > net[i - 1] && net[i] >= net[i + 1] && net[i] * Math.sqrt(win.w[i]) > k)) continue;
    const p = prominenceAt(net, i, 2, n - 3);
    if (p * Math.sqrt(win.w[i]) > k) {
      cand.push(i);
      prominence.set(i, p);
    }
  }
  cand.sort((p, q) => net[q] - net[p]);
  const kept: number[] = [];
  for (const i of cand) if (!kept.some((j) => Math.abs(win.x[j] - win.x[i]) < sep)) kept.push(i);
  return kept.map((i) => ({ twoThetaDeg: win.x[i], netHeight: net[i], fwhmDeg: halfWidthSpan(win.x, net, i), prominence: prominence.get(i)! }));
}

/** Positions (deg) of {@link searchPeaks}, strongest first. */
export function findPeaks(scan: Scan, options: Parameters<typeof searchPeaks>[1] = {}): number[] {
  return searchPeaks(scan, options).map((p) => p.twoThetaDeg);
}

/** Topographic prominence of the maximum at `i` of `v` within [lo, hi]. */
function prominenceAt(v: Float64Array, i: number, lo: number, hi: number): number {
  let leftMin = v[i];
  for (let j = i - 1; j >= lo && v[j] <= v[i]; j--) if (v[j] < leftMin) leftMin = v[j];
  let rightMin = v[i];
  for (let j = i + 1; j <= hi && v[j] <= v[i]; j++) if (v[j] < rightMin) rightMin = v[j];
  return v[i] - Math.max(leftMin, rightMin);
}

/** Width (x units) between the points where `v` falls to half of v[i] on either side, linearly interpolated. */
function halfWidthSpan(x: Float64Array, v: Float64Array, i: number): number {
  const half = v[i] / 2;
  let l = i;
  while (l > 0 && v[l] > half) l--;
  let r = i;
  while (r < v.length - 1 && v[r] > half) r++;
  const cross = (a: number, b: number) => (v[a] === v[b] ? x[a] : x[a] + ((half - v[a]) * (x[b] - x[a])) / (v[b] - v[a]));
  return cross(r - 1, r) - cross(l + 1, l);
}

/**
 * Fit one or several peaks with a local Chebyshev background by Levenberg–Marquardt. Each peak has position, area,
 * FWHM and a shape parameter (η for pseudo-Voigts, m for Pearson VII; the split pseudo-Voigt adds a second FWHM).
 * With `useAllLines`, every emission line of the scan adds a copy at its Bragg-law position with its intensity ratio.
 */
export function fitPeaks(scan: Scan, options: PeakFitOptions = {}): PeakFitResult {
  const shape = options.shape ?? PEAK_FIT_DEFAULTS.shape;
  const nb = options.backgroundTerms ?? PEAK_FIT_DEFAULTS.backgroundTerms;
  const win = windowOf(scan, options.rangeDeg);
  const n = win.x.length;
  if (n < 5) throw new RangeError('fitPeaks: fewer than 5 points in the range');
  const positions = options.positionsDeg ?? findPeaks(scan, { rangeDeg: options.rangeDeg });
  if (!positions.length) throw new RangeError('fitPeaks: no peak given or found');
  const lines = scan.wavelengths.length ? emissionLines(scan) : [{ wavelengthAngstrom: 1, ratio: 1 }];
  const main = lines.reduce((b, l, j) => (l.ratio > lines[b].ratio ? j : b), 0);
  const extra = options.useAllLines ?? PEAK_FIT_DEFAULTS.useAllLines ? lines.filter((_, j) => j !== main) : [];
  const lamMain = lines[main].wavelengthAngstrom;
  const perPeak = shape === 'splitPseudoVoigt' ? 5 : 4;
  const np = positions.length;
  const P = np * perPeak + nb;
  const basis = chebyshevBasis(win.x, nb, win.x[0], win.x[n - 1]);
  const bg0 = envelope(win, Math.min(nb, 3));
  const step = (win.x[n - 1] - win.x[0]) / (n - 1);
  const start = new Float64Array(P);
  const lower = new Float64Array(P).fill(-Infinity);
  const upper = new Float64Array(P).fill(Infinity);
  const span = win.x[n - 1] - win.x[0];
  positions.forEach((pos, j) => {
    const o = j * perPeak;
    let i = 0;
    while (i < n - 1 && win.x[i] < pos) i++;
    const height = Math.max(win.y[i] - bg0[i], 1);
    const fwhm = options.fwhmDeg ?? estimateFwhm(win, bg0, i, step);
    start[o] = pos;
    start[o + 1] = height * fwhm;
    start[o + 2] = fwhm;
    start[o + 3] = shape === 'pearsonVII' ? 2 : 0.5;
    lower[o] = pos - span / 2;
    upper[o] = pos + span / 2;
    lower[o + 1] = 0;
    lower[o + 2] = step / 4;
    upper[o + 2] = span;
    lower[o + 3] = shape === 'pearsonVII' ? 0.6 : 0;
    upper[o + 3] = shape === 'pearsonVII' ? 50 : 1;
    if (shape === 'splitPseudoVoigt') {
      start[o + 4] = fwhm;
      lower[o + 4] = step / 4;
      upper[o + 4] = span;
    }
  });
  // Background start: the envelope projected on the basis is close enough; constant term only.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += bg0[i];
  start[np * perPeak] = mean / n;
  const profile = (dx: number, t: Float64Array, o: number): number => {
    if (shape === 'pearsonVII') return pearsonVII(dx, t[o + 2], t[o + 3]);
    if (shape === 'splitPseudoVoigt') return splitPseudoVoigt(dx, t[o + 2], t[o + 4], t[o + 3]);
    return pseudoVoigt(dx, t[o + 2], t[o + 3]);
  };
  const model = (t: Float64Array, out: Float64Array): void => {
    out.fill(0);
    for (let m = 0; m < nb; m++) {
      const c = t[np * perPeak + m];
      for (let i = 0; i < n; i++) out[i] += c * basis[m * n + i];
    }
    for (let j = 0; j < np; j++) {
      const o = j * perPeak;
      const pos = t[o];
      const area = t[o + 1];
      for (let i = 0; i < n; i++) out[i] += area * profile(win.x[i] - pos, t, o);
      if (extra.length) {
        // Same d, other line: 2θ from Bragg's law at the main line's d.
        const sinT = Math.sin((pos * Math.PI) / 360);
        for (const line of extra) {
          const s = (sinT * line.wavelengthAngstrom) / lamMain;
          if (!(s < 1)) continue;
          const pos2 = (Math.asin(s) * 360) / Math.PI;
          for (let i = 0; i < n; i++) out[i] += line.ratio * area * profile(win.x[i] - pos2, t, o);
        }
      }
    }
  };
  // Analytic Jacobian for the pseudo-Voigt (the common case); the other shapes use finite differences.
  const jacobian =
    shape === 'pseudoVoigt'
      ? (t: Float64Array, _f: Float64Array, jac: Float64Array): void => {
          for (let m = 0; m < nb; m++) jac.set(basis.subarray(m * n, (m + 1) * n), (np * perPeak + m) * n);
          for (let j = 0; j < np; j++) {
            const o = j * perPeak;
            const pos = t[o];
            const area = t[o + 1];
            const h = t[o + 2];
            const eta = t[o + 3];
            addPseudoVoigtDerivatives(win.x, pos, 1, area, 1, h, eta, jac, o, n);
            if (!extra.length) continue;
            const th = (pos * Math.PI) / 360;
            for (const line of extra) {
              const s2 = (Math.sin(th) * line.wavelengthAngstrom) / lamMain;
              if (!(s2 < 1)) continue;
              const pos2 = (Math.asin(s2) * 360) / Math.PI;
              // d(2θ₂)/d(2θ₁) = (λ₂/λ₁) cosθ₁ / cosθ₂ (Bragg's law at fixed d).
              const chain = ((line.wavelengthAngstrom / lamMain) * Math.cos(th)) / Math.sqrt(1 - s2 * s2);
              addPseudoVoigtDerivatives(win.x, pos2, chain, area, line.ratio, h, eta, jac, o, n);
            }
          }
        }
      : undefined;
  const lm = levenbergMarquardt(
    // Every key in one order, as leBail.ts's problem (one object shape for the solver's optimised code).
    { y: win.y, weights: win.w, start, lower, upper, model, jacobian, constantJacobianRows: undefined },
    // χ² changes below 1e-9 relative move nothing that σ could resolve. The keys of leBail.ts's options too, in their
    // order: a second shape met after the solver was optimised deoptimised it.
    { maxIterations: 200, chi2Tolerance: 1e-9, stepTolerance: 1e-9, isCancelled: undefined, covarianceAtSolution: undefined, normalWorkspace: undefined },
  );
  const calculated = new Float64Array(n);
  model(lm.values, calculated);
  const peaks: FittedPeak[] = positions.map((_, j) => {
    const o = j * perPeak;
    const v = lm.values;
    const s = lm.sigma;
    return {
      twoThetaDeg: v[o],
      twoThetaSigma: s[o],
      area: v[o + 1],
      areaSigma: s[o + 1],
      fwhmDeg: shape === 'splitPseudoVoigt' ? (v[o + 2] + v[o + 4]) / 2 : v[o + 2],
      fwhmSigma: s[o + 2],
      shapeParameter: v[o + 3],
      ...(shape === 'splitPseudoVoigt' ? { asymmetry: v[o + 4] / v[o + 2] } : {}),
    };
  });
  return {
    peaks,
    chi2red: lm.chi2red,
    points: n,
    iterations: lm.iterations,
    stopReason: lm.stopReason,
    twoThetaDeg: win.x,
    calculated,
  };
}

/**
 * Add the derivatives of ratio·area·PV(x − pos; H, η) with respect to (pos, area, H, η) to Jacobian rows o … o+3;
 * `posChain` = ∂pos/∂θ_pos (1 for the main line, Bragg's law for the others).
 */
function addPseudoVoigtDerivatives(
  x: Float64Array,
  pos: number,
  posChain: number,
  area: number,
  ratio: number,
  fwhm: number,
  eta: number,
  jac: Float64Array,
  o: number,
  n: number,
): void {
  const invH = 1 / fwhm;
  const gN = GAUSS_NORM * invH;
  const lN = LORENTZ_NORM * invH;
  const amp = ratio * area;
  for (let i = 0; i < n; i++) {
    const u = (x[i] - pos) * invH;
    const u2 = u * u;
    const den = 1 / (1 + 4 * u2);
    const g = gN * Math.exp(-FOUR_LN2 * u2);
    const l = lN * den;
    const dfdx = eta * l * (-8 * u * den * invH) + (1 - eta) * g * (-2 * FOUR_LN2 * u * invH);
    const dfdH = eta * l * invH * (-1 + 8 * u2 * den) + (1 - eta) * g * invH * (-1 + 2 * FOUR_LN2 * u2);
    jac[o * n + i] -= amp * dfdx * posChain;
    jac[(o + 1) * n + i] += ratio * (eta * l + (1 - eta) * g);
    jac[(o + 2) * n + i] += amp * dfdH;
    jac[(o + 3) * n + i] += amp * (l - g);
  }
}

function estimateFwhm(win: Window, bg: Float64Array, i: number, step: number): number {
  const half = (win.y[i] - bg[i]) / 2;
  let lo = i;
  while (lo > 0 && win.y[lo] - bg[lo] > half) lo--;
  let hi = i;
  while (hi < win.x.length - 1 && win.y[hi] - bg[hi] > half) hi++;
  return Math.max(win.x[hi] - win.x[lo], 3 * step);
}

/** A reflection position for the lattice estimate: indices, 2θ (deg) and its σ. */
export interface IndexedPosition {
  readonly h: number;
  readonly k: number;
  readonly l: number;
  readonly twoThetaDeg: number;
  readonly twoThetaSigma?: number;
}

/** Result of {@link latticeFromPositions} and {@link estimateLattice}. */
export interface LatticeEstimate {
  readonly cell: Cell;
  readonly aSigma: number;
  readonly bSigma: number;
  readonly cSigma: number;
  readonly positions: readonly IndexedPosition[];
}

/**
 * Cell from indexed peak positions by weighted linear least squares in the reciprocal metric (1/d² is linear in
 * G*): cubic 1/d² = (h²+k²+l²)/a²; hexagonal 4(h²+hk+k²)/(3a²) + l²/c²; tetragonal (h²+k²)/a² + l²/c²;
 * orthorhombic h²/a² + k²/b² + l²/c². Each 1/d² is weighted by its σ propagated from σ(2θ).
 */
export function latticeFromPositions(
  positions: readonly IndexedPosition[],
  system: 'cubic' | 'hexagonal' | 'tetragonal' | 'orthorhombic',
  wavelengthAngstrom: number,
): LatticeEstimate {
  const cols = system === 'cubic' ? 1 : system === 'orthorhombic' ? 3 : 2;
  if (positions.length < cols) throw new RangeError(`latticeFromPositions: need at least ${cols} reflections`);
  const a = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  const row = new Float64Array(cols);
  for (const p of positions) {
    const { h, k, l } = p;
    if (system === 'cubic') row[0] = h * h + k * k + l * l;
    else if (system === 'hexagonal') {
      row[0] = (4 * (h * h + h * k + k * k)) / 3;
      row[1] = l * l;
    } else if (system === 'tetragonal') {
      row[0] = h * h + k * k;
      row[1] = l * l;
    } else {
      row[0] = h * h;
      row[1] = k * k;
      row[2] = l * l;
    }
    const th = (p.twoThetaDeg * Math.PI) / 360;
    const q2 = (4 * Math.sin(th) ** 2) / wavelengthAngstrom ** 2;
    // ∂(1/d²)/∂2θ = (4/λ²) sinθ cosθ (rad of 2θ); σ from the peak fit (default 1e-3° when unknown).
    const s = (((4 / wavelengthAngstrom ** 2) * Math.sin(th) * Math.cos(th) * (p.twoThetaSigma ?? 1e-3)) * Math.PI) / 180;
    const w = 1 / (s * s);
    for (let i = 0; i < cols; i++) {
      rhs[i] += w * row[i] * q2;
      for (let j = 0; j < cols; j++) a[i * cols + j] += w * row[i] * row[j];
    }
  }
  const lf = new Float64Array(cols * cols);
  if (!choleskyDecompose(a, cols, lf)) throw new RangeError('latticeFromPositions: the reflections do not determine the cell');
  const x = new Float64Array(cols);
  choleskySolve(lf, cols, rhs, x);
  // Variances of the metric coefficients: diagonal of (AᵀWA)⁻¹ by solving for unit vectors.
  const varX = new Float64Array(cols);
  const e = new Float64Array(cols);
  const sol = new Float64Array(cols);
  for (let i = 0; i < cols; i++) {
    e.fill(0);
    e[i] = 1;
    choleskySolve(lf, cols, e, sol);
    varX[i] = sol[i];
  }
  // x = 1/a² (etc.): a = x^(−1/2), σ_a = σ_x / (2 x^(3/2)).
  const edge = (j: number): [number, number] => [1 / Math.sqrt(x[j]), Math.sqrt(varX[j]) / (2 * x[j] ** 1.5)];
  const [av, as] = edge(0);
  const [cv, cs] = system === 'cubic' ? [av, as] : edge(cols - 1);
  const [bv, bs] = system === 'orthorhombic' ? edge(1) : [av, as];
  const gamma = system === 'hexagonal' ? 120 : 90;
  return {
    cell: { a: av, b: bv, c: cv, alphaDeg: 90, betaDeg: 90, gammaDeg: gamma },
    aSigma: as,
    bSigma: bs,
    cSigma: cs,
    positions,
  };
}

/**
 * Fast lattice estimate: fit each named reflection (e.g. ['003', '104', '110'] or [[0,0,3], …]) near the position
 * the phase's start cell predicts (±`windowDeg`, one pseudo-Voigt each), then {@link latticeFromPositions}.
 * Names are h k l digits with optional minus signs ('10-2'); multi-digit indices need the array form.
 */
export function estimateLattice(
  scan: Scan,
  phase: Phase,
  options: { readonly reflections: readonly (string | readonly [number, number, number])[]; readonly windowDeg?: number },
): LatticeEstimate {
  const lines = emissionLines(scan);
  const lam = lines.reduce((b, l) => (l.ratio > b.ratio ? l : b)).wavelengthAngstrom;
  const system = spaceGroup(phase.spaceGroup).system;
  if (system === 'monoclinic' || system === 'triclinic') throw new RangeError('estimateLattice: cubic to orthorhombic cells only');
  const hkls = options.reflections.map((r) => (typeof r === 'string' ? parseHkl(r) : r));
  const half = options.windowDeg ?? 0.3;
  const positions: IndexedPosition[] = hkls.map(([h, k, l]) => {
    const predicted = twoThetaDegFromD(dSpacingAngstrom(phase.cell, h, k, l), lam);
    const fit = fitPeaks(scan, { rangeDeg: [predicted - half, predicted + half], positionsDeg: [predicted], backgroundTerms: 2 });
    return { h, k, l, twoThetaDeg: fit.peaks[0].twoThetaDeg, twoThetaSigma: fit.peaks[0].twoThetaSigma };
  });
  return latticeFromPositions(positions, system, lam);
}

function parseHkl(name: string): [number, number, number] {
  const m = /^(-?\d)(-?\d)(-?\d)$/.exec(name.trim());
  if (!m) throw new RangeError(`estimateLattice: cannot read reflection '${name}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
