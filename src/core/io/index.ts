/**
 * Public entry of the file readers: bytes in, a ScanFile (diffraction) or EchemRecord (electrochemistry) out.
 *
 *   bytes ──detectFormat──▶ reader id ──READERS[id]──▶ ScanFile | EchemRecord
 *
 * Every failure is a ParseError naming the format, the byte offset or line, what was expected and what was found.
 */
import type { EchemRecord } from '../data/echem.ts';
import type { ScanFile } from '../data/scan.ts';
import { readArbinRes } from './arbinRes.ts';
import { readBrml } from './brml.ts';
import { readBrukerRaw } from './brukerRaw.ts';
import { readChi } from './chi.ts';
import { detectFormat, FORMATS } from './detect.ts';
import { readEchemTable, readNewareCsv, type EchemColumnMapping } from './echemTable.ts';
import { readGamry } from './gamry.ts';
import { readGsas } from './gsas.ts';
import { readMpr } from './mpr.ts';
import { readMpt } from './mpt.ts';
import { readNda, readNdax } from './neware.ts';
import { readNexus, type HdfAttribute, type HdfDatasetInfo, type HdfTree } from './nexus.ts';
import { readPdcif } from './pdcif.ts';
import { readRas } from './ras.ts';
import { readRasx } from './rasx.ts';
import { readStoeRaw } from './stoeRaw.ts';
import { readUxd } from './uxd.ts';
import { ParseError } from './parseError.ts';
import { readXrdml } from './xrdml.ts';
import { readXy } from './xy.ts';

export { detectFormat, FORMATS, ParseError };
export type { Detection, FormatInfo, ReaderKind } from './detect.ts';
export type { ColumnSource, EchemColumnMapping, EchemTableOptions } from './echemTable.ts';
export { readEchemTable, readNewareCsv, readNexus };
export type { HdfAttribute, HdfDatasetInfo, HdfTree };
export { readArbinRes, readBrml, readBrukerRaw, readChi, readGamry, readGsas, readMpr, readMpt, readNda, readNdax, readPdcif, readRas, readRasx, readStoeRaw, readUxd, readXrdml, readXy };

/** Options of {@link readData}. */
export interface ReadOptions {
  /** A reader id from {@link FORMATS}; detected from the content when absent. */
  readonly format?: string;
  /** For cycler text exports: which source column feeds which canonical column (overrides the guesses). */
  readonly columns?: EchemColumnMapping;
}

/** The reader of each supported format id. */
export const READERS: Readonly<Record<string, (bytes: Uint8Array, options?: ReadOptions) => ScanFile | EchemRecord>> = {
  xy: (b) => readXy(b),
  chi: readChi,
  xrdml: readXrdml,
  brml: readBrml,
  'bruker-raw': readBrukerRaw,
  'stoe-raw': readStoeRaw,
  // HDF5 needs the HDF5 library (WebAssembly), which runs in a thread of its own (src/worker/hdf5.ts); the core's
  // part is readNexus over an HdfTree.
  nexus: () => {
    throw new ParseError({
      format: 'nexus',
      expected: 'a caller that reads HDF5 in its worker thread (CLI, notebook, viewer), or readNexus with an HdfTree',
      found: 'a NeXus/HDF5 file passed to the synchronous readData',
    });
  },
  mpt: readMpt,
  mpr: readMpr,
  gsas: readGsas,
  ras: readRas,
  rasx: readRasx,
  uxd: readUxd,
  pdcif: readPdcif,
  ndax: readNdax,
  nda: readNda,
  gamry: readGamry,
  'arbin-res': readArbinRes,
  arbin: (b, o) => readEchemTable(b, { format: 'arbin', columns: o?.columns }),
  maccor: (b, o) => readEchemTable(b, { format: 'maccor', columns: o?.columns }),
  'neware-csv': (b, o) => readNewareCsv(b, { columns: o?.columns }),
  'echem-csv': (b, o) => readEchemTable(b, { format: 'echem-csv', columns: o?.columns }),
};

/**
 * Reads a diffraction or electrochemistry file. The format is detected from the content unless
 * `options.format` names a reader id from {@link FORMATS}. Throws ParseError for any bad input, including a
 * recognised format that has no reader yet.
 */
export function readData(bytes: Uint8Array, fileName: string, options: ReadOptions = {}): ScanFile | EchemRecord {
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
    return reader(bytes, options);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // A reader bug must still surface as a ParseError with context, never as a bare TypeError.
    throw new ParseError({ format, file: fileName, expected: 'a readable file', found: `internal error: ${e instanceof Error ? e.message : String(e)}` });
  }
}
