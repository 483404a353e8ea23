/** Engine calls from the extension host (custom editor), the CLI and the sequential pool, by name. Arguments and results are structured-clonable. */
import type { FileAccess } from './nodeFiles.ts';
import type { ToEditor, ScanView } from '../protocol/scanEditor.ts';
import { readDataAnyFormat as readData } from './hdf5.ts';
import { dominantWavelengthAngstrom, type Scan } from '../core/data/scan.ts';
import { convertAxis } from '../core/data/axis.ts';
import { searchPeaks } from '../core/diffraction/peaks.ts';
import { minMaxDecimate } from '../core/plot/decimate.ts';
import { dataCsv } from './dataCsv.ts';
import { fitPattern, type ModelSpec } from './refine.ts';
import { callSequentialMethod, isSequentialMethod } from './sequentialMethods.ts';
import { lithiumTimeline } from '../core/operando/lithium.ts';
import { differentialCapacity } from '../core/operando/differentialCapacity.ts';
import { voltageSpec, dQdVSpec } from '../core/plot/electrochemistrySpecs.ts';

type Progress = (done: number, total: number, message?: string) => void;

/** Automatic peak list for the editor: position, height above the local minimum, FWHM at half height (native unit). */
function peakRows(scan: Scan): ScanView['peaks'] {
  if (scan.axis !== 'twoTheta') return [];
  try {
    // Heights and widths above the search's own background (measured from zero they were the background's).
    return searchPeaks(scan, { minSeparationDeg: 0.05 })
      .slice(0, 60)
      .map((p) => ({ x: p.twoThetaDeg, height: p.netHeight, fwhm: p.fwhmDeg }))
      .sort((p, q) => p.x - q.x);
  } catch {
    return [];
  }
}

/** Beyond this many points a scan reaches the webview min/max-decimated (peaks kept); exports re-read the file. */
export const VIEW_MAX_POINTS = 50_000;

function scanView(scan: Scan, index: number, warnings: string[]): ScanView {
  // The webview works in 2θ (°), q (Å⁻¹) and d (Å): convert q in nm⁻¹ once here.
  const x = scan.axis === 'q' && scan.unit === 'invNanometre' ? convertAxis(scan.x, { axis: 'q', unit: 'invNanometre' }, { axis: 'q', unit: 'invAngstrom' }) : scan.x;
  // A huge scan would be a message of hundreds of MB: send what a screen can show, extremes preserved.
  const keep = x.length > VIEW_MAX_POINTS ? minMaxDecimate([scan.y], VIEW_MAX_POINTS / 2) : undefined;
  if (keep) warnings.push(`scan ${index + 1}: ${x.length} points shown as ${keep.length} (min/max per bin); exports and fits use every point`);
  const pick = (v: Float64Array) => (keep ? Array.from(keep, (i) => v[i]) : Array.from(v));
  return {
    label: scan.sample ?? scan.startTime ?? `scan ${index + 1}`,
    axis: scan.axis,
    unit: scan.axis === 'twoTheta' ? 'deg' : scan.axis === 'q' ? 'invAngstrom' : 'angstrom',
    x: pick(x),
    y: pick(scan.y),
    sigma: scan.sigma ? pick(scan.sigma) : undefined,
    wavelengths: scan.wavelengths.map((w) => ({ ...w })),
    wavelengthAngstrom: dominantWavelengthAngstrom(scan) ?? null,
    intensityKind: scan.intensityKind,
    startTime: scan.startTime,
    metadata: { ...scan.metadata },
    peaks: peakRows(scan),
  };
}

/** Parse a file for the custom editor. Bad input becomes an `error` message naming the file, never a throw. */
export function describeFile(bytes: Uint8Array, fileName: string): ToEditor {
  try {
    const data = readData(bytes, fileName);
    if (data.kind === 'diffraction') {
      const warnings = [...data.warnings];
      return { type: 'diffraction', file: fileName, format: data.format, scans: data.scans.map((s, i) => scanView(s, i, warnings)), metadata: { ...data.metadata }, warnings };
    }
    return {
      type: 'electrochemistry',
      file: fileName,
      format: data.format,
      record: {
        records: data.records,
        columns: Object.fromEntries(Object.entries(data.columns).map(([k, v]) => [k, Array.from(v)])),
        units: { ...data.units },
        startTime: data.startTime,
        metadata: { ...data.metadata },
      },
      warnings: [...data.warnings],
    };
  } catch (e) {
    const message = (e as Error).message;
    return { type: 'error', file: fileName, message: message.includes(fileName) ? message : `${fileName}: ${message}` };
  }
}

/** The editor's "Fit" button: a Le Bail fit of one scan, with curves for the overlay. */
export function quickFit(bytes: Uint8Array, fileName: string, scanIndex: number, phase: string, wavelengthAngstrom?: number): ToEditor {
  const data = readData(bytes, fileName);
  if (data.kind !== 'diffraction') return { type: 'fitError', message: `${fileName} is not a diffraction file` };
  const scan = data.scans[scanIndex];
  if (scan.axis !== 'twoTheta') return { type: 'fitError', message: 'fits need a 2θ axis; this scan is in ' + scan.axis };
  const model: ModelSpec = {
    phases: phase.split('+'),
    strain: 'uniaxial001',
    wavelengths: wavelengthAngstrom ? [{ angstrom: wavelengthAngstrom, ratio: 1, source: 'user' }] : undefined,
  };
  const result = fitPattern(scan, model);
  const first = result.phases[0];
  const calculated = new Array<number>(scan.x.length).fill(NaN);
  const difference = new Array<number>(scan.x.length).fill(NaN);
  // The fit covers a range of the scan: map its points back onto the scan's indices.
  let j = 0;
  for (let i = 0; i < scan.x.length && j < result.twoThetaDeg.length; i++) {
    if (Math.abs(scan.x[i] - result.twoThetaDeg[j]) < 1e-9) {
      calculated[i] = result.calculated[j];
      difference[i] = scan.y[i] - result.calculated[j];
      j++;
    }
  }
  return {
    type: 'fitResult',
    fit: {
      scanIndex,
      phase,
      a: first.a,
      aSigma: first.aSigma,
      c: first.c,
      cSigma: first.cSigma,
      Rwp: result.Rwp,
      gof: result.gof,
      stopReason: result.stopReason,
      atBounds: result.atBounds,
      calculated,
      difference,
      reflections: first.reflections.map((r) => ({ x: r.twoThetaDeg, hkl: `${r.h}${r.k}${r.l}` })),
    },
  };
}

/** The cycler view's c_Li: voltage against c_Li and dQ/dV, as specs for the webview. */
export function editorLithium(bytes: Uint8Array, fileName: string, activeMassMg: number, composition: string, timeZone: string): ToEditor {
  const data = readData(bytes, fileName);
  if (data.kind !== 'electrochemistry') throw new Error(`${fileName} is not a cycler file`);
  const li = lithiumTimeline([data], { activeMass: { activeMassMg }, composition, timeZone });
  const d = differentialCapacity(li.timeline);
  return {
    type: 'lithium',
    lithium: {
      activeMassMg: li.activeMassMg,
      molarMassGPerMol: li.molarMassGPerMol,
      signs: li.signs.map((s) => `current ${s.convention} (${s.source})`),
      voltageSpec: { ...voltageSpec({ series: [{ name: fileName, cLi: li.timeline.cLi, voltageV: li.timeline.voltageV }] }), width: 'container' },
      dqdvSpec: { ...dQdVSpec({ series: [{ name: fileName, voltageV: d.voltageV, dQdVMahPerV: d.dQdVMahPerV }] }), width: 'container' },
    },
  };
}

export async function callMethod(method: string, args: readonly unknown[], files: FileAccess, progress: Progress): Promise<unknown> {
  void progress;
  if (isSequentialMethod(method)) return callSequentialMethod(method, args, files);
  switch (method) {
    case 'describeFile':
      return describeFile(args[0] as Uint8Array, args[1] as string);
    case 'quickFit':
      return quickFit(args[0] as Uint8Array, args[1] as string, args[2] as number, args[3] as string, args[4] as number | undefined);
    case 'csv':
      return dataCsv(readData(args[0] as Uint8Array, args[1] as string), args[2] as number);
    case 'lithium':
      return editorLithium(args[0] as Uint8Array, args[1] as string, args[2] as number, args[3] as string, args[4] as string);
    default:
      throw new Error(`unknown engine method ${method}`);
  }
}
