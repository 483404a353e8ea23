// Arbin .res (Access Jet 4): navani's arbin_example.res against datalab's CSV export of the same test
// (arbin_example.bdf.csv, not copied: 571 kB). The expected values below were read from that CSV with Python's csv
// module: 2150 rows, three rows in full, and math.fsum of whole columns. A row-by-row comparison of all columns was
// run once while writing the reader (all equal; float32 columns to their 7 digits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readArbinRes } from '../../../../src/core/io/arbinRes.ts';
import { detectFormat, readData } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

const near = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(1e-12, Math.abs(b));
const sum = (c: Float64Array) => c.reduce((s, v) => s + v, 0);

test('arbin_example.res: 2150 records of Channel_Normal_Table, equal to its CSV export', () => {
  const bytes = fixture('cycler/arbin_example.res');
  assert.equal(detectFormat(bytes, 'arbin_example.res').format, 'arbin-res');
  const r = readData(bytes, 'arbin_example.res');
  assert.equal(r.kind, 'electrochemistry');
  if (r.kind !== 'electrochemistry') return;
  assert.equal(r.records, 2150);
  const c = r.columns;
  assert.equal(c.Test_Time[0], 0.072595419795086);
  assert.ok(near(c.Voltage[0], 3.8591957, 1e-7));
  assert.ok(near(c.Test_Time[1000], 219533.3951168826, 1e-15)); // the CSV prints 16 digits
  assert.ok(near(c.Current[1000], 8.6463268e-5, 1e-7));
  assert.ok(near(c.Voltage[1000], 3.9326723, 1e-7));
  assert.ok(near(c.Charge_Capacity[1000], 7.7846752519e-5, 1e-10));
  assert.deepEqual([c.Step_Index[1000], c.Cycle_Index[1000]], [2, 2]);
  assert.ok(near(c.Test_Time[2149], 345733.3894574374, 1e-15));
  assert.ok(near(c.Voltage[2149], 3.872108, 1e-7));
  assert.ok(near(sum(c.Test_Time), 459914369.74763167, 1e-12));
  assert.ok(near(sum(c.Voltage), 8396.2283159, 1e-7));
  assert.ok(near(sum(c.Charge_Capacity), 0.589374789147321, 1e-12));
  assert.ok(near(sum(c.Discharge_Capacity), 0.269803912717364, 1e-12));
  assert.equal(sum(c.Step_Index), 4827);
  assert.equal(sum(c.Cycle_Index), 4510);
  // Canonical columns: A → mA, Ah → mAh.
  assert.ok(near(c.current_mA[1000], 8.6463268e-2, 1e-7));
  assert.ok(near(c.chargeCapacity_mAh[1000], 7.7846752519e-2, 1e-10));
  assert.equal(r.units.Current, 'A');
  // DateTime 45131.7847222 (OLE days, local clock) = 2023-07-24 18:50:00.
  assert.equal(r.startTime, '2023-07-24T18:50:00');
  assert.deepEqual(r.warnings, []);
});

test('a truncated or foreign .res is a ParseError with an offset', () => {
  const bytes = fixture('cycler/arbin_example.res');
  for (const cut of [10, 30, 4096 * 20]) {
    assert.throws(() => readArbinRes(bytes.slice(0, cut)), (e: unknown) => e instanceof ParseError && e.format === 'arbin-res' && e.offset !== undefined);
  }
  const jet3 = bytes.slice(0, 4096 * 3);
  jet3[20] = 0;
  assert.throws(() => readArbinRes(jet3), /Jet 3/);
});
