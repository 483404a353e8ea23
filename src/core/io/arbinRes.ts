/**
 * Arbin `.res`: a Microsoft Access (Jet 4 / ACE) database whose `Channel_Normal_Table` holds the records. Only what
 * that table needs is read, from the page formats as documented by the mdbtools project (HACKING, "Jet4"):
 *
 * - 4096-byte pages; byte 0 the page type (1 data, 2 table definition), the engine version at byte 20 of page 0;
 * - a table definition (TDEF, possibly continued on the pages its u32 at +4 chains to): row count u32 at +16,
 *   table type at +40 (0x4e user table), variable and all column counts u16 at +43/+45, real index count u32 at +51,
 *   then 12 bytes per real index, 25 bytes per column (type at +0, number u16 at +5, flags at +15, fixed offset u16
 *   at +21, length u16 at +23), then the names (u16 byte length + UTF-16LE);
 * - data pages owned by a table (its TDEF page number u32 at +4): row count u16 at +12, then u16 row offsets (0x8000
 *   deleted, 0x4000 a pointer to the row elsewhere, low 13 bits the offset); a row runs to the previous row's start
 *   (the first to the page end): column count u16, fixed columns from +2 at their offsets, …, null mask at the end
 *   (a set bit is a present value).
 *
 * The table is found by its columns (Test_ID, Data_Point, Test_Time, Step_Index, Cycle_Index, Current, Voltage,
 * Charge_Capacity), all of fixed length. Checked on navani's arbin_example.res against its CSV export from the same
 * test (datalab's arbin_example.bdf.csv): all 2150 rows and every column agree.
 */
import type { EchemRecord } from '../data/echem.ts';
import { binaryReader, type BinaryReader } from './binary.ts';
import { CANONICAL_UNITS } from './echemColumns.ts';
import { putMeta } from './header.ts';

const FORMAT = 'arbin-res';
const PAGE = 4096;
const SIGNATURE = 'Standard Jet DB';
const ACE_SIGNATURE = 'Standard ACE DB';
/** Columns that make a table Arbin's Channel_Normal_Table. */
const REQUIRED = ['Test_ID', 'Data_Point', 'Test_Time', 'Step_Index', 'Cycle_Index', 'Current', 'Voltage', 'Charge_Capacity'];
/** Units of Arbin's columns (SI as Arbin stores them; the OLE date in days since 1899-12-30, local time). */
const ARBIN_UNITS: Readonly<Record<string, string>> = {
  Test_Time: 's', Step_Time: 's', DateTime: 'd', Current: 'A', Voltage: 'V', Charge_Capacity: 'Ah', Discharge_Capacity: 'Ah',
  Charge_Energy: 'Wh', Discharge_Energy: 'Wh', 'dV/dt': 'V/s', Internal_Resistance: 'Ω',
};
/** Jet column types with a fixed numeric value: 1 boolean (in the null mask), 2 byte, 3 int16, 4 int32, 6 float32, 7 float64, 8 date (float64). */
const FIXED_TYPES = new Set([1, 2, 3, 4, 6, 7, 8]);
const MAX_TDEF_PAGES = 64;

interface Column {
  readonly name: string;
  readonly type: number;
  readonly num: number;
  readonly fixed: boolean;
  readonly offset: number;
  readonly length: number;
}

interface TableDef {
  readonly page: number;
  readonly rows: number;
  readonly userTable: boolean;
  readonly columns: readonly Column[];
}

/** The bytes of a TDEF chain: page `p` whole, then each continuation page from its byte 8. */
function tdefBytes(r: BinaryReader, p: number): Uint8Array {
  const parts: Uint8Array[] = [r.bytes.subarray(p * PAGE, (p + 1) * PAGE)];
  let next = r.u32(p * PAGE + 4, 'next table-definition page');
  for (let k = 0; next && k < MAX_TDEF_PAGES; k++) {
    if ((next + 1) * PAGE > r.length || r.bytes[next * PAGE] !== 2) r.fail(p * PAGE + 4, 'a table-definition continuation page', `page ${next}`);
    parts.push(r.bytes.subarray(next * PAGE + 8, (next + 1) * PAGE));
    next = r.u32(next * PAGE + 4, 'next table-definition page');
  }
  const out = new Uint8Array(parts.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

function readTableDef(r: BinaryReader, p: number): TableDef {
  const d = binaryReader(tdefBytes(r, p), FORMAT);
  const at = p * PAGE;
  const rows = d.u32(16, `row count of the table defined at byte ${at}`);
  const type = d.u8(40, 'table type');
  const nCols = d.u16(45, 'column count');
  const nReal = d.u32(51, 'index count');
  if (nReal > 1000) d.fail(51, 'at most 1000 indexes', String(nReal));
  let o = 63 + 12 * nReal;
  const raw: Omit<Column, 'name'>[] = [];
  for (let k = 0; k < nCols; k++) {
    d.need(o, 25, 'column definition');
    raw.push({
      type: d.u8(o, 'column type'),
      num: d.u16(o + 5, 'column number'),
      fixed: (d.u8(o + 15, 'column flags') & 1) === 1,
      offset: d.u16(o + 21, 'fixed offset'),
      length: d.u16(o + 23, 'column length'),
    });
    o += 25;
  }
  const columns: Column[] = [];
  for (const c of raw) {
    const len = d.u16(o, 'column name length');
    d.need(o + 2, len, 'column name');
    let name = '';
    for (let k = 0; k + 1 < len; k += 2) name += String.fromCharCode(d.bytes[o + 2 + k] | (d.bytes[o + 3 + k] << 8));
    columns.push({ ...c, name });
    o += 2 + len;
  }
  return { page: p, rows, userTable: type === 0x4e, columns };
}

function fixedValue(dv: DataView, at: number, type: number): number {
  switch (type) {
    case 2:
      return dv.getUint8(at);
    case 3:
      return dv.getInt16(at, true);
    case 4:
      return dv.getInt32(at, true);
    case 6:
      return dv.getFloat32(at, true);
    default:
      return dv.getFloat64(at, true);
  }
}

/** ISO local date-time (no zone: Arbin writes the PC's local clock) from an OLE Automation date. */
function oleDateIso(days: number): string | undefined {
  if (!Number.isFinite(days) || days < 1 || days > 2958465) return undefined;
  const ms = Math.round((days - 25569) * 86400) * 1000;
  return new Date(ms).toISOString().slice(0, 19);
}

/** Reads Arbin's Channel_Normal_Table from a `.res` (Access Jet 4 / ACE) file. */
export function readArbinRes(bytes: Uint8Array): EchemRecord {
  const r = binaryReader(bytes, FORMAT);
  const sig = r.str(4, 15, 'database signature');
  if (sig !== SIGNATURE && sig !== ACE_SIGNATURE) r.fail(4, `"${SIGNATURE}"`, JSON.stringify(sig));
  const version = r.u8(20, 'engine version');
  if (version < 1) r.fail(20, 'a Jet 4 or ACE database (engine version ≥ 1, 4096-byte pages)', `Jet 3 (version ${version})`);
  const pages = Math.floor(bytes.length / PAGE);
  const meta: Record<string, string> = {};
  putMeta(meta, 'database', `${sig.split(' ')[1]} version ${version}`);

  let table: TableDef | undefined;
  for (let p = 1; p < pages; p++) {
    if (bytes[p * PAGE] !== 2 || bytes[p * PAGE + 1] !== 1) continue;
    const def = readTableDef(r, p);
    if (!def.userTable || !REQUIRED.every((n) => def.columns.some((c) => c.name === n && c.fixed && FIXED_TYPES.has(c.type)))) continue;
    if (!table || def.rows > table.rows) table = def;
  }
  if (!table) {
    return r.fail(0, `a table with the columns of Arbin's Channel_Normal_Table (${REQUIRED.join(', ')})`, `none in ${pages} pages`);
  }
  const columns = table.columns.filter((c) => c.fixed && FIXED_TYPES.has(c.type));
  const fixedEnd = Math.max(...columns.map((c) => c.offset + (c.type === 1 ? 0 : c.length)));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[][] = columns.map(() => []);
  let skipped = 0;
  const readRow = (start: number, end: number): boolean => {
    const nCols = dv.getUint16(start, true);
    const maskLen = (nCols + 7) >> 3;
    if (end - start < 2 + fixedEnd + maskLen || nCols > 4096) return false;
    const mask = end - maskLen;
    columns.forEach((c, k) => {
      const present = c.num < nCols && ((bytes[mask + (c.num >> 3)] >> (c.num & 7)) & 1) === 1;
      values[k].push(c.type === 1 ? Number(present) : present ? fixedValue(dv, start + 2 + c.offset, c.type) : NaN);
    });
    return true;
  };
  for (let p = 1; p < pages; p++) {
    const base = p * PAGE;
    if (bytes[base] !== 1 || dv.getUint32(base + 4, true) !== table.page) continue;
    const n = dv.getUint16(base + 12, true);
    if (14 + 2 * n > PAGE) r.fail(base + 12, 'a row count that fits the page', String(n));
    for (let i = 0; i < n; i++) {
      const raw = dv.getUint16(base + 14 + 2 * i, true);
      if (raw & 0x8000) continue;
      const start = base + (raw & 0x1fff);
      const end = i === 0 ? base + PAGE : base + (dv.getUint16(base + 12 + 2 * i, true) & 0x1fff);
      if (!(start >= base + 14 + 2 * n && end <= base + PAGE && start < end)) {
        skipped++;
        continue;
      }
      if (raw & 0x4000) {
        // The row lives elsewhere: row number (u8) and page (u24) of its new place.
        if (end - start < 4) {
          skipped++;
          continue;
        }
        const row = bytes[start];
        const page = dv.getUint32(start, true) >>> 8;
        const pb = page * PAGE;
        if (page < 1 || page >= pages || bytes[pb] !== 1 || row >= dv.getUint16(pb + 12, true)) {
          skipped++;
          continue;
        }
        const s2 = pb + (dv.getUint16(pb + 14 + 2 * row, true) & 0x1fff);
        const e2 = row === 0 ? pb + PAGE : pb + (dv.getUint16(pb + 12 + 2 * row, true) & 0x1fff);
        if (!(s2 > pb && e2 <= pb + PAGE && s2 < e2 && readRow(s2, e2))) skipped++;
        continue;
      }
      if (!readRow(start, end)) skipped++;
    }
  }
  const warnings: string[] = [];
  if (skipped) warnings.push(`${skipped} row(s) of Channel_Normal_Table could not be read and were left out`);
  const count = values[0]?.length ?? 0;
  if (count !== table.rows) warnings.push(`${count} rows read; the table definition says ${table.rows}`);
  // Records in (Test_ID, Data_Point) order, as Arbin numbers them.
  const testId = values[columns.findIndex((c) => c.name === 'Test_ID')];
  const point = values[columns.findIndex((c) => c.name === 'Data_Point')];
  const order = Array.from({ length: count }, (_, k) => k).sort((a, b) => testId[a] - testId[b] || point[a] - point[b]);
  const out: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  columns.forEach((c, k) => {
    const col = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      const v = values[k][order[j]];
      col[j] = Number.isFinite(v) ? v : NaN;
    }
    out[c.name] = col;
    units[c.name] = ARBIN_UNITS[c.name] ?? '';
  });
  const scaled = (name: string, factor: number) => {
    const src = out[name];
    const col = new Float64Array(count);
    if (src) {
      for (let j = 0; j < count; j++) {
        const v = src[j] * factor;
        col[j] = Number.isFinite(v) ? v : NaN;
      }
    } else col.fill(NaN);
    return col;
  };
  out.time_s = scaled('Test_Time', 1);
  out.voltage_V = scaled('Voltage', 1);
  out.current_mA = scaled('Current', 1000);
  out.chargeCapacity_mAh = scaled('Charge_Capacity', 1000);
  out.dischargeCapacity_mAh = scaled('Discharge_Capacity', 1000);
  out.cycle = scaled('Cycle_Index', 1);
  out.step = scaled('Step_Index', 1);
  for (const k of ['time_s', 'voltage_V', 'current_mA', 'chargeCapacity_mAh', 'dischargeCapacity_mAh', 'cycle', 'step'] as const) units[k] = CANONICAL_UNITS[k];
  putMeta(meta, 'table', `Channel_Normal_Table (definition at page ${table.page})`);
  const date = out.DateTime?.[0];
  return {
    kind: 'electrochemistry',
    format: FORMAT,
    records: count,
    columns: out,
    units,
    startTime: date !== undefined && count ? oleDateIso(date - (out.time_s[0] || 0) / 86400) : undefined,
    // Arbin's current is positive while charging; whether that oxidises the working electrode depends on the cell.
    currentSign: 'unknown',
    metadata: meta,
    warnings,
  };
}
