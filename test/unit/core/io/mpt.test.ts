import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMpt } from '../../../../src/core/io/mpt.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, fixture } from './fixtures.ts';

test('readMpt reads an OCV export: 602 records (MANIFEST, galvani), canonical time and voltage, start time', () => {
  const r = readMpt(fixture('biologic/ocv.mpt'));
  assert.equal(r.records, 602);
  assert.equal(r.technique, 'Open Circuit Voltage');
  assert.equal(r.columns.time_s[0], 0);
  assert.equal(r.columns.voltage_V[0], 0.25594452);
  assert.equal(r.columns.voltage_V[601], 0.44194466);
  assert.equal(r.units.voltage_V, 'V');
  assert.equal(r.startTime, '2020-01-16T14:13:34.000');
  assert.equal(r.currentSign, 'oxidation-positive');
});

test('readMpt reads the old export of the same run to the same numbers', () => {
  const a = readMpt(fixture('biologic/ocv.mpt'));
  const b = readMpt(fixture('biologic/ocv.old.mpt'));
  assertClose(a.columns.time_s, b.columns.time_s, 0, 'time');
  assertClose(a.columns.voltage_V, b.columns.voltage_V, 0, 'voltage');
});

test('readMpt reads a German export with decimal commas to the same numbers as the English one', () => {
  const en = readMpt(fixture('biologic/mb.issue_95.mpt'));
  const de = readMpt(fixture('biologic/mb.issue_95.de.mpt'));
  assert.equal(en.records, 33);
  assert.equal(de.records, 33);
  for (const name of ['time_s', 'voltage_V', 'current_mA', 'charge_mAh']) {
    assertClose(de.columns[name], en.columns[name], 0, name);
  }
  assert.equal(en.columns.current_mA[32], -64.980278);
});

test('readMpt converts (Q-Qo)/C to charge in mAh (1 mAh = 3.6 C)', () => {
  const r = readMpt(fixture('biologic/cp.mpt'));
  assert.equal(r.records, 121);
  const q = r.columns['(Q-Qo)/C'];
  assert.ok(Math.abs(r.columns.charge_mAh[120] - q[120] / 3.6) < 1e-12);
  assert.equal(r.columns.current_mA, r.columns['I/mA']);
});

test('readMpt reads minimal 3-line headers and files with no data rows', () => {
  const v = readMpt(fixture('biologic/vsp_ocv_with.mpt'));
  assert.equal(v.records, 13);
  assert.ok('Analog IN 1/V' in v.columns);
  const w = readMpt(fixture('biologic/wait.mpt'));
  assert.equal(w.records, 0);
  assert.equal(w.columns.time_s.length, 0);
});

test('readMpt throws ParseError for a missing signature, a bad header count and a truncated header', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.throws(() => readMpt(enc('hello\n')), (e: unknown) => e instanceof ParseError && e.line === 1);
  assert.throws(() => readMpt(enc('EC-Lab ASCII FILE\nNb header lines : 9999999\n')), (e: unknown) => e instanceof ParseError && e.line === 2);
  assert.throws(() => readMpt(fixture('biologic/ocv.mpt').subarray(0, 300)), ParseError);
});
