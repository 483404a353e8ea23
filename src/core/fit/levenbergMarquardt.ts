/**
 * Levenberg–Marquardt least squares with Marquardt scaling and box bounds.
 *
 * Method. Each iteration forms A = JᵀWJ and g = JᵀW(y − f) (`normalEquations.ts`) and solves
 * (A + λ·D)·δ = g by Cholesky, D = diag(A) at the current point, floored at 1e-12·max diag(A) so a parameter
 * without influence is still damped (Marquardt, J. SIAM 1963, 11, 431). Not MINPACK's running maximum of diag(A),
 * which keeps over-damping a parameter whose column has shrunk by orders of magnitude along the path. λ follows Nielsen's gain-ratio update (Nielsen, IMM-REP-1999-05): after an accepted step
 * λ ← λ·max(1/3, 1 − (2ρ − 1)³), after a rejected one λ ← λ·ν, ν ← 2ν. A failed factorisation raises λ.
 *
 * Bounds by projection, not by a variable transform: a trial point is clipped into [lower, upper], and a
 * parameter sitting on a bound whose descent direction points outward is held for that step (projected LM
 * with an active set, cf. Kanzow, Yamashita & Fukushima, J. Comput. Appl. Math. 2004, 172, 375). A transform
 * would distort σ; here σ of every parameter, on a bound or not, comes from the curvature JᵀWJ of the
 * unconstrained model at the final point (the local, two-sided width), and `atBound` flags the parameters
 * that ended on a bound so a caller can report the σ as one-sided.
 *
 * Covariance: (JᵀWJ)⁻¹ · χ²_red (or without the χ²_red factor, see `scaleCovariance`) at the final point, by
 * Cholesky of the unit-diagonal scaled normal matrix when it is well conditioned, else through a column-scaled
 * pivoted QR of W^½J (`covariance.ts`); no explicit inverse is ever used for a step.
 *
 * Never throws on non-convergence: the stop reason says what happened. Throws RangeError only on
 * inconsistent input (buffer lengths, lower > upper).
 */
import { choleskyDecompose, choleskySolve } from '../linalg/cholesky.ts';
import { covarianceFromJacobian, covarianceFromNormalMatrix } from './covariance.ts';
import { createFiniteDifferenceWorkspace, finiteDifferenceJacobian } from './finiteDifferenceJacobian.ts';
import { type NormalWorkspace, createNormalWorkspace, normalEquations, weightedChi2 } from './normalEquations.ts';
import type { LeastSquaresProblem, LmOptions } from './problem.ts';
import type { FitResult, StopReason } from './types.ts';

/** Options of {@link levenbergMarquardt}: the contract's {@link LmOptions} plus finite-difference controls. */
export interface LmSolverOptions extends LmOptions {
  /** Central finite differences (2 model calls per parameter, O(h²) error) instead of forward ones. */
  readonly centralDifferences: boolean;
  /**
   * Typical magnitude of each parameter, used as the finite-difference scale when |θ_p| is smaller (θ_p near 0).
   * Default: 1e-2·|start_p|, or 1 when the start is 0.
   */
  readonly typicalScale?: Float64Array;
  /**
   * Geodesic acceleration (Transtrum & Sethna 2012): one extra model evaluation per trial step buys a second-order
   * correction that follows curved valleys (e.g. NIST MGH10 from its first start). Off by default.
   */
  readonly geodesicAcceleration: boolean;
  /**
   * Buffers of the Jacobian and normal equations to reuse across calls on the same points, weights, parameter count
   * and constant rows (e.g. successive Le Bail cycles: the cached products of constant rows then carry over; see
   * `prepareNormalWorkspace` for another fit of the same size). Default: new ones.
   */
  readonly normalWorkspace?: NormalWorkspace;
}

/** Result of {@link levenbergMarquardt}: a {@link FitResult} plus diagnostics. */
export interface LmResult extends FitResult {
  /** 1 where the parameter ended on a bound (its σ is then the unconstrained, two-sided curvature width). */
  readonly atBound: Uint8Array;
  /** Numerical rank of W^½J at the solution; < P means some σ are Infinity (undetermined). */
  readonly rank: number;
  /** Number of model evaluations, finite differences included. */
  readonly evaluations: number;
}

/**
 * Defaults, in one place (the docs quote this object):
 * - `maxIterations` 1000 Jacobian evaluations;
 * - `chi2Tolerance` 1e-12: stop when an accepted step lowers χ² by a relative 1e-12 or less and the quadratic
 *   model predicts no more than that;
 * - `stepTolerance` 1e-10: stop when every |δ_p| ≤ 1e-10·(|θ_p| + 1e-10);
 * - `gradientTolerance` 1e-10: stop when max_p |g_p| / √(A_pp·χ²) ≤ 1e-10, i.e. the cosine between the residual
 *   and every free Jacobian column is negligible (Moré's gtol);
 * - `initialDamping` 1e-3: λ₀, the multiplier of diag(JᵀWJ) (Marquardt scaling makes λ dimensionless);
 * - `relativeStep` √ε ≈ 1.49e-8 for forward differences (central ones use its 2/3 power ≈ 6.1e-6);
 * - `scaleCovariance` true; `covarianceAtSolution` true; `centralDifferences` false; `geodesicAcceleration` false.
 */
export const LM_DEFAULTS: LmSolverOptions = {
  maxIterations: 1000,
  chi2Tolerance: 1e-12,
  stepTolerance: 1e-10,
  gradientTolerance: 1e-10,
  initialDamping: 1e-3,
  relativeStep: 1.4901161193847656e-8,
  scaleCovariance: true,
  covarianceAtSolution: true,
  centralDifferences: false,
  geodesicAcceleration: false,
};

/** λ beyond which no step can be found: the point is a minimum to working precision. */
const DAMPING_MAX = 1e300;
/** λ never underflows to 0 (a zero λ could not grow again after a failed factorisation). */
const DAMPING_MIN = 1e-20;
/** Floor of D relative to its largest entry, so a parameter without influence still gets damped. */
const SCALING_FLOOR = 1e-12;
/** Largest accepted 2‖a‖/‖v‖ with geodesic acceleration (Transtrum & Sethna's α). */
const GEODESIC_RATIO = 0.75;

/**
 * Minimise χ² = Σ w_i (y_i − f_i(θ))² over θ within optional box bounds.
 *
 * @param problem - data, weights, start, bounds, model and optional analytic Jacobian (see `problem.ts`).
 * @param options - overrides of {@link LM_DEFAULTS}.
 * @returns values, σ, covariance (row-major P×P), χ², χ²_red = χ²/(N − P) (NaN when N ≤ P), iterations
 *   (Jacobian evaluations), stop reason and whether it is a convergence.
 */
export function levenbergMarquardt(problem: LeastSquaresProblem, options: Partial<LmSolverOptions> = {}): LmResult {
  // Every key in one order, whatever the caller passed: one object shape, so the optimised code of this function
  // serves every caller (a spread of partial options gave one shape per call site and a deoptimisation each).
  const d0 = LM_DEFAULTS;
  const opts: LmSolverOptions = {
    maxIterations: options.maxIterations ?? d0.maxIterations,
    chi2Tolerance: options.chi2Tolerance ?? d0.chi2Tolerance,
    stepTolerance: options.stepTolerance ?? d0.stepTolerance,
    gradientTolerance: options.gradientTolerance ?? d0.gradientTolerance,
    initialDamping: options.initialDamping ?? d0.initialDamping,
    relativeStep: options.relativeStep ?? d0.relativeStep,
    scaleCovariance: options.scaleCovariance ?? d0.scaleCovariance,
    covarianceAtSolution: options.covarianceAtSolution ?? d0.covarianceAtSolution,
    isCancelled: options.isCancelled,
    centralDifferences: options.centralDifferences ?? d0.centralDifferences,
    typicalScale: options.typicalScale,
    geodesicAcceleration: options.geodesicAcceleration ?? d0.geodesicAcceleration,
    normalWorkspace: options.normalWorkspace,
  };
  // Bound once: the loop calls locals, not properties of problems of many shapes.
  const modelAt = problem.model.bind(problem);
  const analyticJacobian = problem.jacobian?.bind(problem);
  const y = problem.y;
  const n = y.length;
  const P = problem.start.length;
  const weights = problem.weights ?? new Float64Array(n).fill(1);
  if (weights.length !== n) throw new RangeError('levenbergMarquardt: weights and y differ in length');
  const lower = problem.lower ?? new Float64Array(P).fill(Number.NEGATIVE_INFINITY);
  const upper = problem.upper ?? new Float64Array(P).fill(Number.POSITIVE_INFINITY);
  if (lower.length !== P || upper.length !== P) throw new RangeError('levenbergMarquardt: bounds and start differ in length');
  for (let p = 0; p < P; p++) {
    if (!(lower[p] <= upper[p])) throw new RangeError(`levenbergMarquardt: lower > upper for parameter ${p}`);
  }
  const typical = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const s = Math.abs(problem.start[p]);
    typical[p] = opts.typicalScale?.[p] ?? (s > 0 ? 1e-2 * s : 1);
  }

  // Every buffer of the iteration, allocated once.
  const theta = new Float64Array(P);
  const thetaTrial = new Float64Array(P);
  let f = new Float64Array(n);
  let fTrial = new Float64Array(n);
  const residuals = new Float64Array(n);
  const residualsTrial = new Float64Array(n);
  const a = new Float64Array(P * P);
  const g = new Float64Array(P);
  const d = new Float64Array(P);
  const m = new Float64Array(P * P);
  const l = new Float64Array(P * P);
  const gFree = new Float64Array(P);
  const deltaFree = new Float64Array(P);
  const delta = new Float64Array(P);
  const free = new Int32Array(P);
  // Constant rows only when the model gives its own Jacobian: finite differences are never exactly constant.
  const normalWork =
    opts.normalWorkspace ?? createNormalWorkspace(P, n, weights, analyticJacobian ? problem.constantJacobianRows : undefined);
  if (normalWork.parameters !== P || normalWork.points !== n) throw new RangeError('levenbergMarquardt: normalWorkspace has other dimensions');
  const jac = normalWork.jacobian;
  const fdWork = analyticJacobian ? undefined : createFiniteDifferenceWorkspace(P, n);
  const fvv = new Float64Array(opts.geodesicAcceleration ? n : 0);
  const acceleration = new Float64Array(P);
  let evaluations = 0;

  const jacobianAt = (t: Float64Array, ft: Float64Array): void => {
    if (analyticJacobian) {
      // The analytic Jacobian accumulates into zeros. After normal equations (of this fit or of the previous fit on
      // the same workspace) every non-zero lies in its row's recorded span, so clearing the spans clears the buffer
      // (a peak model's rows are mostly windows). Rows that never change (a background term's) keep their values once
      // this fit's normal equations have used them: neither cleared nor written again.
      const keep = normalWork.clean && normalWork.cached;
      const kept = normalWork.spans.kept;
      for (let p = 0; p < P; p++) kept[p] = keep && normalWork.constantRows[p] === 1 ? 1 : 0;
      if (normalWork.clean) {
        for (let p = 0; p < P; p++) {
          if (kept[p] === 0 && normalWork.last[p] > normalWork.first[p]) jac.fill(0, p * n + normalWork.first[p], p * n + normalWork.last[p]);
        }
      } else {
        jac.fill(0);
      }
      normalWork.clean = false;
      normalWork.spans.known = false;
      analyticJacobian(t, ft, jac, normalWork.spans);
    } else {
      normalWork.clean = false;
      normalWork.spans.known = false;
      finiteDifferenceJacobian(problem, t, ft, lower, upper, typical, opts.relativeStep, opts.centralDifferences, fdWork!, jac);
      evaluations += opts.centralDifferences ? 2 * P : P;
    }
  };

  /**
   * Geodesic acceleration (Transtrum & Sethna, arXiv:1201.5885): the second directional derivative of the model
   * along the velocity v = deltaFree, by a finite difference of step 0.1·v, gives an acceleration a from the same
   * factorisation, (A + λD)·a = −JᵀW f_vv, and the step becomes v + a/2. A step whose acceleration is large against
   * its velocity (2‖a‖_D > 0.75‖v‖_D) leaves the region where the expansion holds: returns false to reject it.
   */
  const accelerate = (nFree: number, floor: number): boolean => {
    const h = 0.1;
    thetaTrial.set(theta);
    for (let i = 0; i < nFree; i++) {
      const p = free[i];
      thetaTrial[p] = Math.min(upper[p], Math.max(lower[p], theta[p] + h * deltaFree[i]));
    }
    modelAt(thetaTrial, fTrial);
    evaluations++;
    for (let k = 0; k < n; k++) {
      let jv = 0;
      for (let i = 0; i < nFree; i++) {
        const p = free[i];
        jv += jac[p * n + k] * (thetaTrial[p] - theta[p]);
      }
      fvv[k] = ((2 / h) * (fTrial[k] - f[k] - jv)) / h;
    }
    for (let i = 0; i < nFree; i++) {
      const row = free[i] * n;
      let s = 0;
      for (let k = 0; k < n; k++) s -= weights[k] * jac[row + k] * fvv[k];
      acceleration[i] = s;
    }
    choleskySolve(l, nFree, acceleration, acceleration);
    let aNorm = 0;
    let vNorm = 0;
    for (let i = 0; i < nFree; i++) {
      const dp = Math.max(d[free[i]], floor);
      aNorm += dp * acceleration[i] * acceleration[i];
      vNorm += dp * deltaFree[i] * deltaFree[i];
    }
    if (!(4 * aNorm <= GEODESIC_RATIO * GEODESIC_RATIO * vNorm)) return false;
    for (let i = 0; i < nFree; i++) deltaFree[i] += 0.5 * acceleration[i];
    return true;
  };

  for (let p = 0; p < P; p++) theta[p] = Math.min(upper[p], Math.max(lower[p], problem.start[p]));
  modelAt(theta, f);
  evaluations++;
  let chi2 = weightedChi2(y, f, weights, residuals);
  let lambda = opts.initialDamping;
  let nu = 2;
  let iterations = 0;
  // Nothing to refine (every parameter fixed by the caller) is a trivially converged fit, not a singular one.
  let stop: StopReason | undefined = !Number.isFinite(chi2) ? 'non-finite' : P === 0 ? 'converged-gradient' : undefined;

  while (stop === undefined) {
    if (iterations >= opts.maxIterations) {
      stop = 'max-iterations';
      break;
    }
    if (opts.isCancelled?.()) {
      stop = 'cancelled';
      break;
    }
    if (chi2 === 0) {
      stop = 'converged-chi2';
      break;
    }
    iterations++;
    jacobianAt(theta, f);
    normalEquations(jac, residuals, a, g, normalWork);

    let maxDiag = 0;
    let finite = true;
    for (let p = 0; p < P; p++) {
      const app = a[p * P + p];
      if (!Number.isFinite(app) || !Number.isFinite(g[p])) finite = false;
      d[p] = app;
      if (d[p] > maxDiag) maxDiag = d[p];
    }
    if (!finite) {
      stop = 'non-finite';
      break;
    }
    if (maxDiag === 0) {
      stop = 'singular';
      break;
    }

    // Active set: g_p = −½ ∂χ²/∂θ_p, so g_p < 0 at a lower bound (or > 0 at an upper one) pushes outward.
    let nFree = 0;
    let gradientMeasure = 0;
    for (let p = 0; p < P; p++) {
      // The sign of g first: both of its tests run in the first iteration, so the optimised code never meets one
      // without type feedback (a bound first reached after optimisation cost a recompile of this function per thread).
      const gp = g[p];
      const blocked = (gp <= 0 && theta[p] <= lower[p]) || (gp >= 0 && theta[p] >= upper[p]);
      if (blocked) continue;
      free[nFree++] = p;
      const app = a[p * P + p];
      if (app > 0) gradientMeasure = Math.max(gradientMeasure, Math.abs(g[p]) / Math.sqrt(app * chi2));
    }
    if (nFree === 0 || gradientMeasure <= opts.gradientTolerance) {
      stop = 'converged-gradient';
      break;
    }
    const floor = SCALING_FLOOR * maxDiag;

    for (;;) {
      for (let i = 0; i < nFree; i++) {
        const pi = free[i];
        for (let j = 0; j < nFree; j++) m[i * nFree + j] = a[pi * P + free[j]];
        m[i * nFree + i] += lambda * Math.max(d[pi], floor);
        gFree[i] = g[pi];
      }
      if (!choleskyDecompose(m, nFree, l)) {
        lambda *= nu;
        nu *= 2;
        if (!(lambda <= DAMPING_MAX)) {
          stop = 'singular';
          break;
        }
        continue;
      }
      choleskySolve(l, nFree, gFree, deltaFree);
      if (opts.geodesicAcceleration && !accelerate(nFree, floor)) {
        lambda *= nu;
        nu *= 2;
        if (!(lambda <= DAMPING_MAX)) {
          stop = 'converged-step';
          break;
        }
        continue;
      }
      thetaTrial.set(theta);
      for (let i = 0; i < nFree; i++) {
        const p = free[i];
        thetaTrial[p] = Math.min(upper[p], Math.max(lower[p], theta[p] + deltaFree[i]));
      }
      let small = true;
      for (let p = 0; p < P; p++) {
        delta[p] = thetaTrial[p] - theta[p];
        if (Math.abs(delta[p]) > opts.stepTolerance * (Math.abs(theta[p]) + opts.stepTolerance)) small = false;
      }
      // Predicted decrease of the quadratic model for the step actually taken (after clipping): 2δᵀg − δᵀAδ.
      let predicted = 0;
      for (let i = 0; i < nFree; i++) {
        const pi = free[i];
        let ad = 0;
        for (let j = 0; j < nFree; j++) ad += a[pi * P + free[j]] * delta[free[j]];
        predicted += delta[pi] * (2 * g[pi] - ad);
      }
      modelAt(thetaTrial, fTrial);
      evaluations++;
      const chi2Trial = weightedChi2(y, fTrial, weights, residualsTrial);
      // A rejected step's damping, worked out on every step: the first rejection of a thread otherwise comes after
      // this function was optimised without type feedback for it, and deoptimises it (a ~50 ms recompile per thread).
      const lambdaRejected = lambda * nu;
      const nuRejected = nu * 2;
      const dampingExhausted = !(lambdaRejected <= DAMPING_MAX);
      if (chi2Trial < chi2) {
        const actual = chi2 - chi2Trial;
        const rho = predicted > 0 ? actual / predicted : 0;
        const relActual = actual / chi2;
        const relPredicted = predicted / chi2;
        theta.set(thetaTrial);
        const swap = f;
        f = fTrial;
        fTrial = swap;
        residuals.set(residualsTrial);
        chi2 = chi2Trial;
        const t = 2 * rho - 1;
        lambda = Math.max(DAMPING_MIN, lambda * Math.max(1 / 3, 1 - t * t * t));
        nu = 2;
        if (small) stop = 'converged-step';
        else if (relActual <= opts.chi2Tolerance && relPredicted <= opts.chi2Tolerance) stop = 'converged-chi2';
        break;
      }
      if (small) {
        stop = 'converged-step';
        break;
      }
      lambda = lambdaRejected;
      nu = nuRejected;
      if (dampingExhausted) {
        // No smaller χ² exists within rounding along any damped direction.
        stop = 'converged-step';
        break;
      }
    }
  }

  const points = n;
  const dof = n - P;
  const chi2red = dof > 0 ? chi2 / dof : Number.NaN;
  const atBound = new Uint8Array(P);
  for (let p = 0; p < P; p++) atBound[p] = theta[p] <= lower[p] || theta[p] >= upper[p] ? 1 : 0;

  let covariance: Float64Array;
  let sigma: Float64Array;
  let rank = 0;
  const scale = opts.scaleCovariance ? chi2red : 1;
  const approximate = opts.covarianceAtSolution === false && iterations > 0;
  const fromLast = approximate && stop !== 'non-finite' && Number.isFinite(chi2) ? covarianceFromNormalMatrix(a, P, scale) : undefined;
  if (fromLast) {
    ({ covariance, sigma, rank } = fromLast);
  } else if (stop !== 'non-finite' && Number.isFinite(chi2)) {
    // The Jacobian in memory belongs to the point before the last accepted step: re-evaluate at the solution.
    jacobianAt(theta, f);
    normalEquations(jac, residuals, a, g, normalWork);
    const cov = covarianceFromNormalMatrix(a, P, scale) ?? covarianceFromJacobian(jac, P, n, weights, scale);
    covariance = cov.covariance;
    sigma = cov.sigma;
    rank = cov.rank;
  } else {
    covariance = new Float64Array(P * P).fill(Number.NaN);
    sigma = new Float64Array(P).fill(Number.NaN);
  }
  // One test whatever the reason (a chain of comparisons meets its later links only on rarer reasons: a deoptimisation).
  const converged = stop !== undefined && stop.startsWith('converged-');
  return {
    values: theta,
    sigma,
    covariance,
    chi2,
    chi2red,
    points,
    iterations,
    stopReason: stop ?? 'max-iterations',
    converged,
    atBound,
    rank,
    evaluations,
  } satisfies LmResult;
}
