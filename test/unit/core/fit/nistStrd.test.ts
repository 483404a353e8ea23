import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levenbergMarquardt, type LmSolverOptions } from '../../../../src/core/fit/levenbergMarquardt.ts';
import type { LeastSquaresProblem } from '../../../../src/core/fit/problem.ts';
import { readNist } from './nistStrd.ts';

type Model = (b: Float64Array, x: number) => number;
/** ∂f/∂b_p at x, written into g. */
type Gradient = (b: Float64Array, x: number, g: Float64Array) => void;

interface Case {
  readonly name: string;
  readonly model: Model;
  readonly gradient?: Gradient;
  readonly options?: Partial<LmSolverOptions>;
}

const cases: readonly Case[] = [
  {
    name: 'Misra1a',
    model: (b, x) => b[0] * (1 - Math.exp(-b[1] * x)),
    gradient: (b, x, g) => {
      const e = Math.exp(-b[1] * x);
      g[0] = 1 - e;
      g[1] = b[0] * x * e;
    },
  },
  {
    name: 'Thurber',
    model: (b, x) => {
      const x2 = x * x;
      const x3 = x2 * x;
      return (b[0] + b[1] * x + b[2] * x2 + b[3] * x3) / (1 + b[4] * x + b[5] * x2 + b[6] * x3);
    },
    gradient: (b, x, g) => {
      const x2 = x * x;
      const x3 = x2 * x;
      const num = b[0] + b[1] * x + b[2] * x2 + b[3] * x3;
      const den = 1 + b[4] * x + b[5] * x2 + b[6] * x3;
      const q = -num / (den * den);
      g[0] = 1 / den;
      g[1] = x / den;
      g[2] = x2 / den;
      g[3] = x3 / den;
      g[4] = q * x;
      g[5] = q * x2;
      g[6] = q * x3;
    },
  },
  {
    name: 'MGH09',
    model: (b, x) => (b[0] * (x * x + x * b[1])) / (x * x + x * b[2] + b[3]),
    gradient: (b, x, g) => {
      const num = x * x + x * b[1];
      const den = x * x + x * b[2] + b[3];
      g[0] = num / den;
      g[1] = (b[0] * x) / den;
      g[2] = (-b[0] * num * x) / (den * den);
      g[3] = (-b[0] * num) / (den * den);
    },
  },
  {
    name: 'BoxBOD',
    model: (b, x) => b[0] * (1 - Math.exp(-b[1] * x)),
    gradient: (b, x, g) => {
      g[0] = 1 - Math.exp(-b[1] * x);
      g[1] = b[0] * x * Math.exp(-b[1] * x);
    },
  },
  {
    name: 'Eckerle4',
    model: (b, x) => (b[0] / b[1]) * Math.exp(-0.5 * ((x - b[2]) / b[1]) ** 2),
  },
  { name: 'Chwirut2', model: (b, x) => Math.exp(-b[0] * x) / (b[1] + b[2] * x) },
  { name: 'MGH10', model: (b, x) => b[0] * Math.exp(b[1] / (x + b[2])) },
  { name: 'Rat43', model: (b, x) => b[0] / Math.pow(1 + Math.exp(b[1] - b[2] * x), 1 / b[3]) },
  { name: 'Bennett5', model: (b, x) => b[0] * Math.pow(b[1] + x, -1 / b[2]), options: { centralDifferences: true } },
];

function problemFor(c: Case, x: Float64Array, y: Float64Array, start: Float64Array): LeastSquaresProblem {
  const P = start.length;
  const n = x.length;
  const g = new Float64Array(P);
  const grad = c.gradient;
  return {
    y,
    start,
    model(theta, out) {
      for (let i = 0; i < n; i++) out[i] = c.model(theta, x[i]);
    },
    jacobian: grad
      ? (theta, _f, jac) => {
          for (let i = 0; i < n; i++) {
            grad(theta, x[i], g);
            for (let p = 0; p < P; p++) jac[p * n + i] = g[p];
          }
        }
      : undefined,
  };
}

/** |a − b| within half a unit in the 6th significant digit of b. */
function agreesTo6(actual: number, certified: number, label: string): void {
  const tolerance = 5e-6 * Math.abs(certified);
  assert.ok(Math.abs(actual - certified) <= tolerance, `${label}: ${actual} vs certified ${certified}`);
}

/**
 * Known gaps (tests below): from MGH10's start 1 the solver crawls along the b1 → 0 valley; from BoxBOD's start 1
 * the first Gauss–Newton-like step sends b2 to ≈ 115, where exp(−b2·x) vanishes and the fit stops on the asymptotic
 * stationary point b2 → ∞, b1 = mean(y).
 */
const knownFailures = new Set(['MGH10#0', 'BoxBOD#0']);

for (const c of cases) {
  const nist = readNist(c.name);
  for (const k of [0, 1] as const) {
    if (knownFailures.has(`${c.name}#${k}`)) continue;
    const how = c.gradient ? 'an analytic Jacobian' : c.options?.centralDifferences ? 'central differences' : 'forward differences';
    for (const geodesicAcceleration of [false, true]) {
      const label = geodesicAcceleration ? ' and geodesic acceleration' : '';
      test(`${c.name} from NIST start ${k + 1} with ${how}${label} reaches the certified values, σ and residual sum of squares`, () => {
        const result = levenbergMarquardt(problemFor(c, nist.x, nist.y, nist.starts[k]), {
          maxIterations: 10000,
          geodesicAcceleration,
          ...c.options,
        });
        assert.ok(result.converged, `stopped with ${result.stopReason} after ${result.iterations} iterations`);
        assert.equal(result.points, nist.y.length);
        for (let p = 0; p < nist.certified.length; p++) {
          agreesTo6(result.values[p], nist.certified[p], `b${p + 1}`);
          agreesTo6(result.sigma[p], nist.certifiedSigma[p], `σ(b${p + 1})`);
        }
        agreesTo6(result.chi2, nist.residualSumOfSquares, 'residual sum of squares');
        agreesTo6(result.chi2red, nist.residualSumOfSquares / (nist.y.length - nist.certified.length), 'χ²_red');
      });
    }
  }
}

test('MGH10 from NIST start 1 reports that it did not converge instead of returning a wrong answer as converged', () => {
  const c = cases.find((x) => x.name === 'MGH10');
  assert.ok(c);
  const nist = readNist('MGH10');
  for (const geodesicAcceleration of [false, true]) {
    const result = levenbergMarquardt(problemFor(c, nist.x, nist.y, nist.starts[0]), { maxIterations: 2000, geodesicAcceleration });
    const right = Math.abs(result.values[1] - nist.certified[1]) <= 5e-6 * nist.certified[1];
    assert.equal(result.converged, right, `stopReason ${result.stopReason}, b2 = ${result.values[1]}`);
    assert.ok(result.chi2 >= nist.residualSumOfSquares * (1 - 1e-9));
  }
});

test('BoxBOD from NIST start 1 stops on the asymptote b2 → ∞ and its σ(b2) shows that b2 is undetermined there', () => {
  const c = cases.find((x) => x.name === 'BoxBOD');
  assert.ok(c);
  const nist = readNist('BoxBOD');
  const result = levenbergMarquardt(problemFor(c, nist.x, nist.y, nist.starts[0]));
  const meanY = nist.y.reduce((s, v) => s + v, 0) / nist.y.length;
  const certified = Math.abs(result.values[0] - nist.certified[0]) <= 5e-6 * nist.certified[0];
  if (!certified) {
    assert.ok(Math.abs(result.values[0] - meanY) < 1e-6 * meanY, `b1 = ${result.values[0]}`);
    assert.ok(!(result.sigma[1] < 1e6 * Math.abs(result.values[1])), `σ(b2) = ${result.sigma[1]}`);
  }
});
