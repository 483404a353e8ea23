/** Triangular solves on flat row-major matrices; no allocation. */

/**
 * Solve R·x = b for upper-triangular R (n×n, row-major). `x` may alias `b`.
 *
 * @param r - upper-triangular matrix; the strict lower triangle is ignored.
 * @param n - order.
 * @param b - right-hand side, length n.
 * @param x - solution, length n.
 */
export function solveUpper(r: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= r[row + k] * x[k];
    x[i] = s / r[row + i];
  }
}

/**
 * Solve Rᵀ·x = b for upper-triangular R (n×n, row-major), i.e. a forward substitution. `x` may alias `b`.
 *
 * @param r - upper-triangular matrix; the strict lower triangle is ignored.
 * @param n - order.
 * @param b - right-hand side, length n.
 * @param x - solution, length n.
 */
export function solveUpperTransposed(r: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= r[k * n + i] * x[k];
    x[i] = s / r[i * n + i];
  }
}
