// Mutation helpers shared by fuzz.test.ts and scripts/fuzz-readers.mjs: a seeded PRNG, byte-level mutations
// and the well-formedness check every reader result must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, READERS } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { zipSync, unzipSync } from 'fflate';
import type { EchemRecord } from '../../../../src/core/data/echem.ts';
import type { ScanFile } from '../../../../src/core/data/scan.ts';
import { fixture } from './fixtures.ts';

/** mulberry32: a small, well-mixed 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0, 0xff, 0x30, 0x39, 0x2d, 0x2e, 0x2c, 0x65, 0x0a, 0x0d, 0x09, 0x20, 0x3c, 0x3e, 0x22, 0x7f, 0x80];

/** One random mutation: bit flips, truncation, insertion, deletion, splice or interesting-byte overwrite. */
export function mutate(src: Uint8Array, rnd: () => number, other: Uint8Array): Uint8Array {
  const n = src.length;
  const at = (m: number) => Math.floor(rnd() * m);
  switch (at(7)) {
    case 0: {
      const out = src.slice();
      for (let k = 1 + at(4); k > 0 && n; k--) out[at(n)] ^= 1 << at(8);
      return out;
    }
    case 1:
      return src.slice(0, at(n + 1));
    case 2: {
      const p = at(n + 1);
      const ins = new Uint8Array(1 + at(8));
      for (let k = 0; k < ins.length; k++) ins[k] = rnd() < 0.5 ? INTERESTING[at(INTERESTING.length)] : at(256);
      const out = new Uint8Array(n + ins.length);
      out.set(src.subarray(0, p));
      out.set(ins, p);
      out.set(src.subarray(p), p + ins.length);
      return out;
    }
    case 3: {
      const p = at(n + 1);
      const len = 1 + at(64);
      const out = new Uint8Array(Math.max(0, n - len));
      out.set(src.subarray(0, p).subarray(0, out.length));
      if (p < out.length) out.set(src.subarray(p + len).subarray(0, out.length - p), p);
      return out;
    }
    case 4: {
      // Splice: the head of this input with the tail of another (or of itself).
      const q = other.length ? at(other.length) : 0;
      const p = at(n + 1);
      const out = new Uint8Array(p + other.length - q);
      out.set(src.subarray(0, p));
      out.set(other.subarray(q), p);
      return out;
    }
    case 5: {
      const out = src.slice();
      for (let k = 1 + at(3); k > 0 && n; k--) out[at(n)] = INTERESTING[at(INTERESTING.length)];
      return out;
    }
    default: {
      // Duplicate a chunk (repeated rows, repeated XML elements, repeated binary ranges).
      const p = at(n + 1);
      const len = Math.min(n - p, 1 + at(256));
      const out = new Uint8Array(n + len);
      out.set(src.subarray(0, p + len));
      out.set(src.subarray(p, p + len), p + len);
      out.set(src.subarray(p + len), p + 2 * len);
      return out;
    }
  }
}

function finiteOrNaN(a: Float64Array, what: string): void {
  assert.ok(a instanceof Float64Array, `${what} is a Float64Array`);
  for (let k = 0; k < a.length; k++) assert.ok(Number.isFinite(a[k]) || Number.isNaN(a[k]), `${what}[${k}] = ${a[k]}`);
}

/** The well-formedness the fuzz test demands of any result. */
export function checkResult(r: ScanFile | EchemRecord): void {
  if (r.kind === 'diffraction') {
    assert.ok(r.scans.length >= 1);
    for (const s of r.scans) {
      assert.equal(s.x.length, s.y.length);
      if (s.sigma) assert.equal(s.sigma.length, s.x.length);
      finiteOrNaN(s.x, 'x');
      finiteOrNaN(s.y, 'y');
      if (s.sigma) finiteOrNaN(s.sigma, 'σ');
      for (const w of s.wavelengths) assert.ok(Number.isFinite(w.angstrom) && Number.isFinite(w.ratio));
    }
  } else {
    assert.ok(Number.isInteger(r.records) && r.records >= 0);
    for (const [name, c] of Object.entries(r.columns)) {
      assert.equal(c.length, r.records, `column ${name}`);
      finiteOrNaN(c, name);
    }
  }
}

/** A small .brml: the corundum RawData0.xml cut to its first 40 points, stored uncompressed so mutations reach the XML. */
export function smallBrml(): Uint8Array {
  const entries = unzipSync(fixture('brml/corundum.brml'), { filter: (f) => /RawData0\.xml$/.test(f.name) });
  const xml = new TextDecoder().decode(Object.values(entries)[0]);
  const first = xml.indexOf('<Datum>');
  let cut = first;
  for (let k = 0; k < 40; k++) cut = xml.indexOf('</Datum>', cut) + 8;
  const rest = xml.slice(xml.indexOf('</DataRoute>'));
  const small = xml.slice(0, cut) + '\n    ' + rest;
  return zipSync({ 'Experiment0/RawData0.xml': [new TextEncoder().encode(small), { level: 0 }] });
}

const head = (rel: string, n: number) => fixture(rel).subarray(0, n);

/** The .ras fixture with the header items the reader uses and the first 30 rows of each scan. */
function smallRas(): Uint8Array {
  const lines = new TextDecoder('latin1').decode(fixture('rigaku/inas_layer_radial_002_004.ras')).split('\n');
  const out: string[] = [];
  let rows = -1;
  for (const l of lines) {
    if (l.startsWith('*RAS_INT_START')) rows = 0;
    else if (l.startsWith('*RAS_INT_END')) rows = -1;
    else if (rows >= 0 && ++rows > 30) continue;
    if (l.startsWith('*') && !/^\*(RAS_|MEAS_SCAN|MEAS_DATA|HW_XG_WAVE|HW_XG_TARGET_NAME|MEAS_COND_XG_WAVE|FILE_SAMPLE)/.test(l)) continue;
    out.push(l);
  }
  return new TextEncoder().encode(out.join('\n'));
}

/** The .rasx fixture rebuilt uncompressed: profile cut to 40 rows, conditions cut to the parts the reader uses. */
function smallRasx(): Uint8Array {
  const e = unzipSync(fixture('rigaku/JO_KL_16_ZF_3_60deg_0.02step_12degpermin_001.rasx'));
  const prof = new TextDecoder().decode(e['Data0/Profile0.txt']).split('\n').slice(0, 40).join('\n');
  const xml = new TextDecoder().decode(e['Data0/MesurementConditions0.xml']);
  const part = (tag: string) => xml.slice(xml.indexOf(`<${tag}>`), xml.indexOf(`</${tag}>`) + tag.length + 3);
  const conditions = `<MeasurementConditions>${part('GeneralInformation')}${part('XrayGenerator')}${part('ScanInformation')}</MeasurementConditions>`;
  return zipSync({
    'Data0/Profile0.txt': [new TextEncoder().encode(prof), { level: 0 }],
    'Data0/MesurementConditions0.xml': [new TextEncoder().encode(conditions), { level: 0 }],
  });
}

/** The xrdpattern pdCIF cut to its items and the first 30 rows of its pattern loop. */
function pdcifHead(): Uint8Array {
  const lines = new TextDecoder().decode(fixture('pdcif/xrdpattern_data.cif')).split('\n');
  const k = lines.findIndex((l) => l.startsWith('_pd_meas_counts_total'));
  return new TextEncoder().encode([...lines.slice(0, 110), ...lines.slice(k - 1, k + 24)].join('\n'));
}

/** test.ndax rebuilt uncompressed with data.ndc cut to its header and first two pages. */
/**
 * The split-layout (ndc 14) .ndax, its entries re-zipped without zip64 headers: fflate inflates the original's
 * zip64 entries ~40 times slower, which would make 10 000 mutations take minutes.
 */
function splitNdax(): Uint8Array {
  const e = unzipSync(fixture('neware/123456789012_Unit27_Example_Data_File.ndax'));
  return zipSync({ 'data.ndc': e['data.ndc'], 'data_runInfo.ndc': e['data_runInfo.ndc'], 'data_step.ndc': e['data_step.ndc'], 'data_AUX_9_3_1.ndc': e['data_AUX_9_3_1.ndc'], 'TestInfo.xml': e['TestInfo.xml'] });
}

function smallNdax(): Uint8Array {
  const e = unzipSync(fixture('neware/test.ndax'), { filter: (f) => f.name === 'data.ndc' });
  return zipSync({ 'data.ndc': [e['data.ndc'].subarray(0, 3 * 4096), { level: 0 }] });
}

/** The first `lines` lines of a GSAS file with its BANK channel count set to what those lines hold. */
function gsasHead(rel: string, lines: number, nchan: number): Uint8Array {
  const text = new TextDecoder().decode(fixture(rel)).split('\n').slice(0, lines).join('\n') + '\n';
  return new TextEncoder().encode(text.replace(/^(BANK\s+\d+\s+)\d+/m, `$1${nchan}`));
}

/**
 * arbin_example.res cut to the pages the reader needs: page 0, the table definition at page 26 (pages 1–25 zeroed)
 * and the first two data pages of its Channel_Normal_Table.
 */
function smallRes(): Uint8Array {
  const src = fixture('cycler/arbin_example.res');
  const P = 4096;
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const data: number[] = [];
  for (let p = 1; p < src.length / P && data.length < 2; p++) if (src[p * P] === 1 && dv.getUint32(p * P + 4, true) === 26) data.push(p);
  const out = new Uint8Array((27 + data.length) * P);
  out.set(src.subarray(0, P));
  out.set(src.subarray(26 * P, 27 * P), 26 * P);
  data.forEach((p, k) => out.set(src.subarray(p * P, (p + 1) * P), (27 + k) * P));
  return out;
}

/** stoe.raw cut to its first 600 points: the point count and end angle in its range header set to match. */
function smallStoe(): Uint8Array {
  const n = 600;
  const out = fixture('stoe/stoe.raw').slice(0, 2048 + 512 + Math.ceil((n * 4) / 512) * 512);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(2048 + 34, n, true);
  dv.setFloat32(2048 + 52, dv.getFloat32(2048 + 44, true) + (n - 1) * dv.getFloat32(2048 + 60, true), true);
  out.fill(0, 2048 + 512 + n * 4);
  return out;
}

/** Seeds per reader: small real fixtures or truncated copies of them. */
export const SEEDS: Record<string, Uint8Array[]> = {
  xy: [fixture('xy/with_sigma.txt'), head('xy/example_bmb.xye', 2500), head('xy/pattern_001.xy', 1500), head('xy/210520step1_30min.csv', 1800)],
  chi: [head('chi/Data_0001.chi', 700), fixture('chi/pattern_001.chi')],
  xrdml: [fixture('xrdml/empyrean.xrdml')],
  brml: [smallBrml()],
  'bruker-raw': [fixture('bruker-raw/format1.raw'), head('bruker-raw/TiO2.raw', 4600 + 400)],
  'stoe-raw': [smallStoe()],
  mpt: [fixture('biologic/vsp_ocv_with.mpt'), head('biologic/mb.issue_95.de.mpt', 4000)],
  gsas: [gsasHead('gsas/PBSO4.XRA', 20, 180), gsasHead('gsas/Er2Ge2O7_op2112_Ge113_2K.gss', 20, 90), gsasHead('gsas/OH_00.fxye', 60, 40)],
  ras: [smallRas()],
  rasx: [smallRasx()],
  uxd: [head('uxd/BT86_.UXD', 2600)],
  pdcif: [pdcifHead()],
  ndax: [smallNdax(), splitNdax()],
  maccor: [head('cycler/maccor_test_file_4267-66-6519.041', 1600), head('cycler/maccor_two.txt', 2400)],
  arbin: [head('cycler/2017-05-09_test-TC-contact_CH33.csv', 1500)],
  gamry: [head('gamry/gamryparser_cv_data.dta', 3200), fixture('gamry/gamryparser_chronoa_data.dta')],
  nda: [head('neware/test.nda', 86000 + 86 * 20), head('neware/TestFile.nda', 1024 + 56 * 120)],
  'neware-csv': [head('cycler/nw_regular_export_ife_example.csv', 2500)],
  mpr: [fixture('biologic/vsp_ocv_with.mpr'), fixture('biologic/wait.mpr')],
  'arbin-res': [smallRes()],
};


/** Mutations per format in the unit run (scripts/fuzz-readers.mjs runs more). */
export const PER_FORMAT = 10_000;

/**
 * One test per reader of `kind`: PER_FORMAT seeded mutations of its real fixtures must each give a well-formed result
 * or a ParseError naming format, expected and found (with an offset or a line where the reader knows one).
 */
export function fuzzFormats(kind: 'diffraction' | 'electrochemistry'): void {
  for (const [format, seeds] of Object.entries(SEEDS).filter(([id]) => FORMATS.find((f) => f.id === id)?.kind === kind)) {
    test(`${format}: ${PER_FORMAT} mutations of real fixtures give a well-formed result or a ParseError`, () => {
      const rnd = prng(0x5eed + format.length * 7919 + format.charCodeAt(0));
      const reader = READERS[format];
      let parsed = 0;
      for (let k = 0; k < PER_FORMAT; k++) {
        const input = mutate(seeds[k % seeds.length], rnd, seeds[(k + 1) % seeds.length]);
        let result: ScanFile | EchemRecord | undefined;
        try {
          result = reader(input);
        } catch (e) {
          if (!(e instanceof ParseError)) assert.fail(`mutation ${k} of ${format} threw ${e instanceof Error ? e.stack : String(e)}`);
          assert.ok(e.format && e.expected && e.found !== undefined, 'ParseError names format, expected and found');
          assert.ok(e.offset !== undefined || e.line !== undefined || /zip|entry|RawData|format|scan/i.test(e.message));
          continue;
        }
        checkResult(result);
        parsed++;
      }
      // The fuzzing must exercise the success path too, not only the first-byte checks.
      assert.ok(parsed > PER_FORMAT / 20, `only ${parsed} mutations parsed`);
    });
  }
}
