/**
 * The `xrd` object that notebook cells see (documented in types/xrd.d.ts, which the TypeScript server plugin
 * feeds to cells for completions). Paths are relative to the notebook's folder. Everything here is a thin layer
 * over src/core: the same functions the CLI calls.
 */
import type { CellContext } from './session.ts';
import type { FileAccess } from './nodeFiles.ts';
import type { Scan, ScanFile, WavelengthLine } from '../core/data/scan.ts';
import type { EchemRecord } from '../core/data/echem.ts';
import { readDataAnyFormat } from './hdf5.ts';
import { ParseError } from '../core/io/parseError.ts';
import { makeChart, makeTable, isChart, isTable, rowsToCsv, chartOutput, tableOutput, type Chart } from './display.ts';
import { engineApi } from './engine.ts';
import { mayHoldSeveralScans, parseScanRef, scanRef } from '../core/operando/scanRef.ts';
import { seriesFilesInFolder } from '../core/operando/seriesFiles.ts';

export const API_VERSION = '0.1.0';

/** Lab anodes' Kα lines (Hölzer et al. 1997), used only when asked for by name. */
export const ANODES: Readonly<Record<string, readonly [number, number]>> = {
  Cu: [1.540593, 1.544427],
  Mo: [0.709317, 0.713607],
  Co: [1.788996, 1.79285],
  Ag: [0.559422, 0.563813],
};

/** How the user may override a file's wavelength. */
export interface WavelengthOptions {
  readonly wavelengthAngstrom?: number;
  readonly energyKeV?: number;
  readonly anode?: keyof typeof ANODES;
}

/** λ[Å] = 12.398419843 / E[keV] (science.md §1). */
export const HC_KEV_ANGSTROM = 12.398419843;

export function userWavelengths(options: WavelengthOptions): WavelengthLine[] | undefined {
  if (options.wavelengthAngstrom !== undefined) {
    if (!(options.wavelengthAngstrom > 0)) throw new RangeError(`wavelengthAngstrom must be positive, got ${options.wavelengthAngstrom}`);
    return [{ angstrom: options.wavelengthAngstrom, ratio: 1, source: 'user' }];
  }
  if (options.energyKeV !== undefined) {
    if (!(options.energyKeV > 0)) throw new RangeError(`energyKeV must be positive, got ${options.energyKeV}`);
    return [{ angstrom: HC_KEV_ANGSTROM / options.energyKeV, ratio: 1, source: 'user', label: `${options.energyKeV} keV` }];
  }
  if (options.anode !== undefined) {
    const lines = ANODES[options.anode];
    if (!lines) throw new RangeError(`unknown anode ${options.anode}; use one of ${Object.keys(ANODES).join(', ')}`);
    return [
      { angstrom: lines[0], ratio: 1, source: 'user', label: `${options.anode} Kα1` },
      { angstrom: lines[1], ratio: 0.5, source: 'user', label: `${options.anode} Kα2` },
    ];
  }
  return undefined;
}

/** Read any supported file; errors name the file. */
export function readAny(files: FileAccess, file: string): ScanFile | EchemRecord {
  if (files.isDirectory(file)) {
    throw new Error(`${files.basename(file)} is a folder; name one file in it (a folder of scans is a series: readSeries, or \`operando-xrd sequential\`)`);
  }
  const bytes = files.readBytes(file);
  try {
    return readDataAnyFormat(bytes, files.basename(file));
  } catch (e) {
    if (e instanceof ParseError && !e.message.includes(files.basename(file))) e.message = `${files.basename(file)}: ${e.message}`;
    throw e;
  }
}

/** One scan of a diffraction file, with the wavelength override applied and the file name kept. */
export function readScan(
  files: FileAccess,
  file: string,
  options: WavelengthOptions & { scan?: number } = {},
  read: (files: FileAccess, file: string) => ScanFile | EchemRecord = readAny,
): Scan & { file: string } {
  // `run.nxs#5`: scan 5 of a multi-scan file, as series of such files name their patterns.
  const ref = options.scan === undefined ? parseScanRef(file, (f) => files.exists(f)) : { file, scan: options.scan };
  const data = read(files, ref.file);
  if (data.kind !== 'diffraction') throw new TypeError(`${files.basename(ref.file)} is an electrochemistry file; use readEchem()`);
  const index = ref.scan;
  const scan = data.scans[index];
  if (!scan) throw new RangeError(`${files.basename(ref.file)} has ${data.scans.length} scan(s); scan ${index} does not exist`);
  const override = userWavelengths(options);
  const name = files.basename(ref.file);
  return { ...scan, wavelengths: override ?? scan.wavelengths, file: ref.file === file ? name : `${name}#${index}` };
}

/**
 * The patterns of a series from files and folders: a folder gives its scans ({@link seriesFilesInFolder}); a file
 * that holds several scans gives one reference `FILE#N` per scan.
 */
export function seriesPatterns(
  files: FileAccess,
  inputs: readonly string[],
  read: (files: FileAccess, file: string) => ScanFile | EchemRecord = readAny,
): string[] {
  const out: string[] = [];
  for (const p of inputs) {
    const entries = files.isDirectory(p) ? seriesFilesInFolder(files.list(p)).map((f) => `${p}/${f}`) : [p];
    for (const e of entries) {
      if (!mayHoldSeveralScans(e)) {
        out.push(e);
        continue;
      }
      const data = read(files, e);
      const count = data.kind === 'diffraction' ? data.scans.length : 1;
      if (count > 1) for (let i = 0; i < count; i++) out.push(scanRef(e, i));
      else out.push(e);
    }
  }
  return out;
}

export function makeApi(ctx: CellContext, files: FileAccess) {
  const resolve = (p: string) => files.resolve(ctx.cwd, p);
  const show = (value: unknown) => {
    if (isChart(value)) ctx.emit(chartOutput(value));
    else if (isTable(value)) ctx.emit(tableOutput(value.rows));
    else if (Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null)) ctx.emit(tableOutput(value));
    else ctx.emit({ kind: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) });
  };
  return {
    version: API_VERSION,
    /** Read one diffraction scan (the first, or `options.scan`). */
    read: (file: string, options: WavelengthOptions & { scan?: number } = {}) => readScan(files, resolve(file), options),
    /** Read any supported file as it is (all scans, or the cycler record). */
    readFile: (file: string) => readAny(files, resolve(file)),
    /** A chart from a raw Vega-Lite spec. */
    chart: (spec: Record<string, unknown>, title?: string): Chart => makeChart(spec, title),
    show,
    table: (rows: readonly Record<string, unknown>[]) => makeTable(rows),
    /** Write rows as CSV (path relative to the notebook). Refuses to overwrite a file unless `overwrite` is set. */
    writeCsv: (file: string, rows: readonly Record<string, unknown>[], options: { overwrite?: boolean } = {}) => {
      const target = resolve(file);
      if (files.exists(target) && !options.overwrite) throw new Error(`${file} exists; pass { overwrite: true } to replace it`);
      files.writeText(target, rowsToCsv(rows));
      return target;
    },
    ...engineApi(ctx, files, resolve),
  };
}

export type XrdApi = ReturnType<typeof makeApi>;

/** readAny that keeps the last few files read: the scans of one multi-scan file are read once, not once each. */
export function memoizedReader(keep = 4): (files: FileAccess, file: string) => ScanFile | EchemRecord {
  const recent = new Map<string, ScanFile | EchemRecord>();
  return (files, file) => {
    let data = recent.get(file);
    if (!data) {
      data = readAny(files, file);
      recent.set(file, data);
      if (recent.size > keep) recent.delete(recent.keys().next().value as string);
    }
    return data;
  };
}
