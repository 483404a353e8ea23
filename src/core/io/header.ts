/**
 * Small helpers for header text shared by several readers (not on the per-point hot path).
 */
import type { AxisQuantity, AxisUnit, WavelengthLine } from '../data/scan.ts';
import { anodeWavelengths, fileWavelengths, monochromatic } from './wavelengths.ts';

/** Maximum number of header items kept in a metadata record (a corrupted file must not flood it). */
export const MAX_METADATA_ITEMS = 2000;

/** Adds `key = value` to a metadata record, trimming both and keeping the first value of a repeated key. */
export function putMeta(meta: Record<string, string>, key: string, value: string): void {
  const k = key.trim();
  if (!k || k in meta || Object.keys(meta).length >= MAX_METADATA_ITEMS) return;
  meta[k] = value.trim().slice(0, 4000);
}

/**
 * Parses one header line into key/value items: `key: value`, `key = value`, and Bruker EVA's
 * `Key: "value" Key2: "value"` lists. Leading comment marks (# ! ; % * ' /) are dropped.
 */
export function headerItems(line: string): [string, string][] {
  const text = line.replace(/^[\s#!;%*'/]+/, '').replace(/\s*\*\/\s*$/, '');
  if (!text) return [];
  const quoted = [...text.matchAll(/([A-Za-z][\w .()/-]{0,40}?)\s*:\s*"([^"]*)"/g)];
  if (quoted.length >= 2) return quoted.map((m) => [m[1].trim(), m[2]]);
  const m = /^([^:=]{1,80}?)\s*[:=]\s*(.*)$/.exec(text);
  if (m) return [[m[1], m[2]]];
  // CSV exports write "key,value".
  const c = /^([A-Za-z][^,]{0,80}?)\s*[,;\t]\s*(.*)$/.exec(text);
  return c ? [[c[1], c[2].replace(/^"|"$/g, '')]] : [];
}

/** Finds a metadata value whose key matches `pattern` (case-insensitive). */
export function findMeta(meta: Readonly<Record<string, string>>, pattern: RegExp): string | undefined {
  for (const [k, v] of Object.entries(meta)) if (pattern.test(k)) return v;
  return undefined;
}

/** First number in a string (accepting a decimal comma when no dot), or undefined. */
export function firstNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /[-+]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][-+]?\d+)?/.exec(s);
  if (!m) return undefined;
  const v = Number(m[0].replace(',', '.'));
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Wavelength lines from header metadata: an explicit wavelength (metres when below 1e-6, as pyFAI writes;
 * nm or Å when the unit says so), else the defaults of a named anode.
 */
export function wavelengthsFromMeta(meta: Readonly<Record<string, string>>): WavelengthLine[] {
  const a1 = firstNumber(findMeta(meta, /^(k-?alpha ?1|kα1|ka1|alpha1)( wavelength)?/i));
  if (a1 !== undefined && a1 > 0) {
    const a2 = firstNumber(findMeta(meta, /^(k-?alpha ?2|kα2|ka2|alpha2)( wavelength)?/i));
    const ratio = firstNumber(findMeta(meta, /^ratio\b.*(alpha|kα|ka)|^alpha.?ratio|^ratio$/i));
    const anode = findMeta(meta, /^(anode|anode material|target)$/i);
    return fileWavelengths(a1, a2, ratio, anode ? `${anode.trim()} Kα` : 'Kα');
  }
  for (const [k, v] of Object.entries(meta)) {
    if (!/wave\s*length|lambda/i.test(k)) continue;
    let x = firstNumber(v);
    if (x === undefined || !(x > 0)) continue;
    if (x < 1e-6) x *= 1e10;
    else if (/\bnm\b/i.test(v) || /\(nm\)/i.test(k)) x *= 10;
    return monochromatic(x);
  }
  return anodeWavelengths(findMeta(meta, /^(anode|target|anode material)$/i));
}

/** Axis quantity and unit from a column name or axis label, when recognisable. */
export function axisFromName(name: string): { axis: AxisQuantity; unit: AxisUnit; radians?: boolean } | undefined {
  const n = name.trim().toLowerCase();
  if (/^q_nm\^-1$|q.*\(?(nm\^?-1|1\/nm|nm-1|nm⁻¹)/.test(n)) return { axis: 'q', unit: 'invNanometre' };
  if (/^q_a\^-1$|^q\b|^qvalue|q.*(a\^?-1|1\/a|å|a-1)/.test(n)) return { axis: 'q', unit: 'invAngstrom' };
  if (/^2th_rad$/.test(n)) return { axis: 'twoTheta', unit: 'deg', radians: true };
  if (/2th|2-?theta|two.?theta|^tth|^angle|^theta|2θ/.test(n)) return { axis: 'twoTheta', unit: 'deg' };
  if (/^d\b|^d[-_ ]?spacing|^dspacing|^d_a/.test(n)) return { axis: 'd', unit: 'angstrom' };
  return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * ISO 8601 start time from header text such as "APR 12, 2017 01:23:16.472073" (APS 11-BM), "2021-05-20 15:55:51"
 * or "2021-05-20T15:55:51+02:00"; undefined when the text is none of these (no guessing of day/month order).
 */
export function isoFromHeaderTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?/.exec(t);
  if (iso) return `${iso[1]}T${iso[2]}${iso[3] ?? ''}`;
  const m = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(t);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1].toLowerCase()) + 1;
  if (!month) return undefined;
  const p2 = (v: number | string) => String(v).padStart(2, '0');
  return `${m[3]}-${p2(month)}-${p2(m[2])}T${p2(m[4])}:${m[5]}:${m[6]}`;
}
