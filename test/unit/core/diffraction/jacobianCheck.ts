// Shared by the pattern-model tests: the analytic Jacobian against central differences, parameter by parameter.
import { evaluateModel, modelJacobian, packFree, type PatternModel } from '../../../../src/core/diffraction/patternModel.ts';

/**
 * Relative L2 error ‖J_fd − J‖ / ‖J_fd‖ of every refined parameter's Jacobian row at the model's current values, by
 * name (parameters without influence, ‖J_fd‖ = 0, are left out). Central differences with h = 1e-7·max(|θ|, 1e-2).
 */
export function jacobianErrors(m: PatternModel): Map<string, number> {
  const n = m.x.length;
  const theta = packFree(m);
  const f = new Float64Array(n);
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  evaluateModel(m, theta, f);
  const jac = new Float64Array(theta.length * n);
  modelJacobian(m, theta, f, jac);
  const errors = new Map<string, number>();
  for (let t = 0; t < theta.length; t++) {
    const h = 1e-7 * Math.max(Math.abs(theta[t]), 1e-2);
    const tp = Float64Array.from(theta);
    tp[t] += h;
    evaluateModel(m, tp, fp);
    tp[t] -= 2 * h;
    evaluateModel(m, tp, fm);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const fd = (fp[i] - fm[i]) / (2 * h);
      err += (fd - jac[t * n + i]) ** 2;
      norm += fd * fd;
    }
    if (norm > 0) errors.set(m.params[m.free[t]].name, Math.sqrt(err / norm));
  }
  return errors;
}
