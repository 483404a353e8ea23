import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRas } from '../../../../src/core/io/ras.ts';
import { readRasx } from '../../../../src/core/io/rasx.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

// xylib reads neither file; the checks use each file's own header (point count, start, stop, step, times) and
// MANIFEST.md's row count (4002 numeric rows in the .ras = 1501 + 2501).

test('readRas reads both scans of the InAs .ras file, as the headers describe them', () => {
  const f = readRas(fixture('rigaku/inas_layer_radial_002_004.ras'));
  assert.deepEqual(f.scans.map((s) => s.x.length), [1501, 2501]);
  const [a, b] = f.scans;
  assert.equal(a.x[0], 26.5);
  assert.equal(a.x[1500], 32.5);
  assert.equal(a.y[0], 51.4986);
  assert.equal(b.x[0], 56);
  assert.equal(b.x[2500], 66);
  assert.equal(a.intensityKind, 'counts');
  assert.equal(a.startTime, '2015-12-05T22:01:01');
  assert.equal(a.endTime, '2015-12-06T00:31:51');
  // Wave type Ka1: a monochromated beam, so only Kα1.
  assert.deepEqual(a.wavelengths.map((w) => [w.angstrom, w.ratio, w.source]), [[1.540593, 1, 'file']]);
  assert.equal(a.metadata.MEAS_SCAN_AXIS_X, '2-Theta/Omega');
  assert.equal(f.warnings.length, 0);
});

test('readRasx reads the SmartLab archive: 2851 points from 3° to 60°, ISO times, sample and Kα lines', () => {
  const f = readRasx(fixture('rigaku/JO_KL_16_ZF_3_60deg_0.02step_12degpermin_001.rasx'));
  const s = f.scans[0];
  assert.equal(s.x.length, 2851);
  assert.equal(s.x[0], 3);
  assert.equal(s.x[2850], 60);
  assert.equal(s.y[0], 2589);
  assert.equal(s.startTime, '2025-03-07T13:28:15Z');
  assert.equal(s.endTime, '2025-03-07T13:33:41Z');
  assert.equal(s.sample, 'JO_KL_16_ZF');
  assert.equal(s.metadata.DataCount, '2851');
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.source]), [
    [1.540593, 'file'],
    [1.544414, 'default'],
  ]);
});

test('readRas multiplies intensities by the attenuation factor and throws ParseError on a broken block', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const ok = readRas(enc('*RAS_DATA_START\n*RAS_HEADER_START\n*MEAS_SCAN_UNIT_Y "cps"\n*RAS_HEADER_END\n*RAS_INT_START\n10 5 1\n10.1 6 100\n*RAS_INT_END\n'));
  assert.deepEqual([...ok.scans[0].y], [5, 600]);
  assert.equal(ok.scans[0].intensityKind, 'countsPerSecond');
  assert.throws(() => readRas(enc('*RAS_DATA_START\n*RAS_INT_START\n10 5 1\n')), (e: unknown) => e instanceof ParseError && /RAS_INT_END/.test(e.expected));
  assert.throws(() => readRas(enc('hello')), ParseError);
});
