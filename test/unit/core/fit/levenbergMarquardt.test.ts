import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LM_DEFAULTS, levenbergMarquardt } from '../../../../src/core/fit/levenbergMarquardt.ts';
import type { LeastSquaresProblem } from '../../../../src/core/fit/problem.ts';

// A straight line y = a + b·x on exact data: the least-squares solution and its covariance are closed-form.
function line(x: Float64Array, y: Float64Array, start: number[], extra: Partial<LeastSquaresProblem> = {}): LeastSquaresProblem {
  return {
    y,
    start: Float64Array.from(start),
    model(t, out) {
      for (let i = 0; i < x.length; i++) out[i] = t[0] + t[1] * x[i];
    },
    ...extra,
  };
}

test('a weighted straight line gives the closed-form values and covariance (JᵀWJ)⁻¹ when unscaled', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4, 5]);
  const y = Float64Array.from([1.1, 2.9, 5.2, 6.8, 9.1, 11.0]);
  const w = Float64Array.from([1, 2, 1, 4, 1, 0.5]);
  // Analytic Jacobian: finite differences would shift the optimum by ~1e-9 (rounding in J times the residuals).
  const jacobian = (_t: Float64Array, _f: Float64Array, jac: Float64Array): void => {
    for (let i = 0; i < x.length; i++) {
      jac[i] = 1;
      jac[x.length + i] = x[i];
    }
  };
  const r = levenbergMarquardt(line(x, y, [0, 0], { weights: w, jacobian }), { scaleCovariance: false });
  // Normal equations by hand.
  let s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    s += w[i]; sx += w[i] * x[i]; sxx += w[i] * x[i] * x[i]; sy += w[i] * y[i]; sxy += w[i] * x[i] * y[i];
  }
  const det = s * sxx - sx * sx;
  const b = (s * sxy - sx * sy) / det;
  const a = (sy - b * sx) / s;
  assert.ok(r.converged, r.stopReason);
  // Within the documented stepTolerance (1e-10 relative), not to rounding: LM stops on a small damped step.
  assert.ok(Math.abs(r.values[0] - a) < 1e-9 && Math.abs(r.values[1] - b) < 1e-9, `${r.values[0] - a}, ${r.values[1] - b}`);
  assert.ok(Math.abs(r.covariance[0] - sxx / det) < 1e-12);
  assert.ok(Math.abs(r.covariance[1] + sx / det) < 1e-12);
  assert.ok(Math.abs(r.covariance[3] - s / det) < 1e-12);
  assert.ok(Math.abs(r.sigma[1] - Math.sqrt(s / det)) < 1e-12);
  assert.equal(r.points, 6);
  assert.ok(Math.abs(r.chi2red - r.chi2 / 4) < 1e-15);
});

test('a bound that excludes the unconstrained optimum pins the parameter on the bound and flags it', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4]);
  const y = Float64Array.from([1, 3, 5, 7, 9.1]); // slope ≈ 2
  const r = levenbergMarquardt(
    line(x, y, [0, 0.5], { lower: Float64Array.from([-Infinity, 0]), upper: Float64Array.from([Infinity, 1.5]) }),
  );
  assert.ok(r.converged, r.stopReason);
  assert.equal(r.values[1], 1.5);
  assert.deepEqual(Array.from(r.atBound), [0, 1]);
  // With the slope held at 1.5 the best intercept is the weighted mean of y − 1.5x.
  let m = 0;
  for (let i = 0; i < 5; i++) m += (y[i] - 1.5 * x[i]) / 5;
  assert.ok(Math.abs(r.values[0] - m) < 1e-9);
  assert.ok(Number.isFinite(r.sigma[1]) && r.sigma[1] > 0);
});

test('a start outside the bounds is projected inside before the first evaluation', () => {
  const seen: number[] = [];
  const problem: LeastSquaresProblem = {
    y: Float64Array.from([2, 2, 2]),
    start: Float64Array.from([10]),
    upper: Float64Array.from([5]),
    lower: Float64Array.from([-5]),
    model(t, out) {
      seen.push(t[0]);
      out.fill(t[0]);
    },
  };
  const r = levenbergMarquardt(problem);
  assert.ok(seen.every((v) => v <= 5 && v >= -5));
  assert.ok(Math.abs(r.values[0] - 2) < 1e-9);
});

test('a parameter the model ignores gets σ = Infinity and rank P − 1, and the fit still converges', () => {
  const x = Float64Array.from([0, 1, 2, 3]);
  const y = Float64Array.from([1, 2, 3, 4.2]);
  const r = levenbergMarquardt({
    y,
    start: Float64Array.from([0, 0, 7]),
    model(t, out) {
      for (let i = 0; i < x.length; i++) out[i] = t[0] + t[1] * x[i];
    },
  });
  assert.ok(r.converged, r.stopReason);
  assert.equal(r.rank, 2);
  assert.equal(r.sigma[2], Infinity);
  assert.ok(Number.isFinite(r.sigma[0]) && Number.isFinite(r.sigma[1]));
  assert.equal(r.values[2], 7);
});

test('isCancelled stops the fit with stopReason cancelled and converged false', () => {
  let calls = 0;
  const r = levenbergMarquardt(
    {
      y: Float64Array.from([1, 2, 3]),
      start: Float64Array.from([100, 100]),
      model(t, out) {
        for (let i = 0; i < 3; i++) out[i] = t[0] * Math.exp(-t[1] * i);
      },
    },
    { isCancelled: () => ++calls > 2 },
  );
  assert.equal(r.stopReason, 'cancelled');
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 2);
});

test('a model returning NaN at the start gives stopReason non-finite without throwing', () => {
  const r = levenbergMarquardt({
    y: Float64Array.from([1, 2]),
    start: Float64Array.from([-1]),
    model(t, out) {
      out.fill(Math.sqrt(t[0]));
    },
  });
  assert.equal(r.stopReason, 'non-finite');
  assert.equal(r.converged, false);
  assert.ok(Number.isNaN(r.sigma[0]));
});

test('maxIterations is honoured and reported as max-iterations', () => {
  const x = Float64Array.from({ length: 20 }, (_, i) => i / 4);
  const y = Float64Array.from(x, (v) => 3 * Math.exp(-0.7 * v) + 0.01 * Math.sin(13 * v));
  const r = levenbergMarquardt(
    {
      y,
      start: Float64Array.from([1, 0.01]),
      model(t, out) {
        for (let i = 0; i < x.length; i++) out[i] = t[0] * Math.exp(-t[1] * x[i]);
      },
    },
    { maxIterations: 1 },
  );
  assert.equal(r.iterations, 1);
  assert.equal(r.stopReason, 'max-iterations');
  assert.equal(r.converged, false);
});

test('forward, central and analytic Jacobians agree on an exponential decay to 1e-8', () => {
  const x = Float64Array.from({ length: 30 }, (_, i) => i / 5);
  const y = Float64Array.from(x, (v) => 2.5 * Math.exp(-0.9 * v) + 0.02 * Math.cos(7 * v));
  const base: LeastSquaresProblem = {
    y,
    start: Float64Array.from([1, 0.3]),
    model(t, out) {
      for (let i = 0; i < x.length; i++) out[i] = t[0] * Math.exp(-t[1] * x[i]);
    },
  };
  const analytic = levenbergMarquardt({
    ...base,
    jacobian(t, _f, jac) {
      const n = x.length;
      for (let i = 0; i < n; i++) {
        const e = Math.exp(-t[1] * x[i]);
        jac[i] = e;
        jac[n + i] = -t[0] * x[i] * e;
      }
    },
  });
  const forward = levenbergMarquardt(base);
  const central = levenbergMarquardt(base, { centralDifferences: true });
  for (const r of [forward, central]) {
    for (let p = 0; p < 2; p++) {
      assert.ok(Math.abs(r.values[p] - analytic.values[p]) < 1e-8 * Math.abs(analytic.values[p]));
      assert.ok(Math.abs(r.sigma[p] - analytic.sigma[p]) < 1e-5 * analytic.sigma[p]);
    }
  }
});

test('LM_DEFAULTS holds the values its documentation states', () => {
  assert.deepEqual(
    { ...LM_DEFAULTS },
    {
      maxIterations: 1000,
      chi2Tolerance: 1e-12,
      stepTolerance: 1e-10,
      gradientTolerance: 1e-10,
      initialDamping: 1e-3,
      relativeStep: Math.sqrt(Number.EPSILON),
      scaleCovariance: true,
      covarianceAtSolution: true,
      centralDifferences: false,
      geodesicAcceleration: false,
    },
  );
});

test('inconsistent input throws RangeError', () => {
  assert.throws(
    () =>
      levenbergMarquardt({
        y: Float64Array.from([1, 2]),
        weights: Float64Array.from([1]),
        start: Float64Array.from([0]),
        model() {},
      }),
    RangeError,
  );
  assert.throws(
    () =>
      levenbergMarquardt({
        y: Float64Array.from([1, 2]),
        start: Float64Array.from([0]),
        lower: Float64Array.from([1]),
        upper: Float64Array.from([0]),
        model() {},
      }),
    RangeError,
  );
});

test('a problem without parameters converges at once and reports χ² of the fixed model', () => {
  const r = levenbergMarquardt({
    y: Float64Array.from([1, 2, 4]),
    start: new Float64Array(0),
    model(_t, out) {
      out.set([1, 2, 3]);
    },
  });
  assert.equal(r.stopReason, 'converged-gradient');
  assert.equal(r.converged, true);
  assert.equal(r.chi2, 1);
  assert.equal(r.values.length, 0);
});

test('finite differences never evaluate the model outside the bounds, even for a parameter pinned by lower = upper', () => {
  const x = Float64Array.from([0, 1, 2, 3, 4]);
  const y = Float64Array.from([1, 3.1, 4.9, 7.2, 9]);
  const lower = Float64Array.from([0.5, 2]);
  const upper = Float64Array.from([0.500001, 2]);
  const seen: number[][] = [];
  const r = levenbergMarquardt({
    y,
    start: Float64Array.from([0.5, 2]),
    lower,
    upper,
    model(t, out) {
      seen.push([t[0], t[1]]);
      for (let i = 0; i < x.length; i++) out[i] = t[0] + t[1] * x[i];
    },
  });
  assert.ok(seen.every(([a, b]) => a >= lower[0] && a <= upper[0] && b === 2), 'a model call left the box');
  assert.equal(r.values[1], 2);
});

test('a reused workspace with constant background rows gives the same fit as fresh buffers', async () => {
  const { createNormalWorkspace } = await import('../../../../src/core/fit/normalEquations.ts');
  // y = c0 + c1 x + A exp(−(x − μ)²/2): two constant rows (the line) and three that move.
  const n = 120;
  const x = Float64Array.from({ length: n }, (_, i) => i / 10);
  const truth = [2, 0.3, 5, 6, 0.8];
  const f = (t: Float64Array, xi: number): number => t[0] + t[1] * xi + t[2] * Math.exp(-((xi - t[3]) ** 2) / (2 * t[4] * t[4]));
  const y = Float64Array.from(x, (xi, i) => f(Float64Array.from(truth), xi) + 0.01 * Math.sin(7 * i));
  const problem = {
    y,
    start: Float64Array.from([1, 0, 4, 5.5, 1]),
    model: (t: Float64Array, out: Float64Array) => x.forEach((xi, i) => (out[i] = f(t, xi))),
    jacobian: (t: Float64Array, _f: Float64Array, jac: Float64Array) => {
      x.forEach((xi, i) => {
        const e = Math.exp(-((xi - t[3]) ** 2) / (2 * t[4] * t[4]));
        jac[i] = 1;
        jac[n + i] = xi;
        jac[2 * n + i] = e;
        jac[3 * n + i] = (t[2] * e * (xi - t[3])) / (t[4] * t[4]);
        jac[4 * n + i] = (t[2] * e * (xi - t[3]) ** 2) / t[4] ** 3;
      });
    },
  };
  const fresh = levenbergMarquardt(problem);
  const constantJacobianRows = Uint8Array.of(1, 1, 0, 0, 0);
  const ws = createNormalWorkspace(5, n, new Float64Array(n).fill(1), constantJacobianRows);
  for (let run = 0; run < 2; run++) {
    const reused = levenbergMarquardt({ ...problem, constantJacobianRows }, { normalWorkspace: ws });
    for (let p = 0; p < 5; p++) {
      assert.ok(Math.abs(reused.values[p] - fresh.values[p]) <= 1e-9 * Math.max(1, Math.abs(fresh.values[p])), `run ${run} value ${p}`);
      assert.ok(Math.abs(reused.sigma[p] - fresh.sigma[p]) <= 1e-6 * fresh.sigma[p], `run ${run} sigma ${p}`);
    }
  }
});

test('a model that adds into its Jacobian, reports row spans and skips the rows the engine kept fits as a plain one does', async () => {
  const { createNormalWorkspace } = await import('../../../../src/core/fit/normalEquations.ts');
  // y = c0 + c1 x + A exp(−(x − μ)²/2s²) on 2000 points; the peak's rows are written (added) only within ±6 s, and the
  // line's rows only when the engine did not keep them: any row the engine failed to clear, or cleared and then
  // expected to be kept, would change the fit.
  const n = 2000;
  const x = Float64Array.from({ length: n }, (_, i) => i / 100);
  const truth = [2, 0.3, 5, 6, 0.4];
  const f = (t: ArrayLike<number>, xi: number): number => t[0] + t[1] * xi + t[2] * Math.exp(-((xi - t[3]) ** 2) / (2 * t[4] * t[4]));
  const y = Float64Array.from(x, (xi, i) => f(truth, xi) + 0.01 * Math.sin(7 * i));
  const model = (t: Float64Array, out: Float64Array) => x.forEach((xi, i) => (out[i] = f(t, xi)));
  const dense = (t: Float64Array, _f: Float64Array, jac: Float64Array) => {
    x.forEach((xi, i) => {
      const e = Math.abs(xi - t[3]) < 6 * t[4] ? Math.exp(-((xi - t[3]) ** 2) / (2 * t[4] * t[4])) : 0;
      jac[i] = 1;
      jac[n + i] = xi;
      jac[2 * n + i] = e;
      jac[3 * n + i] = (t[2] * e * (xi - t[3])) / (t[4] * t[4]);
      jac[4 * n + i] = (t[2] * e * (xi - t[3]) ** 2) / t[4] ** 3;
    });
  };
  const start = Float64Array.from([1, 0, 4, 5.8, 0.5]);
  const plain = levenbergMarquardt({ y, start, model, jacobian: dense });
  let skipped = 0;
  const sparse = (t: Float64Array, _f: Float64Array, jac: Float64Array, spans?: import('../../../../src/core/fit/problem.ts').JacobianRowSpans) => {
    const lo = Math.max(0, Math.floor((t[3] - 6 * t[4]) * 100));
    const hi = Math.min(n, Math.ceil((t[3] + 6 * t[4]) * 100) + 1);
    for (let i = lo; i < hi; i++) {
      const xi = x[i];
      const e = Math.abs(xi - t[3]) < 6 * t[4] ? Math.exp(-((xi - t[3]) ** 2) / (2 * t[4] * t[4])) : 0;
      jac[2 * n + i] += e;
      jac[3 * n + i] += (t[2] * e * (xi - t[3])) / (t[4] * t[4]);
      jac[4 * n + i] += (t[2] * e * (xi - t[3]) ** 2) / t[4] ** 3;
    }
    for (const p of [0, 1]) {
      if (spans && spans.kept[p] === 1) {
        skipped++;
        continue;
      }
      for (let i = 0; i < n; i++) jac[p * n + i] = p === 0 ? 1 : x[i];
    }
    if (spans) {
      spans.first.set([0, 0, lo, lo, lo]);
      spans.last.set([n, n, hi, hi, hi]);
      spans.known = true;
    }
  };
  const constantJacobianRows = Uint8Array.of(1, 1, 0, 0, 0);
  const ws = createNormalWorkspace(5, n, new Float64Array(n).fill(1), constantJacobianRows);
  for (let run = 0; run < 2; run++) {
    const r = levenbergMarquardt({ y, start, model, jacobian: sparse, constantJacobianRows }, { normalWorkspace: ws });
    for (let p = 0; p < 5; p++) {
      assert.ok(Math.abs(r.values[p] - plain.values[p]) <= 1e-9 * Math.max(1, Math.abs(plain.values[p])), `run ${run} value ${p}: ${r.values[p]} vs ${plain.values[p]}`);
      assert.ok(Math.abs(r.sigma[p] - plain.sigma[p]) <= 1e-6 * plain.sigma[p], `run ${run} sigma ${p}`);
    }
  }
  assert.ok(skipped > 0, 'the engine kept the constant rows at least once');
});
