/**
 * The contract between models and the least-squares engine (`levenbergMarquardt.ts`).
 *
 * Layout: the Jacobian is parameter-major, `jacobian[p * points + i] = ∂f_i/∂θ_p`, so that a model whose
 * parameters touch only a window of points (a peak) writes contiguous runs, and JᵀWJ is a sum of dot products
 * of contiguous rows.
 */
/**
 * Optional output of an analytic Jacobian: row p is zero outside [first[p], last[p]) (a superset is fine). A model
 * whose parameters touch windows of the points (peaks) saves the engine a scan of every row's zeros. Set `known`
 * once filled; first ≥ last marks a row with no non-zero.
 */
export interface JacobianRowSpans {
  readonly first: Int32Array;
  readonly last: Int32Array;
  known: boolean;
  /**
   * Set by the engine: 1 for rows (of those flagged in `constantJacobianRows`) that still hold their values from the
   * previous call, so the model may skip writing them; it must never add into them.
   */
  readonly kept: Uint8Array;
}

export interface LeastSquaresProblem {
  /** Observed values y_i. */
  readonly y: Float64Array;
  /** Weights w_i = 1/σ_i² (all 1 when absent). */
  readonly weights?: Float64Array;
  /** Starting parameter values θ. */
  readonly start: Float64Array;
  /** Optional bounds per parameter (−Infinity / +Infinity where free). */
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
  /** Evaluate the model f(θ) into `out` (length y.length). Must not allocate per call in hot models. */
  model(theta: Float64Array, out: Float64Array): void;
  /**
   * Optional analytic Jacobian into `jacobian` (length P × N, parameter-major, zero-filled by the caller).
   * `modelValues` is f(θ) already evaluated at the same θ. Without it, relative-step finite differences are used.
   * When `spans` is given the model may report where its rows can be non-zero (see {@link JacobianRowSpans}).
   */
  jacobian?(theta: Float64Array, modelValues: Float64Array, jacobian: Float64Array, spans?: JacobianRowSpans): void;
  /**
   * Optional, length P: 1 where the analytic Jacobian row is the same at every θ (a parameter the model is linear in
   * and that no other parameter scales, such as a background term). Their mutual JᵀWJ products are then formed once.
   */
  readonly constantJacobianRows?: Uint8Array;
}

/** Options for the Levenberg–Marquardt solver; defaults live in `LM_DEFAULTS` only. */
export interface LmOptions {
  readonly maxIterations: number;
  /** Stop when the relative decrease of χ² in an accepted step is below this. */
  readonly chi2Tolerance: number;
  /** Stop when every |Δθ_p| ≤ stepTolerance · (|θ_p| + stepTolerance). */
  readonly stepTolerance: number;
  /** Stop when max |(JᵀW r)_p| scaled by the diagonal is below this. */
  readonly gradientTolerance: number;
  /** Initial damping λ relative to max diag(JᵀWJ). */
  readonly initialDamping: number;
  /** Relative finite-difference step h_p = relativeStep · max(|θ_p|, 1e-8·…). */
  readonly relativeStep: number;
  /** When true, covariance is (JᵀWJ)⁻¹ · χ²_red (σ from the scatter); when false, (JᵀWJ)⁻¹ (σ from the weights alone). */
  readonly scaleCovariance: boolean;
  /**
   * When true (default), σ and covariance come from a fresh Jacobian at the solution. When false, from the normal
   * matrix of the last iteration (one linearisation point earlier): one Jacobian cheaper, for intermediate fits
   * whose σ only serve as a yardstick (Le Bail cycles before the last).
   */
  readonly covarianceAtSolution?: boolean;
  /** Polled between iterations; returning true stops with stopReason 'cancelled'. */
  readonly isCancelled?: () => boolean;
}
