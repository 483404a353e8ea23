import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readXrdml } from '../../../../src/core/io/xrdml.ts';
import { readXy } from '../../../../src/core/io/xy.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, col, fixture, xylibBlocks } from './fixtures.ts';

test('readXrdml matches xylib on the Empyrean sample (196 points, XRDML 1.5)', () => {
  const s = readXrdml(fixture('xrdml/empyrean.xrdml')).scans[0];
  const [b] = xylibBlocks('empyrean.xrdml.txt');
  assertClose(s.x, col(b.rows, 0), 5.01e-7, 'x');
  assertClose(s.y, col(b.rows, 1), 5.01e-7, 'y');
  assert.equal(s.startTime, '2016-11-03T11:08:45+01:00');
});

test('readXrdml matches xylib on an operando Empyrean scan (7181 points) and keeps Kα1, Kα2 and the ratio', () => {
  const s = readXrdml(fixture('xrdml/Scan_C1.xrdml')).scans[0];
  const [b] = xylibBlocks('Scan_C1.xrdml.txt');
  assert.equal(s.x.length, 7181);
  assertClose(s.x, col(b.rows, 0), 5.01e-7, 'x');
  assertClose(s.y, col(b.rows, 1), 5.01e-7, 'y');
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.ratio, w.source]), [
    [1.540598, 1, 'file'],
    [1.544426, 0.5, 'file'],
  ]);
  assert.equal(s.intensityKind, 'counts');
  assert.equal(s.countTimeS, 15.24);
  assert.equal(s.startTime, '2020-11-06T18:09:37+00:00');
  assert.equal(s.endTime, '2020-11-06T18:24:18+00:00');
  assert.equal(s.geometry, 'braggBrentano');
  assert.equal(s.instrument, 'EMPYREAN');
});

test('readXrdml reads XRDML 2.0 with <counts> (xylib fails on it): 6474 points from 5.00116514 to 89.99348491', () => {
  const f = readXrdml(fixture('xrdml/HL1-2_5-90_60min.xrdml'));
  const s = f.scans[0];
  assert.equal(f.metadata['schema version'], '2.0');
  assert.equal(s.x.length, 6474);
  assert.equal(s.x[0], 5.00116514);
  assert.ok(Math.abs(s.x[6473] - 89.99348491) < 1e-12);
  assert.equal(s.y[0], 1426);
  assert.equal(s.y[6473], 1005);
  assert.equal(s.countTimeS, 133.62);
  assert.equal(s.startTime, '2024-03-08T11:13:20-06:00');
});

test('readXrdml agrees with the same scan exported as .xy by the instrument software', () => {
  const a = readXrdml(fixture('xrdml/210520step1_30min.xrdml')).scans[0];
  const b = readXy(fixture('xy/210520step1_30min.xy')).scans[0];
  assert.equal(a.x.length, 4489);
  assertClose(a.x, b.x, 5e-9, 'x');
  assertClose(a.y, b.y, 0, 'y');
  // The file states Kα2/Kα1 = 0: only Kα1 is kept.
  assert.deepEqual(a.wavelengths.map((w) => w.angstrom), [1.540598]);
});

test('readXrdml reads listPositions, several scans and cps intensities', () => {
  const xml = `<?xml version="1.0"?><xrdMeasurements xmlns="http://www.xrdml.com/XRDMeasurement/1.3">
  <xrdMeasurement measurementType="Scan" sampleMode="Transmission"><usedWavelength intended="K-Alpha">
  <kAlpha1 unit="Angstrom">0.7093</kAlpha1><kAlpha2 unit="Angstrom">0.71359</kAlpha2><ratioKAlpha2KAlpha1>0.5</ratioKAlpha2KAlpha1></usedWavelength>
  <scan><header><startTimeStamp>2021-01-01T00:00:00Z</startTimeStamp></header><dataPoints>
  <positions axis="2Theta" unit="deg"><listPositions>10 10.5 11.5</listPositions></positions>
  <intensities unit="cps">1.5 2.5 3.5</intensities></dataPoints></scan>
  <scan><dataPoints><positions axis="2Theta" unit="deg"><startPosition>20</startPosition><endPosition>21</endPosition></positions>
  <counts unit="counts">4 5 6</counts></dataPoints></scan></xrdMeasurement></xrdMeasurements>`;
  const f = readXrdml(new TextEncoder().encode(xml));
  assert.equal(f.scans.length, 2);
  assert.deepEqual([...f.scans[0].x], [10, 10.5, 11.5]);
  assert.equal(f.scans[0].intensityKind, 'countsPerSecond');
  assert.equal(f.scans[0].geometry, 'transmission');
  assert.deepEqual([...f.scans[1].x], [20, 20.5, 21]);
  assert.equal(f.scans[1].wavelengths[0].angstrom, 0.7093);
});

test('readXrdml throws ParseError naming the byte for broken XML and for a wrong root', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.throws(() => readXrdml(enc('<xrdMeasurements><xrdMeasurement></xrdMeasurements>')), (e: unknown) => e instanceof ParseError && e.offset !== undefined);
  assert.throws(() => readXrdml(enc('<html></html>')), (e: unknown) => e instanceof ParseError && /xrdMeasurements/.test(e.expected));
  assert.throws(() => readXrdml(new Uint8Array(0)), ParseError);
});
