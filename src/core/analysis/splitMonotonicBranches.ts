/**
 * Split a c_Li sequence into monotonic branches (charge, discharge, each cycle), as the analyses of science.md §7
 * work per branch. Equal values (rests, |Δ| ≤ tolerance) stay in the running branch; a reversal starts a new one.
 */

/** One monotonic run of samples: indices start … end − 1. */
export interface MonotonicBranch {
  readonly start: number;
  /** Exclusive end index. */
  readonly end: number;
  /** 'decreasing' c_Li is a charge of a cathode, 'increasing' a discharge; 'constant' when nothing moved. */
  readonly direction: 'increasing' | 'decreasing' | 'constant';
}

/**
 * @param values - the sequence in acquisition order (e.g. c_Li per pattern); NaN samples stay in the branch they
 *   fall in and are skipped when deciding the direction.
 * @param tolerance - changes of at most this size count as "equal" (same unit as values, default 0).
 * @returns branches covering every index; the turning sample is the last of one branch and the first of the next,
 *   since it belongs to both.
 */
export function splitMonotonicBranches(values: ArrayLike<number>, tolerance = 0): MonotonicBranch[] {
  const n = values.length;
  const branches: MonotonicBranch[] = [];
  if (n === 0) return branches;
  let start = 0;
  let direction = 0;
  let last = Number.NaN;
  let lastIndex = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (lastIndex >= 0) {
      const d = v - last;
      const sign = d > tolerance ? 1 : d < -tolerance ? -1 : 0;
      if (sign !== 0) {
        if (direction === 0) direction = sign;
        else if (sign !== direction) {
          branches.push({ start, end: lastIndex + 1, direction: direction > 0 ? 'increasing' : 'decreasing' });
          start = lastIndex;
          direction = sign;
        }
      }
    }
    last = v;
    lastIndex = i;
  }
  branches.push({
    start,
    end: n,
    direction: direction > 0 ? 'increasing' : direction < 0 ? 'decreasing' : 'constant',
  });
  return branches;
}
