import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FARADAY_C_PER_MOL,
  parseComposition,
  theoreticalCapacityMahPerG,
} from '../../../../src/core/operando/composition.ts';
import { activeMassMg } from '../../../../src/core/operando/activeMass.ts';

test('parseComposition gives the science.md §2 molar masses of NMC811, NMC622 and LNO to 0.01 g/mol', () => {
  assert.ok(Math.abs(parseComposition('NMC811').molarMassGPerMol - 97.28) < 0.005);
  assert.ok(Math.abs(parseComposition('NMC622').molarMassGPerMol - 96.93) < 0.005);
  assert.ok(Math.abs(parseComposition('LNO').molarMassGPerMol - 97.63) < 0.005);
});

test('a written formula and its short name give the same molar mass (to 1e-12 g/mol)', () => {
  const a = parseComposition('LiNi0.8Mn0.1Co0.1O2').molarMassGPerMol;
  const b = parseComposition('nmc811').molarMassGPerMol;
  assert.ok(Math.abs(a - b) < 1e-12);
  assert.equal(parseComposition('NMC811').formula, 'LiNi0.8Mn0.1Co0.1O2');
});

test('NMC111 uses exact thirds: M = 6.941 + (58.693 + 54.938 + 58.933)/3 + 31.998 (to 1e-12)', () => {
  const expected = 6.941 + (58.693 + 54.938 + 58.933) / 3 + 2 * 15.999;
  assert.ok(Math.abs(parseComposition('NMC111').molarMassGPerMol - expected) < 1e-12);
});

test('LCO is LiCoO2 and parentheses multiply their content', () => {
  assert.ok(Math.abs(parseComposition('LCO').molarMassGPerMol - (6.941 + 58.933 + 31.998)) < 1e-12);
  const lfp = parseComposition('Li(FePO4)').elements;
  assert.deepEqual(lfp, { Li: 1, Fe: 1, P: 1, O: 4 });
  assert.deepEqual(parseComposition('Li2(SO4)2').elements, { Li: 2, S: 2, O: 8 });
});

test('theoretical capacity of NMC811 is 275.5 mAh/g (science.md §2) to 0.05', () => {
  const m = parseComposition('NMC811').molarMassGPerMol;
  assert.ok(Math.abs(theoreticalCapacityMahPerG(m) - 275.5) < 0.05);
  assert.ok(Math.abs(theoreticalCapacityMahPerG(m) - FARADAY_C_PER_MOL / 3.6 / m) < 1e-12);
});

test('parseComposition rejects unknown elements and unreadable text with a RangeError', () => {
  assert.throws(() => parseComposition('LiXx2'), RangeError);
  assert.throws(() => parseComposition('li ni o2'), RangeError);
  assert.throws(() => parseComposition('Li(NiO2'), RangeError);
});

test('activeMassMg multiplies area × loading × fraction, and not the fraction for an active loading', () => {
  assert.ok(Math.abs(activeMassMg({ areaCm2: 10.24, loadingMgPerCm2: 10.4, activeFraction: 0.96 }) - 102.23616) < 1e-9);
  assert.equal(activeMassMg({ areaCm2: 2, loadingMgPerCm2: 5, loadingIsActive: true }), 10);
  assert.equal(activeMassMg({ activeMassMg: 12.5 }), 12.5);
  assert.throws(() => activeMassMg({ areaCm2: 2, loadingMgPerCm2: 5 }), RangeError);
  assert.throws(() => activeMassMg({ areaCm2: 2, loadingMgPerCm2: 5, activeFraction: 96 }), RangeError);
  assert.throws(() => activeMassMg({ activeMassMg: 0 }), RangeError);
});
