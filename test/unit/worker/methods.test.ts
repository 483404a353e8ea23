import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFile, quickFit, VIEW_MAX_POINTS } from '../../../src/worker/methods.ts';

test('a huge scan reaches the viewer decimated, with its extremes and a warning saying so', () => {
  // 300 000 points of a flat background with one sharp peak: the view must keep the peak's maximum.
  const n = 300_000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`${(5 + i * 1e-4).toFixed(4)} ${i === 123_457 ? 99999 : 100 + (i % 7)}`);
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  const message = describeFile(bytes, 'huge.xy');
  assert.equal(message.type, 'diffraction');
  if (message.type !== 'diffraction') return;
  const scan = message.scans[0];
  assert.ok(scan.x.length <= VIEW_MAX_POINTS, `${scan.x.length} points sent`);
  assert.equal(Math.max(...scan.y), 99999);
  assert.equal(Math.min(...scan.y), 100);
  assert.ok(message.warnings.some((w) => /300000 points shown as/.test(w)), message.warnings.join('\n'));
});

test('a scan below the limit is sent whole', () => {
  const bytes = new TextEncoder().encode('1 10\n2 20\n3 15\n4 12\n5 11\n6 10\n7 10\n');
  const message = describeFile(bytes, 'small.xy');
  assert.equal(message.type, 'diffraction');
  if (message.type === 'diffraction') assert.deepEqual(message.scans[0].y, [10, 20, 15, 12, 11, 10, 10]);
});

test('the editor fit passes on the parameters that ran to their search window: none for the right phase, the zero shift for a wrong one', async () => {
  // examples/pattern.xy is sync_27keV_fpa.xy, a simulated layered oxide alone (true a = 2.873, c = 14.21 Å;
  // test/fixtures/simulated/README.md): no Cu in it.
  const bytes = new Uint8Array((await import('node:fs')).readFileSync('examples/pattern.xy'));
  const right = quickFit(bytes, 'pattern.xy', 0, 'layered');
  const wrong = quickFit(bytes, 'pattern.xy', 0, 'cu');
  assert.ok(right.type === 'fitResult' && wrong.type === 'fitResult');
  if (right.type !== 'fitResult' || wrong.type !== 'fitResult') return;
  assert.deepEqual(right.fit.atBounds, []);
  assert.ok(Math.abs(right.fit.a - 2.873) < 1e-3 && Math.abs(right.fit.c - 14.21) < 5e-3, `${right.fit.a}, ${right.fit.c}`);
  assert.deepEqual(wrong.fit.atBounds, ['zeroDeg']);
});
