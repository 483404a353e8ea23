/**
 * Cholesky factorisation and solves for symmetric positive-definite matrices stored flat and row-major
 * (`a[i * n + j]`). Used for the damped normal equations of Levenberg–Marquardt, where a failed
 * factorisation is the signal to raise the damping rather than an error.
 */

/** Machine epsilon for IEEE doubles. */
const EPS = 2.220446049250313e-16;

/**
 * Factor a = L·Lᵀ (Golub & Van Loan, Matrix Computations, alg. 4.2.1). Only the lower triangle of `a` is read.
 *
 * @param a - n×n symmetric matrix, row-major; left untouched.
 * @param n - order of the matrix.
 * @param l - output n×n, row-major; receives L in the lower triangle and zeros above. May not alias `a`.
 * @returns false when a pivot is not safely positive (not positive definite to working precision, or NaN).
 */
export function choleskyDecompose(a: Float64Array, n: number, l: Float64Array): boolean {
  if (a.length < n * n || l.length < n * n) throw new RangeError('choleskyDecompose: buffers shorter than n²');
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let s = a[rowJ + j];
    for (let k = 0; k < j; k++) {
      const v = l[rowJ + k];
      s -= v * v;
    }
    // A pivot eaten by cancellation down to rounding level means the matrix is numerically semidefinite.
    if (!(s > n * EPS * Math.abs(a[rowJ + j]))) return false;
    const d = Math.sqrt(s);
    l[rowJ + j] = d;
    for (let k = j + 1; k < n; k++) l[rowJ + k] = 0;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let t = a[rowI + j];
      for (let k = 0; k < j; k++) t -= l[rowI + k] * l[rowJ + k];
      l[rowI + j] = t / d;
    }
  }
  return true;
}

/**
 * Solve L·Lᵀ·x = b with the factor from {@link choleskyDecompose}. `x` may alias `b`. Does not allocate.
 *
 * @param l - n×n lower-triangular factor, row-major.
 * @param n - order.
 * @param b - right-hand side, length n.
 * @param x - solution, length n.
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  // Forward substitution L·y = b.
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[row + k] * x[k];
    x[i] = s / l[row + i];
  }
  // Back substitution Lᵀ·x = y.
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}

/**
 * Inverse of a symmetric positive-definite matrix from its Cholesky factor, obtained by solving against the
 * columns of the identity (for covariances; never use it to take a step).
 *
 * @param l - n×n lower-triangular factor, row-major.
 * @param n - order.
 * @param out - n×n output, row-major, symmetric.
 */
export function choleskyInverse(l: Float64Array, n: number, out: Float64Array): void {
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySolve(l, n, column, column);
    for (let i = 0; i < n; i++) out[i * n + j] = column[i];
  }
  // Symmetrise: the two triangles come from different solves and differ by rounding.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = m;
      out[j * n + i] = m;
    }
  }
}
