/**
 * Min/max-preserving decimation for display: split the samples into equal index buckets and keep,
 * per bucket, the
 * samples holding each curve's minimum and maximum, so peaks and dips survive at any zoom (the
 * classic M4/min-max
 * reduction for line charts, without the first/last-per-bucket pair).
 */

/** Display limit above which pattern builders decimate (points per curve). */
export const DISPLAY_MAX_POINTS = 5000;

/**
 * Indices (ascending, unique) of at most `maxPoints` samples to draw. Every bucket keeps the argmin
 * and argmax of
 * every curve in `ys` (NaN skipped), and the first and last samples are always kept. When the input
 * has at most
 * `maxPoints` samples, all indices are returned.
 * @throws RangeError when curves differ in length or `maxPoints` < 2 + 2·(number of curves).
 */
export function minMaxDecimate(ys: readonly Float64Array[], maxPoints: number = DISPLAY_MAX_POINTS): Uint32Array {
  if (ys.length === 0) throw new RangeError('minMaxDecimate: no curves');
  const n = ys[0].length;
  for (const y of ys) if (y.length !== n) throw new RangeError('minMaxDecimate: curves differ in length');
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  const perBucket = 2 * ys.length;
  if (!(maxPoints >= 2 + perBucket)) throw new RangeError(`minMaxDecimate: maxPoints must be ≥ ${2 + perBucket}`);
  const buckets = Math.floor((maxPoints - 2) / perBucket);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    for (const y of ys) {
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = y[i];
        if (Number.isNaN(v)) continue;
        if (lo < 0 || v < y[lo]) lo = i;
        if (hi < 0 || v > y[hi]) hi = i;
      }
      if (lo >= 0) keep[lo] = 1;
      if (hi >= 0) keep[hi] = 1;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  const out = new Uint32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (keep[i]) out[k++] = i;
  return out;
}

/**
 * Reduces a curve to at most `columns` bins of equal index width, keeping each bin's maximum (peaks
 * stay visible in
 * a heatmap) and the mean abscissa of the bin.
 */
export function binMax(x: Float64Array, y: Float64Array, columns: number): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  if (n <= columns) return { x: Float64Array.from(x), y: Float64Array.from(y) };
  const ox = new Float64Array(columns);
  const oy = new Float64Array(columns);
  for (let b = 0; b < columns; b++) {
    const from = Math.floor((b * n) / columns);
    const to = Math.floor(((b + 1) * n) / columns);
    let sx = 0;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = from; i < to; i++) {
      sx += x[i];
      if (y[i] > m) m = y[i];
    }
    ox[b] = sx / (to - from);
    oy[b] = m === Number.NEGATIVE_INFINITY ? Number.NaN : m;
  }
  return { x: ox, y: oy };
}
