import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGamry } from '../../../../src/core/io/gamry.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

test('readGamry reads an EISPOT file: ZCURVE of 72 points, OCVCURVE (387 rows) summarised, start time', () => {
  const r = readGamry(fixture('gamry/exampleDataGamry.DTA'));
  assert.equal(r.records, 72);
  assert.equal(r.technique, 'EISPOT');
  assert.equal(r.columns.Freq[0], 200015.6);
  assert.equal(r.columns.Zreal[0], 825.8584);
  assert.equal(r.columns.voltage_V[0], -0.3413299);
  assert.ok(Math.abs(r.columns.current_mA[0] - -5.89286e-3) < 1e-15);
  assert.match(r.metadata['table OCVCURVE'], /^387 rows/);
  assert.equal(r.startTime, '2018-04-23T16:43:15');
});

test('readGamry joins CV curves 1–5 with a curve column and converts A to mA', () => {
  const r = readGamry(fixture('gamry/gamryparser_cv_data.dta'));
  assert.equal(r.records, 50);
  assert.deepEqual([...new Set(r.columns.curve)], [1, 2, 3, 4, 5]);
  assert.equal(r.columns.voltage_V[0], 0.49);
  assert.ok(Math.abs(r.columns.current_mA[0] - 7.80498e-6) < 1e-18);
  assert.equal(r.units.time_s, 's');
});

test('readGamry reads a trimmed chronoamperometry file and warns that the table is shorter than declared', () => {
  const r = readGamry(fixture('gamry/gamryparser_chronoa_data.dta'));
  assert.equal(r.records, 10);
  assert.equal(r.columns.voltage_V[0], -5.4e-4);
  assert.match(r.warnings.join(), /10 rows, header says 5258/);
  assert.equal(r.columns.Over.length, 10);
});

test('readGamry throws ParseError without the EXPLAIN signature or without tables', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  assert.throws(() => readGamry(enc('hello')), ParseError);
  assert.throws(() => readGamry(enc('EXPLAIN\nTAG\tCV\n')), (e: unknown) => e instanceof ParseError && /TABLE/.test(e.expected));
});
