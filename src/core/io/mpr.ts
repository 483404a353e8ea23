/**
 * BioLogic EC-Lab binary `.mpr` files ("BIO-LOGIC MODULAR FILE"). The format is undocumented; this layout was
 * worked out by the galvani and yadg projects from real files and is re-implemented here:
 *
 * - a 52-byte magic, then modules, each "MODULE" + short name (10 bytes) + long name (25 bytes) + either
 *   [length u32, version u32, date 8] (older EC-Lab) or [0xFFFFFFFF, length u32, old version u32,
 *   version u32, date 8] (EC-Lab ≥ 11.50);
 * - the "VMP data" module: point count u32, column count (u8 in versions 0–3, u16 from 10), column ids (u8 in
 *   version 0, u16 after), then fixed-size records from byte 100 (v0), 405 (v2), 406 (v3) or 1007 (v ≥ 10);
 * - flag column ids (mode, ox/red, error, …) share one byte at the place of the first of them;
 * - the "VMP LOG" module holds the acquisition start as an OLE date (days since 1899-12-30) at byte 0x249.
 *
 * Columns are named as EC-Lab names them in its text export, so `.mpr` and `.mpt` records line up. A column id
 * we do not know becomes a warning and a column `id <n>` with its raw values (size inferred from the record
 * length), never a failure.
 */
import type { EchemRecord } from '../data/echem.ts';
import { binaryReader, type BinaryReader } from './binary.ts';
import { addEcLabCanonical, unitOfName } from './echemColumns.ts';
import { putMeta } from './header.ts';

const FORMAT = 'mpr';
const MAGIC = 'BIO-LOGIC MODULAR FILE';

type DType = 'f4' | 'f8' | 'u1' | 'u2' | 'u4';
const SIZE: Record<DType, number> = { f4: 4, f8: 8, u1: 1, u2: 2, u4: 4 };

/** Data column ids: EC-Lab text-export name and storage type. */
const COLUMNS: Readonly<Record<number, readonly [string, DType]>> = {
  4: ['time/s', 'f8'],
  5: ['control/V/mA', 'f4'],
  6: ['Ewe/V', 'f4'],
  7: ['dq/mA.h', 'f8'],
  8: ['I/mA', 'f4'],
  9: ['Ece/V', 'f4'],
  11: ['<I>/mA', 'f8'],
  13: ['(Q-Qo)/mA.h', 'f8'],
  16: ['Analog IN 1/V', 'f4'],
  17: ['Analog IN 2/V', 'f4'],
  19: ['control/V', 'f4'],
  20: ['control/mA', 'f4'],
  23: ['dQ/mA.h', 'f8'],
  24: ['cycle number', 'f8'],
  32: ['freq/Hz', 'f4'],
  33: ['|Ewe|/V', 'f4'],
  34: ['|I|/A', 'f4'],
  35: ['Phase(Z)/deg', 'f4'],
  36: ['|Z|/Ohm', 'f4'],
  37: ['Re(Z)/Ohm', 'f4'],
  38: ['-Im(Z)/Ohm', 'f4'],
  39: ['I Range', 'u2'],
  69: ['R/Ohm', 'f4'],
  70: ['P/W', 'f4'],
  74: ['|Energy|/W.h', 'f8'],
  75: ['Analog OUT/V', 'f4'],
  76: ['<I>/mA', 'f4'],
  77: ['<Ewe>/V', 'f4'],
  78: ['Cs-2/µF-2', 'f4'],
  96: ['|Ece|/V', 'f4'],
  98: ['Phase(Zce)/deg', 'f4'],
  99: ['|Zce|/Ohm', 'f4'],
  100: ['Re(Zce)/Ohm', 'f4'],
  101: ['-Im(Zce)/Ohm', 'f4'],
  123: ['Energy charge/W.h', 'f8'],
  124: ['Energy discharge/W.h', 'f8'],
  125: ['Capacitance charge/µF', 'f8'],
  126: ['Capacitance discharge/µF', 'f8'],
  131: ['Ns', 'u2'],
  163: ['|Estack|/V', 'f4'],
  168: ['Rcmp/Ohm', 'f4'],
  169: ['Cs/µF', 'f4'],
  172: ['Cp/µF', 'f4'],
  173: ['Cp-2/µF-2', 'f4'],
  174: ['<Ewe>/V', 'f4'],
  178: ['(Q-Qo)/C', 'f4'],
  179: ['dQ/C', 'f4'],
  182: ['step time/s', 'f8'],
  185: ['<Ece>/V', 'f4'],
  215: ['<Ece>/V', 'f4'],
  217: ['THD Ewe/%', 'f4'],
  326: ['P/W', 'f4'],
  352: ['|Ece|/V', 'f4'],
  379: ['Energy charge/W.h', 'f8'],
  430: ['Phase(Zwe-ce)/deg', 'f4'],
  431: ['|Zwe-ce|/Ohm', 'f4'],
  432: ['Re(Zwe-ce)/Ohm', 'f4'],
  433: ['-Im(Zwe-ce)/Ohm', 'f4'],
  434: ['(Q-Qo)/C', 'f4'],
  435: ['dQ/C', 'f4'],
  441: ['<Ece>/V', 'f4'],
  462: ['Temperature/°C', 'f4'],
  467: ['Q charge/discharge/mA.h', 'f8'],
  468: ['half cycle', 'u4'],
  469: ['z cycle', 'u4'],
  471: ['<Ece>/V', 'f4'],
  473: ['THD Ewe/%', 'f4'],
  474: ['THD I/%', 'f4'],
  475: ['THD Ece/%', 'f4'],
  476: ['NSD Ewe/%', 'f4'],
  477: ['NSD I/%', 'f4'],
  478: ['NSD Ece/%', 'f4'],
  479: ['NSR Ewe/%', 'f4'],
  480: ['NSR I/%', 'f4'],
  481: ['NSR Ece/%', 'f4'],
  486: ['|Ewe h2|/V', 'f4'],
  487: ['|Ewe h3|/V', 'f4'],
  488: ['|Ewe h4|/V', 'f4'],
  489: ['|Ewe h5|/V', 'f4'],
  490: ['|Ewe h6|/V', 'f4'],
  491: ['|Ewe h7|/V', 'f4'],
  492: ['|I h2|/A', 'f4'],
  493: ['|I h3|/A', 'f4'],
  494: ['|I h4|/A', 'f4'],
  495: ['|I h5|/A', 'f4'],
  496: ['|I h6|/A', 'f4'],
  497: ['|I h7|/A', 'f4'],
};

/** Flag column ids: name and bit mask within the shared flag byte. */
const FLAGS: Readonly<Record<number, readonly [string, number]>> = {
  1: ['mode', 0x03],
  2: ['ox/red', 0x04],
  3: ['error', 0x08],
  21: ['control changes', 0x10],
  31: ['Ns changes', 0x20],
  65: ['counter inc.', 0x80],
};

/**
 * Technique ids (first byte of the "VMP Set" module) with EC-Lab's names, each confirmed on one of our fixtures by
 * the technique line of the same run's .mpt export.
 */
const TECHNIQUES: Readonly<Record<number, string>> = {
  0x04: 'Galvanostatic Cycling with Potential Limitation',
  0x06: 'Cyclic Voltammetry',
  0x0b: 'Open Circuit Voltage',
  0x18: 'Chronoamperometry / Chronocoulometry',
  0x19: 'Chronopotentiometry',
  0x1c: 'Wait',
  0x1d: 'Potentio Electrochemical Impedance Spectroscopy',
  0x1e: 'Galvano Electrochemical Impedance Spectroscopy',
  0x32: 'IR compensation (PEIS)',
  0x6c: 'Linear Sweep Voltammetry',
  0x7f: 'Modulo Bat',
};

interface Module {
  readonly name: string;
  readonly version: number;
  readonly date: string;
  readonly start: number;
  readonly length: number;
}

function readModules(r: BinaryReader): Module[] {
  const modules: Module[] = [];
  let p = 52;
  while (p < r.length) {
    if (r.str(p, 6, 'module signature') !== 'MODULE') r.fail(p, '"MODULE"', JSON.stringify(r.str(p, 6, 'module signature')));
    const name = r.str(p + 6, 10, 'module name');
    const q = p + 41;
    let length: number;
    let version: number;
    let date: string;
    let start: number;
    if (r.u32(q, 'module length') === 0xffffffff) {
      length = r.u32(q + 4, 'module length');
      version = r.u32(q + 12, 'module version');
      date = r.str(q + 16, 8, 'module date');
      start = q + 24;
    } else {
      length = r.u32(q, 'module length');
      version = r.u32(q + 4, 'module version');
      date = r.str(q + 8, 8, 'module date');
      start = q + 16;
    }
    r.need(start, length, `module "${name}" of ${length} bytes`);
    modules.push({ name, version, date, start, length });
    p = start + length;
  }
  return modules;
}

/** ISO date-time (no offset, as EC-Lab stores local time) from an OLE automation date. */
function oleToIso(days: number): string | undefined {
  // Plausible acquisition dates only (1990–2100); anything else is not a time stamp.
  if (!(days > 32874 && days < 73051)) return undefined;
  const ms = Math.round((days - 25569) * 86400000);
  return new Date(ms).toISOString().replace('Z', '');
}

/** Reads an EC-Lab `.mpr` into an electrochemistry record with EC-Lab's column names plus canonical columns. */
export function readMpr(bytes: Uint8Array): EchemRecord {
  const r = binaryReader(bytes, FORMAT);
  if (bytes.length < 52 || r.str(0, 22, 'signature') !== MAGIC) {
    r.fail(0, `"${MAGIC}"`, bytes.length < 22 ? `${bytes.length} bytes` : JSON.stringify(r.str(0, 22, 'signature')));
  }
  const modules = readModules(r);
  const data = modules.find((m) => m.name === 'VMP data');
  if (!data) r.fail(52, 'a "VMP data" module', `modules ${modules.map((m) => m.name).join(', ') || 'none'}`);
  const d = data!;
  const meta: Record<string, string> = {};
  const warnings: string[] = [];
  for (const m of modules) putMeta(meta, `module ${m.name}`, `version ${m.version}, ${m.date}`);
  const n = r.u32(d.start, 'point count');
  let ids: number[] = [];
  let dataOffset: number;
  if (d.version >= 10) {
    const nc = r.u16(d.start + 4, 'column count');
    for (let k = 0; k < nc; k++) ids.push(r.u16(d.start + 6 + 2 * k, 'column id'));
    dataOffset = 1007;
  } else {
    const nc = r.u8(d.start + 4, 'column count');
    if (d.version === 0) for (let k = 0; k < nc; k++) ids.push(r.u8(d.start + 5 + k, 'column id'));
    else for (let k = 0; k < nc; k++) ids.push(r.u16(d.start + 5 + 2 * k, 'column id'));
    if (d.version === 0) dataOffset = 100;
    else if (d.version === 2) dataOffset = 405;
    else if (d.version === 3) dataOffset = 406;
    else return r.fail(d.start - 24, 'a data module version 0, 2, 3 or ≥ 10', String(d.version));
  }
  ids = ids.slice(0, 1024);
  // Record layout: known sizes, one shared flag byte, and unknown ids whose size comes from the record length.
  const fields: { name: string; type: DType | 'flags' | 'unknown'; id: number }[] = [];
  let known = 0;
  let flags = false;
  const unknown: number[] = [];
  for (const id of ids) {
    if (id in FLAGS) {
      if (!flags) {
        fields.push({ name: 'flags', type: 'flags', id });
        known += 1;
        flags = true;
      }
    } else if (id in COLUMNS) {
      fields.push({ name: COLUMNS[id][0], type: COLUMNS[id][1], id });
      known += SIZE[COLUMNS[id][1]];
    } else {
      fields.push({ name: `id ${id}`, type: 'unknown', id });
      unknown.push(id);
    }
  }
  const available = d.length - dataOffset;
  if (available < 0) r.fail(d.start, `a data module of at least ${dataOffset} bytes`, `${d.length}`);
  if (n > available) r.fail(d.start, `at most ${available} points in ${available} bytes of records`, `${n} points`);
  let unknownSize = 0;
  if (n > 0) {
    const record = available / n;
    if (!Number.isInteger(record) || record < known) {
      r.fail(d.start, `${n} records of ${known} bytes after byte ${dataOffset}`, `${available} bytes`);
    }
    if (unknown.length) {
      unknownSize = (record - known) / unknown.length;
      if (![1, 2, 4, 8].includes(unknownSize)) {
        r.fail(d.start, `unknown column ids ${unknown.join(', ')} of 1, 2, 4 or 8 bytes each`, `${record - known} bytes for them`);
      }
    } else if (record !== known) {
      warnings.push(`records are ${record} bytes but the known columns take ${known}; the rest is ignored`);
    }
  } else if (unknown.length) unknownSize = 4;
  if (unknown.length) {
    warnings.push(
      `unknown column id(s) ${unknown.join(', ')}: kept as raw ${unknownSize}-byte ${unknownSize >= 4 ? 'float' : 'integer'} values under "id <n>"`,
    );
  }
  const recordSize = n > 0 ? available / n : known + unknownSize * unknown.length;
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  const base = d.start + dataOffset;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  for (const f of fields) {
    const size = f.type === 'flags' ? 1 : f.type === 'unknown' ? unknownSize : SIZE[f.type];
    if (f.type === 'flags') {
      for (const id of ids) {
        if (!(id in FLAGS)) continue;
        const [name, mask] = FLAGS[id];
        const shift = Math.log2(mask & -mask);
        const col = new Float64Array(n);
        for (let k = 0; k < n; k++) col[k] = (bytes[base + k * recordSize + off] & mask) >> shift;
        columns[name] = col;
        units[name] = '';
      }
    } else {
      let name = f.name;
      for (let dup = 2; name in columns; dup++) name = `${f.name} (${dup})`;
      const col = new Float64Array(n);
      const type: DType = f.type === 'unknown' ? ({ 1: 'u1', 2: 'u2', 4: 'f4', 8: 'f8' } as const)[size as 1 | 2 | 4 | 8] : f.type;
      for (let k = 0; k < n; k++) {
        const at = base + k * recordSize + off;
        let v: number;
        if (type === 'f8') v = dv.getFloat64(at, true);
        else if (type === 'f4') v = dv.getFloat32(at, true);
        else if (type === 'u4') v = dv.getUint32(at, true);
        else if (type === 'u2') v = dv.getUint16(at, true);
        else v = bytes[at];
        col[k] = Number.isFinite(v) ? v : NaN;
      }
      columns[name] = col;
      units[name] = unitOfName(name);
    }
    off += size;
  }
  addEcLabCanonical(columns, units);
  const settings = modules.find((m) => m.name === 'VMP Set');
  let technique: string | undefined;
  if (settings && settings.length > 0) {
    const id = bytes[settings.start];
    technique = TECHNIQUES[id];
    putMeta(meta, 'technique id', String(id));
    if (!technique) warnings.push(`technique id ${id} is not in our table; the technique is left unnamed`);
  }
  let startTime: string | undefined;
  const log = modules.find((m) => m.name === 'VMP LOG');
  if (log && log.length >= 0x249 + 8) startTime = oleToIso(r.f64(log.start + 0x249, 'acquisition start'));
  return {
    kind: 'electrochemistry',
    format: FORMAT,
    records: n,
    columns,
    units,
    startTime,
    currentSign: 'oxidation-positive',
    technique,
    metadata: meta,
    warnings,
  };
}
