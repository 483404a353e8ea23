/**
 * Local polynomial least squares on the actual, possibly uneven abscissae (Cleveland & Devlin, JASA 1988, 83, 596,
 * unweighted): at each sample a polynomial is fitted to its neighbours and its value and slope taken there. On even
 * spacing this is the Savitzky–Golay filter; on uneven c_Li it stays exact for polynomials up to `degree`.
 */
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';

/** Smoothed values and first derivatives at each sample. */
export interface LocalPolynomialFit {
  /** Fitted value at x_i (units of y). */
  readonly value: Float64Array;
  /** dy/dx at x_i (units of y per unit of x). */
  readonly derivative: Float64Array;
}

/**
 * @param x - abscissae, strictly increasing (e.g. c_Li of one merged branch, sorted).
 * @param y - ordinates; NaN samples are left out of every fit.
 * @param window - odd number of neighbouring samples per fit; near the ends the window keeps its size and slides
 *   inwards (one-sided fits), so derivatives at the edges use as many points as in the middle.
 * @param degree - polynomial degree (1–4); must be < window.
 * @returns value and derivative; NaN where fewer than degree + 1 finite samples are in the window.
 * @throws RangeError on an even window, a degree outside 1–4 or ≥ window, or mismatched lengths.
 */
export function localPolynomialFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  window: number,
  degree = 2,
): LocalPolynomialFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError('localPolynomialFit: x and y differ in length');
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) {
    throw new RangeError(`localPolynomialFit: window must be a positive odd integer, got ${window}`);
  }
  if (!Number.isInteger(degree) || degree < 1 || degree > 4 || degree >= window) {
    throw new RangeError(`localPolynomialFit: degree must be 1–4 and below the window, got ${degree}`);
  }
  const m = degree + 1;
  const value = new Float64Array(n).fill(Number.NaN);
  const derivative = new Float64Array(n).fill(Number.NaN);
  const a = new Float64Array(m * m);
  const l = new Float64Array(m * m);
  const b = new Float64Array(m);
  const powers = new Float64Array(m);
  const size = Math.min(window, n);
  const half = (window - 1) / 2;
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, Math.min(i - half, n - size));
    const to = from + size;
    // Centre on x_i and scale by the window's reach: keeps the small normal equations well conditioned.
    let reach = 0;
    for (let j = from; j < to; j++) reach = Math.max(reach, Math.abs(x[j] - x[i]));
    if (!(reach > 0)) continue;
    a.fill(0);
    b.fill(0);
    let count = 0;
    for (let j = from; j < to; j++) {
      const yj = y[j];
      if (yj !== yj) continue;
      count++;
      const t = (x[j] - x[i]) / reach;
      powers[0] = 1;
      for (let k = 1; k < m; k++) powers[k] = powers[k - 1] * t;
      for (let r = 0; r < m; r++) {
        b[r] += powers[r] * yj;
        for (let c = 0; c <= r; c++) a[r * m + c] += powers[r] * powers[c];
      }
    }
    if (count < m) continue;
    for (let r = 0; r < m; r++) for (let c = r + 1; c < m; c++) a[r * m + c] = a[c * m + r];
    if (!choleskyDecompose(a, m, l)) continue;
    choleskySolve(l, m, b, b);
    value[i] = b[0];
    derivative[i] = b[1] / reach;
  }
  return { value, derivative };
}
