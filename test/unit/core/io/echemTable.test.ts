import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEchemTable } from '../../../../src/core/io/echemTable.ts';
import { readData } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

// Row counts are MANIFEST.md's numeric-row counts; values are the files' own first rows.

test('Arbin CSV (BEEP export): 287 records, Test_Time in s, Current in A becomes mA, DateTime is Unix time', () => {
  const r = readData(fixture('cycler/2017-05-09_test-TC-contact_CH33.csv'), 'CH33.csv');
  assert.equal(r.kind === 'electrochemistry' && r.format, 'arbin');
  if (r.kind !== 'electrochemistry') return;
  assert.equal(r.records, 287);
  assert.deepEqual([...r.columns.time_s.subarray(0, 2)], [0, 0.6929]);
  assert.ok(Math.abs(r.columns.current_mA[0] - 6600.444793701172) < 1e-9);
  assert.equal(r.columns.voltage_V[0], 3.298668384552002);
  assert.ok(Math.abs(r.columns.chargeCapacity_mAh[0] - 5.1783411763608456) < 1e-12);
  assert.equal(r.columns.unixTime_s[0], 1494377253.17);
  assert.equal(r.units.current_mA, 'mA');
});

test('Maccor .041 export: 74 records, "0d 00:00:01.0000" durations become seconds, clock start kept', () => {
  const r = readEchemTable(fixture('cycler/maccor_test_file_4267-66-6519.041'), { format: 'maccor' });
  assert.equal(r.records, 74);
  assert.deepEqual([...r.columns.time_s.subarray(0, 2)], [0, 1]);
  assert.equal(r.columns.voltage_V[0], 3.90806439);
  assert.equal(r.startTime, '2016-11-02T15:57:53');
});

test('Maccor .052 export: "Test (Sec)" is the time and Amps become mA', () => {
  const r = readEchemTable(fixture('cycler/PredictionDiagnostics_000151_test.052'), { format: 'maccor' });
  assert.equal(r.records, 333);
  assert.equal(r.columns.time_s[0], 769267.24);
  assert.ok(Math.abs(r.columns.current_mA[0] - -4840.0091554) < 1e-6);
  assert.equal(r.columns.cycle[0], 37);
});

test('Maccor export with decimal commas (KIT): 214 records, time from the DPT Time clock, voltage 0.1377 V', () => {
  const r = readData(fixture('cycler/maccor_two.txt'), 'maccor_two.txt');
  if (r.kind !== 'electrochemistry') return assert.fail('not electrochemistry');
  assert.equal(r.format, 'maccor');
  assert.equal(r.records, 214);
  assert.equal(r.columns.voltage_V[0], 0.1377);
  // Rows are one minute apart on the clock (and 1,000000 apart in the unit-less TestTime column).
  assert.deepEqual([...r.columns.time_s.subarray(0, 3)], [0, 60, 120]);
  assert.equal(r.columns['TestTime'][1], 1);
});

test('a caller mapping overrides the guesses, and a missing source column is a ParseError', () => {
  const csv = new TextEncoder().encode('t_min;E;I_uA\n0;3,5;10\n1;3,6;20\n');
  const r = readEchemTable(csv, { columns: { time_s: { name: 't_min', factor: 60 }, voltage_V: { name: 'E' }, current_mA: { name: 'I_uA', factor: 1e-3 } } });
  assert.deepEqual([...r.columns.time_s], [0, 60]);
  assert.deepEqual([...r.columns.voltage_V], [3.5, 3.6]);
  assert.deepEqual([...r.columns.current_mA], [0.01, 0.02]);
  assert.throws(() => readEchemTable(csv, { columns: { time_s: { name: 'nope' } } }), ParseError);
});

test('a generic CSV maps names with units: "Voltage (V)", "Current (mA)", "Time (h)"', () => {
  const csv = new TextEncoder().encode('Time (h),Voltage (V),Current (mA),Cycle\n0,3.0,1.5,1\n0.5,3.1,1.5,1\n');
  const r = readData(csv, 'x.csv');
  if (r.kind !== 'electrochemistry') return assert.fail('not electrochemistry');
  assert.equal(r.format, 'echem-csv');
  assert.deepEqual([...r.columns.time_s], [0, 1800]);
  assert.deepEqual([...r.columns.current_mA], [1.5, 1.5]);
  assert.deepEqual([...r.columns.cycle], [1, 1]);
});

test('Neware nested CSV export: only the record level is read (9295 records), "Total Time" hh:mm:ss as time', () => {
  const r = readData(fixture('cycler/nw_regular_export_ife_example.csv'), 'nw.csv');
  if (r.kind !== 'electrochemistry') return assert.fail('not electrochemistry');
  assert.equal(r.format, 'neware-csv');
  // 9296 lines start with ",," in the file: one header row and 9295 records.
  assert.equal(r.records, 9295);
  assert.deepEqual([...r.columns.time_s.subarray(0, 3)], [0, 2, 4]);
  assert.equal(r.columns.voltage_V[0], 4.3185);
  assert.equal(r.startTime, '2026-03-06T12:37:25');
  // Last record: Total Time 27:55:43 = 100543 s; its Date is 27 h 55 min 38 s after the first record's.
  const last = r.records - 1;
  assert.equal(r.columns.time_s[last], 100543);
});
