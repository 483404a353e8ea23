import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollingMean } from '../../../../src/core/analysis/rollingMean.ts';
import { localPolynomialFit } from '../../../../src/core/analysis/localPolynomial.ts';
import { savitzkyGolay } from '../../../../src/core/analysis/savitzkyGolay.ts';
import { seededRandom } from '../../../../src/core/analysis/seededRandom.ts';

test('rollingMean of a constant is that constant and keeps the length of x', () => {
  const out = rollingMean(new Float64Array(11).fill(2.5), 5);
  assert.equal(out.length, 11);
  assert.ok(out.every((v) => v === 2.5));
});

test('rollingMean shrinks its window symmetrically at the ends, so a straight line passes unchanged', () => {
  const y = Float64Array.from({ length: 9 }, (_, i) => 3 - 0.5 * i);
  const out = rollingMean(y, 5);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(out[i] - y[i]) < 1e-15);
  // End samples are their own raw values; the second averages three samples.
  const z = [0, 3, 0, 0, 0, 0];
  const m = rollingMean(z, 5);
  assert.equal(m[0], 0);
  assert.equal(m[1], 1);
  assert.equal(m[2], 0.6);
});

test('rollingMean skips NaN and rejects an even or non-positive window', () => {
  assert.deepEqual(Array.from(rollingMean([1, Number.NaN, 3], 3)), [1, 2, 3]);
  assert.throws(() => rollingMean([1, 2, 3], 4), RangeError);
  assert.throws(() => rollingMean([1, 2, 3], 0), RangeError);
});

test('localPolynomialFit of degree 3 differentiates a cubic exactly on random uneven abscissae', () => {
  const random = seededRandom(7);
  const x = Float64Array.from({ length: 40 }, () => random()).sort();
  const f = (v: number): number => 2 - 3 * v + 4 * v * v - 5 * v * v * v;
  const df = (v: number): number => -3 + 8 * v - 15 * v * v;
  const { value, derivative } = localPolynomialFit(x, Float64Array.from(x, f), 7, 3);
  for (let i = 0; i < x.length; i++) {
    assert.ok(Math.abs(value[i] - f(x[i])) < 1e-9, `value at ${x[i]}`);
    assert.ok(Math.abs(derivative[i] - df(x[i])) < 1e-7, `derivative at ${x[i]}: ${derivative[i]} vs ${df(x[i])}`);
  }
});

test('localPolynomialFit of degree 2 is exact for a parabola, ends included, and errs on a cubic by a bounded amount', () => {
  const random = seededRandom(3);
  const x = Float64Array.from({ length: 30 }, () => random()).sort();
  const d = localPolynomialFit(x, Float64Array.from(x, (v) => 1 + v - 2 * v * v), 5, 2).derivative;
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(d[i] - (1 - 4 * x[i])) < 1e-8);
  assert.throws(() => localPolynomialFit(x, x, 4, 2), RangeError);
  assert.throws(() => localPolynomialFit(x, x, 5, 5), RangeError);
});

test('savitzkyGolay reproduces the classic 5-point quadratic weights (−3, 12, 17, 12, −3)/35 and (−2, −1, 0, 1, 2)/10', () => {
  const impulse = new Float64Array(9);
  impulse[4] = 1;
  const smooth = savitzkyGolay(impulse, 5, 2, 0);
  // The response at sample i to an impulse at 4 is the weight of offset 4 − i.
  const expected = [-3, 12, 17, 12, -3].map((v) => v / 35);
  for (let k = 0; k < 5; k++) assert.ok(Math.abs(smooth[2 + k] - expected[4 - k]) < 1e-14);
  const slope = savitzkyGolay(impulse, 5, 2, 1, 0.5);
  const expectedSlope = [-2, -1, 0, 1, 2].map((v) => v / 10 / 0.5);
  for (let k = 0; k < 5; k++) assert.ok(Math.abs(slope[2 + k] - expectedSlope[4 - k]) < 1e-14);
});

test('savitzkyGolay differentiates a quadratic exactly on an even grid, ends included', () => {
  const h = 0.1;
  const y = Float64Array.from({ length: 12 }, (_, i) => 3 * (i * h) ** 2 - i * h);
  const d = savitzkyGolay(y, 7, 2, 1, h);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(d[i] - (6 * i * h - 1)) < 1e-12);
});

test('seededRandom repeats for a seed, differs between seeds and stays in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((v) => v >= 0 && v < 1));
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.03);
});
