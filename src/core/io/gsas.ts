/**
 * GSAS powder data (`.gsa .gss .fxye .xra .gda`, also GSAS-II exports): a title line, optional comment lines,
 * then one or more banks, each opened by
 *
 *   BANK ibank nchan nrec BINTYP bcoef1 bcoef2 bcoef3 bcoef4 TYPE
 *
 * Constant-wavelength banks (BINTYP `CONST`/`CONS`) start at bcoef1 and step by bcoef2, both in centidegrees 2θ.
 * Layouts (GSAS manual, "Powder data file"): STD = 10 fields of 8 characters per record, each a 2-character
 * counter count (blank = 1) and a 6-character intensity, σ = √(I / counters); ESD = 5 (I, σ) pairs of 8-character
 * fields; FXYE = free-format x (centidegrees) I σ per line. Time-of-flight banks (TIME_MAP, SLOG, RALF, …) are
 * not supported and say so.
 */
import type { Scan, ScanFile } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { findMeta, firstNumber, headerItems, isoFromHeaderTime, putMeta, wavelengthsFromMeta } from './header.ts';
import { decodeText, excerpt, lineEnd, looksBinary, nextLine, normaliseTextBytes, scanEnd, scanNumber } from './text.ts';

const FORMAT = 'gsas';

/** Reads every constant-wavelength bank of a GSAS file as one scan each. */
export function readGsas(input: Uint8Array): ScanFile {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: 'a title line', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const meta: Record<string, string> = {};
  const warnings: string[] = [];
  const scans: Scan[] = [];
  let i = 0;
  let line = 0;
  let tof = 0;
  let tofAt: { line: number; offset: number } | undefined;
  while (i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    line++;
    const text = decodeText(bytes, s, Math.min(lineEnd, s + 400));
    if (line === 1 && !/^BANK\s/.test(text)) {
      putMeta(meta, 'title', text);
      continue;
    }
    if (!/^BANK\s/.test(text)) {
      if (!scans.length) for (const [k, v] of headerItems(text)) putMeta(meta, k, v);
      continue;
    }
    const f = text.trim().split(/\s+/);
    const nchan = Number(f[2]);
    const bintyp = (f[4] ?? '').toUpperCase();
    if (!Number.isInteger(nchan) || nchan < 0) {
      throw new ParseError({ format: FORMAT, line, offset: s, expected: 'BANK ibank nchan nrec BINTYP …', found: JSON.stringify(text.trim().slice(0, 60)) });
    }
    if (bintyp !== 'CONST' && bintyp !== 'CONS') {
      tof++;
      tofAt ??= { line, offset: s };
      warnings.push(`bank ${f[1]} (BINTYP ${bintyp || '?'}) is time-of-flight and was skipped`);
      continue;
    }
    // Fields after BINTYP: bcoef1..4 then the data type (STD when absent).
    const start = Number(f[5]) / 100;
    const step = Number(f[6]) / 100;
    const type = (f.slice(9).find((t) => /^(STD|ESD|ALT|FXYE)$/i.test(t)) ?? 'STD').toUpperCase();
    if (!Number.isFinite(start) || !Number.isFinite(step)) {
      throw new ParseError({ format: FORMAT, line, offset: s, expected: 'numeric start and step (centidegrees)', found: `${f[5]} ${f[6]}` });
    }
    // A channel takes at least 8 bytes (STD), 16 (ESD) or 5 (FXYE: "x y e" and separators), so a count beyond what
    // the bytes left can hold is corruption, not a request for memory.
    const minBytes = type === 'ESD' ? 16 : type === 'FXYE' ? 5 : 8;
    const room = Math.floor((bytes.length - i) / minBytes) + 1;
    if (nchan > room) {
      throw new ParseError({ format: FORMAT, line, offset: s, expected: `at most ${room} ${type} channels in the bytes left`, found: String(nchan) });
    }
    const bankMeta: Record<string, string> = { ...meta, bank: f[1] ?? '', 'data type': type };
    let read: { x: Float64Array; y: Float64Array; sigma: Float64Array; next: number; lines: number; counters1: boolean };
    if (type === 'FXYE') read = readFxye(bytes, i, nchan, line);
    else if (type === 'ESD' || type === 'STD') read = readFixed(bytes, i, nchan, type, start, step, line);
    else throw new ParseError({ format: FORMAT, line, offset: s, expected: 'data type STD, ESD or FXYE', found: type });
    i = read.next;
    line += read.lines;
    if (read.y.length < nchan) warnings.push(`bank ${f[1]}: ${read.y.length} of ${nchan} channels present (truncated?)`);
    scans.push({
      x: read.x,
      y: read.y,
      sigma: read.sigma,
      axis: 'twoTheta',
      unit: 'deg',
      intensityKind: type === 'STD' && read.counters1 ? 'counts' : 'unknown',
      wavelengths: wavelengthsFromMeta(meta),
      geometry: 'unknown',
      sample: findMeta(meta, /^(sample comment|user sample name|composition)$/i) ?? meta.title,
      temperatureK: firstNumber(findMeta(meta, /^temp.*\(k\)$/i)),
      startTime: isoFromHeaderTime(findMeta(meta, /^(scan time|start time)$/i)),
      metadata: bankMeta,
    });
  }
  if (!scans.length) {
    throw new ParseError({
      format: FORMAT,
      offset: tofAt?.offset ?? bytes.length,
      line: tofAt?.line ?? line,
      expected: 'a constant-wavelength BANK',
      found: tof ? 'only time-of-flight banks (not supported)' : 'no BANK line',
    });
  }
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings };
}

/** STD / ESD: fixed 8-character fields, 10 per record; positions from start and step. */
function readFixed(bytes: Uint8Array, from: number, nchan: number, type: string, start: number, step: number, line0: number) {
  const x = new Float64Array(nchan);
  const y = new Float64Array(nchan);
  const sigma = new Float64Array(nchan);
  let n = 0;
  let i = from;
  let lines = 0;
  let counters1 = true;
  let pending = NaN;
  while (n < nchan && i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    const e = lineEnd;
    lines++;
    if (e - s >= 4 && bytes[s] === 66 && bytes[s + 1] === 65 && bytes[s + 2] === 78 && bytes[s + 3] === 75) {
      i = s;
      lines--;
      break;
    }
    for (let k = 0; k < 10 && n < nchan; k++) {
      const fs = s + 8 * k;
      if (fs >= e) break;
      const fe = Math.min(e, fs + 8);
      let v: number;
      let counters = 1;
      if (type === 'STD') {
        const c = fieldNumber(bytes, fs, Math.min(fe, fs + 2), line0 + lines);
        if (!Number.isNaN(c) && c > 0) counters = c;
        v = fieldNumber(bytes, Math.min(fe, fs + 2), fe, line0 + lines);
        if (counters !== 1) counters1 = false;
        y[n] = v;
        sigma[n] = v >= 0 ? Math.sqrt(v / counters) : NaN;
        x[n] = start + n * step;
        n++;
      } else {
        v = fieldNumber(bytes, fs, fe, line0 + lines);
        if (k % 2 === 0) pending = v;
        else {
          y[n] = pending;
          sigma[n] = v;
          x[n] = start + n * step;
          n++;
        }
      }
    }
  }
  return { x: x.subarray(0, n).slice(), y: y.subarray(0, n).slice(), sigma: sigma.subarray(0, n).slice(), next: i, lines, counters1 };
}

/** A number in a fixed-width field; blank is NaN, anything else non-numeric is a ParseError. */
function fieldNumber(bytes: Uint8Array, s: number, e: number, line: number): number {
  let p = s;
  while (p < e && bytes[p] === 32) p++;
  if (p >= e) return NaN;
  const v = scanNumber(bytes, p, e, 46);
  let q = scanEnd;
  if (q === p) throw new ParseError({ format: FORMAT, line, offset: p, expected: 'a number in an 8-character field', found: excerpt(bytes, p, 8) });
  while (q < e && bytes[q] === 32) q++;
  if (q < e) throw new ParseError({ format: FORMAT, line, offset: q, expected: 'one number per 8-character field', found: excerpt(bytes, s, 8) });
  return v;
}

/** FXYE: free-format "x y σ" lines with x in centidegrees. */
function readFxye(bytes: Uint8Array, from: number, nchan: number, line0: number) {
  const x = new Float64Array(nchan);
  const y = new Float64Array(nchan);
  const sigma = new Float64Array(nchan);
  let n = 0;
  let i = from;
  let lines = 0;
  while (n < nchan && i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    const e = lineEnd;
    lines++;
    let p = s;
    while (p < e && (bytes[p] === 32 || bytes[p] === 9)) p++;
    if (p === e) continue;
    if (bytes[p] === 66) {
      i = s;
      lines--;
      break;
    }
    const vals = [NaN, NaN, NaN];
    for (let k = 0; k < 3; k++) {
      while (p < e && (bytes[p] === 32 || bytes[p] === 9)) p++;
      if (p >= e) break;
      vals[k] = scanNumber(bytes, p, e, 46);
      const q = scanEnd;
      if (q === p) throw new ParseError({ format: FORMAT, line: line0 + lines, offset: p, expected: 'x y σ numbers', found: excerpt(bytes, p, 20) });
      p = q;
    }
    x[n] = vals[0] / 100;
    y[n] = vals[1];
    sigma[n] = vals[2];
    n++;
  }
  return { x: x.slice(0, n), y: y.slice(0, n), sigma: sigma.slice(0, n), next: i, lines, counters1: false };
}
