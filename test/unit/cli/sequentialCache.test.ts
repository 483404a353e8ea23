// The on-disk cache of sequential results, as users meet it: dist/cli.js run twice on the same series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = process.cwd();
const cli = path.join(repo, 'dist/cli.js');
const series = path.join(repo, 'test/fixtures/simulated/series');
const instrument = path.join(repo, 'test/fixtures/simulated/series.instprm');

function sequential(files: string[], cacheDir: string, out: string, extra: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [cli, 'sequential', ...files, '--phase', 'layered', '--strain', 'uniaxial001', '--instrument', instrument, '--cache', cacheDir, '--out', out, ...extra],
    { encoding: 'utf8', cwd: repo },
  );
  assert.equal(r.status, 0, r.stderr);
  const fromCache = Number(/(\d+) from the cache/.exec(r.stderr)?.[1]);
  return { fromCache, csv: fs.readFileSync(out, 'utf8') };
}

test('a second sequential run of an unchanged series takes every pattern from the disk cache and writes the same table', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operando-xrd-cache-'));
  const cacheDir = path.join(dir, 'cache');
  const files = ['series_040.xy', 'series_041.xy', 'series_042.xy', 'series_043.xy'].map((f) => path.join(series, f));
  const first = sequential(files, cacheDir, path.join(dir, 'first.csv'), ['--workers', '1']);
  assert.equal(first.fromCache, 0);
  const second = sequential(files, cacheDir, path.join(dir, 'second.csv'), ['--workers', '1']);
  assert.equal(second.fromCache, 4);
  assert.equal(second.csv, first.csv);

  // Another chunking is another seed chain: nothing of the one-worker chain may be reused.
  const twoWorkers = sequential(files, cacheDir, path.join(dir, 'two.csv'), ['--workers', '2']);
  assert.equal(twoWorkers.fromCache, 0);

  // A changed pattern breaks the chain from that pattern on: the ones before it still come from the cache.
  const copies = path.join(dir, 'copies');
  fs.mkdirSync(copies);
  const copied = files.map((f) => path.join(copies, path.basename(f)));
  files.forEach((f, i) => fs.copyFileSync(f, copied[i]));
  fs.appendFileSync(copied[2], '\n');
  const changed = sequential(copied, cacheDir, path.join(dir, 'changed.csv'), ['--workers', '1']);
  assert.equal(changed.fromCache, 2);
});
