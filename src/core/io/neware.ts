/**
 * Neware BTS cycler files: `.nda` version 29 (86-byte records, same fields at other offsets) and `.ndax` (zip
 * holding `data.ndc`, `Step.xml`, `TestInfo.xml`, …). Supported: `data.ndc`
 * version 5, whose 4096-byte pages after a 4096-byte header hold 87-byte records from byte 125 of each page
 * (layout as worked out by the NewareNDA project): a record with type byte 0x55 at +7 carries index (u32 at +8),
 * cycle (u32 at +12, from 0), step (u8 at +16), status (u8 at +17), step time (u64 ms at +23), voltage (i32, 0.1 mV
 * at +31), current (i32 at +35), charge/discharge capacity and energy (i64 at +43/+51/+59/+67), the clock time
 * (y u16, m, d, h, min, s at +75) and the current range (i32 at +82), which sets the scale of current and charge.
 * Split files (`data_runInfo.ndc` + `data_step.ndc`, ndc version ≥ 11) are recognised and refused clearly.
 *
 * Neware stores current > 0 while charging; whether that oxidises the working electrode depends on the cell, so
 * the sign is reported as stored.
 */
import type { EchemRecord } from '../data/echem.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { CANONICAL_UNITS } from './echemColumns.ts';
import { unzipEntries } from './zip.ts';
import { decodeText } from './text.ts';

const FORMAT = 'ndax';
const PAGE = 4096;
const RECORD = 87;

/**
 * mA per raw current unit for each current range. From NewareNDA's table, plus range 1 = 1e-4, checked on our
 * cc8.ndax fixture against its own step program (0.306 mA programmed, 3059 raw).
 */
const RANGE_MA: Readonly<Record<number, number>> = {
  [-200000]: 1e-2, [-100000]: 1e-2, [-60000]: 1e-2, [-50000]: 1e-2, [-30000]: 1e-2, [-20000]: 1e-2,
  [-10000]: 1e-2, [-6000]: 1e-2, [-5000]: 1e-2, [-3000]: 1e-2, [-1000]: 1e-2, [-500]: 1e-3, [-100]: 1e-3,
  [-50]: 1e-4, [-25]: 1e-4, [-1]: 1e-5, 1: 1e-4, 10: 1e-3, 100: 1e-2, 200: 1e-2, 1000: 1e-1, 6000: 1e-1,
  10000: 1e-1, 12000: 1e-1, 50000: 1e-1, 60000: 1e-1, 100000: 1e-1,
};

/** Neware step status codes. */
export const NEWARE_STATUS: Readonly<Record<number, string>> = {
  1: 'CC_Chg', 2: 'CC_DChg', 3: 'CV_Chg', 4: 'Rest', 5: 'Cycle', 7: 'CCCV_Chg', 8: 'CP_DChg', 9: 'CP_Chg',
  10: 'CR_DChg', 13: 'Pause', 17: 'SIM', 19: 'CV_DChg', 20: 'CCCV_DChg',
};

/** Reads a Neware `.ndax` archive. */
export function readNdax(bytes: Uint8Array): EchemRecord {
  const entries = unzipEntries(bytes, FORMAT, (n) => /^(data\.ndc|data_runInfo\.ndc|data_step\.ndc|Step\.xml|TestInfo\.xml|VersionInfo\.xml)$/i.test(n));
  const ndc = entries['data.ndc'];
  if (!ndc) throw new ParseError({ format: FORMAT, expected: 'a data.ndc entry in the zip', found: `entries ${Object.keys(entries).join(', ') || 'none'}` });
  const meta: Record<string, string> = {};
  for (const name of ['TestInfo.xml', 'VersionInfo.xml']) {
    const x = entries[name];
    if (!x) continue;
    // Keep the attributes of the small info files as metadata (they are GB2312; ASCII parts are what matter).
    const t = decodeText(x, 0, Math.min(x.length, 65536));
    for (const m of t.matchAll(/<(\w+)\s+([^>]*?)\/?>/g)) {
      for (const a of m[2].matchAll(/(\w+)="([^"]*)"/g)) putMeta(meta, `${m[1]}.${a[1]}`, a[2]);
    }
  }
  if (entries['data_runInfo.ndc'] || entries['data_step.ndc']) {
    throw new ParseError({
      format: FORMAT,
      expected: 'records in data.ndc (ndc version 5)',
      found: `split data_runInfo.ndc/data_step.ndc layout (ndc version ${ndc[2] ?? '?'}), which has no reader yet`,
    });
  }
  return readNdc(ndc, meta);
}

/** Byte offsets of the fields inside one record (both layouts store the same fields in the same order). */
interface Layout {
  readonly index: number;
  readonly cycle: number;
  readonly step: number;
  readonly status: number;
  readonly time: number;
  readonly voltage: number;
  readonly current: number;
  readonly capacity: number;
  readonly date: number;
  readonly range: number;
}

/** ndc version 5 records (87 bytes, type byte 0x55 at +7). */
const NDC5: Layout = { index: 8, cycle: 12, step: 16, status: 17, time: 23, voltage: 31, current: 35, capacity: 43, date: 75, range: 82 };
/** nda version 29 records (86 bytes starting with 0x55 0x00). */
const NDA29: Layout = { index: 2, cycle: 6, step: 10, status: 12, time: 14, voltage: 22, current: 26, capacity: 38, date: 70, range: 78 };

/** Reads the records of a version-5 `data.ndc`. */
export function readNdc(ndc: Uint8Array, meta: Record<string, string> = {}): EchemRecord {
  if (ndc.length < PAGE) throw new ParseError({ format: FORMAT, offset: 0, expected: `a data.ndc of at least ${PAGE} bytes`, found: `${ndc.length}` });
  const version = ndc[2];
  putMeta(meta, 'ndc version', String(version));
  if (version !== 5) {
    throw new ParseError({ format: FORMAT, offset: 2, expected: 'data.ndc version 5', found: `version ${version}, which has no reader yet` });
  }
  const perPage = Math.floor((PAGE - 56 - 125) / RECORD);
  const offsets: number[] = [];
  for (let page = PAGE; page + PAGE <= ndc.length; page += PAGE) {
    for (let k = 0; k < perPage; k++) {
      const r = page + 125 + k * RECORD;
      if (ndc[r + 7] === 0x55) offsets.push(r);
    }
  }
  return newareRecord(ndc, offsets, NDC5, FORMAT, meta);
}

/** Reads a Neware `.nda` file (version 29: 86-byte records after a variable header). */
export function readNda(bytes: Uint8Array): EchemRecord {
  const format = 'nda';
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(0, 6)) !== 'NEWARE') {
    throw new ParseError({ format, offset: 0, expected: '"NEWARE"', found: bytes.length < 6 ? `${bytes.length} bytes` : 'other bytes' });
  }
  const version = bytes[14];
  const meta: Record<string, string> = { 'nda version': String(version) };
  if (version !== 29) throw new ParseError({ format, offset: 14, expected: 'nda version 29', found: `version ${version}, which has no reader yet` });
  const LEN = 86;
  // The first record: 0x55 0x00 after four zero bytes, with a non-zero status and another record 86 bytes on.
  let start = -1;
  for (let k = bytes.indexOf(0x55, 4); k >= 0 && k + LEN + 2 <= bytes.length; k = bytes.indexOf(0x55, k + 1)) {
    if (bytes[k + 1] === 0 && bytes[k - 1] === 0 && bytes[k - 2] === 0 && bytes[k - 3] === 0 && bytes[k - 4] === 0 && bytes[k + 12] !== 0 && bytes[k + LEN] === 0x55) {
      start = k;
      break;
    }
  }
  if (start < 0) throw new ParseError({ format, offset: 0, expected: 'a data record (0x55 0x00 …)', found: 'none' });
  const offsets: number[] = [];
  for (let r = start; r + LEN <= bytes.length; r += LEN) {
    if (bytes[r] === 0x55 && bytes[r + 1] === 0 && bytes[r + 82] === 0 && bytes[r + 83] === 0 && bytes[r + 84] === 0 && bytes[r + 85] === 0 && bytes[r + 12] !== 0) offsets.push(r);
  }
  return newareRecord(bytes, offsets, NDA29, format, meta);
}

/** Builds the record from the offsets of data records; duplicate indices are dropped and rows sorted by index. */
function newareRecord(buf: Uint8Array, found: number[], L: Layout, format: string, meta: Record<string, string>): EchemRecord {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const seen = new Set<number>();
  const offsets: number[] = [];
  for (const r of found) {
    const index = dv.getUint32(r + L.index, true);
    if (index === 0 || seen.has(index)) continue;
    seen.add(index);
    offsets.push(r);
  }
  offsets.sort((a, b) => dv.getUint32(a + L.index, true) - dv.getUint32(b + L.index, true));
  const n = offsets.length;
  const names = ['index', 'cycle', 'step', 'status', 'step time_s', 'voltage_V', 'current_mA', 'chargeCapacity_mAh', 'dischargeCapacity_mAh', 'chargeEnergy_mWh', 'dischargeEnergy_mWh', 'range'];
  const cols = names.map(() => new Float64Array(n));
  const clock: number[] = [];
  const warnings: string[] = [];
  const unknownRanges = new Set<number>();
  offsets.forEach((r, j) => {
    const range = dv.getInt32(r + L.range, true);
    let mult = RANGE_MA[range];
    if (mult === undefined) {
      unknownRanges.add(range);
      mult = NaN;
    }
    cols[0][j] = dv.getUint32(r + L.index, true);
    cols[1][j] = dv.getUint32(r + L.cycle, true) + 1;
    cols[2][j] = buf[r + L.step];
    cols[3][j] = buf[r + L.status];
    cols[4][j] = Number(dv.getBigUint64(r + L.time, true)) / 1000;
    cols[5][j] = dv.getInt32(r + L.voltage, true) / 10000;
    cols[6][j] = dv.getInt32(r + L.current, true) * mult;
    for (let q = 0; q < 4; q++) cols[7 + q][j] = (Number(dv.getBigInt64(r + L.capacity + 8 * q, true)) * mult) / 3600;
    cols[11][j] = range;
    clock.push(Date.UTC(dv.getUint16(r + L.date, true), buf[r + L.date + 2] - 1, buf[r + L.date + 3], buf[r + L.date + 4], buf[r + L.date + 5], buf[r + L.date + 6]));
  });
  if (unknownRanges.size) warnings.push(`unknown current range(s) ${[...unknownRanges].join(', ')}: current and capacities set to NaN there`);
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  names.forEach((name, k) => {
    const c = cols[k];
    for (let j = 0; j < n; j++) if (!Number.isFinite(c[j])) c[j] = NaN;
    columns[name] = c;
    units[name] = /_(\w+)$/.exec(name)?.[1] ?? '';
  });
  // Test time: the step time restarts at every step, so each new step continues from the end of the previous one.
  const stepTime = columns['step time_s'];
  const time = new Float64Array(n);
  let offset = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0 && (columns.step[j] !== columns.step[j - 1] || stepTime[j] < stepTime[j - 1])) offset += stepTime[j - 1];
    time[j] = offset + stepTime[j];
  }
  columns.time_s = time;
  units.time_s = CANONICAL_UNITS.time_s;
  units.voltage_V = 'V';
  units.current_mA = 'mA';
  // Clock time of the cycler (local time, no zone in the file), relative to the first record.
  const clockS = new Float64Array(n);
  for (let j = 0; j < n; j++) clockS[j] = Number.isFinite(clock[j]) ? (clock[j] - clock[0]) / 1000 : NaN;
  columns['clock_s'] = clockS;
  units['clock_s'] = 's';
  const t0 = n && Number.isFinite(clock[0]) ? new Date(clock[0]).toISOString().slice(0, 19) : undefined;
  putMeta(meta, 'status codes', Object.entries(NEWARE_STATUS).map(([k, v]) => `${k}=${v}`).join(', '));
  return {
    kind: 'electrochemistry',
    format,
    records: n,
    columns,
    units,
    startTime: t0,
    currentSign: 'unknown',
    metadata: meta,
    warnings,
  };
}
