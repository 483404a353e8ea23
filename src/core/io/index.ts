/**
 * Public entry of the file readers: bytes in, a ScanFile (diffraction) or EchemRecord (electrochemistry) out.
 *
 *   bytes ──detectFormat──▶ reader id ──READERS[id]──▶ ScanFile | EchemRecord
 *
 * Every failure is a ParseError naming the format, the byte offset or line, what was expected and what was found.
 */
import type { EchemRecord } from '../data/echem.ts';
import type { ScanFile } from '../data/scan.ts';
import { readBrml } from './brml.ts';
import { readBrukerRaw } from './brukerRaw.ts';
import { readChi } from './chi.ts';
import { detectFormat, FORMATS } from './detect.ts';
import { readMpt } from './mpt.ts';
import { ParseError } from './parseError.ts';
import { readXrdml } from './xrdml.ts';
import { readXy } from './xy.ts';

export { detectFormat, FORMATS, ParseError };
export type { Detection, FormatInfo, ReaderKind } from './detect.ts';
export { readBrml, readBrukerRaw, readChi, readMpt, readXrdml, readXy };

/** The reader of each supported format id. */
export const READERS: Readonly<Record<string, (bytes: Uint8Array) => ScanFile | EchemRecord>> = {
  xy: (b) => readXy(b),
  chi: readChi,
  xrdml: readXrdml,
  brml: readBrml,
  'bruker-raw': readBrukerRaw,
  mpt: readMpt,
};

/**
 * Reads a diffraction or electrochemistry file. The format is detected from the content unless
 * `options.format` names a reader id from {@link FORMATS}. Throws ParseError for any bad input, including a
 * recognised format that has no reader yet.
 */
export function readData(bytes: Uint8Array, fileName: string, options: { format?: string } = {}): ScanFile | EchemRecord {
  const format = options.format ?? detectFormat(bytes, fileName).format;
  const reader = READERS[format];
  if (!reader) {
    const info = FORMATS.find((f) => f.id === format);
    throw new ParseError({
      format,
      file: fileName,
      expected: `a supported format (${Object.keys(READERS).join(', ')})`,
      found: info ? `${info.label}, which has no reader yet` : `unknown format id "${format}"`,
    });
  }
  try {
    return reader(bytes);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // A reader bug must still surface as a ParseError with context, never as a bare TypeError.
    throw new ParseError({ format, file: fileName, expected: 'a readable file', found: `internal error: ${e instanceof Error ? e.message : String(e)}` });
  }
}
