import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHARACTERISTIC_DEFAULTS,
  dILMaximum,
  dTMMaxSlope,
  dTMPlateau,
  maximumLocation,
} from '../../../../src/core/analysis/characteristicContents.ts';
import { seededRandom } from '../../../../src/core/analysis/seededRandom.ts';

function unevenGrid(n: number, from: number, to: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const steps = Float64Array.from({ length: n - 1 }, () => 0.5 + random());
  const total = steps.reduce((s, v) => s + v, 0);
  const x = new Float64Array(n);
  x[0] = from;
  for (let i = 1; i < n; i++) x[i] = x[i - 1] + ((to - from) * steps[i - 1]) / total;
  x[n - 1] = to;
  return x;
}

function gaussianNoise(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

test('the maximum of a parabola on uneven c_Li is found at its vertex to 1e-9, status interior, σ 0 without noise', () => {
  const x = unevenGrid(80, 0.2, 1, 11);
  const y = Float64Array.from(x, (c) => 4.8 - 3 * (c - 0.537) ** 2);
  const r = dILMaximum(x, y);
  assert.equal(r.status, 'interior');
  assert.ok(Math.abs(r.value - 0.537) < 1e-9, `${r.value}`);
  assert.ok(r.sigma < 1e-9, `σ = ${r.sigma}`);
});

test('the maximum of a noisy parabola lies within 3σ of the vertex and σ reflects the noise', () => {
  const x = unevenGrid(150, 0.2, 1, 5);
  const random = seededRandom(99);
  const y = Float64Array.from(x, (c) => 4.8 - 0.5 * (c - 0.61) ** 2 + 2e-4 * gaussianNoise(random));
  const r = dILMaximum(x, y);
  assert.equal(r.status, 'interior');
  assert.ok(r.sigma > 1e-4 && r.sigma < 0.05, `σ = ${r.sigma}`);
  assert.ok(Math.abs(r.value - 0.61) < 3 * r.sigma + 1e-3, `${r.value} ± ${r.sigma}`);
  // Deterministic: the same seed gives the same σ.
  assert.equal(dILMaximum(x, y).sigma, r.sigma);
});

test('a maximum at the edge of the data is reported with status boundary', () => {
  const x = unevenGrid(40, 0.3, 1, 2);
  const r = maximumLocation(x, Float64Array.from(x, (c) => 2 * c), 5);
  assert.deepEqual(r, { value: 1, status: 'boundary' });
});

test('the largest slope of a tanh step is found at its centre', () => {
  const x = unevenGrid(120, 0.2, 1, 8);
  const y = Float64Array.from(x, (c) => 2.85 + 0.01 * Math.tanh((c - 0.62) / 0.08));
  const r = dTMMaxSlope(x, y);
  assert.equal(r.status, 'interior');
  assert.ok(Math.abs(r.value - 0.62) < 2e-3, `${r.value}`);
});

test('the plateau of an exponential is where its slope falls to 10 % of the largest, x = 1 + ln(0.1)/k', () => {
  const k = 5;
  const x = unevenGrid(200, 0, 1, 4);
  const r = dTMPlateau(x, Float64Array.from(x, (c) => Math.exp(k * c)));
  assert.equal(r.status, 'interior');
  assert.ok(Math.abs(r.value - (1 + Math.log(0.1) / k)) < 5e-3, `${r.value}`);
});

test('no plateau is reported when the slope never falls below the threshold', () => {
  const x = unevenGrid(60, 0, 1, 6);
  const r = dTMPlateau(x, Float64Array.from(x, (c) => 1 + c));
  assert.equal(r.status, 'none');
  assert.ok(Number.isNaN(r.value));
});

test('characteristic contents refuse c_Li that is not strictly increasing', () => {
  assert.throws(() => dILMaximum([0.1, 0.3, 0.2, 0.4], [1, 2, 3, 4]), RangeError);
});

test('CHARACTERISTIC_DEFAULTS holds the documented window 7, 200 replicates, seed 1 and 10 % plateau', () => {
  assert.deepEqual({ ...CHARACTERISTIC_DEFAULTS }, { window: 7, replicates: 200, seed: 1, plateauFraction: 0.1 });
});
