/**
 * Byte-level helpers shared by the text readers: one hand-written pass over the bytes, numbers parsed in place
 * (no per-line strings or regular expressions in the hot path), columns grown geometrically and trimmed once.
 */
import { ParseError } from './parseError.ts';

const CR = 13;
const LF = 10;
const TAB = 9;
const SPACE = 32;
const COMMA = 44;
const SEMICOLON = 59;
const DOT = 46;

/** Exact powers of ten: every 10^k with k ≤ 22 is exactly representable in a double. */
const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k < 23; k++, p *= 10) POW10[k] = p;

/** End offset (exclusive) of the last token scanned by {@link scanNumber}. Module state avoids allocating a tuple. */
export let scanEnd = 0;

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

/**
 * Parses a decimal number that starts at `bytes[i]` and stops before `end`, returning NaN when the bytes there
 * are not a number. `decimal` is the byte of the decimal separator ('.' or ','). The end of the token is left
 * in {@link scanEnd}. Values with at most 15 significant digits and |exponent| ≤ 22 are computed exactly as
 * mantissa × or ÷ 10^k (both exact, so the result is correctly rounded, like `Number()`); anything longer
 * falls back to `Number()` on the token. `nan`, `inf` and overflow give NaN: columns hold finite values or NaN.
 */
export function scanNumber(bytes: Uint8Array, i: number, end: number, decimal: number): number {
  const start = i;
  let neg = false;
  let b = bytes[i];
  if (b === 45 || b === 43) {
    neg = b === 45;
    i++;
  }
  let mant = 0;
  let sig = 0;
  let exp10 = 0;
  let digits = 0;
  let slow = false;
  while (i < end && isDigit((b = bytes[i]))) {
    if (sig < 15) {
      mant = mant * 10 + (b - 48);
      if (mant !== 0) sig++;
    } else {
      slow = true;
      exp10++;
    }
    digits++;
    i++;
  }
  if (i < end && bytes[i] === decimal) {
    i++;
    while (i < end && isDigit((b = bytes[i]))) {
      if (sig < 15) {
        mant = mant * 10 + (b - 48);
        if (mant !== 0) sig++;
        exp10--;
      } else if (b !== 48) slow = true;
      digits++;
      i++;
    }
  }
  if (digits === 0) {
    // The words nan, inf and infinity (any case) are read as NaN; anything else is not a number.
    let j = i;
    while (j < end && (bytes[j] | 32) >= 97 && (bytes[j] | 32) <= 122) j++;
    if (isNanOrInf(bytes, i, j)) {
      scanEnd = j;
      return NaN;
    }
    scanEnd = start;
    return NaN;
  }
  if (i < end && (bytes[i] | 32) === 101) {
    let j = i + 1;
    let eneg = false;
    if (j < end && (bytes[j] === 45 || bytes[j] === 43)) {
      eneg = bytes[j] === 45;
      j++;
    }
    if (j < end && isDigit(bytes[j])) {
      let e = 0;
      while (j < end && isDigit((b = bytes[j]))) {
        if (e < 100000) e = e * 10 + (b - 48);
        j++;
      }
      exp10 += eneg ? -e : e;
      i = j;
    }
  }
  scanEnd = i;
  let v: number;
  if (!slow && exp10 >= -22 && exp10 <= 22) v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
  else {
    let s = '';
    for (let k = start; k < i; k++) s += String.fromCharCode(bytes[k] === decimal ? DOT : bytes[k]);
    v = Number(s);
    neg = false;
  }
  if (neg) v = -v;
  return Number.isFinite(v) ? v : NaN;
}

const WORDS = ['nan', 'inf', 'infinity'];
function isNanOrInf(bytes: Uint8Array, i: number, j: number): boolean {
  const len = j - i;
  if (len !== 3 && len !== 8) return false;
  for (const w of WORDS) {
    if (w.length !== len) continue;
    let k = 0;
    while (k < len && (bytes[i + k] | 32) === w.charCodeAt(k)) k++;
    if (k === len) return true;
  }
  return false;
}

/** Delimiter choice of a table: 'whitespace' collapses runs of spaces and tabs, the others separate fields. */
export type Delimiter = 'whitespace' | 'comma' | 'semicolon' | 'tab';

/** How a numeric table is laid out, as sniffed from its first data line. */
export interface TableLayout {
  readonly delimiter: Delimiter;
  /** Byte of the decimal separator: 46 ('.') or 44 (','). */
  readonly decimal: number;
}

/**
 * Guesses delimiter and decimal separator from one data line (bytes [start, end)).
 * A semicolon or a tab separates fields; a comma is a decimal comma when fields are otherwise separated and no
 * '.' appears, else it is the delimiter.
 */
export function sniffLayout(bytes: Uint8Array, start: number, end: number): TableLayout {
  let semi = 0;
  let tab = 0;
  let comma = 0;
  let dot = 0;
  let space = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === SEMICOLON) semi++;
    else if (b === TAB) tab++;
    else if (b === COMMA) comma++;
    else if (b === DOT) dot++;
    else if (b === SPACE) space++;
  }
  if (semi > 0) return { delimiter: 'semicolon', decimal: comma > 0 && dot === 0 ? COMMA : DOT };
  if (comma > 0 && dot === 0 && (tab > 0 || space > 0)) {
    return { delimiter: tab > 0 ? 'tab' : 'whitespace', decimal: COMMA };
  }
  if (comma > 0) return { delimiter: 'comma', decimal: DOT };
  return { delimiter: 'whitespace', decimal: DOT };
}

/** Content end (exclusive, before CR LF) of the line last visited by {@link nextLine}. */
export let lineEnd = 0;

/** Index just past the end of the line starting at `i` (after its LF); the line's content end goes to `lineEnd`. */
export function nextLine(bytes: Uint8Array, i: number, end: number): number {
  let j = bytes.indexOf(LF, i);
  if (j < 0 || j >= end) j = end;
  let e = j;
  if (e > i && bytes[e - 1] === CR) e--;
  lineEnd = e;
  return j < end ? j + 1 : end;
}

/** Result of {@link readTable}. Columns are trimmed to `rows`. */
export interface Table {
  readonly columns: Float64Array[];
  readonly rows: number;
  /** Offset just past the last line consumed. */
  readonly endOffset: number;
  /** Number of lines consumed (data and skipped). */
  readonly linesRead: number;
  /** Lines inside the table whose first field was not a number (skipped). */
  readonly skippedLines: number;
  /** First skipped line (1-based, relative to the file) when any. */
  readonly firstSkippedLine?: number;
}

/** Options for {@link readTable}. */
export interface TableOptions {
  readonly format: string;
  readonly layout: TableLayout;
  /** Number of columns to keep; extra fields are ignored, missing ones are NaN. */
  readonly ncol: number;
  /** Byte range of the table. */
  readonly start: number;
  readonly end: number;
  /** 1-based line number of the line at `start`, for messages. */
  readonly firstLine: number;
  /** Stop (instead of skipping) at the first line whose first field is not a number. */
  readonly stopAtText?: boolean;
  /** Stop after this many rows (e.g. a header's point count). */
  readonly maxRows?: number;
  /** Lines starting with one of these bytes are comments and skipped. */
  readonly commentBytes?: readonly number[];
}

/** Hard ceiling on rows, so a corrupted count can never ask for absurd memory. */
export const MAX_ROWS = 200_000_000;

/**
 * Reads a numeric table in one pass. Non-numeric fields inside a data row become NaN; a row whose first field is
 * not a number is skipped (or ends the table with `stopAtText`). Initial capacity is estimated from the byte
 * length of the first line, and columns double when full, so a large file is never held twice.
 */
export function readTable(bytes: Uint8Array, o: TableOptions): Table {
  const { ncol, layout } = o;
  const end = Math.min(o.end, bytes.length);
  const decimal = layout.decimal;
  const ws = layout.delimiter === 'whitespace';
  const sep = layout.delimiter === 'comma' ? COMMA : layout.delimiter === 'semicolon' ? SEMICOLON : TAB;
  const maxRows = Math.min(o.maxRows ?? MAX_ROWS, MAX_ROWS);
  const firstEol = bytes.indexOf(LF, o.start);
  const lineLen = Math.max(4, (firstEol < 0 || firstEol > end ? end : firstEol) - o.start + 1);
  // 11 % headroom: later lines a digit shorter than the first (2.0000 vs 10.000) otherwise grew every column once per
  // file; the trim below (a view while the slack is under an eighth) still keeps a view, not a copy, when the estimate
  // was right.
  let cap = Math.max(16, Math.min(maxRows, Math.ceil(((end - o.start) / lineLen) * 1.11) + 16));
  let cols: Float64Array[] = [];
  for (let c = 0; c < ncol; c++) cols.push(new Float64Array(cap));
  const comments = o.commentBytes ?? [];
  let rows = 0;
  let i = o.start;
  let lines = 0;
  let skipped = 0;
  let firstSkipped: number | undefined;
  // One pass: numbers are parsed straight from the bytes and the line end is found on the way (a number never
  // contains CR or LF), so no line is scanned twice in the common case.
  while (i < end && rows < maxRows) {
    const lineStart = i;
    lines++;
    let p = i;
    while (p < end && (bytes[p] === SPACE || bytes[p] === TAB || bytes[p] === CR)) p++;
    if (p >= end) {
      i = end;
      break;
    }
    let b = bytes[p];
    if (b === LF) {
      i = p + 1;
      continue;
    }
    let ok = false;
    let first = NaN;
    if (!comments.includes(b)) {
      first = scanNumber(bytes, p, end, decimal);
      const q = scanEnd;
      if (q > p) {
        const t = q < end ? bytes[q] : LF;
        ok = t === SPACE || t === TAB || t === CR || t === LF || (!ws && (t === sep || t === COMMA || t === SEMICOLON));
      }
      if (ok) p = q;
    }
    if (!ok) {
      if (o.stopAtText && !comments.includes(b)) {
        i = lineStart;
        lines--;
        break;
      }
      if (!comments.includes(b)) {
        skipped++;
        if (firstSkipped === undefined) firstSkipped = o.firstLine + lines - 1;
      }
      const eol = bytes.indexOf(LF, p);
      i = eol < 0 || eol >= end ? end : eol + 1;
      continue;
    }
    if (rows === cap) {
      cap = Math.min(maxRows, cap * 2);
      const grown: Float64Array[] = [];
      for (let c = 0; c < ncol; c++) {
        const a = new Float64Array(cap);
        a.set(cols[c]);
        grown.push(a);
      }
      cols = grown;
    }
    if (ncol > 0) cols[0][rows] = first;
    let atEol = false;
    for (let c = 1; c < ncol; c++) {
      if (!atEol) {
        // Move to the start of the next field.
        if (ws) {
          while (p < end && ((b = bytes[p]) === SPACE || b === TAB)) p++;
        } else {
          while (p < end && ((b = bytes[p]) === SPACE || (b === TAB && sep !== TAB))) p++;
          if (p < end && bytes[p] === sep) p++;
          while (p < end && ((b = bytes[p]) === SPACE || (b === TAB && sep !== TAB))) p++;
        }
        if (p >= end || bytes[p] === LF || bytes[p] === CR) atEol = true;
      }
      if (atEol) {
        cols[c][rows] = NaN;
        continue;
      }
      const v = scanNumber(bytes, p, end, decimal);
      let q = scanEnd;
      const t = q < end ? bytes[q] : LF;
      const fieldOk = q > p && (t === SPACE || t === TAB || t === CR || t === LF || (!ws && t === sep));
      cols[c][rows] = fieldOk ? v : NaN;
      if (!fieldOk) {
        // Skip the rest of a non-numeric field (a date, a word).
        q = p;
        if (ws) while (q < end && (b = bytes[q]) !== SPACE && b !== TAB && b !== LF && b !== CR) q++;
        else while (q < end && (b = bytes[q]) !== sep && b !== LF && b !== CR) q++;
      }
      p = q;
    }
    rows++;
    // Usually the line ends right here (CR LF or LF); extra fields are skipped.
    while (p < end && bytes[p] !== LF) p++;
    i = p + 1;
  }
  if (i > end) i = end;
  // Trim once. The capacity estimate is usually within a few rows, so a view is kept when the slack is under 1/8
  // (no copy of a large column); a badly overestimated buffer is copied so the slack is not kept alive.
  const columns = cols.map((c) => (c.length === rows ? c : c.length - rows <= c.length >> 3 ? c.subarray(0, rows) : c.slice(0, rows)));
  return { columns, rows, endOffset: i, linesRead: lines, skippedLines: skipped, firstSkippedLine: firstSkipped };
}

/** Counts the fields of a data line with the given layout (how many columns a table has). */
export function countFields(bytes: Uint8Array, start: number, end: number, layout: TableLayout): number {
  const ws = layout.delimiter === 'whitespace';
  const sep = layout.delimiter === 'comma' ? COMMA : layout.delimiter === 'semicolon' ? SEMICOLON : TAB;
  let n = 0;
  let p = start;
  while (p < end && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
  if (ws) {
    while (p < end) {
      n++;
      while (p < end && bytes[p] !== SPACE && bytes[p] !== TAB) p++;
      while (p < end && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
    }
    return n;
  }
  if (p === end) return 0;
  n = 1;
  for (let q = p; q < end; q++) if (bytes[q] === sep) n++;
  // A trailing separator (common in tab exports) does not open a field.
  let t = end - 1;
  while (t > p && (bytes[t] === SPACE || (bytes[t] === TAB && sep !== TAB))) t--;
  if (bytes[t] === sep) n--;
  return n;
}

/** Whether a line (bytes [start, end)) is a data line: its first field is a number followed by a field end. */
export function isNumericLine(bytes: Uint8Array, start: number, end: number, layout: TableLayout): boolean {
  let p = start;
  while (p < end && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
  if (p === end) return false;
  scanNumber(bytes, p, end, layout.decimal);
  const q = scanEnd;
  if (q === p) return false;
  if (q === end) return true;
  const b = bytes[q];
  if (layout.delimiter === 'whitespace') return b === SPACE || b === TAB;
  return b === SPACE || b === TAB || b === COMMA || b === SEMICOLON;
}

/**
 * TextDecoder is present in every runtime we target (Node, VS Code, webviews) but not in the ES2022 lib the pure
 * core compiles against, so it is reached through globalThis with the little of its type we use.
 */
interface Decoder {
  decode(input: Uint8Array): string;
}
type DecoderConstructor = new (label?: string, options?: { fatal?: boolean }) => Decoder;
const Decoder = (globalThis as unknown as { TextDecoder: DecoderConstructor }).TextDecoder;

let utf8: Decoder | undefined;
let latin1: Decoder | undefined;

/** Decodes bytes as UTF-8, or as Windows-1252 when they are not valid UTF-8 (EC-Lab and many exports are Latin-1). */
export function decodeText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const view = bytes.subarray(start, end);
  utf8 ??= new Decoder('utf-8', { fatal: true });
  try {
    return utf8.decode(view);
  } catch {
    latin1 ??= new Decoder('windows-1252');
    return latin1.decode(view);
  }
}

/**
 * Makes text bytes uniform: a UTF-8 BOM is skipped; UTF-16 (BOM FF FE or FE FF) is narrowed to one byte per
 * character (non-Latin-1 characters become '?'), so the byte-level readers see ASCII digits. Other bytes pass through.
 */
export function normaliseTextBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const n = (bytes.length - 2) >> 1;
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const lo = bytes[2 + 2 * k + (le ? 0 : 1)];
      const hi = bytes[2 + 2 * k + (le ? 1 : 0)];
      out[k] = hi === 0 ? lo : 63;
    }
    return out;
  }
  return bytes;
}

/** Whether the first bytes look like binary data (NUL bytes or many control characters) rather than text. */
export function looksBinary(bytes: Uint8Array, limit = 4096): boolean {
  const n = Math.min(bytes.length, limit);
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 32 && b !== TAB && b !== LF && b !== CR && b !== 12) ctrl++;
  }
  return ctrl > n / 20;
}

/** Throws the ParseError for a file with no bytes. */
export function assertNotEmpty(bytes: Uint8Array, format: string): void {
  if (bytes.length === 0) throw new ParseError({ format, offset: 0, expected: 'a non-empty file', found: '0 bytes' });
}

/** A short printable excerpt of bytes for error messages. */
export function excerpt(bytes: Uint8Array, start: number, max = 40): string {
  const end = Math.min(bytes.length, start + max);
  let s = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === LF) break;
    s += b >= 32 && b < 127 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  if (start >= bytes.length) return 'end of file';
  return JSON.stringify(s);
}

/** Replaces ±Infinity by NaN in place (columns hold finite values or NaN), returning the same array. */
export function finiteOrNaN(a: Float64Array): Float64Array {
  for (let k = 0; k < a.length; k++) if (a[k] === Infinity || a[k] === -Infinity) a[k] = NaN;
  return a;
}
