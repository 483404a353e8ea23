// The NeXus walker on in-memory trees: which group it picks, how it reads units and shapes, and that every bad
// tree is a ParseError. The real files go through h5wasm in test/unit/worker/hdf5.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNexus, axisUnitOf, type HdfAttribute, type HdfTree } from '../../../../src/core/io/nexus.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { detectFormat, readData } from '../../../../src/core/io/index.ts';

type FakeNode =
  | { group: Record<string, FakeNode>; attrs?: Record<string, HdfAttribute> }
  | { data: number[] | string[]; shape?: number[]; attrs?: Record<string, HdfAttribute>; elementBytes?: number };

/** An HdfTree over nested objects: { group: {...} } is a group, { data, shape } a dataset. */
function fakeTree(root: FakeNode, options: { throwOn?: string } = {}): HdfTree {
  const at = (path: string): FakeNode | undefined => {
    if (options.throwOn && path === options.throwOn) throw new Error('HDF5 read failed');
    let node: FakeNode | undefined = root;
    for (const part of path.split('/').filter(Boolean)) node = node && 'group' in node ? node.group[part] : undefined;
    return node;
  };
  const ds = (path: string) => {
    const n = at(path);
    if (!n || !('data' in n)) throw new Error(`${path} is not a dataset`);
    return n;
  };
  return {
    kind: (p) => {
      const n = at(p);
      return n ? ('group' in n ? 'group' : 'dataset') : undefined;
    },
    keys: (p) => {
      const n = at(p);
      return n && 'group' in n ? Object.keys(n.group) : [];
    },
    attrs: (p) => at(p)?.attrs ?? {},
    info: (p) => {
      const n = ds(p);
      return { shape: n.shape ?? [n.data.length], type: typeof n.data[0] === 'string' ? 'string' : 'number', elementBytes: n.elementBytes };
    },
    numbers: (p) => Float64Array.from(ds(p).data as number[]),
    strings: (p) => ds(p).data as string[],
  };
}

const x5 = [10, 10.5, 11, 11.5, 12];

test('readNexus follows the default chain to a 2D NXdata and gives one scan per row (Dioptas layout)', () => {
  const tree = fakeTree({
    attrs: { default: 'processed' },
    group: {
      processed: {
        attrs: { NX_class: 'NXentry', default: 'result' },
        group: {
          process: { attrs: { NX_class: 'NXprocess' }, group: { int_unit: { data: ['2th_deg'], shape: [] } } },
          result: {
            attrs: { NX_class: 'NXdata', signal: 'data', axes: ['.', 'binning'] },
            group: {
              binning: { data: x5, attrs: { unit: 'deg', long_name: 'two_theta (degrees)' } },
              data: { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], shape: [2, 5] },
            },
          },
        },
      },
    },
  });
  const file = readNexus(tree);
  assert.equal(file.format, 'nexus');
  assert.equal(file.scans.length, 2);
  assert.deepEqual(Array.from(file.scans[0].x), x5);
  assert.deepEqual(Array.from(file.scans[1].y), [6, 7, 8, 9, 10]);
  assert.equal(file.scans[0].axis, 'twoTheta');
  assert.equal(file.scans[0].unit, 'deg');
  assert.equal(file.metadata['found by'], 'NeXus default chain');
  assert.equal(file.metadata['process int_unit'], '2th_deg');
  assert.equal(file.scans[1].metadata.pattern, '2 of 2');
  assert.ok(file.warnings.some((w) => /no wavelength/.test(w)));
});

test('readNexus finds an NXdata without a default chain, reads q in nm⁻¹, σ and a wavelength in metres', () => {
  const tree = fakeTree({
    group: {
      entry: {
        attrs: { NX_class: 'NXentry' },
        group: {
          instrument: { attrs: { NX_class: 'NXinstrument' }, group: { monochromator: { group: { wavelength: { data: [3.344e-11], shape: [], attrs: { units: 'm' } } } } } },
          integrated: {
            attrs: { NX_class: 'NXdata', signal: 'I', axes: 'q', q_indices: 0 },
            group: {
              q: { data: x5, attrs: { units: 'q_nm^-1' } },
              I: { data: [5, 4, 3, 2, 1] },
              errors: { data: [0.1, 0.2, 0.3, 0.4, 0.5] },
            },
          },
        },
      },
    },
  });
  const file = readNexus(tree);
  const scan = file.scans[0];
  assert.equal(file.scans.length, 1);
  assert.equal(scan.axis, 'q');
  assert.equal(scan.unit, 'invNanometre');
  assert.deepEqual(Array.from(scan.sigma ?? []), [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.equal(scan.wavelengths.length, 1);
  assert.ok(Math.abs(scan.wavelengths[0].angstrom - 0.3344) < 1e-12);
  assert.equal(scan.wavelengths[0].source, 'file');
  assert.equal(file.metadata['wavelength from'], '/entry/instrument/monochromator/wavelength');
});

test('readNexus reads NeXus before 2014 (signal = 1 on the dataset, axes on it) and 2θ in radians', () => {
  const rad = x5.map((v) => (v * Math.PI) / 180);
  const tree = fakeTree({
    group: {
      entry: {
        attrs: { NX_class: 'NXentry' },
        group: {
          data: {
            attrs: { NX_class: 'NXdata' },
            group: { counts: { data: [1, 2, 3, 4, 5], attrs: { signal: 1, axes: 'tth' } }, tth: { data: rad, attrs: { units: 'rad' } } },
          },
        },
      },
    },
  });
  const scan = readNexus(tree).scans[0];
  assert.equal(scan.axis, 'twoTheta');
  for (let k = 0; k < 5; k++) assert.ok(Math.abs(scan.x[k] - x5[k]) < 1e-12);
});

test('readNexus reads scimap layout: per-row 2θ, names per row, float16 wavelengths snapped to Cu Kα', () => {
  const tree = fakeTree({
    group: {
      'xrd-map-gadds': {
        attrs: { source: 'gadds' },
        group: {
          two_thetas: { data: [...x5, ...x5.map((v) => v + 1)], shape: [2, 5] },
          intensities: { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], shape: [2, 5] },
          file_basenames: { data: ['map-0', 'map-1'] },
          wavelengths: { data: [1.541015625, 1, 1.5439453125, 0.5], shape: [2, 2], attrs: { unit: 'Å' }, elementBytes: 2 },
        },
      },
    },
  });
  const file = readNexus(tree);
  assert.equal(file.scans.length, 2);
  assert.deepEqual(Array.from(file.scans[1].x), [11, 11.5, 12, 12.5, 13]);
  assert.equal(file.scans[1].sample, 'map-1');
  assert.deepEqual(
    file.scans[0].wavelengths.map((w) => [w.angstrom, w.ratio, w.label]),
    [
      [1.540593, 1, 'Cu Kα1'],
      [1.544427, 0.5, 'Cu Kα2'],
    ],
  );
  assert.ok(file.warnings.some((w) => /no unit given/.test(w)));
});

test('a wavelength table in full precision is kept as written', () => {
  const tree = fakeTree({
    group: {
      g: { group: { two_thetas: { data: x5 }, intensities: { data: [1, 2, 3, 4, 5] }, wavelengths: { data: [1.541, 1], shape: [1, 2], elementBytes: 8 } } },
    },
  });
  assert.equal(readNexus(tree).scans[0].wavelengths[0].angstrom, 1.541);
});

test('axisUnitOf knows NeXus units and pyFAI unit names', () => {
  assert.deepEqual(axisUnitOf('2th_deg'), { axis: 'twoTheta', unit: 'deg' });
  assert.deepEqual(axisUnitOf('degrees'), { axis: 'twoTheta', unit: 'deg' });
  assert.deepEqual(axisUnitOf('q_A^-1'), { axis: 'q', unit: 'invAngstrom' });
  assert.deepEqual(axisUnitOf('1/nm'), { axis: 'q', unit: 'invNanometre' });
  assert.deepEqual(axisUnitOf('Å^-1'), { axis: 'q', unit: 'invAngstrom' });
  assert.deepEqual(axisUnitOf('2th_rad'), { axis: 'twoTheta', unit: 'deg', radians: true });
  assert.equal(axisUnitOf('pixel'), undefined);
});

function assertParseError(tree: HdfTree, pattern: RegExp) {
  assert.throws(
    () => readNexus(tree),
    (e: unknown) => e instanceof ParseError && e.format === 'nexus' && pattern.test(e.message),
  );
}

test('readNexus throws ParseError for trees without a 1D pattern', () => {
  assertParseError(fakeTree({ group: {} }), /NXdata group with a signal/);
  // A detector image: pixel axes have no 2θ/q/d unit.
  assertParseError(
    fakeTree({
      group: {
        e: {
          group: {
            d: {
              attrs: { NX_class: 'NXdata', signal: 'data', axes: ['y', 'x'] },
              group: { data: { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }, x: { data: [0, 1, 2], attrs: { units: 'pixel' } }, y: { data: [0, 1] } },
            },
          },
        },
      },
    }),
    /axis in 2θ.*unit "pixel"/,
  );
  // Rank 3.
  assertParseError(
    fakeTree({
      group: { d: { attrs: { NX_class: 'NXdata', signal: 'data', axes: 'tth' }, group: { data: { data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2] }, tth: { data: [1, 2], attrs: { units: 'deg' } } } } },
    }),
    /2D series.*shape \[2, 2, 2\]/,
  );
  // Axis length does not match.
  assertParseError(
    fakeTree({ group: { d: { attrs: { NX_class: 'NXdata', signal: 'data', axes: 'tth' }, group: { data: { data: [1, 2, 3] }, tth: { data: [1, 2], attrs: { units: 'deg' } } } } } }),
    /axis of 3 points/,
  );
  // Signal without an axis.
  assertParseError(fakeTree({ group: { d: { attrs: { NX_class: 'NXdata', signal: 'data' }, group: { data: { data: [1, 2, 3] } } } } }), /axis dataset/);
  // A string signal.
  assertParseError(
    fakeTree({ group: { d: { attrs: { NX_class: 'NXdata', signal: 'data', axes: 'tth' }, group: { data: { data: ['a', 'b'] }, tth: { data: [1, 2], attrs: { units: 'deg' } } } } } }),
    /numeric signal/,
  );
});

test('an error inside the tree (a damaged HDF5 object) becomes a ParseError, not a crash', () => {
  const tree = fakeTree(
    { group: { d: { attrs: { NX_class: 'NXdata', signal: 'data', axes: 'tth' }, group: { data: { data: [1, 2, 3] }, tth: { data: [1, 2, 3], attrs: { units: 'deg' } } } } } },
    { throwOn: '/d/data' },
  );
  assertParseError(tree, /HDF5 error: HDF5 read failed/);
});

test('a failing NXdata is skipped for a readable one, and the warning says so', () => {
  const tree = fakeTree({
    group: {
      a: { attrs: { NX_class: 'NXdata', signal: 'data' }, group: { data: { data: [1, 2, 3] } } },
      b: { attrs: { NX_class: 'NXdata', signal: 'data', axes: 'q' }, group: { data: { data: [1, 2, 3] }, q: { data: [1, 2, 3], attrs: { units: 'A^-1' } } } },
    },
  });
  const file = readNexus(tree);
  assert.equal(file.metadata.signal, '/b/data');
  assert.ok(file.warnings[0].startsWith('skipped /a/data'), file.warnings[0]);
});

test('detectFormat knows HDF5 at 0 and after a 512-byte user block; the sync readData points to the worker', () => {
  const magic = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  const at0 = new Uint8Array(1024);
  at0.set(magic, 0);
  const at512 = new Uint8Array(1024);
  at512.set(magic, 512);
  assert.equal(detectFormat(at0, 'a.nxs').format, 'nexus');
  assert.equal(detectFormat(at512, 'a.h5').format, 'nexus');
  assert.throws(() => readData(at0, 'a.nxs'), (e: unknown) => e instanceof ParseError && /worker thread/.test(e.message));
});
