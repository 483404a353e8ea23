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

test('readNdax reads the split layout, ndc version 14 (NewareNDA Issue94): 301 samples, voltage, T1 and T2', () => {
  // NewareNDA lists 302 rows for this file: its data_runInfo.ndc names sample 1 twice (at 0 s and 0.1 s), while
  // data.ndc, both aux files and their page headers hold 301 samples. Values dumped with Python struct from data.ndc.
  const r = readNdax(fixture('neware/123456789012_Unit27_Example_Data_File.ndax'));
  assert.equal(r.records, 301);
  assert.equal(r.metadata['ndc version'], '14');
  const c = r.columns;
  assert.equal(c.voltage_V[0], 2.9829914569854736);
  assert.equal(c.voltage_V[300], 2.982875347137451);
  assert.ok(c.current_mA.every((i) => i === 0));
  // One rest step (status 4) of 300 s sampled every second (Step.xml: Time 300000 ms, record every 1000 ms).
  assert.ok(c.status.every((s) => s === 4));
  assert.equal(c.time_s[300], 300);
  assert.equal(c.T1[0], 25.48699951171875);
  assert.ok(c.T2.every((t) => t > 25 && t < 26));
  // TestInfo.xml says 12:43:31 local; the first sample's clock is 12:43:45 UTC: the zone is UTC+0.
  assert.equal(r.startTime, '2024-11-18T12:43:45+00:00');
});

test('readNdax reads the split layout, ndc version 17 (cellpy IFE file): 252951 samples, capacities = ∫I dt', () => {
  const r = readNdax(fixture('neware/20260302_IFE_BTS85_2_9_8_1.ndax'));
  assert.equal(r.records, 252951);
  assert.equal(r.metadata['ndc version'], '17');
  const c = r.columns;
  assert.equal(c.voltage_V[0], 0.20695459842681885);
  assert.equal(c.current_mA[0], 0);
  assert.equal(c.voltage_V[252950], 4.748331069946289);
  assert.ok(Math.abs(c.current_mA[252950] - 1.9355652621015906) < 1e-12);
  // TestInfo.xml StartTime 11:17:33 local = the first clock 10:17:33 UTC: Central European Time.
  assert.equal(r.startTime, '2026-02-27T11:17:33+01:00');
  assert.deepEqual([...new Set(c.status)], [21, 1, 3]);
  let checked = 0;
  for (let a = 0; a < r.records; ) {
    let b = a;
    while (b + 1 < r.records && c.step[b + 1] === c.step[a]) b++;
    let integral = 0;
    for (let j = a + 1; j <= b; j++) integral += ((c.current_mA[j] + c.current_mA[j - 1]) / 2) * (c.time_s[j] - c.time_s[j - 1]);
    integral /= 3600;
    if (c.chargeCapacity_mAh[b] > 1) {
      assert.ok(Math.abs(c.chargeCapacity_mAh[b] - integral) / integral < 1e-4, `step ${c.step[a]}: ${c.chargeCapacity_mAh[b]} vs ${integral}`);
      checked++;
    }
    a = b + 1;
  }
  assert.equal(checked, 2);
  // The test time agrees with the cycler's clock to 15 s over 70 h.
  assert.ok(Math.abs(c.time_s[252950] - c.clock_s[252950]) < 15);
  assert.equal(r.units.T1, '°C');
});

test('readNdax split layout: an unknown ndc version or a missing runInfo is a ParseError', async () => {
  const { unzipSync, zipSync } = await import('fflate');
  const files = unzipSync(fixture('neware/123456789012_Unit27_Example_Data_File.ndax'));
  const v15 = { ...files, 'data.ndc': files['data.ndc'].slice() };
  v15['data.ndc'][2] = 15;
  assert.throws(() => readNdax(zipSync(v15)), (e: unknown) => e instanceof ParseError && /version 15/.test(e.found));
  const noRun = { ...files };
  delete noRun['data_runInfo.ndc'];
  assert.throws(() => readNdax(zipSync({ ...noRun, 'data_step.ndc': files['data_step.ndc'] })), (e: unknown) => e instanceof ParseError && /runInfo/.test(e.message));
  const badPage = { ...files, 'data.ndc': files['data.ndc'].slice() };
  badPage['data.ndc'][4096] = 9;
  assert.throws(() => readNdax(zipSync(badPage)), (e: unknown) => e instanceof ParseError && /page type 2/.test(e.message));
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

test('readNda reads nda version 130 (NewareNDA TestFile.nda): 6670 records, first and last as dumped with Python', () => {
  // Values from struct.unpack of the 56-byte records at 1024 + 56·j (see neware.ts for the layout).
  const r = readNda(fixture('neware/TestFile.nda'));
  assert.equal(r.records, 6670);
  const { index, voltage_V: v, current_mA: i, time_s: t, cycle, step, status } = r.columns;
  assert.equal(index[0], 1);
  assert.equal(index[6669], 6670);
  assert.equal(v[0], 3.8819923400878906);
  assert.equal(i[0], 0);
  assert.equal(v[6669], 4.158702850341797);
  assert.equal(i[6669], 0);
  assert.ok(Math.abs(t[6669] - 72373.26) < 1e-6);
  // Record 184 opens the first discharge (step 2, CC_DChg) at −2989.5 mA; record 712 ends it at 2.49996 V.
  assert.equal(i[183], -2989.5263671875);
  assert.deepEqual([step[183], status[183]], [2, 2]);
  assert.ok(Math.abs(v[711] - 2.499962) < 1e-6);
  assert.ok(Math.abs(r.columns.dischargeCapacity_mAh[711] - 13644605 / 3600) < 1e-6);
  assert.equal(cycle[0], 1);
  assert.equal(cycle[6669], 3);
  assert.equal(r.startTime, '2024-05-27T08:02:53');
  assert.ok(r.columns.T1[0] > 22 && r.columns.T1[0] < 24);
});

test('readNda v130: the capacity at the end of each step equals the integral of current over it (0.5 %: CV steps are sampled sparsely)', () => {
  const r = readNda(fixture('neware/TestFile.nda'));
  const { step, current_mA: i, time_s: t, chargeCapacity_mAh: qc, dischargeCapacity_mAh: qd } = r.columns;
  let checked = 0;
  for (let a = 0; a < r.records; ) {
    let b = a;
    while (b + 1 < r.records && step[b + 1] === step[a]) b++;
    let integral = 0;
    for (let j = a + 1; j <= b; j++) integral += ((i[j] + i[j - 1]) / 2) * (t[j] - t[j - 1]);
    integral /= 3600;
    const q = qc[b] - qd[b];
    if (Math.abs(q) > 100) {
      assert.ok(Math.abs(q - integral) / Math.abs(q) < 5e-3, `step ${step[a]}: ${q} mAh vs ∫I dt ${integral}`);
      checked++;
    }
    a = b + 1;
  }
  assert.ok(checked >= 6, `${checked} steps checked`);
});

test('readNda v130 truncated inside the records still reads the whole records before the cut; a cut header is a ParseError', () => {
  const whole = fixture('neware/TestFile.nda');
  assert.equal(readNda(whole.slice(0, 1024 + 56 * 100 + 20)).records, 100);
  assert.throws(() => readNda(whole.slice(0, 1000)), (e: unknown) => e instanceof ParseError && e.offset === 1024);
});

test('readNda refuses other nda versions and non-Neware bytes with a ParseError', () => {
  const v131 = new Uint8Array(64);
  v131.set(new TextEncoder().encode('NEWARE20240403'));
  v131[14] = 131;
  assert.throws(() => readNda(v131), (e: unknown) => e instanceof ParseError && /131/.test(e.found));
  assert.throws(() => readNda(new TextEncoder().encode('not neware')), ParseError);
});
