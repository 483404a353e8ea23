import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGsas } from '../../../../src/core/io/gsas.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

// xylib does not read GSAS files; the facts below are MANIFEST.md's (BANK line walk) and the files' own numbers.

test('readGsas reads an STD bank: PbSO4 Cu Kα, 6001 channels from 10° in steps of 0.025°', () => {
  const f = readGsas(fixture('gsas/PBSO4.XRA'));
  const s = f.scans[0];
  assert.equal(s.x.length, 6001);
  assert.equal(s.x[0], 10);
  assert.ok(Math.abs(s.x[1] - 10.025) < 1e-12 && Math.abs(s.x[6000] - 160) < 1e-9);
  assert.deepEqual([...s.y.subarray(0, 3)], [179, 147, 165]);
  assert.equal(s.sigma![0], Math.sqrt(179));
  assert.equal(s.intensityKind, 'counts');
  assert.match(f.metadata.title, /PbSO4 {2}Cu Ka X-ray data/);
});

test('readGsas reads STD counter pairs (neutron PbSO4, 2919 channels) with σ = √(I / counters)', () => {
  const s = readGsas(fixture('gsas/PBSO4.CWN')).scans[0];
  assert.equal(s.x.length, 2919);
  assert.equal(s.x[0], 10);
  assert.equal(s.x[1], 10.05);
  assert.equal(s.y[0], 220);
  assert.equal(s.y[1], 214);
  assert.ok(s.y.every((v) => Number.isFinite(v)));
});

test('readGsas reads an ESD bank: 2459 (I, σ) pairs from 2.025° in steps of 0.05°', () => {
  const s = readGsas(fixture('gsas/Er2Ge2O7_op2112_Ge113_2K.gss')).scans[0];
  assert.equal(s.x.length, 2459);
  assert.equal(s.x[0], 2.025);
  assert.equal(s.y[0], 927.65);
  assert.equal(s.sigma![0], 29.15);
  assert.equal(s.y[1], 866.33);
});

test('readGsas reads an FXYE bank from 11-BM with its header: 12799 points, λ 0.413263 Å, 6.778 K', () => {
  const s = readGsas(fixture('gsas/OH_00.fxye')).scans[0];
  assert.equal(s.x.length, 12799);
  assert.equal(s.x[0], 0.5);
  assert.ok(Math.abs(s.x[12798] - 26.096) < 1e-9);
  assert.equal(s.y[0], 65.247734);
  assert.equal(s.sigma![0], 11.584726);
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.source]), [[0.413263, 'file']]);
  assert.equal(s.temperatureK, 6.778);
  assert.equal(s.startTime, '2011-04-25T12:35:45.325926');
});

test('readGsas refuses a time-of-flight bank with a ParseError that says so and names the BANK line', () => {
  assert.throws(
    () => readGsas(fixture('gsas/PG3_17541.head.gsa')),
    (e: unknown) => e instanceof ParseError && /time-of-flight/.test(e.found) && e.line === 14,
  );
});

test('readGsas throws ParseError for an absurd channel count and for a non-numeric field', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.throws(() => readGsas(enc('t\nBANK 1 1000000000000 1 CONST 1000 2 0 0 STD\n   1   2\n')), ParseError);
  assert.throws(() => readGsas(enc('t\nBANK 1 1 1 CONST 1000 2 0 0 ESD\n     abc     1.0\n')), (e: unknown) => e instanceof ParseError && e.line === 3);
});
