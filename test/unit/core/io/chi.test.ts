import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readChi } from '../../../../src/core/io/chi.ts';
import { readXy } from '../../../../src/core/io/xy.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, col, fixture, xylibBlocks } from './fixtures.ts';

test('readChi matches xylib (chiplot) on a 2000-point APS 34-ID-E pattern', () => {
  const f = readChi(fixture('chi/Data_0001.chi'));
  const s = f.scans[0];
  const [b] = xylibBlocks('Data_0001.chi.txt');
  assert.equal(s.x.length, 2000);
  assertClose(s.x, col(b.rows, 0), 5.01e-7, 'x');
  assertClose(s.y, col(b.rows, 1), 5.01e-7, 'y');
  assert.equal(s.axis, 'twoTheta');
  assert.equal(f.warnings.length, 0);
});

test('readChi gives the same numbers as the header-less .xy copy of the same pattern', () => {
  const a = readChi(fixture('chi/Data_0001.chi')).scans[0];
  const b = readXy(fixture('chi/Data_0001.xy')).scans[0];
  assertClose(a.x, b.x, 0, 'x');
  assertClose(a.y, b.y, 0, 'y');
});

test('readChi reads a truncated chi (header says 1455 points, 75 rows present; xylib fails) and warns', () => {
  const f = readChi(fixture('chi/pattern_001.chi'));
  const s = f.scans[0];
  assert.equal(s.x.length, 75);
  assert.equal(s.x[0], 1.0486433e-2);
  assert.equal(s.y[0], 2.7862846e1);
  assert.match(f.warnings[0], /1455 points/);
});

test('readChi throws ParseError when line 4 is not a point count', () => {
  const bad = new TextEncoder().encode('title\n2-Theta Angle (Degrees)\nIntensity\nabc\n1 2\n');
  assert.throws(() => readChi(bad), (e: unknown) => e instanceof ParseError && e.line === 4);
});
