/**
 * Fit2D `.chi` integrated patterns: line 1 title, line 2 x-axis label, line 3 y-axis label, line 4 the number of
 * points, then x/y rows. The x label gives the native axis (2θ in degrees, q, d). A file with fewer rows than its
 * header announces is read as far as it goes, with a warning.
 */
import type { ScanFile } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { axisFromName, firstNumber, putMeta } from './header.ts';
import { decodeText, lineEnd, looksBinary, nextLine, normaliseTextBytes } from './text.ts';
import { scanFromText } from './xy.ts';

const FORMAT = 'chi';

/** Reads a Fit2D `.chi` file into one scan. */
export function readChi(input: Uint8Array): ScanFile {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: 'a 4-line chi header', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const lines: string[] = [];
  let i = 0;
  for (let k = 0; k < 4; k++) {
    if (i >= bytes.length) {
      throw new ParseError({ format: FORMAT, offset: i, line: k + 1, expected: 'a 4-line chi header', found: 'end of file' });
    }
    const next = nextLine(bytes, i, bytes.length);
    lines.push(decodeText(bytes, i, Math.min(lineEnd, i + 4096)));
    i = next;
  }
  const declared = firstNumber(lines[3]);
  if (declared === undefined || !Number.isInteger(declared) || declared < 0 || !/^\s*\d+\s*$/.test(lines[3])) {
    throw new ParseError({ format: FORMAT, line: 4, expected: 'the number of points', found: JSON.stringify(lines[3].slice(0, 40)) });
  }
  const meta: Record<string, string> = {};
  putMeta(meta, 'title', lines[0]);
  putMeta(meta, 'x label', lines[1]);
  putMeta(meta, 'y label', lines[2]);
  putMeta(meta, 'points', lines[3]);
  putMeta(meta, 'integrator', 'Fit2D');
  const axis = axisFromName(lines[1]) ?? { axis: 'twoTheta' as const, unit: 'deg' as const };
  if (i >= bytes.length) throw new ParseError({ format: FORMAT, offset: i, line: 5, expected: 'data rows', found: 'end of file' });
  const file = scanFromText(bytes, { lines, dataOffset: i, dataLine: 5 }, meta, FORMAT, axis, Math.max(declared, 1));
  const scan = file.scans[0];
  const warnings = [...file.warnings];
  if (scan.x.length < declared) {
    warnings.push(`the header announces ${declared} points but the file holds ${scan.x.length} (truncated?)`);
  }
  return { ...file, scans: [{ ...scan, geometry: 'detector2d' }], warnings };
}
