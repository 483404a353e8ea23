/**
 * Merge consecutive samples that share an abscissa (patterns taken during a rest share one c_Li, science.md §6)
 * before differentiating: a derivative across two equal c_Li would divide by zero.
 */

/** How a column is combined: values are averaged; σ columns give the σ of that average, √(Σσ²)/m. */
export type MergeKind = 'mean' | 'sigma';

/** Merged columns. */
export interface MergedColumns {
  /** Mean abscissa of each merged group. */
  readonly x: Float64Array;
  /** One array per input column, in input order. */
  readonly columns: Float64Array[];
  /** Samples in each group. */
  readonly counts: Int32Array;
}

/**
 * @param x - abscissae in order (one monotonic branch).
 * @param columns - columns to merge alongside x, each of x's length.
 * @param tolerance - a sample joins the running group when |x − x_first of group| ≤ tolerance (default 0: exact).
 * @param kinds - per column, 'mean' (default) or 'sigma'. NaN entries are ignored within a group.
 */
export function mergeEqualAbscissae(
  x: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  tolerance = 0,
  kinds: readonly MergeKind[] = [],
): MergedColumns {
  const n = x.length;
  for (const c of columns) if (c.length !== n) throw new RangeError('mergeEqualAbscissae: column length differs from x');
  const groups: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || !(Math.abs(x[i] - x[groups[groups.length - 1]]) <= tolerance)) groups.push(i);
  }
  const g = groups.length;
  const outX = new Float64Array(g);
  const counts = new Int32Array(g);
  const outColumns = columns.map(() => new Float64Array(g));
  for (let k = 0; k < g; k++) {
    const from = groups[k];
    const to = k + 1 < g ? groups[k + 1] : n;
    counts[k] = to - from;
    let sx = 0;
    for (let i = from; i < to; i++) sx += x[i];
    outX[k] = sx / (to - from);
    columns.forEach((col, c) => {
      let s = 0;
      let m = 0;
      const sigma = kinds[c] === 'sigma';
      for (let i = from; i < to; i++) {
        const v = col[i];
        if (v !== v) continue;
        s += sigma ? v * v : v;
        m++;
      }
      outColumns[c][k] = m === 0 ? Number.NaN : sigma ? Math.sqrt(s) / m : s / m;
    });
  }
  return { x: outX, columns: outColumns, counts };
}
