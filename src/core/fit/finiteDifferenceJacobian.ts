/**
 * Relative-step finite-difference Jacobian in the engine's parameter-major layout.
 * Steps scale with each parameter's magnitude (absolute steps are wrong for parameters spanning 1e-4 to 1e4,
 * the mistake of several JavaScript LM ports); they flip side or shrink to one side at a bound so the model is
 * never evaluated outside [lower, upper].
 */
import type { LeastSquaresProblem } from './problem.ts';

/** Preallocated buffers for {@link finiteDifferenceJacobian}; create once per fit. */
export interface FiniteDifferenceWorkspace {
  readonly theta: Float64Array;
  readonly fPlus: Float64Array;
  readonly fMinus: Float64Array;
}

/** Allocate the workspace for P parameters and n points. */
export function createFiniteDifferenceWorkspace(parameters: number, points: number): FiniteDifferenceWorkspace {
  return {
    theta: new Float64Array(parameters),
    fPlus: new Float64Array(points),
    fMinus: new Float64Array(points),
  };
}

/**
 * Fill `jac[p * n + i] ≈ ∂f_i/∂θ_p`. Forward differences use h_p = relativeStep · s_p; central differences use
 * h_p = relativeStep^(2/3) · s_p, which balances their O(h²) truncation against rounding the way √ε balances
 * O(h) for forward ones (Nocedal & Wright, Numerical Optimization, §8.1). s_p = max(|θ_p|, typical_p).
 * The step is made exactly representable ((θ + h) − θ) so the division uses the step actually taken.
 * Does not allocate.
 *
 * @param problem - the model.
 * @param theta - point of evaluation (inside the bounds).
 * @param f0 - f(θ), length n.
 * @param lower - lower bounds (−Infinity where free).
 * @param upper - upper bounds (+Infinity where free).
 * @param typical - per-parameter magnitude used when |θ_p| is smaller (guards θ_p = 0).
 * @param relativeStep - relative forward step, √ε ≈ 1.5e-8 being the usual choice.
 * @param central - use central differences (two model calls per parameter).
 * @param work - buffers from {@link createFiniteDifferenceWorkspace}.
 * @param jac - output, length P·n.
 */
export function finiteDifferenceJacobian(
  problem: LeastSquaresProblem,
  theta: Float64Array,
  f0: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  typical: Float64Array,
  relativeStep: number,
  central: boolean,
  work: FiniteDifferenceWorkspace,
  jac: Float64Array,
): void {
  const n = f0.length;
  const parameters = theta.length;
  const t = work.theta;
  t.set(theta);
  const rel = central ? Math.pow(relativeStep, 2 / 3) : relativeStep;
  for (let p = 0; p < parameters; p++) {
    const x = theta[p];
    const h = rel * Math.max(Math.abs(x), typical[p]);
    const row = p * n;
    const upOk = x + h <= upper[p];
    const downOk = x - h >= lower[p];
    if (central && upOk && downOk) {
      t[p] = x + h;
      const hPlus = t[p] - x;
      problem.model(t, work.fPlus);
      t[p] = x - h;
      const hMinus = x - t[p];
      problem.model(t, work.fMinus);
      const inv = 1 / (hPlus + hMinus);
      for (let i = 0; i < n; i++) jac[row + i] = (work.fPlus[i] - work.fMinus[i]) * inv;
    } else if (!upOk && !downOk) {
      // Box narrower than the step: step to the farther bound, or report no influence when the box is a point.
      const room = Math.max(upper[p] - x, x - lower[p]);
      if (room > 0) {
        t[p] = upper[p] - x >= x - lower[p] ? upper[p] : lower[p];
        const step = t[p] - x;
        problem.model(t, work.fPlus);
        for (let i = 0; i < n; i++) jac[row + i] = (work.fPlus[i] - f0[i]) / step;
      } else {
        for (let i = 0; i < n; i++) jac[row + i] = 0;
      }
    } else {
      // One-sided: forward unless the upper bound is in the way (then backward).
      t[p] = upOk ? x + h : x - h;
      const step = t[p] - x;
      problem.model(t, work.fPlus);
      const inv = 1 / step;
      for (let i = 0; i < n; i++) jac[row + i] = (work.fPlus[i] - f0[i]) * inv;
    }
    t[p] = x;
  }
}
