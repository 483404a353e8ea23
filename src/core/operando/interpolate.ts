/** Linear interpolation on a sorted abscissa. */

/**
 * Index of the last sample with xs[i] ≤ x, by bisection; −1 when x < xs[0]. `xs` must be
 * non-decreasing.
 */
export function bisectRight(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * ys interpolated linearly at x on a non-decreasing `xs`; NaN outside [xs[0], xs[n−1]] (no
 * extrapolation: a pattern
 * outside the record has no c_Li). At a repeated abscissa the later sample wins.
 */
export function interpolateLinear(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  if (n === 0 || !(x >= xs[0] && x <= xs[n - 1])) return Number.NaN;
  const i = bisectRight(xs, x);
  if (i >= n - 1 || xs[i] === x) return ys[i];
  const t = (x - xs[i]) / (xs[i + 1] - xs[i]);
  return ys[i] + t * (ys[i + 1] - ys[i]);
}
