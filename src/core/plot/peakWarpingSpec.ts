/**
 * Peak warping from lithiation heterogeneity (Jousseaume et al. 2024, ESI S16): the profile of one reflection when
 * the crystal's c_Li spreads over [c_Li − Δ/2, c_Li + Δ/2], for several Δ, beside the observed peak.
 */
import { warpedPeakProfile, hexagonalTwoThetaDeg } from '../analysis/peakWarping.ts';
import { rollingMean } from '../analysis/rollingMean.ts';
import { AXIS_TITLE, topLevel, zoomParam, type VegaLiteSpec } from './spec.ts';

export interface PeakWarpingInput {
  /** One branch: c_Li increasing, refined a and c in Å. */
  readonly cLi: ArrayLike<number>;
  readonly a: ArrayLike<number>;
  readonly c: ArrayLike<number>;
  readonly hkl: readonly [number, number, number];
  /** Centre of the spread. */
  readonly atCLi: number;
  readonly deltas: readonly number[];
  readonly wavelengthAngstrom: number;
  /** FWHM of the homogeneous peak (deg 2θ), a pseudo-Voigt with η = 0.5. */
  readonly fwhmDeg: number;
  /** Rolling-mean window applied to a and c first (odd). */
  readonly window?: number;
  /** Observed pattern to draw beside the simulation (background-subtracted by its minimum in the window). */
  readonly observed?: { readonly twoThetaDeg: ArrayLike<number>; readonly intensity: ArrayLike<number> };
  readonly title?: string;
}

function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / (xs[hi] - xs[lo]);
}

export function peakWarpingSpec(input: PeakWarpingInput): VegaLiteSpec {
  const w = input.window ?? 7;
  const window = Math.min(w, input.cLi.length % 2 ? input.cLi.length : input.cLi.length - 1);
  const fa = rollingMean(input.a, window);
  const fc = rollingMean(input.c, window);
  const [h, k, l] = input.hkl;
  const position = (c: number) => hexagonalTwoThetaDeg(h, k, l, interpolate(input.cLi, fa, c), interpolate(input.cLi, fc, c), input.wavelengthAngstrom);
  const centre = position(input.atCLi);
  const maxDelta = Math.max(0, ...input.deltas);
  const spread = Math.abs(position(input.atCLi - maxDelta / 2) - position(input.atCLi + maxDelta / 2));
  const half = 6 * input.fwhmDeg + spread;
  const grid = Float64Array.from({ length: 401 }, (_, i) => centre - half + (2 * half * i) / 400);
  const hw = input.fwhmDeg / 2;
  // Unit-area pseudo-Voigt (η = 0.5): the simulator's and our refinements' profile family (science.md §3).
  const profile = (dx: number) => 0.5 * (hw / Math.PI / (dx * dx + hw * hw)) + 0.5 * (Math.sqrt(Math.LN2 / Math.PI) / hw) * Math.exp((-Math.LN2 * dx * dx) / (hw * hw));
  const values: Record<string, unknown>[] = [];
  for (const delta of [0, ...input.deltas.filter((d) => d > 0)]) {
    const y = warpedPeakProfile(grid, input.atCLi, delta, position, (dx) => profile(dx));
    let peak = 0;
    for (const v of y) peak = Math.max(peak, v);
    for (let i = 0; i < grid.length; i++) values.push({ x: grid[i], y: y[i] / (peak || 1), curve: `Δc_Li = ${delta}` });
  }
  if (input.observed) {
    const xs = input.observed.twoThetaDeg;
    const ys = input.observed.intensity;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < xs.length; i++) if (xs[i] >= grid[0] && xs[i] <= grid[grid.length - 1]) (lo = Math.min(lo, ys[i])), (hi = Math.max(hi, ys[i]));
    for (let i = 0; i < xs.length; i++) if (xs[i] >= grid[0] && xs[i] <= grid[grid.length - 1]) values.push({ x: xs[i], y: (ys[i] - lo) / (hi - lo || 1), curve: 'observed' });
  }
  const label = `${h}${k}${l}`;
  return topLevel(
    {
      width: 480,
      height: 280,
      data: { values },
      params: [zoomParam('zoom', ['x'])],
      // A line answers a hover with its first point: transparent points give each point its own tooltip.
      mark: { type: 'line', strokeWidth: 1.5, point: 'transparent' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: AXIS_TITLE.twoTheta, scale: { zero: false, nice: false } },
        y: { field: 'y', type: 'quantitative', title: `Intensity of ${label} (normalised)` },
        color: { field: 'curve', type: 'nominal', title: `c_Li = ${input.atCLi.toFixed(3)}` },
        tooltip: [
          { field: 'curve', type: 'nominal', title: 'Curve' },
          { field: 'x', type: 'quantitative', title: AXIS_TITLE.twoTheta, format: '.4f' },
          { field: 'y', type: 'quantitative', title: 'Normalised intensity', format: '.3f' },
        ],
      },
    },
    input.title ?? `Peak ${label} warped by a spread of c_Li (ESI S16)`,
  );
}
