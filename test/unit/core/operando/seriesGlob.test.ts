// Series named by a pattern (seriesGlob.ts), on an in-memory tree whose expected matches are listed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGlob, isGlob, segmentMatcher } from '../../../../src/core/operando/seriesGlob.ts';

/** A tree from a list of file paths (folders implied), seen as TreeAccess. */
function tree(paths: readonly string[]) {
  const children = new Map<string, Set<string>>();
  const add = (dir: string, name: string) => {
    let set = children.get(dir);
    if (!set) children.set(dir, (set = new Set()));
    set.add(name);
  };
  for (const p of paths) {
    const parts = p.split('/');
    const absolute = parts[0] === '';
    for (let k = absolute ? 1 : 0; k < parts.length; k++) {
      const dir = absolute ? (k === 1 ? '/' : parts.slice(0, k).join('/')) : k === 0 ? '.' : parts.slice(0, k).join('/');
      add(dir, parts[k]);
    }
  }
  return {
    list: (dir: string) => {
      const set = children.get(dir);
      if (!set) throw new Error(`ENOENT ${dir}`);
      return [...set];
    },
    isDirectory: (p: string) => children.has(p),
  };
}

const files = [
  '/data/run1/scan_1.xy',
  '/data/run1/scan_2.xy',
  '/data/run1/scan_10.xy',
  '/data/run1/log.csv',
  '/data/run1/.scan_0.xy',
  '/data/run2/scan_1.xy',
  '/data/run2/deep/scan_3.xy',
  '/data/run10/scan_1.xy',
  '/data/a[1].xy',
  'rel/s1.xye',
  'rel/s2.xye',
];
const t = tree(files);

test('a name pattern matches within one folder, in natural order, without hidden files', () => {
  assert.deepEqual(expandGlob('/data/run1/scan_*.xy', t), ['/data/run1/scan_1.xy', '/data/run1/scan_2.xy', '/data/run1/scan_10.xy']);
  assert.deepEqual(expandGlob('/data/run1/*', t), ['/data/run1/log.csv', '/data/run1/scan_1.xy', '/data/run1/scan_2.xy', '/data/run1/scan_10.xy']);
  assert.deepEqual(expandGlob('/data/run1/.scan_*', t), ['/data/run1/.scan_0.xy']);
  assert.deepEqual(expandGlob('/data/run1/scan_?.xy', t), ['/data/run1/scan_1.xy', '/data/run1/scan_2.xy']);
});

test('classes, negated classes and a literal star or bracket written as a class', () => {
  assert.deepEqual(expandGlob('/data/run1/scan_[2-9].xy', t), ['/data/run1/scan_2.xy']);
  assert.deepEqual(expandGlob('/data/run1/scan_[!1].xy', t), ['/data/run1/scan_2.xy']);
  assert.deepEqual(expandGlob('/data/a[[]1].xy', t), ['/data/a[1].xy']);
  assert.ok(segmentMatcher('a[*]b').test('a*b') && !segmentMatcher('a[*]b').test('axb'));
  // Characters special to RegExp are literal in a pattern.
  assert.ok(segmentMatcher('x.(1)+$').test('x.(1)+$') && !segmentMatcher('x.y').test('xzy'));
  assert.throws(() => segmentMatcher('scan_[12.xy'), /'\[' at 6 is not closed/);
});

test('patterns in folder names, ** at any depth, relative patterns and no match', () => {
  assert.deepEqual(expandGlob('/data/run*/scan_1.xy', t), ['/data/run1/scan_1.xy', '/data/run2/scan_1.xy', '/data/run10/scan_1.xy']);
  assert.deepEqual(expandGlob('/data/**/scan_3.xy', t), ['/data/run2/deep/scan_3.xy']);
  assert.deepEqual(expandGlob('/data/run2/**/*.xy', t), ['/data/run2/deep/scan_3.xy', '/data/run2/scan_1.xy']);
  assert.deepEqual(expandGlob('rel/*.xye', t), ['rel/s1.xye', 'rel/s2.xye']);
  assert.deepEqual(expandGlob('*/s2.xye', t), ['rel/s2.xye']);
  assert.deepEqual(expandGlob('/data/run1\\scan_1?.xy', t), ['/data/run1/scan_10.xy']);
  assert.deepEqual(expandGlob('/nowhere/*.xy', t), []);
  assert.deepEqual(expandGlob('/data/run*', t), ['/data/run1', '/data/run2', '/data/run10']);
  assert.ok(isGlob('a/*.xy') && isGlob('a?') && isGlob('[ab]') && !isGlob('/data/run1/scan_1.xy'));
});
