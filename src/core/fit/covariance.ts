/**
 * Parameter covariance (JᵀWJ)⁻¹ · scale from a parameter-major Jacobian, through a column-scaled pivoted QR of
 * W^½J. The QR route keeps the condition number of J rather than its square (Björck, Numerical Methods for
 * Least Squares Problems, §1.4), which matters for certified σ of ill-conditioned problems (NIST Bennett5, MGH09).
 */
import { choleskyDecompose, choleskyInverse } from '../linalg/cholesky.ts';
import { pivotedQr } from '../linalg/pivotedQr.ts';
import { solveUpper } from '../linalg/triangular.ts';

/** Covariance, its σ and the numerical rank of the Jacobian. */
export interface CovarianceResult {
  /** P×P row-major; NaN in rows/columns of undetermined parameters. */
  readonly covariance: Float64Array;
  /** √diag; Infinity for parameters the data do not determine (rank deficiency). */
  readonly sigma: Float64Array;
  readonly rank: number;
}

/**
 * @param jac - parameter-major Jacobian, length P·n.
 * @param parameters - P.
 * @param points - n ≥ P.
 * @param weights - w_i, length n.
 * @param scale - multiplier, χ²_red for σ from the scatter or 1 for σ from the weights alone.
 */
export function covarianceFromJacobian(
  jac: Float64Array,
  parameters: number,
  points: number,
  weights: Float64Array,
  scale: number,
): CovarianceResult {
  const P = parameters;
  const n = points;
  const covariance = new Float64Array(P * P).fill(Number.NaN);
  const sigma = new Float64Array(P).fill(Number.POSITIVE_INFINITY);
  if (P === 0 || n < P) return { covariance, sigma, rank: 0 };
  // Unit-norm columns first: ranks then compare directions, not units (van der Sluis scaling).
  const scaled = new Float64Array(P * n);
  const columnNorm = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.sqrt(weights[i]) * jac[p * n + i];
      scaled[p * n + i] = v;
      s += v * v;
    }
    columnNorm[p] = Math.sqrt(s);
    const inv = columnNorm[p] > 0 ? 1 / columnNorm[p] : 0;
    for (let i = 0; i < n; i++) scaled[p * n + i] *= inv;
  }
  const { r, permutation, rank } = pivotedQr(scaled, n, P);
  // Invert the leading rank×rank block of R column by column (solves against identity columns).
  const k = rank;
  const r11 = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) r11[i * k + j] = r[i * P + j];
  const rInv = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    e.fill(0);
    e[j] = 1;
    solveUpper(r11, k, e, e);
    for (let i = 0; i < k; i++) rInv[i * k + j] = e[i];
  }
  // (D⁻¹JᵀWJD⁻¹)⁻¹ = Π R⁻¹R⁻ᵀ Πᵀ on the determined block.
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = Math.max(i, j); m < k; m++) s += rInv[i * k + m] * rInv[j * k + m];
      const pi = permutation[i];
      const pj = permutation[j];
      const c = (s * scale) / (columnNorm[pi] * columnNorm[pj]);
      covariance[pi * P + pj] = c;
      covariance[pj * P + pi] = c;
    }
  }
  for (let i = 0; i < k; i++) {
    const p = permutation[i];
    sigma[p] = Math.sqrt(covariance[p * P + p]);
  }
  return { covariance, sigma, rank };
}

/** Smallest pivot² of the unit-diagonal Cholesky factor accepted by the fast path (κ ≳ 1/pivot²). */
const PIVOT_FLOOR = 1e-10;

/**
 * Fast path for well-conditioned fits: (JᵀWJ)⁻¹ · scale from the normal matrix itself, by Cholesky of its
 * unit-diagonal scaling D⁻¹AD⁻¹ (van der Sluis: the error then follows the scaled condition number) and solves
 * against identity columns. O(P³) instead of the O(N·P²) QR, which dominates a 7000-point fit.
 * Returns undefined when a squared pivot falls below 1e-10 (scaled condition number ≳ 1e10, where the inverse keeps
 * about 6 digits — enough for σ, and the certified NIST σ tests still pass), leaving the case to
 * {@link covarianceFromJacobian}. Parameters with a zero diagonal (no influence) get σ = Infinity.
 *
 * @param a - JᵀWJ, P×P row-major.
 * @param parameters - P.
 * @param scale - χ²_red or 1, as in {@link covarianceFromJacobian}.
 */
export function covarianceFromNormalMatrix(a: Float64Array, parameters: number, scale: number): CovarianceResult | undefined {
  const P = parameters;
  const active: number[] = [];
  for (let p = 0; p < P; p++) if (a[p * P + p] > 0) active.push(p);
  const k = active.length;
  const d = Float64Array.from(active, (p) => Math.sqrt(a[p * P + p]));
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) s[i * k + j] = a[active[i] * P + active[j]] / (d[i] * d[j]);
  }
  const l = new Float64Array(k * k);
  if (!choleskyDecompose(s, k, l)) return undefined;
  for (let i = 0; i < k; i++) if (l[i * k + i] * l[i * k + i] < PIVOT_FLOOR) return undefined;
  const inv = new Float64Array(k * k);
  choleskyInverse(l, k, inv);
  const covariance = new Float64Array(P * P).fill(Number.NaN);
  const sigma = new Float64Array(P).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) covariance[active[i] * P + active[j]] = (inv[i * k + j] * scale) / (d[i] * d[j]);
    sigma[active[i]] = Math.sqrt(covariance[active[i] * P + active[i]]);
  }
  return { covariance, sigma, rank: k };
}
