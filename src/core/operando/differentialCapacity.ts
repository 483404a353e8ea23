/**
 * Smoothed dQ/dV and dV/dQ on constant-current segments only (science.md §6; paper Fig. S24):
 * constant-voltage holds
 * and rests are dropped because there dV → 0 or dQ → 0 and the ratios carry no information.
 */
import type { LithiumTimeline } from './lithium.ts';

/** Defaults of {@link differentialCapacity}, in one place. */
export const DIFFERENTIAL_CAPACITY_DEFAULTS = {
  /** Centred rolling-mean window (odd, samples) applied to Q and V before differencing. */
  window: 11,
  /** A sample is constant-current when |I − I_median| ≤ this fraction of |I_median| of its step. */
  currentTolerance: 0.02,
  /** Segments shorter than this (samples) are skipped. */
  minSegmentSamples: 5,
} as const;

/** Options of {@link differentialCapacity}. */
export interface DifferentialCapacityOptions {
  readonly window?: number;
  readonly currentTolerance?: number;
  readonly minSegmentSamples?: number;
}

/** Flat output: one entry per kept sample, segments concatenated in time order. */
export interface DifferentialCapacity {
  readonly unixTimeS: Float64Array;
  /** Smoothed voltage in V. */
  readonly voltageV: Float64Array;
  /** Smoothed cumulative oxidation charge in mAh. */
  readonly chargeMah: Float64Array;
  readonly cLi: Float64Array;
  /** dQ/dV in mAh/V (NaN where the smoothed voltage does not change). */
  readonly dQdVMahPerV: Float64Array;
  /** dV/dQ in V/mAh (NaN where the smoothed charge does not change). */
  readonly dVdQVPerMah: Float64Array;
  /** Index of the constant-current segment (0, 1, …). */
  readonly segment: Float64Array;
  readonly branch: readonly ('charge' | 'discharge')[];
  readonly cycle: Float64Array;
}

/**
 * dQ/dV and dV/dQ on the constant-current segments of a timeline: samples are split by step (or by
 * branch when there
 * is no step column), samples whose current strays from the step's median are dropped (CV holds),
 * and each remaining
 * contiguous run is smoothed by a centred rolling mean and differenced over ±(window−1)/2 samples.
 * @throws RangeError on an even or non-positive window.
 */
export function differentialCapacity(
  timeline: LithiumTimeline,
  options: DifferentialCapacityOptions = {},
): DifferentialCapacity {
  const window = options.window ?? DIFFERENTIAL_CAPACITY_DEFAULTS.window;
  if (!(Number.isInteger(window) && window >= 1 && window % 2 === 1)) {
    throw new RangeError(`window must be a positive odd integer, got ${window}`);
  }
  const tol = options.currentTolerance ?? DIFFERENTIAL_CAPACITY_DEFAULTS.currentTolerance;
  const minLen = Math.max(3, options.minSegmentSamples ?? DIFFERENTIAL_CAPACITY_DEFAULTS.minSegmentSamples);
  const { currentMilliamp: I, branch, step } = timeline;
  const n = I.length;

  // 1. Runs of equal (step, branch), non-rest.
  const segments: [number, number][] = [];
  let i = 0;
  while (i < n) {
    if (branch[i] === 'rest') {
      i++;
      continue;
    }
    let j = i;
    const sameStep = (k: number): boolean => (Number.isNaN(step[i]) ? Number.isNaN(step[k]) : step[k] === step[i]);
    while (j + 1 < n && branch[j + 1] === branch[i] && sameStep(j + 1)) j++;
    // 2. Keep samples within tolerance of the run's median current; split where they are not.
    const median = medianOf(I.subarray(i, j + 1));
    let k = i;
    while (k <= j) {
      while (k <= j && Math.abs(I[k] - median) > tol * Math.abs(median)) k++;
      let e = k;
      while (e + 1 <= j && Math.abs(I[e + 1] - median) <= tol * Math.abs(median)) e++;
      if (k <= j && e - k + 1 >= minLen) segments.push([k, e]);
      k = e + 1;
    }
    i = j + 1;
  }

  let total = 0;
  for (const [a, b] of segments) total += b - a + 1;
  const out = {
    unixTimeS: new Float64Array(total),
    voltageV: new Float64Array(total),
    chargeMah: new Float64Array(total),
    cLi: new Float64Array(total),
    dQdVMahPerV: new Float64Array(total),
    dVdQVPerMah: new Float64Array(total),
    segment: new Float64Array(total),
    branch: new Array<'charge' | 'discharge'>(total),
    cycle: new Float64Array(total),
  };
  const half = (window - 1) / 2;
  const h = Math.max(1, half);
  let at = 0;
  segments.forEach(([a, b], s) => {
    const len = b - a + 1;
    const v = rollingMean(timeline.voltageV.subarray(a, b + 1), half);
    const q = rollingMean(timeline.chargeMah.subarray(a, b + 1), half);
    for (let k = 0; k < len; k++) {
      const lo = Math.max(0, k - h);
      const hi = Math.min(len - 1, k + h);
      const dV = v[hi] - v[lo];
      const dQ = q[hi] - q[lo];
      out.unixTimeS[at + k] = timeline.unixTimeS[a + k];
      out.voltageV[at + k] = v[k];
      out.chargeMah[at + k] = q[k];
      out.cLi[at + k] = timeline.cLi[a + k];
      out.dQdVMahPerV[at + k] = dV !== 0 ? dQ / dV : Number.NaN;
      out.dVdQVPerMah[at + k] = dQ !== 0 ? dV / dQ : Number.NaN;
      out.segment[at + k] = s;
      out.branch[at + k] = branch[a] as 'charge' | 'discharge';
      out.cycle[at + k] = timeline.cycle[a + k];
    }
    at += len;
  });
  return out;
}

/**
 * Centred rolling mean with a window of 2·half + 1 that shrinks symmetrically at the edges (keeps
 * length).
 */
function rollingMean(x: Float64Array, half: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const w = Math.min(half, i, x.length - 1 - i);
    let s = 0;
    for (let k = i - w; k <= i + w; k++) s += x[k];
    out[i] = s / (2 * w + 1);
  }
  return out;
}

function medianOf(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
