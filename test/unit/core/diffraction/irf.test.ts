// FullProf .irf read and write, and agreement with GSAS-II .instprm for the same instrument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIrf, parseIrf } from '../../../../src/core/diffraction/irf.ts';
import { formatInstprm, parseInstprm } from '../../../../src/core/diffraction/instprm.ts';
import { INSTRUMENT_DEFAULTS, type InstrumentProfile } from '../../../../src/core/diffraction/patternModel.ts';
import { tchWidths } from '../../../../src/core/diffraction/profiles.ts';

const LINES = [
  { angstrom: 1.540593, ratio: 1, source: 'user' as const },
  { angstrom: 1.544427, ratio: 0.5, source: 'user' as const },
];
const INSTRUMENT: InstrumentProfile = { ...INSTRUMENT_DEFAULTS, U: 0.0041, V: -0.0023, W: 0.0017, P: 0, X: 0.012, Y: 0.0035, sOverL: 0.021, hOverL: 0.017, zeroDeg: -0.013 };

test('formatIrf → parseIrf returns the profile, asymmetry, zero and both lines', () => {
  const back = parseIrf(formatIrf(INSTRUMENT, LINES));
  for (const k of ['U', 'V', 'W', 'X', 'Y', 'sOverL', 'hOverL', 'zeroDeg'] as const) assert.equal(back.instrument[k], INSTRUMENT[k], k);
  assert.deepEqual(back.wavelengths.map((w) => [w.angstrom, w.ratio]), [[1.540593, 1], [1.544427, 0.5]]);
  assert.equal(back.jobType, 'xray');
});

test('a hand-written FullProf .irf: X is the tanθ term and Y the 1/cosθ term (swapped into ours)', () => {
  const text = ['! D8 test', 'JOBT 0', 'WAVE 1.54056 1.54439 0.5', 'UVWXY 0.01 -0.005 0.003 0.02 0.004', 'SL_DL 0.03 0.02', 'ZERO 0.012', 'FOO 1'].join('\n');
  const r = parseIrf(text);
  assert.equal(r.instrument.Y, 0.02);
  assert.equal(r.instrument.X, 0.004);
  assert.equal(r.instrument.sOverL, 0.03);
  assert.deepEqual(r.ignored, ['FOO']);
  assert.throws(() => parseIrf('JOBT -1\nWAVE 1.5'), /time of flight/);
  assert.throws(() => parseIrf('UVWXY 0.1 0.2'), /UVWXY needs 5/);
});

test('an .irf and an .instprm describing one instrument give the same Gaussian, Lorentzian and total FWHM at 10–140° 2θ', () => {
  const fromIrf = parseIrf(formatIrf(INSTRUMENT, LINES)).instrument;
  const fromInstprm = parseInstprm(formatInstprm(INSTRUMENT, LINES)).instrument;
  // TCH widths straight from each file's own convention (science.md §3), not through our parameter names.
  const irfText = formatIrf(INSTRUMENT, LINES);
  const uvwxy = /UVWXY (.*)/.exec(irfText)![1].split(' ').map(Number);
  const instprm = Object.fromEntries(formatInstprm(INSTRUMENT, LINES).split('\n').filter((l) => l.includes(':')).map((l) => [l.split(':')[0], Number(l.split(':')[1])]));
  for (const tt of [10, 30, 60, 90, 140]) {
    const th = (tt * Math.PI) / 360;
    const t = Math.tan(th);
    const c = Math.cos(th);
    // FullProf: H_G² = U t² + V t + W (deg²), H_L = X t + Y / c (deg).
    const gF = Math.sqrt(uvwxy[0] * t * t + uvwxy[1] * t + uvwxy[2]);
    const lF = uvwxy[3] * t + uvwxy[4] / c;
    // GSAS-II: σ² = U t² + V t + W (centideg²), H_G = √(8 ln2 σ²)/100; γ = X/c + Y t (centideg).
    const gG = Math.sqrt(8 * Math.LN2 * (instprm.U * t * t + instprm.V * t + instprm.W)) / 100;
    const lG = (instprm.X / c + instprm.Y * t) / 100;
    const ours = (i: Partial<InstrumentProfile>) => ({ g: Math.sqrt(i.U! * t * t + i.V! * t + i.W!), l: i.X! / c + i.Y! * t });
    for (const [g, l] of [[gG, lG], [ours(fromIrf).g, ours(fromIrf).l], [ours(fromInstprm).g, ours(fromInstprm).l]]) {
      assert.ok(Math.abs(g - gF) <= 1e-9 * gF, `H_G at ${tt}°: ${g} vs ${gF}`);
      assert.ok(Math.abs(l - lF) <= 1e-9 * lF, `H_L at ${tt}°: ${l} vs ${lF}`);
      assert.ok(Math.abs(tchWidths(g, l).fwhm - tchWidths(gF, lF).fwhm) <= 1e-9 * gF);
    }
  }
});
