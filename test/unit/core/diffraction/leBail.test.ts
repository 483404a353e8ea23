import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extrapolatedSeed, fitLeBail, fitPawley, type LeBailResult } from '../../../../src/core/diffraction/leBail.ts';
import { phasePreset } from '../../../../src/core/diffraction/phases.ts';
import { readSimulatedXy, readTruth } from './fixtures.ts';
import { runSeries, summarise, SERIES_INSTRUMENT } from './seriesAccuracy.ts';

// Truth of the two fundamental-parameter patterns (file headers): a = 2.873, c = 14.21 Å.
const A_TRUE = 2.873;
const C_TRUE = 14.21;

test('Pawley on every 10th pattern of the operando series: |Δa| ≤ 5e-5 Å, |Δc| ≤ 3e-4 Å, 2σ covers ≥ 90 %, FWHM(003) within 2 %', () => {
  const indices = Array.from({ length: 20 }, (_, i) => 10 * i);
  const rows = runSeries(indices, 'pawley');
  const s = summarise(rows);
  assert.ok(s.maxAbsDa <= 5e-5, `max |Δa| ${s.maxAbsDa}`);
  assert.ok(s.maxAbsDc <= 3e-4, `max |Δc| ${s.maxAbsDc}`);
  assert.ok(s.coverA2sigma >= 0.9, `2σ coverage of a ${s.coverA2sigma}`);
  assert.ok(s.coverC2sigma >= 0.9, `2σ coverage of c ${s.coverC2sigma}`);
  assert.ok(s.maxRelErrFwhm003 <= 0.02, `FWHM(003) ${s.maxRelErrFwhm003}`);
  // ε_001: every estimate within 3σ of the truth; where the c-spread dominates (ε_001 ≥ 4e-4) within 10 %.
  // Below that the counting noise alone gives σ(ε_001) ≈ 4e-5 (20 % of 2e-4): the 10 % target is out of reach there.
  assert.equal(s.e001Within3sigma, 1, 'ε_001 within 3σ');
  for (const r of rows.filter((x) => x.truth.epsC >= 4e-4)) {
    assert.ok(Math.abs(r.e001 / r.truth.epsC - 1) <= 0.1, `ε_001 of #${r.index}: ${r.e001} vs ${r.truth.epsC}`);
  }
});

test('Le Bail on five patterns across the series meets the same cell tolerances (|Δa| ≤ 5e-5, |Δc| ≤ 3e-4 Å)', () => {
  const rows = runSeries([0, 60, 120, 170, 199], 'lebail');
  const s = summarise(rows);
  assert.ok(s.maxAbsDa <= 5e-5, `max |Δa| ${s.maxAbsDa}`);
  assert.ok(s.maxAbsDc <= 3e-4, `max |Δc| ${s.maxAbsDc}`);
  assert.ok(s.maxRelErrFwhm003 <= 0.02, `FWHM(003) ${s.maxRelErrFwhm003}`);
});

for (const zeroRefined of [false, true]) {
  test(`sync_27keV_fpa.xy (fundamental parameters, 27 keV), zero ${zeroRefined ? 'refined' : 'calibrated'}: |Δa| ≤ 3e-5, |Δc| ≤ 2e-4 Å with FCJ`, () => {
    const scan = readSimulatedXy('sync_27keV_fpa.xy');
    // Profile unknown: refine Caglioti U and W, both Lorentzian terms and the FCJ ratios (axial divergence makes the
    // 00l peaks at 5–17° asymmetric). The beamline zero is either its calibration (0 here) or refined.
    const res = fitLeBail(scan, [phasePreset('layered')], {
      strain: 'none',
      backgroundTerms: 18,
      refine: { U: true, W: true, X: true, Y: true, asymmetry: true, zero: zeroRefined },
      instrument: { sOverL: 0.002, hOverL: 0.002 },
    });
    const p = res.phases[0];
    assert.ok(Math.abs(p.a - A_TRUE) <= 3e-5, `Δa ${p.a - A_TRUE}`);
    assert.ok(Math.abs(p.c - C_TRUE) <= 2e-4, `Δc ${p.c - C_TRUE}`);
    assert.ok(res.gof < 1.1, `GoF ${res.gof}`);
  });
}

test('lab_CuKa_fpa.xy (Cu Kα doublet, Bragg–Brentano): |Δa| ≤ 2e-4, |Δc| ≤ 1e-3 Å with FCJ and specimen displacement', () => {
  const scan = readSimulatedXy('lab_CuKa_fpa.xy');
  assert.equal(scan.wavelengths.length, 2);
  // The diffractometer's zero is a calibration (held at 0); the sample's displacement is refined. Refining both on
  // one pattern is nearly degenerate with the cell over 15–80° (σ(a) ≈ 3e-4 Å), so a lab protocol does not.
  const res = fitLeBail(scan, [phasePreset('layered')], {
    strain: 'none',
    backgroundTerms: 12,
    refine: { U: true, V: true, W: true, X: true, Y: true, asymmetry: true, zero: false, displacement: true },
    instrument: { goniometerRadiusMm: 300, sOverL: 0.01, hOverL: 0.01 },
  });
  const p = res.phases[0];
  assert.ok(Math.abs(p.a - A_TRUE) <= 2e-4, `Δa ${p.a - A_TRUE}`);
  assert.ok(Math.abs(p.c - C_TRUE) <= 1e-3, `Δc ${p.c - C_TRUE}`);
  assert.ok(res.gof < 1.1, `GoF ${res.gof}`);
});

test('a Pawley fit reports agreement factors that obey GoF = √χ²_red = Rwp/Rexp, curves on the fitted range and σ(λ) in σ(a)', () => {
  const scan = readSimulatedXy('series/series_000.xy');
  const opts = {
    strain: 'uniaxial001' as const,
    backgroundTerms: 18,
    rangeDeg: [4, 20] as const,
    exclusions: [{ from: 2.2, to: 2.0, unit: 'angstrom' as const }],
    instrument: { U: 0.002, V: -0.0001, W: 0.0004, X: 0.0105241 },
    refine: { W: false, X: false },
  };
  const res = fitPawley(scan, [phasePreset('layered')], opts);
  assert.ok(Math.abs(res.gof - Math.sqrt(res.chi2red)) < 1e-12);
  // σ(λ)/λ = 1e-4 adds a·1e-4 in quadrature to σ(a).
  const withLambda = fitPawley(scan, [phasePreset('layered')], { ...opts, seed: res, wavelengthRelativeSigma: 1e-4 });
  const p = withLambda.phases[0];
  assert.ok(p.aSigma > p.a * 1e-4 && p.aSigma < Math.hypot(p.a * 1e-4, 2 * res.phases[0].aSigma));
  assert.ok(Math.abs(res.gof - res.Rwp / res.Rexp) < 1e-9);
  assert.ok(res.RwpBackgroundSubtracted > res.Rwp);
  assert.equal(res.calculated.length, res.twoThetaDeg.length);
  assert.ok(res.twoThetaDeg[0] >= 4 && res.twoThetaDeg[res.twoThetaDeg.length - 1] <= 20);
  // d = 2.0–2.2 Å at 0.4592 Å is 2θ ≈ 11.98–13.18°: those points are left out of the fit.
  assert.ok(res.points < res.twoThetaDeg.length - 250);
  assert.ok(res.phases[0].reflections.every((r) => r.twoThetaDeg > 3.5 && r.twoThetaDeg < 20.5));
});

test('exclusions at the ends of the range still give curves on every range point, peaks included there', () => {
  const scan = readSimulatedXy('series/series_000.xy');
  // 5.0–5.3° and 13.5–14.0° are left out; the range is 5–14°, so the fit's points start and end inside it.
  const res = fitPawley(scan, [phasePreset('layered')], {
    strain: 'iso',
    backgroundTerms: 8,
    rangeDeg: [5, 14],
    exclusions: [
      { from: 5, to: 5.3, unit: 'deg' },
      { from: 13.5, to: 14, unit: 'deg' },
    ],
    instrument: { U: 0.002, V: -0.0001, W: 0.0004, X: 0.0105241 },
    refine: { W: false, X: false },
  });
  assert.equal(res.calculated.length, res.twoThetaDeg.length);
  assert.ok(res.twoThetaDeg[0] < 5.01 && res.twoThetaDeg[res.twoThetaDeg.length - 1] > 13.99);
  assert.ok(res.calculated.every((v, i) => Number.isFinite(v) && v >= res.background[i] - 1e-9));
});

test('fitLeBail refuses a scan without wavelengths', () => {
  const scan = { ...readSimulatedXy('sync_27keV_fpa.xy'), wavelengths: [] };
  assert.throws(() => fitLeBail(scan, [phasePreset('layered')]), /no wavelength/);
});

test('directStart: from cells measured on the pattern, Pawley lands on the coarse path’s minimum in a third of its steps; from cells 1 % off it falls back to the coarse path and lands there too', () => {
  // series_100 of the simulated series, its true cell as "measured" (as the quick estimate gives it to ~1e-4) and
  // the same cell 1 % off (a up, c down), several FWHM from every reflection: the direct refinement ends in a wrong
  // minimum there (GoF > 1.5), so the fit must run the coarse stage and keep its (lower-χ²) result.
  const scan = readSimulatedXy('series/series_100.xy');
  const truth = readTruth()[100];
  const options = { strain: 'uniaxial001' as const, instrument: SERIES_INSTRUMENT, refine: { U: false, V: false, W: false, X: false, Y: false } };
  const phaseAt = (offset: number) => {
    const base = phasePreset('layered');
    return [{ ...base, cell: { ...base.cell, a: truth.a * (1 + offset), c: truth.c * (1 - offset) } }];
  };
  const coarse = fitPawley(scan, phaseAt(0), options);
  for (const offset of [0, 0.01]) {
    const direct = fitPawley(scan, phaseAt(offset), { ...options, directStart: true });
    const [p, q] = [direct.phases[0], coarse.phases[0]];
    const msg = `offset ${offset}: a ${p.a} vs ${q.a}, c ${p.c} vs ${q.c}, GoF ${direct.gof} vs ${coarse.gof}, ${direct.iterations} vs ${coarse.iterations} steps`;
    assert.ok(Math.abs(p.a - q.a) <= 0.1 * q.aSigma && Math.abs(p.c - q.c) <= 0.1 * q.cSigma, msg);
    assert.ok(Math.abs(direct.gof - coarse.gof) <= 1e-3, msg);
    if (offset === 0) assert.ok(direct.iterations * 3 <= coarse.iterations, msg);
    // The fallback ran: its steps are the direct attempt's plus the coarse path's.
    else assert.ok(direct.iterations > coarse.iterations, msg);
  }
});

test('extrapolatedSeed continues cells and strain linearly from the two previous results and keeps the rest of the newer one', () => {
  const result = (values: Record<string, number>) =>
    ({ gof: 1.1, parameters: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, sigma: 1e-5 }])) }) as unknown as LeBailResult;
  const before = result({ 'layered.a': 2.87, 'layered.c': 14.2, 'layered.strain.e001': 2e-4, 'layered.I.0,0,3': 100, zeroDeg: 0.01, 'background.0': 5 });
  const previous = result({ 'layered.a': 2.868, 'layered.c': 14.21, 'layered.strain.e001': 3e-4, 'layered.I.0,0,3': 120, zeroDeg: 0.02, 'background.0': 6, 'layered.strain.iso': 1e-4 });
  const seed = extrapolatedSeed(previous, before);
  const v = (name: string) => seed.parameters[name].value;
  assert.ok(Math.abs(v('layered.a') - 2.866) < 1e-12 && Math.abs(v('layered.c') - 14.22) < 1e-12 && Math.abs(v('layered.strain.e001') - 4e-4) < 1e-15);
  // Intensities, zero, background: from the newer result; a parameter the older one lacks stays as it is.
  assert.equal(v('layered.I.0,0,3'), 120);
  assert.equal(v('zeroDeg'), 0.02);
  assert.equal(v('background.0'), 6);
  assert.equal(v('layered.strain.iso'), 1e-4);
  assert.equal(seed.gof, 1.1);
  assert.equal(previous.parameters['layered.a'].value, 2.868, 'the previous result is not modified');
});
