import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMpr } from '../../../../src/core/io/mpr.ts';
import { readMpt } from '../../../../src/core/io/mpt.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

/**
 * EC-Lab's text export prints float32 values with 8 significant digits, so the same number read from the binary
 * agrees to a relative 1e-7 (or 1e-9 absolute near zero).
 */
function sameAsExport(mprFile: string, mptFile: string, records: number, skip: RegExp = /^$/): void {
  const a = readMpr(fixture(`biologic/${mprFile}`));
  const b = readMpt(fixture(`biologic/${mptFile}`));
  assert.equal(a.records, records, `${mprFile} records (MANIFEST, verified with galvani)`);
  assert.equal(b.records, records);
  let compared = 0;
  for (const [name, col] of Object.entries(a.columns)) {
    const ref = b.columns[name];
    if (!ref || skip.test(name)) continue;
    compared++;
    for (let k = 0; k < col.length; k++) {
      const d = Math.abs(col[k] - ref[k]);
      assert.ok(d <= 1e-9 || d <= 1e-7 * Math.abs(ref[k]), `${mprFile} ${name}[${k}]: ${col[k]} vs ${ref[k]}`);
    }
  }
  assert.ok(compared >= 3, `${mprFile}: only ${compared} columns in common with the export`);
  assert.equal(a.startTime, b.startTime);
  // Minimal 3-line-header exports name no technique; the others must agree with the binary's technique id.
  if (b.technique) assert.equal(a.technique, b.technique);
}

test('readMpr equals the .mpt export of the same OCV run (602 records, EC-Lab 11.30, data module v3)', () => {
  sameAsExport('ocv.mpr', 'ocv.mpt', 602);
  const r = readMpr(fixture('biologic/ocv.mpr'));
  assert.equal(r.startTime, '2020-01-16T14:13:34.000');
  assert.equal(r.currentSign, 'oxidation-positive');
  assert.deepEqual(Object.keys(r.columns).filter((k) => k.endsWith('_s') || k.endsWith('_V')), ['time_s', 'voltage_V']);
});

test('readMpr equals the .mpt export for chronopotentiometry, GCPL (new module headers) and Modulo Bat runs', () => {
  sameAsExport('cp.mpr', 'cp.mpt', 121);
  sameAsExport('gcpl.issue_149.mpr', 'gcpl.issue_149.mpt', 132);
  sameAsExport('mb.issue_95.mpr', 'mb.issue_95.mpt', 33);
  sameAsExport('vsp_ocv_with.mpr', 'vsp_ocv_with.mpt', 13);
});

test('readMpr equals the German decimal-comma export too', () => {
  sameAsExport('mb.issue_95.mpr', 'mb.issue_95.de.mpt', 33);
});

test('readMpr reads impedance columns (GEIS, 84 records) like the export', () => {
  // The export writes -1 or 0 for the distortion columns (THD, NSD, NSR, harmonics |Ewe hN|, |I hN|) where the
  // binary holds values; those columns are left out of the comparison.
  sameAsExport('geis.issue_149.mpr', 'geis.issue_149.mpt', 84, /THD|NSD|NSR|\bh\d\|/);
});

test('readMpr keeps an unknown column id with its raw values and a warning instead of failing', () => {
  const r = readMpr(fixture('biologic/mb.issue_223.mpr'));
  assert.equal(r.records, 108);
  assert.match(r.warnings.join('\n'), /unknown column id\(s\) 880/);
  assert.equal(r.columns['id 880'].length, 108);
  sameAsExport('mb.issue_223.mpr', 'mb.issue_223.mpt', 108);
});

test('readMpr reads a run with no records', () => {
  const r = readMpr(fixture('biologic/wait.mpr'));
  assert.equal(r.records, 0);
  assert.equal(r.columns.time_s.length, 0);
});

test('readMpr throws ParseError for a bad signature and for a truncated data module', () => {
  assert.throws(() => readMpr(new TextEncoder().encode('BIO-LOGIC but not really')), ParseError);
  const ocv = fixture('biologic/ocv.mpr');
  assert.throws(() => readMpr(ocv.subarray(0, 9000)), (e: unknown) => e instanceof ParseError && e.offset !== undefined);
});
