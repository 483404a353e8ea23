import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readUxd } from '../../../../src/core/io/uxd.ts';
import { readBrukerRaw } from '../../../../src/core/io/brukerRaw.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, col, fixture, xylibBlocks } from './fixtures.ts';

test('readUxd matches xylib on BT86_.UXD (2374 points)', () => {
  const s = readUxd(fixture('uxd/BT86_.UXD')).scans[0];
  const [b] = xylibBlocks('BT86_.UXD.txt');
  assert.equal(s.x.length, 2374);
  assertClose(s.x, col(b.rows, 0), 5.01e-7, 'x');
  assertClose(s.y, col(b.rows, 1), 5.01e-7, 'y');
});

test('readUxd agrees with the same measurement saved as Bruker RAW v3', () => {
  const u = readUxd(fixture('uxd/BT86_.UXD')).scans[0];
  const r = readBrukerRaw(fixture('bruker-raw/BT86.raw')).scans[0];
  assertClose(u.y, r.y, 0, 'counts');
  // The XCH converter printed 2θ with 3 decimals, cut rather than rounded (10.000 where the RAW has 10.0009),
  // so positions agree to 0.005° only.
  assertClose(u.x, r.x, 5.01e-3, '2θ');
  assert.deepEqual(u.wavelengths.map((w) => [w.angstrom, w.ratio]), r.wavelengths.map((w) => [w.angstrom, w.ratio]));
  assert.equal(u.startTime, '2010-03-04T20:59:14');
  assert.equal(u.countTimeS, 0.5);
  assert.equal(u.sample, 'BT86');
});

test('readUxd reads _COUNTS blocks from _START and _STEPSIZE, and rejects stray text', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const f = readUxd(enc("_ANODE='Cu'\n_START=10\n_STEPSIZE=0.5\n_STEPTIME=2\n_CPS\n1 2 3\n4\n"));
  assert.deepEqual([...f.scans[0].x], [10, 10.5, 11, 11.5]);
  assert.deepEqual([...f.scans[0].y], [1, 2, 3, 4]);
  assert.equal(f.scans[0].intensityKind, 'countsPerSecond');
  assert.throws(() => readUxd(enc('_A=1\nhello\n')), (e: unknown) => e instanceof ParseError && e.line === 2);
});
