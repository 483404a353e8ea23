/**
 * The `xrd` object that notebook cells see (documented in types/xrd.d.ts, which the TypeScript server plugin
 * feeds to cells for completions). Paths are relative to the notebook's folder. Everything here is a thin layer
 * over src/core: the same functions the CLI calls.
 */
import type { CellContext } from './session.ts';
import type { FileAccess } from './nodeFiles.ts';
import type { ScanFile } from '../core/data/scan.ts';
import type { EchemRecord } from '../core/data/echem.ts';
import { readAny, readScan, type WavelengthOptions } from './scanFiles.ts';
import { makeChart, makeTable, isChart, isTable, rowsToCsv, chartOutput, tableOutput, type Chart } from './display.ts';
import { engineApi } from './engine.ts';
import { mayHoldSeveralScans, parseScanRef, scanRef } from '../core/operando/scanRef.ts';
import { seriesFilesInFolder } from '../core/operando/seriesFiles.ts';
import { expandGlob, isGlob } from '../core/operando/seriesGlob.ts';

export const API_VERSION = '0.1.0';

// Reading scans lives in scanFiles.ts, which the lean fitting worker bundles without the rest of the API.
export { ANODES, HC_KEV_ANGSTROM, userWavelengths, readAny, readScan, memoizedReader, type WavelengthOptions } from './scanFiles.ts';

/**
 * The patterns of a series from files, folders and patterns: a folder gives its scans ({@link seriesFilesInFolder}); a
 * pattern such as `scans/*.xy` (`**` for any depth of folders; see seriesGlob.ts) gives the scan files it matches, in
 * natural order; a file that holds several scans gives one reference `FILE#N` per scan. An input that names nothing is
 * an error, not a pattern that fails later.
 */
export function seriesPatterns(
  files: FileAccess,
  inputs: readonly string[],
  read: (files: FileAccess, file: string) => ScanFile | EchemRecord = readAny,
): string[] {
  const out: string[] = [];
  const folderSeries = (dir: string) => seriesFilesInFolder(files.list(dir)).map((f) => `${dir}/${f}`);
  for (const p of inputs) {
    let entries: string[];
    if (files.isDirectory(p)) entries = folderSeries(p);
    else if (files.exists(parseScanRef(p, (f) => files.exists(f)).file)) entries = [p];
    else if (isGlob(p)) {
      // Matched folders give their series; matched files are chosen as a folder's are (the scans of the extension most
      // of them share), so that `scans/*` does not take the scan log or the notes for patterns.
      const matched = expandGlob(p, files);
      const scans = new Set(seriesFilesInFolder(matched.filter((m) => !files.isDirectory(m))));
      entries = matched.flatMap((m) => (files.isDirectory(m) ? folderSeries(m) : scans.has(m) ? [m] : []));
      if (!entries.length) throw new Error(`${p}: no scan files match this pattern`);
    } else throw new Error(`${p}: no such file or folder`);
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
