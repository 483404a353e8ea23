/**
 * Characteristic lithium contents of the unified picture (Jousseaume et al., Energy Environ. Sci. 2024, 17, 2753,
 * §3.4; science.md §7): the maximum of d_IL, the plateau of d_TM and the maximum of d(d_TM)/dc_Li, each found from
 * the data (no value is assumed) with a σ from resampling and a status saying whether it is an interior point.
 *
 * All functions take one branch with strictly increasing c_Li (split, merge rests and sort first: see
 * `splitMonotonicBranches.ts`, `mergeEqualAbscissae.ts`).
 */
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';
import { localPolynomialFit } from './localPolynomial.ts';
import { rollingMean } from './rollingMean.ts';
import { seededRandom } from './seededRandom.ts';

/** 'interior': found inside the data; 'boundary': the extremum is the first or last sample; 'none': not found. */
export type ContentStatus = 'interior' | 'boundary' | 'none';

/** A located lithium content: value and σ in the unit of c_Li (mol Li per formula unit). */
export interface CharacteristicContent {
  readonly value: number;
  readonly sigma: number;
  readonly status: ContentStatus;
}

/** Options shared by the locators; defaults in {@link CHARACTERISTIC_DEFAULTS}. */
export interface CharacteristicOptions {
  /**
   * Odd window in samples: of the rolling mean that picks a maximum, of the local quadratics that place it and
   * estimate the noise; slopes of d_TM use local quadratics over 2·window − 1 samples.
   */
  readonly window: number;
  /** Resampling replicates for σ. */
  readonly replicates: number;
  /** Seed of the deterministic generator used for resampling. */
  readonly seed: number;
  /** Plateau threshold as a fraction of max |d(d_TM)/dc_Li|. */
  readonly plateauFraction: number;
}

/** Defaults: window 7 samples, 200 replicates, seed 1, plateau at 10 % of the largest slope. */
export const CHARACTERISTIC_DEFAULTS: CharacteristicOptions = {
  window: 7,
  replicates: 200,
  seed: 1,
  plateauFraction: 0.1,
};

/** A point estimate without σ, as returned by the locators. */
export interface LocatedContent {
  readonly value: number;
  readonly status: ContentStatus;
}

type Locator = (x: ArrayLike<number>, y: ArrayLike<number>) => LocatedContent;

const NONE: LocatedContent = { value: Number.NaN, status: 'none' };

/**
 * Abscissa of the maximum of y: the argmax of the rolling mean picks the peak, and the maximum is placed where the
 * local-quadratic slope of the raw samples (window samples per fit) changes sign from + to −, linearly interpolated,
 * taking the sign change nearest the argmax. A derivative zero stays unbiased for peaks whose two sides curve
 * differently (d_IL is steeper below its maximum than above), where a parabola over a wide window would not.
 * Falls back to the vertex of a least-squares parabola when no sign change lies within a window of the argmax.
 * Status 'boundary' when the argmax is an end sample.
 *
 * @param x - strictly increasing abscissae.
 * @param y - ordinates (e.g. d_IL in Å).
 * @param window - odd window (samples) of the rolling mean and of each local fit.
 */
export function maximumLocation(x: ArrayLike<number>, y: ArrayLike<number>, window: number): LocatedContent {
  const n = x.length;
  if (n < 4) return NONE;
  const smooth = rollingMean(y, window);
  const i = argmax(smooth);
  if (i < 0) return NONE;
  if (i === 0 || i === n - 1) return { value: x[i], status: 'boundary' };
  const w = Math.max(3, Math.min(window, n % 2 === 1 ? n : n - 1));
  const slope = localPolynomialFit(x, y, w, 2).derivative;
  for (let k = 0; k <= window; k++) {
    for (const j of [i + k, i - k + 1]) {
      if (j < 1 || j >= n) continue;
      const before = slope[j - 1];
      const after = slope[j];
      if (before > 0 && after <= 0) {
        return { value: x[j - 1] + ((x[j] - x[j - 1]) * before) / (before - after), status: 'interior' };
      }
    }
  }
  const vertex = parabolaVertex(x, y, i, 2 * window + 1, -1);
  return { value: Number.isFinite(vertex) ? vertex : x[i], status: 'interior' };
}

/**
 * Abscissa of the largest (signed) slope dy/dx: local-quadratic derivative (see localSlope), its argmax refined
 * by a parabola through the derivative within `window` samples. 'boundary' when the largest slope is at an end.
 */
export function maxSlopeLocation(x: ArrayLike<number>, y: ArrayLike<number>, window: number): LocatedContent {
  const n = x.length;
  if (n < 4) return NONE;
  const slope = localSlope(x, y, window);
  const i = argmax(slope);
  if (i < 0) return NONE;
  if (i === 0 || i === n - 1) return { value: x[i], status: 'boundary' };
  const vertex = parabolaVertex(x, slope, i, Math.max(window, 5), -1);
  return { value: Number.isFinite(vertex) ? vertex : x[i], status: 'interior' };
}

/**
 * Operational plateau: walking from the largest |dy/dx| towards lower x, the first place where |dy/dx| drops
 * below `fraction` of that largest value, linearly interpolated between the two samples that bracket it.
 * 'none' when |dy/dx| never drops that low on the low-x side.
 */
export function plateauOnset(x: ArrayLike<number>, y: ArrayLike<number>, window: number, fraction: number): LocatedContent {
  const n = x.length;
  if (n < 4) return NONE;
  const slope = localSlope(x, y, window);
  let iMax = -1;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(slope[i]);
    if (v > max) {
      max = v;
      iMax = i;
    }
  }
  if (iMax < 0) return NONE;
  const threshold = fraction * max;
  for (let j = iMax - 1; j >= 0; j--) {
    const lo = Math.abs(slope[j]);
    if (lo < threshold) {
      const hi = Math.abs(slope[j + 1]);
      const t = (hi - threshold) / (hi - lo);
      return { value: x[j + 1] - t * (x[j + 1] - x[j]), status: 'interior' };
    }
  }
  return NONE;
}

/**
 * σ of a located content by a residual bootstrap: the trend is a local quadratic over `window` samples on the
 * actual c_Li (a rolling mean would count its own curvature bias as noise), the noise is y minus that trend
 * (inflated by √(w/(w − 3)) for the three coefficients each local fit absorbs), replicates add noise drawn with
 * replacement to the trend, and the locator is re-run on each. Deterministic for a given seed; 0 for data that are
 * locally quadratic without noise; NaN when fewer than two replicates locate anything.
 */
export function resampledSigma(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  locate: Locator,
  window: number,
  replicates: number,
  seed: number,
): number {
  const n = y.length;
  const w = Math.max(5, window);
  const size = Math.min(w, n % 2 === 1 ? n : n - 1);
  if (size < 5) return Number.NaN;
  const smooth = localPolynomialFit(x, y, size, 2).value;
  const inflate = Math.sqrt(size / (size - 3));
  const noise: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = y[i] - smooth[i];
    if (Number.isFinite(r)) noise.push(r * inflate);
  }
  if (noise.length === 0) return Number.NaN;
  const random = seededRandom(seed);
  const replicate = new Float64Array(n);
  const found: number[] = [];
  for (let b = 0; b < replicates; b++) {
    for (let i = 0; i < n; i++) replicate[i] = smooth[i] + noise[Math.floor(random() * noise.length)];
    const r = locate(x, replicate);
    if (r.status !== 'none' && Number.isFinite(r.value)) found.push(r.value);
  }
  if (found.length < 2) return Number.NaN;
  let mean = 0;
  for (const v of found) mean += v / found.length;
  let ss = 0;
  for (const v of found) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / (found.length - 1));
}

/** c_Li of the maximum of d_IL (reference study: ≈ 0.40), with σ and status. */
export function dILMaximum(
  cLi: ArrayLike<number>,
  dIL: ArrayLike<number>,
  options: Partial<CharacteristicOptions> = {},
): CharacteristicContent {
  const o = { ...CHARACTERISTIC_DEFAULTS, ...options };
  return withSigma(cLi, dIL, (x, y) => maximumLocation(x, y, o.window), o);
}

/** c_Li where d_TM levels off on the low-c_Li side (reference study: ≈ 0.32), see {@link plateauOnset}. */
export function dTMPlateau(
  cLi: ArrayLike<number>,
  dTM: ArrayLike<number>,
  options: Partial<CharacteristicOptions> = {},
): CharacteristicContent {
  const o = { ...CHARACTERISTIC_DEFAULTS, ...options };
  return withSigma(cLi, dTM, (x, y) => plateauOnset(x, y, o.window, o.plateauFraction), o);
}

/** c_Li of the largest d(d_TM)/dc_Li (reference study: ≈ 0.62), see {@link maxSlopeLocation}. */
export function dTMMaxSlope(
  cLi: ArrayLike<number>,
  dTM: ArrayLike<number>,
  options: Partial<CharacteristicOptions> = {},
): CharacteristicContent {
  const o = { ...CHARACTERISTIC_DEFAULTS, ...options };
  return withSigma(cLi, dTM, (x, y) => maxSlopeLocation(x, y, o.window), o);
}

function withSigma(x: ArrayLike<number>, y: ArrayLike<number>, locate: Locator, o: CharacteristicOptions): CharacteristicContent {
  if (x.length !== y.length) throw new RangeError('characteristic content: c_Li and values differ in length');
  for (let i = 1; i < x.length; i++) {
    if (!(x[i] > x[i - 1])) throw new RangeError('characteristic content: c_Li must be strictly increasing (merge and sort the branch)');
  }
  const point = locate(x, y);
  if (point.status === 'none') return { value: Number.NaN, sigma: Number.NaN, status: 'none' };
  return { ...point, sigma: resampledSigma(x, y, locate, o.window, o.replicates, o.seed) };
}

/**
 * dy/dx from local quadratics over 2·window − 1 raw samples on the actual abscissae. No index-based rolling mean
 * first: on uneven c_Li its output belongs to the window's mean abscissa, not to the sample, which shifts extrema.
 */
function localSlope(x: ArrayLike<number>, y: ArrayLike<number>, window: number): Float64Array {
  const n = x.length;
  const w = Math.max(3, Math.min(2 * window - 1, n % 2 === 1 ? n : n - 1));
  return localPolynomialFit(x, y, w, 2).derivative;
}

function argmax(v: ArrayLike<number>): number {
  let best = -1;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    if (v[i] > max) {
      max = v[i];
      best = i;
    }
  }
  return best;
}

/**
 * Vertex of the least-squares parabola through `size` samples centred on `centre` (clamped inside the data);
 * NaN unless the curvature has the requested sign (−1 for a maximum) and the vertex lies within the samples used.
 */
function parabolaVertex(x: ArrayLike<number>, y: ArrayLike<number>, centre: number, size: number, curvatureSign: number): number {
  const n = x.length;
  const half = Math.floor(size / 2);
  const from = Math.max(0, centre - half);
  const to = Math.min(n, centre + half + 1);
  const a = new Float64Array(9);
  const b = new Float64Array(3);
  let count = 0;
  const reach = Math.max(Math.abs(x[from] - x[centre]), Math.abs(x[to - 1] - x[centre]));
  if (!(reach > 0)) return Number.NaN;
  for (let j = from; j < to; j++) {
    const yj = y[j];
    if (!Number.isFinite(yj)) continue;
    const t = (x[j] - x[centre]) / reach;
    const p = [1, t, t * t];
    for (let r = 0; r < 3; r++) {
      b[r] += p[r] * yj;
      for (let c = 0; c < 3; c++) a[r * 3 + c] += p[r] * p[c];
    }
    count++;
  }
  if (count < 3) return Number.NaN;
  const l = new Float64Array(9);
  if (!choleskyDecompose(a, 3, l)) return Number.NaN;
  choleskySolve(l, 3, b, b);
  if (!(b[2] * curvatureSign > 0)) return Number.NaN;
  const vertex = x[centre] - (b[1] / (2 * b[2])) * reach;
  return vertex >= x[from] && vertex <= x[to - 1] ? vertex : Number.NaN;
}
