import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlignedPattern } from '../../../../src/core/operando/align.ts';
import { parseCsv } from '../../../../src/core/operando/csv.ts';
import {
  RESULT_COLUMNS,
  buildResultsTable,
  isLayeredPhase,
  phaseQuantities,
  resultsTableToCsv,
} from '../../../../src/core/operando/resultsTable.ts';

const T0 = Date.UTC(2025, 6, 2, 18, 0, 0) / 1000;

function aligned(file: string, k: number): AlignedPattern {
  return {
    file,
    startUnixS: T0 + 600 * k,
    endUnixS: T0 + 600 * k + 60,
    midUnixS: T0 + 600 * k + 30,
    timeS: 600 * k + 30,
    cLi: 1 - 0.1 * k,
    cLiSpan: 0.004,
    cLiMin: 0.998 - 0.1 * k,
    cLiMax: 1.002 - 0.1 * k,
    voltageV: 3.7 + 0.1 * k,
    currentMilliamp: 1,
    cycle: 1,
    step: 2,
    branch: 'charge',
    flags: [],
  };
}

const nmc = {
  name: 'NMC811',
  a: 2.8727,
  aSigma: 0.0002,
  c: 14.2127,
  cSigma: 0.0009,
  strain: { e001: 0.0012, e001Sigma: 0.0001 },
  fwhm003Deg: 0.021,
};

test('one layered phase fills the documented columns, in order, with d_TM = a and d_IL = c/3 and their σ', () => {
  const table = buildResultsTable([
    { pattern: aligned('scan_1.xy', 0), result: { phases: [nmc], Rwp: 4.2, chi2red: 1.21, gof: 1.1 }, flags: ['restarted'] },
  ]);
  assert.deepEqual(table.columns.slice(0, RESULT_COLUMNS.length), [...RESULT_COLUMNS]);
  const row = table.rows[0];
  assert.equal(row.d_TM, 2.8727);
  assert.equal(row.d_TM_sigma, 0.0002);
  assert.ok(Math.abs((row.d_IL as number) - 14.2127 / 3) < 1e-15);
  assert.ok(Math.abs((row.d_IL_sigma as number) - 0.0003) < 1e-15);
  assert.equal(row.strain_001, 0.0012);
  assert.equal(row.time_utc, '2025-07-02T18:00:30.000Z');
  assert.equal(row.flags, 'restarted');
  assert.ok(!table.columns.some((c) => c.startsWith('NMC811_')));
});

test('volume per formula unit of R-3m is (√3/2)a²c/3 with σ from a and c (to 1e-12 relative)', () => {
  const q = phaseQuantities(nmc);
  const v = ((Math.sqrt(3) / 2) * 2.8727 ** 2 * 14.2127) / 3;
  assert.ok(Math.abs(q.V_fu / v - 1) < 1e-12);
  const sv = v * Math.hypot((2 * 0.0002) / 2.8727, 0.0009 / 14.2127);
  assert.ok(Math.abs(q.V_fu_sigma / sv - 1) < 1e-12);
});

test('a C2/m monoclinic layered phase has d_TM = b, d_IL = c sin β and V_fu = abc sin β / 2', () => {
  // From a_h = 2.87, c_h = 14.2 (science.md §2): a_m = √3 a_h, b_m = a_h, c_m = √(a_h²/3 + c_h²/9).
  const ah = 2.87;
  const ch = 14.2;
  const am = Math.sqrt(3) * ah;
  const cm = Math.sqrt((ah * ah) / 3 + (ch * ch) / 9);
  const beta = 180 - (Math.acos(am / (3 * cm)) * 180) / Math.PI;
  const q = phaseQuantities({ name: 'M', a: am, b: ah, c: cm, beta, aSigma: 0, bSigma: 0, cSigma: 0, betaSigma: 0 });
  assert.equal(q.d_TM, ah);
  // c_m sin β = c_h/3 for this construction (to 1e-12 Å), and V_m per f.u. equals V_h per f.u.
  assert.ok(Math.abs(q.d_IL - ch / 3) < 1e-12);
  assert.ok(Math.abs(q.V_fu - ((Math.sqrt(3) / 2) * ah * ah * ch) / 3) < 1e-9);
});

test('isLayeredPhase tells a layered oxide from graphite and aluminium by c/a', () => {
  assert.equal(isLayeredPhase(nmc), true);
  assert.equal(isLayeredPhase({ name: 'graphite', a: 2.46, c: 6.71 }), false);
  assert.equal(isLayeredPhase({ name: 'Al', a: 4.05 }), false);
  assert.equal(isLayeredPhase({ name: 'x', a: 4.05, layered: true }), true);
});

test('several phases get prefixed columns, the first layered phase also unprefixed', () => {
  const al = { name: 'Al foil', a: 4.0494, aSigma: 0.0001, z: 4 };
  const table = buildResultsTable([
    { pattern: aligned('s1', 0), result: { phases: [al, nmc], Rwp: 4, chi2red: 1, gof: 1 } },
    { pattern: aligned('s2', 1), result: { phases: [al, { ...nmc, a: 2.86 }], Rwp: 4, chi2red: 1, gof: 1 } },
  ]);
  assert.ok(table.columns.includes('Al_foil_a'));
  assert.ok(table.columns.includes('NMC811_d_IL'));
  assert.ok(!table.columns.includes('Al_foil_d_TM'));
  assert.equal(table.rows[1].a, 2.86);
  assert.equal(table.rows[1].NMC811_a, 2.86);
  assert.equal(table.rows[1].Al_foil_a, 4.0494);
  // Al: V per atom = a³/4.
  assert.ok(Math.abs((table.rows[0].Al_foil_V_fu as number) - 4.0494 ** 3 / 4) < 1e-12);
});

test('a cancelled pattern keeps its time and c_Li and leaves the cell columns empty in the CSV', () => {
  const table = buildResultsTable([
    { pattern: aligned('done.xy', 0), result: { phases: [nmc], Rwp: 4, chi2red: 1, gof: 1 } },
    { pattern: aligned('not run.xy', 1) },
  ]);
  const csv = parseCsv(resultsTableToCsv(table));
  const col = (n: string) => csv.header.indexOf(n);
  assert.equal(csv.rows[1][col('file')], 'not run.xy');
  assert.equal(csv.rows[1][col('a')], '');
  assert.equal(Number(csv.rows[1][col('c_Li')]), 0.9);
  assert.equal(Number(csv.rows[0][col('c')]), 14.2127);
});

test('scales are written as relative, and weight fractions and presence only when the fit gives them', () => {
  const le = buildResultsTable([{ pattern: aligned('s', 0), result: { phases: [{ ...nmc, scale: 2.5, scaleSigma: 0.1 }], Rwp: 1 } }]);
  assert.ok(le.columns.includes('scale_relative'));
  assert.ok(!le.columns.includes('weight_fraction') && !le.columns.includes('scale'));
  const h1 = { ...nmc, name: 'H1', weightFraction: 0.7, weightFractionSigma: 0.02, present: true };
  const h2 = { ...nmc, name: 'H2', c: 14.4, weightFraction: 0.3, weightFractionSigma: 0.02, present: true };
  const h3 = { ...nmc, name: 'H3', c: 13.4, present: false };
  const rv = buildResultsTable([{ pattern: aligned('s', 0), result: { phases: [h1, h2, h3], Rwp: 1 } }]);
  assert.equal(rv.rows[0].H2_weight_fraction, 0.3);
  assert.equal(rv.rows[0].H3_present, 0);
  assert.equal(rv.rows[0].c, 14.2127);
});

test('a size column (nm, with σ) appears only when a size was refined, also per phase', () => {
  const plain = buildResultsTable([{ pattern: aligned('s', 0), result: { phases: [nmc], Rwp: 1 } }]);
  assert.ok(!plain.columns.some((c) => c.startsWith('size_nm')));
  const sized = buildResultsTable([
    { pattern: aligned('s', 0), result: { phases: [{ ...nmc, size: { lengthNm: 80.5, lengthNmSigma: 0.4 } }], Rwp: 1 } },
    { pattern: aligned('t', 1) },
  ]);
  assert.ok(sized.columns.includes('size_nm') && sized.columns.includes('size_nm_sigma'));
  assert.equal(sized.rows[0].size_nm, 80.5);
  assert.equal(sized.rows[0].size_nm_sigma, 0.4);
  const two = buildResultsTable([
    { pattern: aligned('s', 0), result: { phases: [{ ...nmc, size: { lengthNm: 80.5, lengthNmSigma: 0.4 } }, { name: 'Al', a: 4.05, aSigma: 1e-4 }], Rwp: 1 } },
  ]);
  assert.ok(two.columns.includes('NMC811_size_nm') && !two.columns.includes('Al_size_nm'));
});
