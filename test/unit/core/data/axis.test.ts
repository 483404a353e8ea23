import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  convertAxis,
  dToQ,
  dToTwoThetaDeg,
  qToD,
  qToTwoThetaDeg,
  twoThetaDegToD,
  twoThetaDegToQ,
} from '../../../../src/core/data/axis.ts';

const CU = 1.540593;

test('Bragg: Si 111 (d = 3.1356 Å) sits at 28.44° 2θ with Cu Kα1', () => {
  // Si a = 5.431 Å, d111 = a/√3; the tabulated Si 111 peak with Cu Kα1 is at 28.443°.
  const d = 5.431020511 / Math.sqrt(3);
  assert.ok(Math.abs(dToTwoThetaDeg(d, CU) - 28.4427) < 2e-3);
  assert.ok(Math.abs(twoThetaDegToD(28.4427, CU) - d) < 2e-4);
});

test('q = 2π/d and q = 4π sinθ/λ agree', () => {
  const tth = 44.42;
  const d = twoThetaDegToD(tth, CU);
  assert.ok(Math.abs(twoThetaDegToQ(tth, CU) - dToQ(d)) < 1e-12);
  assert.ok(Math.abs(qToD(dToQ(2.0)) - 2.0) < 1e-12);
});

test('2θ → q → 2θ round-trips and unreachable q gives NaN', () => {
  for (const tth of [1, 10, 45.5, 90, 150]) {
    assert.ok(Math.abs(qToTwoThetaDeg(twoThetaDegToQ(tth, 0.4592), 0.4592) - tth) < 1e-10);
  }
  assert.ok(Number.isNaN(qToTwoThetaDeg(100, CU)));
  assert.ok(Number.isNaN(dToTwoThetaDeg(0.5, CU)));
});

test('convertAxis turns q in nm⁻¹ into 2θ and d, and needs a wavelength for 2θ', () => {
  const qNm = new Float64Array([10, 20, 30]);
  const tth = convertAxis(qNm, { axis: 'q', unit: 'invNanometre' }, { axis: 'twoTheta', unit: 'deg' }, 0.3202);
  assert.ok(Math.abs(tth[0] - qToTwoThetaDeg(1, 0.3202)) < 1e-12);
  const d = convertAxis(qNm, { axis: 'q', unit: 'invNanometre' }, { axis: 'd', unit: 'angstrom' });
  assert.ok(Math.abs(d[1] - (2 * Math.PI) / 2) < 1e-12);
  const back = convertAxis(d, { axis: 'd', unit: 'angstrom' }, { axis: 'q', unit: 'invNanometre' });
  assert.ok(Math.abs(back[2] - 30) < 1e-12);
  assert.throws(() => convertAxis(qNm, { axis: 'q', unit: 'invAngstrom' }, { axis: 'twoTheta', unit: 'deg' }), RangeError);
});
