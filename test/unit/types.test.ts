// types/xrd.d.ts (what completions in cells show) must name every function the cell API really has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { makeApi } from '../../src/worker/api.ts';
import { nodeFileAccess } from '../../src/worker/nodeFiles.ts';

test('every function of the xrd API and of xrd.plot is declared in types/xrd.d.ts', () => {
  const dts = fs.readFileSync('types/xrd.d.ts', 'utf8');
  const api = makeApi({ cwd: process.cwd(), emit: () => undefined, progress: () => undefined }, nodeFileAccess);
  const apiBlock = dts.slice(dts.indexOf('interface XrdApi'), dts.indexOf('readonly plot'));
  const plotBlock = dts.slice(dts.indexOf('readonly plot'));
  const missing = [
    ...Object.keys(api).filter((k) => k !== 'plot' && !new RegExp(`\\b${k}[(:]`).test(apiBlock)),
    ...Object.keys(api.plot).filter((k) => !new RegExp(`\\b${k}\\(`).test(plotBlock)).map((k) => `plot.${k}`),
  ];
  assert.deepEqual(missing, []);
});
