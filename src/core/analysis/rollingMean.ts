/**
 * Centred rolling mean by sample index (the paper's smoothing of d_TM and d_IL, Jousseaume et al. 2024 §3.4).
 *
 * Edge behaviour: the window shrinks symmetrically near the ends — sample i averages the 2k + 1 samples
 * i − k … i + k with k = min((window − 1)/2, i, n − 1 − i), so every output stays centred on its own sample (a
 * one-sided window would bias a sloped curve at its ends) and the first and last outputs are the raw end values.
 * NaN values are skipped; an output is NaN only when its whole window is NaN.
 *
 * @param values - samples in order.
 * @param window - odd number of samples ≥ 1.
 * @returns a new array of the same length.
 * @throws RangeError when `window` is not a positive odd integer.
 */
export function rollingMean(values: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) {
    throw new RangeError(`rollingMean: window must be a positive odd integer, got ${window}`);
  }
  const n = values.length;
  const half = (window - 1) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.min(half, i, n - 1 - i);
    let sum = 0;
    let count = 0;
    for (let j = i - k; j <= i + k; j++) {
      const v = values[j];
      if (v === v) {
        sum += v;
        count++;
      }
    }
    out[i] = count > 0 ? sum / count : Number.NaN;
  }
  return out;
}
