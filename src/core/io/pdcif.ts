/**
 * Powder CIF (pdCIF, IUCr powder dictionary): data blocks of `_tag value` items and `loop_`s. The pattern is the
 * loop holding an intensity tag (`_pd_meas_counts_total`, `_pd_meas_intensity_total`, `_pd_proc_intensity_total`);
 * its positions come from `_pd_meas_2theta_scan` (or `_pd_proc_2theta_corrected`) in the same loop, else from
 * `_pd_meas_2theta_range_min/_inc` (or the `_pd_proc_` range). A value's standard uncertainty in parentheses
 * applies to its last digits (5540(160) → σ 160; 0.93(5) → σ 0.05) and becomes σ. Wavelengths come from
 * `_diffrn_radiation_wavelength` (with `_wt` in a loop).
 */
import type { IntensityKind, ScanFile, WavelengthLine } from '../data/scan.ts';
import { stepAxis } from './binary.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { decodeText, looksBinary, normaliseTextBytes, scanEnd, scanNumber } from './text.ts';

const FORMAT = 'pdcif';

interface Loop {
  tags: string[];
  /** Flat [start, end) byte ranges of the values, row after row. */
  ranges: number[];
}

/** A CIF value: number and its standard uncertainty (NaN for '.', '?' or text). */
function cifNumber(bytes: Uint8Array, s: number, e: number): [number, number] {
  if (e - s === 1 && (bytes[s] === 46 || bytes[s] === 63)) return [NaN, NaN];
  const v = scanNumber(bytes, s, e, 46);
  let q = scanEnd;
  if (q === s) return [NaN, NaN];
  if (q === e) return [v, NaN];
  if (bytes[q] !== 40) return [NaN, NaN];
  // Standard uncertainty: the integer in parentheses scales with the value's last decimal place.
  let decimals = 0;
  let seenDot = false;
  let expo = 0;
  for (let k = s; k < q; k++) {
    const b = bytes[k];
    if (b === 46) seenDot = true;
    else if ((b | 32) === 101) {
      expo = scanNumber(bytes, k + 1, q, 46);
      break;
    } else if (seenDot && b >= 48 && b <= 57) decimals++;
  }
  q++;
  let su = 0;
  let digits = 0;
  while (q < e && bytes[q] >= 48 && bytes[q] <= 57) {
    su = su * 10 + (bytes[q] - 48);
    q++;
    digits++;
  }
  if (!digits || bytes[q] !== 41) return [v, NaN];
  return [v, su * Math.pow(10, (Number.isFinite(expo) ? expo : 0) - decimals)];
}

/** Reads the pattern of a powder CIF into one scan. */
export function readPdcif(input: Uint8Array): ScanFile {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: 'a CIF data block', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const items: Record<string, string> = {};
  const loops: Loop[] = [];
  const n = bytes.length;
  let i = 0;
  let pendingTag: string | undefined;
  let loop: Loop | undefined;
  let loopHeader = false;
  let sawBlock = false;
  const token = (): [number, number] | undefined => {
    for (;;) {
      while (i < n && bytes[i] <= 32) i++;
      if (i >= n) return undefined;
      if (bytes[i] === 35) {
        while (i < n && bytes[i] !== 10) i++;
        continue;
      }
      break;
    }
    const s = i;
    const b = bytes[i];
    if (b === 59 && (s === 0 || bytes[s - 1] === 10 || bytes[s - 1] === 13)) {
      // Semicolon text field: up to a line that starts with ';'.
      let k = s + 1;
      for (;;) {
        const nl = bytes.indexOf(10, k);
        if (nl < 0) throw new ParseError({ format: FORMAT, offset: s, expected: "a text field closed by ';' at the start of a line", found: 'end of file' });
        if (bytes[nl + 1] === 59) {
          i = nl + 2;
          return [s + 1, nl];
        }
        k = nl + 1;
      }
    }
    if (b === 39 || b === 34) {
      let k = s + 1;
      while (k < n && !(bytes[k] === b && (k + 1 >= n || bytes[k + 1] <= 32))) k++;
      if (k >= n) throw new ParseError({ format: FORMAT, offset: s, expected: 'a closing quote', found: 'end of file' });
      i = k + 1;
      return [s + 1, k];
    }
    while (i < n && bytes[i] > 32) i++;
    return [s, i];
  };
  const isWord = (s: number, e: number, w: string) => {
    if (e - s !== w.length) return false;
    for (let k = 0; k < w.length; k++) {
      const c = bytes[s + k];
      if ((c >= 65 && c <= 90 ? c | 32 : c) !== w.charCodeAt(k)) return false;
    }
    return true;
  };
  for (let t = token(); t; t = token()) {
    const [s, e] = t;
    const b = bytes[s];
    const quoted = s > 0 && (bytes[s - 1] === 39 || bytes[s - 1] === 34 || bytes[s - 1] === 59);
    if (!quoted && b === 95) {
      const tag = decodeText(bytes, s, Math.min(e, s + 200)).toLowerCase();
      if (loop && loopHeader) loop.tags.push(tag);
      else {
        loop = undefined;
        pendingTag = tag;
      }
      continue;
    }
    if (!quoted && isWord(s, e, 'loop_')) {
      loop = { tags: [], ranges: [] };
      loops.push(loop);
      loopHeader = true;
      pendingTag = undefined;
      continue;
    }
    if (!quoted && e - s > 5 && isWord(s, s + 5, 'data_')) {
      sawBlock = true;
      loop = undefined;
      pendingTag = undefined;
      putMeta(items, `block ${loops.length}`, decodeText(bytes, s + 5, Math.min(e, s + 200)));
      continue;
    }
    if (pendingTag !== undefined) {
      putMeta(items, pendingTag, decodeText(bytes, s, Math.min(e, s + 2000)));
      pendingTag = undefined;
      continue;
    }
    if (loop) {
      loopHeader = false;
      loop.ranges.push(s, e);
      continue;
    }
    throw new ParseError({ format: FORMAT, offset: s, expected: 'a _tag, loop_ or data_ block', found: JSON.stringify(decodeText(bytes, s, Math.min(e, s + 30))) });
  }
  if (!sawBlock) throw new ParseError({ format: FORMAT, offset: 0, expected: 'a data_ block', found: 'none' });
  const Y_TAGS = ['_pd_meas_counts_total', '_pd_meas_intensity_total', '_pd_proc_intensity_total', '_pd_proc_intensity_net'];
  const data = loops.find((l) => l.tags.some((t) => Y_TAGS.includes(t)));
  if (!data) throw new ParseError({ format: FORMAT, offset: n, expected: `a loop with ${Y_TAGS.join(' or ')}`, found: 'none' });
  const ncol = data.tags.length;
  if (data.ranges.length / 2 % ncol !== 0) {
    throw new ParseError({ format: FORMAT, offset: data.ranges[0] ?? n, expected: `rows of ${ncol} values in the data loop`, found: `${data.ranges.length / 2} values` });
  }
  const rows = data.ranges.length / 2 / ncol;
  const yTag = Y_TAGS.find((t) => data.tags.includes(t))!;
  const yi = data.tags.indexOf(yTag);
  const column = (k: number): [Float64Array, Float64Array] => {
    const v = new Float64Array(rows);
    const su = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const p = 2 * (r * ncol + k);
      [v[r], su[r]] = cifNumber(bytes, data.ranges[p], data.ranges[p + 1]);
    }
    return [v, su];
  };
  const [y, ySu] = column(yi);
  const xTag = ['_pd_meas_2theta_scan', '_pd_meas_angle_2theta', '_pd_proc_2theta_corrected'].find((t) => data.tags.includes(t));
  let x: Float64Array;
  const warnings: string[] = [];
  if (xTag) x = column(data.tags.indexOf(xTag))[0];
  else {
    const range = (p: string) => [Number(items[`${p}_min`]), Number(items[`${p}_inc`])];
    let [min, inc] = range('_pd_meas_2theta_range');
    if (!Number.isFinite(min) || !Number.isFinite(inc)) [min, inc] = range('_pd_proc_2theta_range');
    if (!Number.isFinite(min) || !Number.isFinite(inc)) {
      throw new ParseError({ format: FORMAT, offset: data.ranges[0], expected: '2θ in the loop or _pd_meas_2theta_range_min/_inc', found: 'neither' });
    }
    x = stepAxis(min, inc, rows);
  }
  let sigma: Float64Array | undefined = ySu;
  if (ySu.every((v) => Number.isNaN(v))) sigma = undefined;
  const intensityKind: IntensityKind = yTag === '_pd_meas_counts_total' ? 'counts' : 'unknown';
  return {
    kind: 'diffraction',
    format: FORMAT,
    scans: [
      {
        x,
        y,
        sigma,
        axis: 'twoTheta',
        unit: 'deg',
        intensityKind,
        wavelengths: cifWavelengths(bytes, items, loops),
        geometry: 'unknown',
        startTime: items['_pd_meas_datetime_initiated'],
        sample: items['_pd_phase_name'] || items['_chemical_formula_sum'] || undefined,
        temperatureK: Number(items['_diffrn_ambient_temperature']) || undefined,
        metadata: items,
      },
    ],
    metadata: items,
    warnings,
  };
}

function cifWavelengths(bytes: Uint8Array, items: Record<string, string>, loops: Loop[]): WavelengthLine[] {
  const probe = (items['_diffrn_radiation_probe'] ?? items['_diffrn_radiation_type'] ?? '').toLowerCase();
  const single = Number.parseFloat(items['_diffrn_radiation_wavelength'] ?? '');
  if (single > 0) return [{ angstrom: single, ratio: 1, source: 'file', label: probe.includes('neutron') ? 'neutron λ' : 'λ' }];
  const l = loops.find((x) => x.tags.includes('_diffrn_radiation_wavelength'));
  if (!l) return [];
  const w = l.tags.indexOf('_diffrn_radiation_wavelength');
  const wt = l.tags.indexOf('_diffrn_radiation_wavelength_wt');
  const out: WavelengthLine[] = [];
  const nrow = Math.floor(l.ranges.length / 2 / l.tags.length);
  for (let r = 0; r < nrow && r < 16; r++) {
    const p = 2 * (r * l.tags.length);
    const lam = cifNumber(bytes, l.ranges[p + 2 * w], l.ranges[p + 2 * w + 1])[0];
    const ratio = wt >= 0 ? cifNumber(bytes, l.ranges[p + 2 * wt], l.ranges[p + 2 * wt + 1])[0] : 1;
    if (lam > 0 && ratio > 0) out.push({ angstrom: lam, ratio, source: 'file', label: r === 0 ? 'Kα1' : r === 1 ? 'Kα2' : `λ${r + 1}` });
  }
  return out;
}
