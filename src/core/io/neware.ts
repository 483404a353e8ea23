/**
 * Neware BTS cycler files: `.nda` version 29 (86-byte records, same fields at other offsets), `.nda` version 130
 * (56-byte float records, {@link readNda130}) and `.ndax` (zip
 * holding `data.ndc`, `Step.xml`, `TestInfo.xml`, …). Supported: `data.ndc`
 * version 5, whose 4096-byte pages after a 4096-byte header hold 87-byte records from byte 125 of each page
 * (layout as worked out by the NewareNDA project): a record with type byte 0x55 at +7 carries index (u32 at +8),
 * cycle (u32 at +12, from 0), step (u8 at +16), status (u8 at +17), step time (u64 ms at +23), voltage (i32, 0.1 mV
 * at +31), current (i32 at +35), charge/discharge capacity and energy (i64 at +43/+51/+59/+67), the clock time
 * (y u16, m, d, h, min, s at +75) and the current range (i32 at +82), which sets the scale of current and charge.
 * Split files (ndc versions 14 and 17: `data.ndc` with voltage and current, `data_runInfo.ndc`, `data_step.ndc`,
 * `data_AUX_*.ndc`) are read by {@link readNdcSplit}.
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
  const entries = unzipEntries(bytes, FORMAT, (n) => /^(data\.ndc|data_runInfo\.ndc|data_step\.ndc|data_AUX_\d+_\d+_\d+\.ndc|Step\.xml|TestInfo\.xml|VersionInfo\.xml)$/i.test(n));
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
  if (entries['data_runInfo.ndc'] || entries['data_step.ndc']) return readNdcSplit(entries, meta);
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

/** Reads a Neware `.nda` file: version 29 (86-byte records after a variable header) or 130 (see {@link readNda130}). */
export function readNda(bytes: Uint8Array): EchemRecord {
  const format = 'nda';
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(0, 6)) !== 'NEWARE') {
    throw new ParseError({ format, offset: 0, expected: '"NEWARE"', found: bytes.length < 6 ? `${bytes.length} bytes` : 'other bytes' });
  }
  const version = bytes[14];
  const meta: Record<string, string> = { 'nda version': String(version) };
  if (version === 130) return readNda130(bytes, meta);
  if (version !== 29) throw new ParseError({ format, offset: 14, expected: 'nda version 29 or 130', found: `version ${version}, which has no reader yet` });
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
  const { columns, units } = namedColumns(names, cols);
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

/** Where nda version 130 records start, and their type byte. */
const NDA130_START = 1024;
const NDA130_RECORD_TYPE = 0x55;

/**
 * Neware `.nda` version 130 (BTS 9): a 1024-byte header, then fixed-length records (56 bytes in the files we have;
 * the length is taken as the distance to the next record with the same two leading bytes), then a footer with the
 * step program. A record: type 0x55 at +0, step u8 at +2, status u8 at +3, index u32 at +8, test time u32 s at +12
 * plus u32 ns at +16, current f32 mA at +20, voltage f32 V at +24, step capacity f32 mA·s at +28 and step energy
 * f32 mW·s at +32 (signed: negative while discharging), cycle u32 (from 0) at +36, clock time u32 s at +44 plus u32
 * ns at +48, the first temperature channel f32 °C at +52. Checked on NewareNDA's TestFile.nda (6670 records, the
 * count NewareNDA reads): the capacity at the end of every step equals ∫I dt over it to 0.1 % (0.2 % on the sparsely sampled CV steps), and the test time
 * rises by the clock's steps.
 */
function readNda130(bytes: Uint8Array, meta: Record<string, string>): EchemRecord {
  const format = 'nda';
  const fail = (offset: number, expected: string, found: string): never => {
    throw new ParseError({ format, offset, expected, found });
  };
  if (bytes.length < NDA130_START + 2 || bytes[NDA130_START] !== NDA130_RECORD_TYPE) {
    fail(NDA130_START, 'a data record (type 0x55) at byte 1024', bytes.length < NDA130_START + 2 ? `end of file at ${bytes.length}` : `0x${(bytes[NDA130_START] ?? 0).toString(16)}`);
  }
  const b1 = bytes[NDA130_START + 1];
  let len = -1;
  for (let k = NDA130_START + 1; k + 1 < bytes.length && k < NDA130_START + 1024; k++) {
    if (bytes[k] === NDA130_RECORD_TYPE && bytes[k + 1] === b1) {
      len = k - NDA130_START;
      break;
    }
  }
  if (len < 0 && bytes.length >= NDA130_START + 56) len = 56; // a single record
  if (len < 56) fail(NDA130_START, 'records of at least 56 bytes', len < 0 ? 'no second record' : `${len}-byte records`);
  putMeta(meta, 'record length', String(len));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let n = 0;
  while (NDA130_START + (n + 1) * len <= bytes.length && bytes[NDA130_START + n * len] === NDA130_RECORD_TYPE && bytes[NDA130_START + n * len + 1] === b1) n++;
  const names = ['index', 'cycle', 'step', 'status', 'time_s', 'voltage_V', 'current_mA', 'chargeCapacity_mAh', 'dischargeCapacity_mAh', 'chargeEnergy_mWh', 'dischargeEnergy_mWh', 'T1', 'clock_s'];
  const cols = names.map(() => new Float64Array(n));
  let clock0 = NaN;
  for (let j = 0; j < n; j++) {
    const r = NDA130_START + j * len;
    const clock = dv.getUint32(r + 44, true) + dv.getUint32(r + 48, true) / 1e9;
    if (j === 0) clock0 = clock;
    const capacity = dv.getFloat32(r + 28, true) / 3600;
    const energy = dv.getFloat32(r + 32, true) / 3600;
    cols[0][j] = dv.getUint32(r + 8, true);
    cols[1][j] = dv.getUint32(r + 36, true) + 1;
    cols[2][j] = bytes[r + 2];
    cols[3][j] = bytes[r + 3];
    cols[4][j] = dv.getUint32(r + 12, true) + dv.getUint32(r + 16, true) / 1e9;
    cols[5][j] = dv.getFloat32(r + 24, true);
    cols[6][j] = dv.getFloat32(r + 20, true);
    cols[7][j] = capacity > 0 ? capacity : 0;
    cols[8][j] = capacity < 0 ? -capacity : 0;
    cols[9][j] = energy > 0 ? energy : 0;
    cols[10][j] = energy < 0 ? -energy : 0;
    cols[11][j] = dv.getFloat32(r + 52, true);
    cols[12][j] = clock - clock0;
  }
  if (!n) fail(NDA130_START, 'at least one data record', 'none');
  const { columns, units } = namedColumns(names, cols);
  const warnings: string[] = [];
  putMeta(meta, 'footer at byte', String(NDA130_START + n * len));
  putMeta(meta, 'status codes', Object.entries(NEWARE_STATUS).map(([k, v]) => `${k}=${v}`).join(', '));
  // The clock is stored as seconds since 1970 of the cycler's clock, whose zone the file does not give.
  const t0 = Number.isFinite(clock0) ? new Date(Math.floor(clock0) * 1000).toISOString().slice(0, 19) : undefined;
  return { kind: 'electrochemistry', format, records: n, columns, units, startTime: t0, currentSign: 'unknown', metadata: meta, warnings };
}

/** Bytes before the records of a split-layout ndc page (page type u16, record count u16, a validity bitmap). */
const SPLIT_PAGE_HEAD = 132;
/** Record lengths of the split layout by file and ndc version. */
const SPLIT_STRIDE: Readonly<Record<string, Readonly<Record<number, number>>>> = {
  data: { 14: 8, 17: 8 },
  runInfo: { 14: 55, 17: 100 },
  step: { 17: 100 },
  aux: { 14: 4, 17: 4 },
};
/** Page types of the split layout: data.ndc 2, aux 6, step 8, runInfo 19. */
const SPLIT_PAGE_TYPE = { data: 2, aux: 6, step: 8, runInfo: 19 } as const;

/** Offsets of the records of one split-layout ndc file, page by page (only pages of `pageType`). */
function splitRecords(ndc: Uint8Array, name: string, pageType: number, stride: number): number[] {
  const fail = (offset: number, expected: string, found: string): never => {
    throw new ParseError({ format: FORMAT, offset, expected: `${name}: ${expected}`, found });
  };
  if (ndc.length < 2 * PAGE) fail(0, `a header and at least one ${PAGE}-byte page`, `${ndc.length} bytes`);
  const dv = new DataView(ndc.buffer, ndc.byteOffset, ndc.byteLength);
  const perPage = Math.floor((PAGE - SPLIT_PAGE_HEAD) / stride);
  const out: number[] = [];
  for (let page = PAGE; page + PAGE <= ndc.length; page += PAGE) {
    const type = dv.getUint16(page, true);
    const count = dv.getUint16(page + 2, true);
    if (type === 0 && count === 0) continue;
    if (type !== pageType) fail(page, `page type ${pageType}`, `type ${type}`);
    if (count > perPage) fail(page + 2, `at most ${perPage} records of ${stride} bytes in a page`, String(count));
    for (let k = 0; k < count; k++) out.push(page + SPLIT_PAGE_HEAD + k * stride);
  }
  return out;
}

/**
 * Split `.ndax` layout (ndc versions 14 and 17, BTS 8): worked out from two real files and checked against
 * themselves. Each ndc file is a 4096-byte header (byte 0 the file type, byte 2 the version) and 4096-byte pages of
 * fixed-length records from byte 132 of the page (count u16 at +2).
 * - `data.ndc`: one record per sample, voltage f32 (V) and current f32 (A) — index k + 1;
 * - `data_AUX_<a>_<type>_<b>.ndc`: one f32 per sample (type 3 a temperature in °C, type 2 a voltage in V);
 * - `data_runInfo.ndc`: sparse rows (at every step change and about once a minute): step time in ms (40-bit integer
 *   at +0), step charge and discharge capacity (f32 Ah at +5, +9), step charge and discharge energy (f32 Wh at +13,
 *   +17), clock in s since 1970 UTC (u32 at +33), step number (u32 at +37) and the index of the sample (u32 at +41);
 * - `data_step.ndc`: per step its number (u32 at +4) and status code (u8 at +24).
 * Time and capacities of the samples between two rows of the same step are interpolated linearly by index (the
 * samples are equally spaced in time within a step); a new step continues from the previous one's last step time.
 * Checks on 20260302_IFE_BTS85_2_9_8_1.ndax: the capacity field equals the sum of current × 1 s over each step (its
 * record interval) to 0.01 %, so current and capacity share their unit; the step program is a "1Ah" cell whose CV
 * tail decays to 0.002 on a channel whose smallest range is 100 mA, so the unit is A (µA-level currents would be
 * below that range's resolution). The clock of the first row equals TestInfo.xml's StartTime less the local offset.
 */
export function readNdcSplit(entries: Readonly<Record<string, Uint8Array>>, meta: Record<string, string>): EchemRecord {
  const data = entries['data.ndc'];
  const runInfo = entries['data_runInfo.ndc'];
  const stepNdc = entries['data_step.ndc'];
  const version = data[2];
  putMeta(meta, 'ndc version', String(version));
  if (!runInfo) throw new ParseError({ format: FORMAT, expected: 'a data_runInfo.ndc entry beside the split data.ndc', found: 'none' });
  const stride = (file: keyof typeof SPLIT_STRIDE): number => {
    const s = SPLIT_STRIDE[file][version];
    if (!s) throw new ParseError({ format: FORMAT, offset: 2, expected: `split data.ndc version 14 or 17`, found: `version ${version}, which has no reader yet` });
    return s;
  };
  const dataRecs = splitRecords(data, 'data.ndc', SPLIT_PAGE_TYPE.data, stride('data'));
  const runRecs = splitRecords(runInfo, 'data_runInfo.ndc', SPLIT_PAGE_TYPE.runInfo, stride('runInfo'));
  const n = dataRecs.length;
  if (!n) throw new ParseError({ format: FORMAT, offset: PAGE, expected: 'data.ndc: at least one record', found: 'none' });
  if (!runRecs.length) throw new ParseError({ format: FORMAT, offset: PAGE, expected: 'data_runInfo.ndc: at least one row', found: 'none' });
  const ddv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const rdv = new DataView(runInfo.buffer, runInfo.byteOffset, runInfo.byteLength);
  const warnings: string[] = [];

  // Rows of runInfo by sample index (the first row of an index wins; the file repeats index 1 at its start).
  interface Row { index: number; stepTimeS: number; q: [number, number, number, number]; clock: number; step: number }
  const rows: Row[] = [];
  for (const o of runRecs) {
    const index = rdv.getUint32(o + 41, true);
    if (index < 1 || index > n || (rows.length && index <= rows[rows.length - 1].index)) continue;
    rows.push({
      index,
      stepTimeS: (rdv.getUint32(o, true) + runInfo[o + 4] * 2 ** 32) / 1000,
      q: [rdv.getFloat32(o + 5, true), rdv.getFloat32(o + 9, true), rdv.getFloat32(o + 13, true), rdv.getFloat32(o + 17, true)],
      clock: rdv.getUint32(o + 33, true),
      step: rdv.getUint32(o + 37, true),
    });
  }
  if (!rows.length) throw new ParseError({ format: FORMAT, offset: PAGE, expected: `data_runInfo.ndc: rows indexing the ${n} samples`, found: 'none in range' });

  // Status of each step number from data_step.ndc.
  const statusOf = new Map<number, number>();
  if (stepNdc) {
    const sStride = SPLIT_STRIDE.step[version] ?? 0;
    const count = stepNdc.length >= 2 * PAGE ? new DataView(stepNdc.buffer, stepNdc.byteOffset).getUint16(PAGE + 2, true) : 0;
    if (sStride || count === 1) {
      for (const o of splitRecords(stepNdc, 'data_step.ndc', SPLIT_PAGE_TYPE.step, sStride || 100)) {
        if (o + 25 <= stepNdc.length) statusOf.set(new DataView(stepNdc.buffer, stepNdc.byteOffset, stepNdc.byteLength).getUint32(o + 4, true), stepNdc[o + 24]);
      }
    } else warnings.push(`data_step.ndc version ${version} with several steps is not read: status left out`);
  }

  const names = ['index', 'step', 'status', 'step time_s', 'time_s', 'voltage_V', 'current_mA', 'chargeCapacity_mAh', 'dischargeCapacity_mAh', 'chargeEnergy_mWh', 'dischargeEnergy_mWh', 'clock_s'];
  const cols = names.map(() => new Float64Array(n).fill(NaN));
  const [cIndex, cStep, cStatus, cStepTime, cTime, cV, cI, cQc, cQd, cEc, cEd, cClock] = cols;
  for (let j = 0; j < n; j++) {
    cIndex[j] = j + 1;
    cV[j] = ddv.getFloat32(dataRecs[j], true);
    cI[j] = ddv.getFloat32(dataRecs[j] + 4, true) * 1000;
  }
  // Fill samples between rows: within a step interpolate by index; the step number carries forward.
  let offset = 0;
  let prevStepEnd = 0;
  for (let r = 0; r < rows.length; r++) {
    const a = rows[r];
    const b = rows[r + 1];
    if (r > 0 && a.step !== rows[r - 1].step) offset += prevStepEnd;
    const sameStep = b !== undefined && b.step === a.step;
    // Samples after the last row of a step (only at the end of a file: the next step's first row follows at once)
    // continue the step's last slope.
    const p = r > 0 && rows[r - 1].step === a.step ? rows[r - 1] : undefined;
    const last = b ? b.index - 1 : n;
    for (let idx = a.index; idx <= last; idx++) {
      const j = idx - 1;
      const at = (get: (row: Row) => number) =>
        sameStep
          ? get(a) + ((idx - a.index) / (b.index - a.index)) * (get(b) - get(a))
          : p
            ? get(a) + ((idx - a.index) / (a.index - p.index)) * (get(a) - get(p))
            : get(a);
      cStep[j] = a.step;
      cStatus[j] = statusOf.get(a.step) ?? NaN;
      cStepTime[j] = at((x) => x.stepTimeS);
      cTime[j] = offset + cStepTime[j];
      cQc[j] = at((x) => x.q[0]) * 1000;
      cQd[j] = at((x) => x.q[1]) * 1000;
      cEc[j] = at((x) => x.q[2]) * 1000;
      cEd[j] = at((x) => x.q[3]) * 1000;
      cClock[j] = at((x) => x.clock) - rows[0].clock;
    }
    prevStepEnd = a.stepTimeS;
  }
  if (rows[0].index > 1) warnings.push(`samples 1–${rows[0].index - 1} come before the first runInfo row: their time and step are left out`);

  const { columns, units } = namedColumns(names, cols);
  units.time_s = CANONICAL_UNITS.time_s;

  // Auxiliary channels: data_AUX_<a>_<type>_<b>.ndc, one f32 per sample.
  const auxNames = Object.keys(entries).filter((k) => /^data_AUX_\d+_\d+_\d+\.ndc$/i.test(k)).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const counters: Record<string, number> = {};
  for (const name of auxNames) {
    const type = Number(/^data_AUX_\d+_(\d+)_\d+\.ndc$/i.exec(name)?.[1]);
    const aux = entries[name];
    const recs = splitRecords(aux, name, SPLIT_PAGE_TYPE.aux, stride('aux'));
    if (recs.length !== n) {
      warnings.push(`${name}: ${recs.length} values for ${n} samples, left out`);
      continue;
    }
    const letter = type === 3 ? 'T' : type === 2 ? 'V' : undefined;
    const col = letter ? `${letter}${(counters[letter] = (counters[letter] ?? 0) + 1)}` : `aux ${name.slice(9, -4).replace(/_/g, ' ')}`;
    const adv = new DataView(aux.buffer, aux.byteOffset, aux.byteLength);
    const c = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const v = adv.getFloat32(recs[j], true);
      c[j] = Number.isFinite(v) ? v : NaN;
    }
    columns[col] = c;
    units[col] = letter === 'T' ? '°C' : letter === 'V' ? 'V' : '';
    putMeta(meta, `column ${col}`, name);
  }

  // TestInfo's StartTime is local; the first row's clock is UTC: together they give the zone's offset.
  const utc0 = rows[0].clock - (rows[0].stepTimeS > 0 ? rows[0].stepTimeS : 0);
  const local = meta['TestInfo.StartTime'];
  let startTime = new Date(utc0 * 1000).toISOString().slice(0, 19) + 'Z';
  const m = local ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(local) : null;
  if (m) {
    const localS = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
    const offsetMin = Math.round((localS - utc0) / 900) * 15;
    // The test may start a few seconds before its first sample: allow two minutes beside a whole quarter hour.
    if (Math.abs(offsetMin) <= 14 * 60 && Math.abs(localS - utc0 - offsetMin * 60) <= 120) {
      const sign = offsetMin < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0');
      const mm = String(Math.abs(offsetMin) % 60).padStart(2, '0');
      startTime = `${new Date((utc0 + offsetMin * 60) * 1000).toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
    }
  }
  putMeta(meta, 'status codes', Object.entries(NEWARE_STATUS).map(([k, v]) => `${k}=${v}`).join(', '));
  return { kind: 'electrochemistry', format: FORMAT, records: n, columns, units, startTime, currentSign: 'unknown', metadata: meta, warnings };
}

/**
 * The decoded columns by name, non-finite values as NaN, with units from each name's suffix (`voltage_V` → V,
 * `step time_s` → s) and the auxiliary temperature T1 in °C.
 */
function namedColumns(names: readonly string[], cols: readonly Float64Array[]): { columns: Record<string, Float64Array>; units: Record<string, string> } {
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  names.forEach((name, k) => {
    const c = cols[k];
    for (let j = 0; j < c.length; j++) if (!Number.isFinite(c[j])) c[j] = NaN;
    columns[name] = c;
    units[name] = name === 'T1' ? '°C' : (/_(\w+)$/.exec(name)?.[1] ?? '');
  });
  return { columns, units };
}
