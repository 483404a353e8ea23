import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellVolume, dFromTwoThetaDeg, dSpacingAngstrom, twoThetaDegFromD } from '../../../../src/core/diffraction/cell.ts';
import { monoclinicFromHexagonal, phasePreset } from '../../../../src/core/diffraction/phases.ts';

test('dSpacingAngstrom of a cubic cell is a/√(h²+k²+l²) (to 1e-13 relative)', () => {
  const cell = { a: 4.0495, b: 4.0495, c: 4.0495, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 };
  for (const [h, k, l] of [
    [1, 1, 1],
    [2, 0, 0],
    [3, 1, 1],
    [4, 2, 2],
  ]) {
    const d = dSpacingAngstrom(cell, h, k, l);
    assert.ok(Math.abs(d / (4.0495 / Math.sqrt(h * h + k * k + l * l)) - 1) < 1e-13);
  }
  assert.ok(Math.abs(cellVolume(cell) - 4.0495 ** 3) < 1e-10);
});

test('hexagonal d-spacings follow 1/d² = 4(h²+hk+k²)/(3a²) + l²/c² and V = (√3/2) a² c (1e-12 relative)', () => {
  const a = 2.8727;
  const c = 14.2127;
  const cell = { a, b: a, c, alphaDeg: 90, betaDeg: 90, gammaDeg: 120 };
  for (const [h, k, l] of [
    [0, 0, 3],
    [1, 0, 4],
    [1, 1, 0],
    [2, -1, 3],
  ]) {
    const expected = 1 / Math.sqrt((4 * (h * h + h * k + k * k)) / (3 * a * a) + (l * l) / (c * c));
    assert.ok(Math.abs(dSpacingAngstrom(cell, h, k, l) / expected - 1) < 1e-12);
  }
  assert.ok(Math.abs(cellVolume(cell) / ((Math.sqrt(3) / 2) * a * a * c) - 1) < 1e-12);
});

test('a triclinic cell has the metric-tensor volume abc√(1 − cos²α − cos²β − cos²γ + 2cosαcosβcosγ)', () => {
  const cell = { a: 5.1, b: 6.2, c: 7.3, alphaDeg: 81, betaDeg: 97, gammaDeg: 103 };
  const [ca, cb, cg] = [81, 97, 103].map((x) => Math.cos((x * Math.PI) / 180));
  const v = 5.1 * 6.2 * 7.3 * Math.sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
  assert.ok(Math.abs(cellVolume(cell) - v) < 1e-10);
  // d(100) = V / (b c sin α): the spacing of the planes spanned by b and c.
  assert.ok(Math.abs(dSpacingAngstrom(cell, 1, 0, 0) - v / (6.2 * 7.3 * Math.sin((81 * Math.PI) / 180))) < 1e-12);
});

test('Bragg conversions are inverse to each other and 27 keV 003 of NMC811 sits near 5.55°', () => {
  const lambda = 12.398419843 / 27;
  const d = 14.2127 / 3;
  const tt = twoThetaDegFromD(d, lambda);
  assert.ok(Math.abs(dFromTwoThetaDeg(tt, lambda) - d) < 1e-12);
  assert.ok(Math.abs(tt - 5.555) < 0.01);
  assert.ok(Number.isNaN(twoThetaDegFromD(0.1, 1.54)));
});

test('the monoclinic cell of a layered oxide keeps the volume per formula unit: V_m = (2/3) V_h, (001)_m = (003)_h', () => {
  const a = 2.8747;
  const c = 14.1775;
  const m = monoclinicFromHexagonal(a, c);
  const vh = (Math.sqrt(3) / 2) * a * a * c;
  assert.ok(Math.abs(cellVolume(m) / ((2 / 3) * vh) - 1) < 1e-12);
  assert.ok(Math.abs(dSpacingAngstrom(m, 0, 0, 1) - c / 3) < 1e-12);
  assert.ok(Math.abs(m.betaDeg - 109.3) < 0.2);
});

test('phasePreset ties cubic edges and applies overrides', () => {
  const al = phasePreset('al', { a: 4.05 });
  assert.equal(al.cell.b, 4.05);
  assert.equal(al.cell.c, 4.05);
  const nmc = phasePreset('layered', { a: 2.87, c: 14.3, name: 'NMC' });
  assert.deepEqual([nmc.name, nmc.spaceGroup, nmc.cell.a, nmc.cell.b, nmc.cell.c, nmc.cell.gammaDeg], ['NMC', 'R-3m', 2.87, 2.87, 14.3, 120]);
  assert.throws(() => phasePreset('unobtainium'), RangeError);
});
