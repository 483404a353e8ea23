// The notebook API's xrd.fit as cells call it: options it cannot honour are refused with a readable error, and the
// Pearson VII profile reaches the fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { engineApi } from '../../../src/worker/engine.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { readScan } from '../../../src/worker/scanFiles.ts';

const cwd = path.resolve('test/fixtures/simulated');
const api = engineApi({ cwd, emit: () => undefined, progress: () => undefined }, nodeFileAccess, (p) => path.resolve(cwd, p));

test('xrd.fit refuses an unknown profile and absorption without Rietveld; profile pearsonVII fits an exponent', () => {
  const scan = readScan(nodeFileAccess, path.join(cwd, 'sync_27keV_fpa.xy'), {});
  assert.throws(() => api.fit(scan, { profile: 'gauss' as never }), /profile must be 'tch' or 'pearsonVII', got 'gauss'/);
  assert.throws(() => api.fit(scan, { absorption: { geometry: 'capillary', muR: 1 } }), /absorption applies to method 'rietveld' only/);
  const fit = api.fit(scan, { strain: 'iso', profile: 'pearsonVII' });
  assert.ok('profile' in fit && fit.profile.shape === 'pearsonVII' && fit.profile.mSigma[0] > 0);
});
