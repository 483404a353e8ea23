import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heterogeneityStrain, latticeHeterogeneityStrain } from '../../../../src/core/analysis/heterogeneityStrain.ts';
import { hexagonalTwoThetaDeg, warpedPeakProfile } from '../../../../src/core/analysis/peakWarping.ts';

test('eqn (1) on a linear f_a gives |β|Δc/(α + βc) and NaN where c ± Δc/2 leaves the data', () => {
  const c = Float64Array.from({ length: 41 }, (_, i) => 0.2 + 0.02 * i);
  const alpha = 2.81;
  const beta = 0.06;
  const f = Float64Array.from(c, (v) => alpha + beta * v);
  const [small, large] = heterogeneityStrain(c, f, [0.05, 0.2]);
  for (let i = 0; i < c.length; i++) {
    const expected = (beta * 0.05) / (alpha + beta * c[i]);
    if (c[i] - 0.025 < 0.2 - 1e-12 || c[i] + 0.025 > 1 + 1e-12) assert.ok(Number.isNaN(small.strain[i]));
    else assert.ok(Math.abs(small.strain[i] - expected) < 1e-14, `${c[i]}`);
  }
  assert.equal(large.deltaCLi, 0.2);
  assert.ok(Math.abs(large.strain[20] - (beta * 0.2) / (alpha + beta * c[20])) < 1e-14);
});

test('eqn (1) with Δc = 0 is zero strain', () => {
  const c = [0.2, 0.5, 0.9];
  const [r] = heterogeneityStrain(c, [14.2, 14.4, 14.3], [0]);
  assert.deepEqual(Array.from(r.strain), [0, 0, 0]);
});

test('a warped peak keeps the area, centres on the mean position and adds the uniform spread (βΔ)²(1 − 1/M²)/12 to the variance', () => {
  const grid = Float64Array.from({ length: 4001 }, (_, i) => 9 + i * 0.0005);
  const sigma = 0.01;
  const gauss = (dx: number): number => Math.exp((-0.5 * dx * dx) / (sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  const beta = 0.5; // degrees per unit c_Li
  const position = (c: number): number => 10 + beta * (c - 0.5);
  const M = 64;
  const delta = 0.2;
  const p = warpedPeakProfile(grid, 0.5, delta, position, gauss, M);
  let area = 0;
  let mean = 0;
  for (let i = 0; i < grid.length; i++) {
    area += p[i] * 0.0005;
    mean += p[i] * grid[i] * 0.0005;
  }
  mean /= area;
  let variance = 0;
  for (let i = 0; i < grid.length; i++) variance += p[i] * (grid[i] - mean) ** 2 * 0.0005;
  variance /= area;
  assert.ok(Math.abs(area - 1) < 1e-9);
  assert.ok(Math.abs(mean - 10) < 1e-9);
  const expected = sigma * sigma + ((beta * delta) ** 2 * (1 - 1 / (M * M))) / 12;
  assert.ok(Math.abs(variance - expected) < 1e-9, `${variance} vs ${expected}`);
  const single = warpedPeakProfile(grid, 0.5, 0, position, gauss);
  assert.ok(Math.abs(single[2000] - gauss(0)) < 1e-12);
});

test('hexagonalTwoThetaDeg places 003 at 2·asin(λ/(2·c/3)) and 110 at 2·asin(λ/a)', () => {
  const lambda = 0.4592;
  const a = 2.873;
  const c = 14.21;
  assert.ok(Math.abs(hexagonalTwoThetaDeg(0, 0, 3, a, c, lambda) - (2 * Math.asin(lambda / ((2 * c) / 3)) * 180) / Math.PI) < 1e-12);
  assert.ok(Math.abs(hexagonalTwoThetaDeg(1, 1, 0, a, c, lambda) - (2 * Math.asin(lambda / a) * 180) / Math.PI) < 1e-12);
  assert.ok(Number.isNaN(hexagonalTwoThetaDeg(1, 1, 0, a, c, 10)));
});

test('latticeHeterogeneityStrain on linear a and c gives ε^c/ε^a = (β_c/β_a)·f_a/f_c', () => {
  const cLi = Float64Array.from({ length: 30 }, (_, i) => 0.3 + 0.02 * i);
  const a = Float64Array.from(cLi, (v) => 2.81 + 0.06 * v);
  const c = Float64Array.from(cLi, (v) => 14.5 - 0.3 * v);
  const r = latticeHeterogeneityStrain(cLi, a, c, [0.1]);
  const i = 15;
  const expected = (0.3 / 0.06) * (a[i] / c[i]);
  assert.ok(Math.abs(r.c[0].strain[i] / r.a[0].strain[i] - expected) < 1e-12);
});
