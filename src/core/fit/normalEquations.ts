/**
 * Weighted normal equations for a parameter-major Jacobian (`jac[p * n + i] = ∂f_i/∂θ_p`, see `problem.ts`).
 * Each entry is a dot product of two contiguous rows, so no strided access in the inner loop.
 */
import type { JacobianRowSpans } from './problem.ts';

/** Buffers of {@link normalEquations}, allocated once per fit by {@link createNormalWorkspace}. */
export interface NormalWorkspace {
  readonly parameters: number;
  readonly points: number;
  /** First non-zero index per row. */
  readonly first: Int32Array;
  /** Last non-zero index per row (exclusive). */
  readonly last: Int32Array;
  /**
   * Runs of non-zeros of each row: row p's runs are [runs[2k], runs[2k+1]) for k in [runOffset[p], runOffset[p+1]).
   * A wide row whose non-zeros come in runs (a cell parameter touches only its peaks' windows) costs its runs, not its
   * span, in every product.
   */
  readonly runOffset: Int32Array;
  readonly runs: Int32Array;
  /** √w_i. */
  readonly sqrtWeights: Float64Array;
  /** The Jacobian buffer (P·n, parameter-major) of a least-squares run that uses this workspace. */
  readonly jacobian: Float64Array;
  /**
   * True when every non-zero of `jacobian` lies within its row's [first, last): set by {@link normalEquations}, cleared
   * by whoever starts writing a Jacobian. Then clearing those spans clears the buffer, also for the next fit that
   * reuses the workspace.
   */
  clean: boolean;
  /** Where the model says the next Jacobian's rows can be non-zero (filled by the model, if it knows). */
  readonly spans: JacobianRowSpans;
  /** W^½J, parameter-major. */
  readonly scaled: Float64Array;
  /** W^½r. */
  readonly scaledResiduals: Float64Array;
  /** 1 where the row does not depend on θ (a parameter the model is linear in, alone: a background term). */
  readonly constantRows: Uint8Array;
  /** Set once the products among constant rows are in `a`'s cache. */
  cached: boolean;
  /** Products among constant rows, P×P (only those entries are meaningful). */
  readonly cache: Float64Array;
}

/**
 * @param parameters - P.
 * @param points - n.
 * @param weights - w_i (fixed for the whole fit: the cache of constant rows depends on them).
 * @param constantRows - optional, length P: 1 for rows that are the same at every θ (their mutual products are
 *   computed once per fit, not once per iteration).
 */
export function createNormalWorkspace(
  parameters: number,
  points: number,
  weights: Float64Array,
  constantRows?: Uint8Array,
): NormalWorkspace {
  const ws: NormalWorkspace = {
    parameters,
    points,
    first: new Int32Array(parameters),
    last: new Int32Array(parameters),
    runOffset: new Int32Array(parameters + 1),
    runs: new Int32Array(2 * parameters * MAX_RUNS_PER_ROW),
    sqrtWeights: new Float64Array(points),
    jacobian: new Float64Array(parameters * points),
    clean: true,
    spans: { first: new Int32Array(parameters), last: new Int32Array(parameters), known: false, kept: new Uint8Array(parameters) },
    scaled: new Float64Array(parameters * points),
    scaledResiduals: new Float64Array(points),
    constantRows: new Uint8Array(parameters),
    cached: false,
    cache: new Float64Array(parameters * parameters),
  };
  prepareNormalWorkspace(ws, weights, constantRows);
  return ws;
}

/**
 * Make a workspace ready for a new fit with the same P and n (other weights, other constant rows): reusing the large
 * buffers of a previous fit avoids touching fresh memory on every fit of a series.
 */
export function prepareNormalWorkspace(ws: NormalWorkspace, weights: Float64Array, constantRows?: Uint8Array): void {
  if (weights.length !== ws.points) throw new RangeError('prepareNormalWorkspace: weights and points differ in length');
  if (constantRows && constantRows.length !== ws.parameters) throw new RangeError('prepareNormalWorkspace: constantRows must have length P');
  for (let i = 0; i < ws.points; i++) ws.sqrtWeights[i] = Math.sqrt(weights[i]);
  if (constantRows) ws.constantRows.set(constantRows);
  else ws.constantRows.fill(0);
  ws.cached = false;
}

/** Rows wider than this are split into runs of non-zeros. */
const RUN_MIN_SPAN = 512;
/** Zero gaps shorter than this stay inside a run (a dot product call costs about as much as a few points). */
const RUN_MIN_GAP = 16;
/** A row with more runs than this is kept as one run. */
const MAX_RUNS_PER_ROW = 256;

/** Runs of non-zeros of row p within [lo, hi) into ws.runs from `at`; returns the new end (in pairs). */
function findRuns(jac: Float64Array, rowP: number, lo: number, hi: number, runs: Int32Array, at: number): number {
  if (hi - lo < RUN_MIN_SPAN) {
    runs[2 * at] = lo;
    runs[2 * at + 1] = hi;
    return at + 1;
  }
  const start = at;
  let i = lo;
  while (i < hi) {
    // i is a non-zero: extend the run until a gap of RUN_MIN_GAP zeros (or the end).
    const runStart = i;
    let runEnd = i + 1;
    let j = i + 1;
    while (j < hi) {
      if (jac[rowP + j] !== 0) {
        runEnd = j + 1;
      } else if (j - runEnd + 1 >= RUN_MIN_GAP) {
        break;
      }
      j++;
    }
    if (at - start >= MAX_RUNS_PER_ROW) {
      runs[2 * start] = lo;
      runs[2 * start + 1] = hi;
      return start + 1;
    }
    runs[2 * at] = runStart;
    runs[2 * at + 1] = runEnd;
    at++;
    i = j;
    while (i < hi && jac[rowP + i] === 0) i++;
  }
  return at;
}

/** Σ u_i v_i over the intersection of two rows' runs. */
function runDot(u: Float64Array, uOffset: number, v: Float64Array, vOffset: number, runs: Int32Array, a: number, aEnd: number, b: number, bEnd: number): number {
  let s = 0;
  while (a < aEnd && b < bEnd) {
    const aLo = runs[2 * a];
    const aHi = runs[2 * a + 1];
    const bLo = runs[2 * b];
    const bHi = runs[2 * b + 1];
    const from = aLo > bLo ? aLo : bLo;
    const to = aHi < bHi ? aHi : bHi;
    if (from < to) s += dot(u, uOffset, v, vOffset, from, to);
    // Both counters step on every pass (by 0 or 1): a branch met late would deoptimise normalEquations, which inlines this.
    const stepA = aHi < bHi ? 1 : 0;
    a += stepA;
    b += 1 - stepA;
  }
  return s;
}

/** Σ_{i∈[from,to)} u_i v_i with four partial sums (independent chains keep the FPU busy). */
function dot(u: Float64Array, uOffset: number, v: Float64Array, vOffset: number, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = from;
  // The tail keeps 1–4 products (not 0–3): it runs on every call, so its code has type feedback before this function
  // (or one it is inlined into) is optimised.
  for (; i + 4 < to; i += 4) {
    s0 += u[uOffset + i] * v[vOffset + i];
    s1 += u[uOffset + i + 1] * v[vOffset + i + 1];
    s2 += u[uOffset + i + 2] * v[vOffset + i + 2];
    s3 += u[uOffset + i + 3] * v[vOffset + i + 3];
  }
  for (; i < to; i++) s0 += u[uOffset + i] * v[vOffset + i];
  return s0 + s1 + (s2 + s3);
}

/**
 * Fill A = JᵀWJ (P×P, row-major, symmetric) and g = JᵀW(y − f) (length P). Does not allocate.
 * Rows are scaled by √w once, then each product is a plain dot product over the overlap of the two rows' non-zero
 * spans: a peak's parameters touch a window of the pattern, so their rows cost their window, not N. Products of two
 * constant rows come from the workspace's cache after the first call.
 *
 * @param jac - parameter-major Jacobian, length P·n.
 * @param residuals - y_i − f_i, length n.
 * @param a - output P×P.
 * @param g - output P; equals −½ ∇χ².
 * @param ws - from {@link createNormalWorkspace} with the same P, n and weights.
 */
export function normalEquations(jac: Float64Array, residuals: Float64Array, a: Float64Array, g: Float64Array, ws: NormalWorkspace): void {
  const P = ws.parameters;
  const n = ws.points;
  const { first, last, runOffset, runs, sqrtWeights, scaled, scaledResiduals, constantRows, cache, spans } = ws;
  const reuse = ws.cached;
  const hinted = spans.known;
  let at = 0;
  // Every load and step below runs on every call, whichever branch uses it: a fresh thread otherwise optimises this
  // function before it has met the model's hints, the cached rows or a row with leading zeros, and each first meeting
  // deoptimised it (a recompile each).
  const hintFirst = spans.first;
  const hintLast = spans.last;
  for (let p = 0; p < P; p++) {
    const rowP = p * n;
    let lo: number;
    let hi: number;
    const cachedLo = first[p];
    const cachedHi = last[p];
    const hintLo = hintFirst[p];
    const hintHi = hintLast[p];
    if (reuse && constantRows[p] === 1) {
      lo = cachedLo;
      hi = cachedHi;
    } else {
      const clampedLo = hintLo > 0 ? hintLo : 0;
      const clampedHi = hintHi < n ? hintHi : n;
      lo = hinted ? clampedLo : 0;
      hi = hinted ? clampedHi : n;
      // Trim zeros at both ends; each loop steps at least once.
      let i = lo - 1;
      do i++;
      while (i < hi && jac[rowP + i] === 0);
      lo = i;
      let j = hi;
      do j--;
      while (j >= lo && jac[rowP + j] === 0);
      hi = j + 1;
      first[p] = lo;
      last[p] = hi;
    }
    runOffset[p] = at;
    at = findRuns(jac, rowP, lo, hi, runs, at);
    if (reuse && constantRows[p] === 1) continue;
    for (let k = runOffset[p]; k < at; k++) {
      const to = runs[2 * k + 1];
      for (let i = runs[2 * k]; i < to; i++) scaled[rowP + i] = jac[rowP + i] * sqrtWeights[i];
    }
  }
  runOffset[P] = at;
  for (let i = 0; i < n; i++) scaledResiduals[i] = residuals[i] * sqrtWeights[i];
  for (let p = 0; p < P; p++) {
    const rowP = p * n;
    const pRuns = runOffset[p];
    const pEnd = runOffset[p + 1];
    g[p] = 0;
    for (let k = pRuns; k < pEnd; k++) g[p] += dot(scaled, rowP, scaledResiduals, 0, runs[2 * k], runs[2 * k + 1]);
    const constantP = constantRows[p] === 1;
    for (let q = 0; q <= p; q++) {
      let s: number;
      const pq = p * P + q;
      const cached = cache[pq];
      const constantQ = constantRows[q] === 1;
      const constantPair = constantP && constantQ;
      if (constantPair && reuse) {
        s = cached;
      } else {
        const from = Math.max(first[p], first[q]);
        const to = Math.min(last[p], last[q]);
        s = from < to ? runDot(scaled, rowP, scaled, q * n, runs, pRuns, pEnd, runOffset[q], runOffset[q + 1]) : 0;
        // Stored on every pass (back unchanged for other pairs): a store first met late would deoptimise this.
        cache[pq] = constantPair ? s : cached;
      }
      a[pq] = s;
      a[q * P + p] = s;
    }
  }
  ws.cached = true;
  ws.clean = true;
  spans.known = false;
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
