/** Why a least-squares fit stopped. Fits report this instead of throwing on non-convergence. */
export type StopReason =
  | 'converged-chi2'
  | 'converged-step'
  | 'converged-gradient'
  | 'max-iterations'
  | 'singular'
  | 'cancelled'
  | 'non-finite';

/** Result of a least-squares fit. Covariance is row-major n×n, scaled by χ²_red unless the caller asked otherwise. */
export interface FitResult {
  readonly values: Float64Array;
  readonly sigma: Float64Array;
  readonly covariance: Float64Array;
  /** Σ w (y − f)². */
  readonly chi2: number;
  /** χ² / (N − P). */
  readonly chi2red: number;
  readonly points: number;
  readonly iterations: number;
  readonly stopReason: StopReason;
  readonly converged: boolean;
}
