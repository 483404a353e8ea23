/**
 * Householder QR with column pivoting (Businger & Golub, Numer. Math. 1965, 7, 269), rank-revealing.
 * Used where the normal equations would square the condition number: covariances of ill-conditioned fits.
 */

const EPS = 2.220446049250313e-16;

/** Result of {@link pivotedQr}: A·P = Q·R with P the column permutation. Q is not formed. */
export interface PivotedQr {
  /** Upper-triangular R, cols×cols, row-major; rows ≥ rank carry the negligible remainder. */
  readonly r: Float64Array;
  /** `permutation[k]` is the original column index placed at position k. */
  readonly permutation: Int32Array;
  /** Number of diagonal entries with |R_kk| > rankTolerance · |R_00|. */
  readonly rank: number;
}

/**
 * Factor a rows×cols matrix (rows ≥ cols) given column by column: column j occupies
 * `columns[j * rows … j * rows + rows − 1]` — equivalently the row-major storage of Aᵀ, which is the
 * parameter-major Jacobian layout of the least-squares engine.
 *
 * @param columns - the matrix, column-contiguous; left untouched (a working copy is made).
 * @param rows - number of rows m.
 * @param cols - number of columns n ≤ m.
 * @param rankTolerance - relative threshold on |R_kk| / |R_00|; default max(m, n) · ε.
 */
export function pivotedQr(
  columns: Float64Array,
  rows: number,
  cols: number,
  rankTolerance = Math.max(rows, cols) * EPS,
): PivotedQr {
  if (cols > rows) throw new RangeError('pivotedQr: needs rows ≥ cols');
  if (columns.length < rows * cols) throw new RangeError('pivotedQr: buffer shorter than rows × cols');
  const w = columns.slice(0, rows * cols);
  const r = new Float64Array(cols * cols);
  const permutation = new Int32Array(cols);
  for (let j = 0; j < cols; j++) permutation[j] = j;

  for (let k = 0; k < cols; k++) {
    // Pivot on the largest remaining column norm; recomputed exactly (downdating loses accuracy, Golub & Van Loan §5.4.2).
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < cols; j++) {
      const base = j * rows;
      let s = 0;
      for (let i = k; i < rows; i++) s += w[base + i] * w[base + i];
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    if (best !== k) {
      const a = k * rows;
      const b = best * rows;
      for (let i = 0; i < rows; i++) {
        const t = w[a + i];
        w[a + i] = w[b + i];
        w[b + i] = t;
      }
      for (let i = 0; i < k; i++) {
        const t = r[i * cols + k];
        r[i * cols + k] = r[i * cols + best];
        r[i * cols + best] = t;
      }
      const t = permutation[k];
      permutation[k] = permutation[best];
      permutation[best] = t;
    }
    const base = k * rows;
    const norm = Math.sqrt(bestNorm);
    if (norm === 0) {
      for (let j = k; j < cols; j++) r[k * cols + j] = 0;
      continue;
    }
    // Reflect x onto alpha·e1 with alpha of opposite sign to x0 to avoid cancellation in v0 = x0 − alpha.
    const alpha = w[base + k] > 0 ? -norm : norm;
    w[base + k] -= alpha;
    const vv = -2 * alpha * w[base + k]; // vᵀv = ‖x‖² − 2·alpha·x0 + alpha² = −2·alpha·v0
    r[k * cols + k] = alpha;
    for (let j = k + 1; j < cols; j++) {
      const cj = j * rows;
      let dot = 0;
      for (let i = k; i < rows; i++) dot += w[base + i] * w[cj + i];
      const f = (2 * dot) / vv;
      for (let i = k; i < rows; i++) w[cj + i] -= f * w[base + i];
      r[k * cols + j] = w[cj + k];
    }
  }
  let rank = 0;
  const r00 = Math.abs(r[0]);
  for (let k = 0; k < cols; k++) if (Math.abs(r[k * cols + k]) > rankTolerance * r00 && r00 > 0) rank++;
  return { r, permutation, rank };
}
