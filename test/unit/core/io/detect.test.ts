import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat, FORMATS, READERS, readData } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

const cases: [string, string][] = [
  ['xy/nacl01.dat', 'xy'],
  ['xy/210520step1_30min.csv', 'xy'],
  ['xy/pattern_001.xy', 'xy'],
  ['chi/Data_0001.chi', 'chi'],
  ['xrdml/HL1-2_5-90_60min.xrdml', 'xrdml'],
  ['bruker-raw/TiO2.raw', 'bruker-raw'],
  ['bruker-raw/Cu3Au-1.raw', 'bruker-raw'],
  ['brml/corundum.brml', 'brml'],
  ['biologic/mb.issue_95.de.mpt', 'mpt'],
  ['biologic/ocv.mpr', 'mpr'],
  ['gsas/PBSO4.XRA', 'gsas'],
  ['gsas/OH_00.fxye', 'gsas'],
  ['uxd/BT86_.UXD', 'uxd'],
  ['pdcif/1517474.cif', 'pdcif'],
  ['neware/cc8.ndax', 'ndax'],
  ['neware/test.nda', 'nda'],
  ['gamry/exampleDataGamry.DTA', 'gamry'],
  ['cycler/maccor_two.txt', 'maccor'],
  ['cycler/2017-05-09_test-TC-contact_CH33.csv', 'arbin'],
  ['rigaku/inas_layer_radial_002_004.ras', 'ras'],
  ['rigaku/JO_KL_16_ZF_3_60deg_0.02step_12degpermin_001.rasx', 'rasx'],
];

test('detectFormat recognises each fixture by its content, whatever its name', () => {
  for (const [file, format] of cases) {
    assert.equal(detectFormat(fixture(file), 'renamed.bin').format, format, file);
  }
});

test('readData returns a diffraction ScanFile or an electrochemistry record', () => {
  const d = readData(fixture('xrdml/empyrean.xrdml'), 'empyrean.xrdml');
  assert.equal(d.kind, 'diffraction');
  const e = readData(fixture('biologic/ocv.mpt'), 'ocv.mpt');
  assert.equal(e.kind, 'electrochemistry');
  const forced = readData(fixture('chi/Data_0001.chi'), 'Data_0001.chi', { format: 'xy' });
  assert.equal(forced.kind === 'diffraction' && forced.format, 'xy');
});

test('a recognised format without a reader and unknown bytes are ParseErrors that say so', () => {
  const cif = new TextEncoder().encode('data_x\n_cell_length_a 3.0\n');
  assert.throws(() => readData(cif, 'x.cif'), (e: unknown) => e instanceof ParseError && /no reader yet/.test(e.found));
  assert.throws(() => readData(new Uint8Array([1, 2, 3, 0, 9]), 'x.bin'), (e: unknown) => e instanceof ParseError && e.format === 'detect');
  assert.throws(() => readData(new Uint8Array(0), 'empty.xy'), ParseError);
});

test('FORMATS lists each reader once with its extensions and kind', () => {
  const ids = FORMATS.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['xy', 'chi', 'xrdml', 'brml', 'bruker-raw', 'mpt', 'mpr']) {
    const f = FORMATS.find((g) => g.id === id)!;
    assert.ok(f.supported && f.extensions.length > 0, id);
  }
});

test('every supported format has a reader and every reader is listed as supported', () => {
  const supported = FORMATS.filter((f) => f.supported).map((f) => f.id).sort();
  assert.deepEqual(Object.keys(READERS).sort(), supported);
});
