/**
 * Reading scans from files for the notebook API, the CLI and the fitting workers: any supported format, the scans of
 * multi-scan files as `FILE#N`, and the user's wavelength override. Kept apart from api.ts so that the fitting worker
 * (fitWorkerMain.ts) bundles the readers without the notebook API and its charts.
 */
import type { FileAccess } from './nodeFiles.ts';
import type { Scan, ScanFile, WavelengthLine } from '../core/data/scan.ts';
import { HC_KEV_ANGSTROM } from '../core/data/scan.ts';
import type { EchemRecord } from '../core/data/echem.ts';
import { readDataAnyFormat } from './hdf5.ts';
import { ParseError } from '../core/io/parseError.ts';
import { parseScanRef } from '../core/operando/scanRef.ts';

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

export { HC_KEV_ANGSTROM };

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
  // Every field by name, not a spread: a literal's object shape lives as long as the code does, while a spread's shape
  // can be collected between patterns and come back as a new one, which deoptimised the fitting code that met it. The
  // `satisfies` requires each of Scan's keys here, so a field added to Scan cannot be dropped unnoticed.
  return {
    x: scan.x,
    y: scan.y,
    sigma: scan.sigma,
    axis: scan.axis,
    unit: scan.unit,
    intensityKind: scan.intensityKind,
    countTimeS: scan.countTimeS,
    wavelengths: override ?? scan.wavelengths,
    geometry: scan.geometry,
    startTime: scan.startTime,
    endTime: scan.endTime,
    exposureS: scan.exposureS,
    instrument: scan.instrument,
    sample: scan.sample,
    temperatureK: scan.temperatureK,
    metadata: scan.metadata,
    file: ref.file === file ? name : `${name}#${index}`,
  } satisfies Record<keyof Scan | 'file', unknown>;
}


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
