import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNda, readNdax } from '../../../../src/core/io/neware.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

// Record counts are MANIFEST.md's (verified there with NewareNDA); the rest is checked against the file's own
// evidence: its step program (Step.xml), its clock times, and the integral of current over time.

test('readNdax reads the operando coin cell cc8.ndax: 4647 records, 2.5–4.3 V, clock from 2025-07-02 19:08:11', () => {
  const r = readNdax(fixture('neware/cc8.ndax'));
  assert.equal(r.records, 4647);
  assert.equal(r.startTime, '2025-07-02T19:08:11');
  const v = r.columns.voltage_V;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  assert.ok(lo >= 2.49 && hi <= 4.31, `${lo}–${hi} V`);
  // Last record at 2025-07-03 10:11:07 local time: 15 h 2 min 56 s after the first.
  assert.equal(r.columns.clock_s[4646], 54176);
  // Summed step times agree with the clock to a few seconds over 15 h.
  assert.ok(Math.abs(r.columns.time_s[4646] - 54176) < 30, `time_s ends at ${r.columns.time_s[4646]}`);
  assert.equal(r.currentSign, 'unknown');
});

test('readNdax scales the current by its range: the CC steps run at the 0.306 mA of the step program', () => {
  const r = readNdax(fixture('neware/cc8.ndax'));
  const i = r.columns.current_mA;
  const status = r.columns.status;
  const k = status.findIndex((s, j) => s === 7 && j > 0 && i[j] > 0);
  assert.ok(Math.abs(i[k] - 0.306) < 0.001, `${i[k]} mA`);
});

test('readNdax charge capacity equals the integral of current over the first charge step (within 1 %)', () => {
  const r = readNdax(fixture('neware/cc8.ndax'));
  const { step, current_mA: i, chargeCapacity_mAh: q, time_s: t } = r.columns;
  const first = step.findIndex((s, j) => r.columns.status[j] === 7);
  let end = first;
  while (end + 1 < r.records && step[end + 1] === step[first]) end++;
  let integral = 0;
  for (let j = first + 1; j <= end; j++) integral += ((i[j] + i[j - 1]) / 2) * (t[j] - t[j - 1]);
  integral /= 3600;
  assert.ok(q[end] > 0.5, `${q[end]} mAh`);
  assert.ok(Math.abs(q[end] - integral) / q[end] < 0.01, `${q[end]} vs ∫I dt = ${integral}`);
});

test('readNdax reads navani test.ndax: 1464 records', () => {
  const r = readNdax(fixture('neware/test.ndax'));
  assert.equal(r.records, 1464);
  assert.equal(r.startTime, '2024-02-01T20:24:23');
  assert.equal(r.columns.index[1463], 1464);
});

test('readNdax throws ParseError for a zip without data.ndc and for a truncated archive', () => {
  assert.throws(() => readNdax(new TextEncoder().encode('not a zip')), ParseError);
  assert.throws(() => readNdax(fixture('neware/test.ndax').subarray(0, 20000)), ParseError);
});

test('readNda reads nda version 29 (navani test.nda): 439 records whose step times add up to the clock', () => {
  const r = readNda(fixture('neware/test.nda'));
  assert.equal(r.records, 439);
  assert.equal(r.startTime, '2020-03-25T11:16:50');
  assert.deepEqual([...r.columns['step time_s'].subarray(0, 3)], [0, 0.1, 0.2]);
  // 12 min 02 s on the clock from the first to the last record; the summed step times agree to 1 s.
  assert.equal(r.columns.clock_s[438], 722);
  assert.ok(Math.abs(r.columns.time_s[438] - 722) <= 1);
  // Current range 5 is not in our table: current is NaN there, with a warning, instead of a guessed scale.
  assert.match(r.warnings.join(), /unknown current range\(s\) 5/);
  assert.ok(Number.isNaN(r.columns.current_mA[0]));
});

test('readNda refuses other nda versions and non-Neware bytes with a ParseError', () => {
  const v130 = new Uint8Array(64);
  v130.set(new TextEncoder().encode('NEWARE20240403'));
  v130[14] = 130;
  assert.throws(() => readNda(v130), (e: unknown) => e instanceof ParseError && /130/.test(e.found));
  assert.throws(() => readNda(new TextEncoder().encode('not neware')), ParseError);
});
