import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBrml } from '../../../../src/core/io/brml.ts';
import { readXy } from '../../../../src/core/io/xy.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, fixture } from './fixtures.ts';

test('readBrml reads the corundum scan: 6851 points, time stamps, tube lines, sample', () => {
  const f = readBrml(fixture('brml/corundum.brml'));
  const s = f.scans[0];
  assert.equal(s.x.length, 6851);
  assert.equal(s.x[0], 10.0001);
  assert.equal(s.x[6850], 80.0061);
  assert.equal(s.y[0], 122);
  assert.equal(s.y[6850], 87);
  assert.equal(s.startTime, '2015-06-04T11:30:38.8138945-05:00');
  assert.equal(s.endTime, '2015-06-04T12:30:17.6649806-05:00');
  // Effective time per step of the 1D detector (TimePerStepEffective); the 0.5 s motor time is metadata.
  assert.equal(s.countTimeS, 96);
  assert.equal(s.metadata['time per step (s)'], '0.5');
  assert.equal(s.sample, 'Corundum (new Safety Board)');
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.ratio]), [
    [1.5406, 1],
    [1.54439, 0.5],
  ]);
});

test('readBrml positions agree with the EVA .xye export of the corundum measurement', () => {
  const a = readBrml(fixture('brml/corundum.brml')).scans[0];
  const b = readXy(fixture('brml/corundum.xye')).scans[0];
  assertClose(a.x, b.x, 1e-4, '2θ');
});

test('readBrml throws ParseError for a zip without RawData and for non-zip bytes', () => {
  assert.throws(() => readBrml(new TextEncoder().encode('PK not really')), ParseError);
  assert.throws(() => readBrml(fixture('brml/corundum.brml').subarray(0, 1000)), ParseError);
});
