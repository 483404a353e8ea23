// A fit that runs to the edge of its search window (cell edges at ±20 % of their start, the zero shift at ±1°) is
// reported as such, and the sequential driver restarts it from the quick estimate and flags it ('at-bound'). Checked
// against the bounds computed here from the start cells, not against the engine's own report: the values named must
// sit exactly on them. The runaway case is the real I11 coin-cell pattern 1355647 with an assumed λ = 0.826 Å (the
// wavelength of that beamtime is not recorded, so this model does not describe the pattern: Rwp ≈ 60 %).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readScan } from '../../../src/worker/scanFiles.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { parseInstprm } from '../../../src/core/diffraction/instprm.ts';
import { fitPattern, quickEstimate, summarize, type ModelSpec } from '../../../src/worker/refine.ts';
import { runSequentialRefinement } from '../../../src/worker/sequentialRun.ts';

const i11 = (scan: number) => path.resolve(`test/fixtures/operando/${scan}_summed_mythen3.xye`);
const read = (file: string) => readScan(nodeFileAccess, file, {});
const assumedWavelength = [{ angstrom: 0.826, ratio: 1, source: 'user' as const }];

test('a fit that ends on its search window names the parameters there, each exactly on its bound', () => {
  const model: ModelSpec = { phases: ['layered'], wavelengths: assumedWavelength, strain: 'iso', rangeDeg: [4, 30] };
  const scan = read(i11(1355647));
  const start = quickEstimate(scan, model)[0].cell;
  const result = fitPattern(scan, model);
  assert.ok(result.atBounds.includes('layered.c') && result.atBounds.includes('zeroDeg'), result.atBounds.join(', '));
  const edge = (value: number, from: number) => Math.min(Math.abs(value / (0.8 * from) - 1), Math.abs(value / (1.2 * from) - 1));
  const cell = result.phases[0];
  for (const name of result.atBounds) {
    if (name === 'layered.a') assert.ok(edge(cell.a, start.a) < 1e-12, `a ${cell.a} from ${start.a}`);
    else if (name === 'layered.c') assert.ok(edge(cell.c, start.c) < 1e-12, `c ${cell.c} from ${start.c}`);
    else if (name === 'zeroDeg') assert.equal(Math.abs(result.zeroDeg), 1);
    else assert.fail(`unexpected parameter on a bound: ${name}`);
  }
  // The summary carries them to the driver and the CLI.
  assert.deepEqual(summarize(result).atBounds, result.atBounds);
});

test('a fit that reaches its minimum names no parameter, though widths and strain may sit at 0', () => {
  const dir = path.resolve('test/fixtures/simulated');
  const instrument = parseInstprm(fs.readFileSync(path.join(dir, 'series.instprm'), 'utf8')).instrument;
  // Pattern 0 is pristine: ε_001 ≈ 0 there, a physical limit and not a search-window edge.
  const result = fitPattern(read(path.join(dir, 'series/series_000.xy')), { phases: ['layered'], strain: 'uniaxial001', instrument });
  assert.deepEqual(result.atBounds, []);
  assert.ok(result.Rwp < 0.2, `Rwp ${result.Rwp}`);
});

test('the sequential driver restarts a fit that ran to a bound, keeps the better of the two and flags it', async () => {
  // On 4–20°, pattern 1355647 seeded from 1355639 ends with the zero shift on its +1° edge, and so does its restart from
  // the quick estimate: the driver must flag both, restart, and keep the lower Rwp of the two fits computed here.
  const model: ModelSpec = { phases: ['layered'], wavelengths: assumedWavelength, strain: 'uniaxial001', rangeDeg: [4, 20] };
  const seeded = fitPattern(read(i11(1355647)), model, { seed: fitPattern(read(i11(1355639)), model) });
  const restart = fitPattern(read(i11(1355647)), model);
  for (const fit of [seeded, restart]) {
    assert.deepEqual(fit.atBounds, ['zeroDeg']);
    assert.equal(Math.abs(fit.zeroDeg), 1);
  }
  const run = await runSequentialRefinement({ files: [i11(1355639), i11(1355647)], model, workers: 1, fileAccess: nodeFileAccess, workerScript: path.resolve('dist/fitWorker.js') });
  const [first, second] = run.entries;
  assert.deepEqual(first?.flags, []);
  assert.deepEqual(second?.flags, ['at-bound', 'restarted', 'unresolved']);
  const better = restart.Rwp <= seeded.Rwp ? restart : seeded;
  assert.equal(second?.seed, better === restart ? 'estimate' : 'previous');
  assert.equal(second?.result?.Rwp, better.Rwp);
  assert.equal(second?.result?.phases[0].c, better.phases[0].c);
});
