/**
 * Savitzky–Golay smoothing and first derivative (Anal. Chem. 1964, 36, 1627) for evenly spaced samples only —
 * use {@link localPolynomialFit} on uneven c_Li. Convolution weights are computed once per window position; near
 * the ends the window slides inwards (same size, one-sided weights) rather than shrinking.
 */
import { choleskyDecompose, choleskyInverse } from '../linalg/cholesky.ts';

/**
 * @param y - evenly spaced samples.
 * @param window - odd window length in samples.
 * @param degree - polynomial degree (1–4), below the window.
 * @param derivative - 0 for smoothed values, 1 for dy/dx.
 * @param spacing - the constant sample spacing Δx (only used for the derivative), in units of x.
 * @throws RangeError on bad window/degree or a series shorter than the window.
 */
export function savitzkyGolay(y: ArrayLike<number>, window: number, degree = 2, derivative: 0 | 1 = 0, spacing = 1): Float64Array {
  const n = y.length;
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) throw new RangeError('savitzkyGolay: window must be odd');
  if (!Number.isInteger(degree) || degree < 1 || degree > 4 || degree >= window) {
    throw new RangeError('savitzkyGolay: degree must be 1–4 and below the window');
  }
  if (n < window) throw new RangeError('savitzkyGolay: series shorter than the window');
  const m = degree + 1;
  const half = (window - 1) / 2;
  // G = (VᵀV)⁻¹ with V_jk = (j − half)^k on the window's integer grid.
  const vtv = new Float64Array(m * m);
  for (let j = 0; j < window; j++) {
    const t = j - half;
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) vtv[r * m + c] += t ** r * t ** c;
  }
  const l = new Float64Array(m * m);
  if (!choleskyDecompose(vtv, m, l)) throw new RangeError('savitzkyGolay: singular design');
  const g = new Float64Array(m * m);
  choleskyInverse(l, m, g);
  // weights[p][j]: contribution of sample j of the window to the estimate at window position p.
  const weights = new Float64Array(window * window);
  for (let p = 0; p < window; p++) {
    const tp = p - half;
    for (let j = 0; j < window; j++) {
      const tj = j - half;
      let w = 0;
      for (let r = 0; r < m; r++) {
        const basis = derivative === 0 ? tp ** r : r === 0 ? 0 : r * tp ** (r - 1);
        let row = 0;
        for (let c = 0; c < m; c++) row += g[r * m + c] * tj ** c;
        w += basis * row;
      }
      weights[p * window + j] = w;
    }
  }
  const out = new Float64Array(n);
  const scale = derivative === 0 ? 1 : 1 / spacing;
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, Math.min(i - half, n - window));
    const p = i - from;
    let s = 0;
    for (let j = 0; j < window; j++) s += weights[p * window + j] * y[from + j];
    out[i] = s * scale;
  }
  return out;
}
