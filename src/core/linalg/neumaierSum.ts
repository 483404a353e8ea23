/**
 * Compensated sum (Neumaier, ZAMM 1974, 54, 39): exact to about one rounding for sums whose terms cancel.
 *
 * @param values - terms to add; NaN propagates.
 * @returns Σ values.
 */
export function neumaierSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
