/**
 * Weighted normal equations for a parameter-major Jacobian (`jac[p * n + i] = ∂f_i/∂θ_p`, see `problem.ts`).
 * Each entry is a dot product of two contiguous rows, so no strided access in the inner loop.
 */

/**
 * Fill A = JᵀWJ (P×P, row-major, symmetric) and g = JᵀW(y − f) (length P). Does not allocate.
 * Each Jacobian row is first bounded to its first…last non-zero point, and products run over the overlap only:
 * a peak's parameters touch a window of the pattern, so their rows cost their window, not N.
 *
 * @param jac - parameter-major Jacobian, length P·n.
 * @param parameters - P.
 * @param points - n.
 * @param weights - w_i = 1/σ_i², length n.
 * @param residuals - y_i − f_i, length n.
 * @param a - output P×P.
 * @param g - output P; equals −½ ∇χ².
 * @param first - workspace, length P (first non-zero index per row).
 * @param last - workspace, length P (last non-zero index per row, exclusive).
 */
export function normalEquations(
  jac: Float64Array,
  parameters: number,
  points: number,
  weights: Float64Array,
  residuals: Float64Array,
  a: Float64Array,
  g: Float64Array,
  first: Int32Array,
  last: Int32Array,
): void {
  for (let p = 0; p < parameters; p++) {
    const rowP = p * points;
    let lo = 0;
    while (lo < points && jac[rowP + lo] === 0) lo++;
    let hi = points;
    while (hi > lo && jac[rowP + hi - 1] === 0) hi--;
    first[p] = lo;
    last[p] = hi;
  }
  for (let p = 0; p < parameters; p++) {
    const rowP = p * points;
    let gp = 0;
    for (let i = first[p]; i < last[p]; i++) gp += weights[i] * jac[rowP + i] * residuals[i];
    g[p] = gp;
    for (let q = 0; q <= p; q++) {
      const rowQ = q * points;
      const from = Math.max(first[p], first[q]);
      const to = Math.min(last[p], last[q]);
      let s = 0;
      for (let i = from; i < to; i++) s += weights[i] * jac[rowP + i] * jac[rowQ + i];
      a[p * parameters + q] = s;
      a[q * parameters + p] = s;
    }
  }
}

/**
 * χ² = Σ w_i (y_i − f_i)², compensated (Neumaier) so that successive χ² values can be compared to ~1e-15.
 * Also stores the residuals y − f into `residuals`. Does not allocate.
 *
 * @returns χ² (NaN or Infinity when the model produced non-finite values).
 */
export function weightedChi2(
  y: Float64Array,
  f: Float64Array,
  weights: Float64Array,
  residuals: Float64Array,
): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i] - f[i];
    residuals[i] = r;
    const v = weights[i] * r * r;
    const t = sum + v;
    compensation += sum >= v ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
