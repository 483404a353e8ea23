/** Engine calls from the extension host (custom editor) and the CLI, by name. Arguments and results are structured-clonable. */
import type { FileAccess } from './nodeFiles.ts';
import type { ToEditor, ScanView } from '../protocol/scanEditor.ts';
import { readData } from '../core/io/index.ts';
import { dominantWavelengthAngstrom, type Scan } from '../core/data/scan.ts';
import { convertAxis } from '../core/data/axis.ts';

type Progress = (done: number, total: number, message?: string) => void;

function scanView(scan: Scan, index: number): ScanView {
  // The webview works in 2θ (°), q (Å⁻¹) and d (Å): convert q in nm⁻¹ once here.
  const x = scan.axis === 'q' && scan.unit === 'invNanometre' ? convertAxis(scan.x, { axis: 'q', unit: 'invNanometre' }, { axis: 'q', unit: 'invAngstrom' }) : scan.x;
  return {
    label: scan.sample ?? scan.startTime ?? `scan ${index + 1}`,
    axis: scan.axis,
    unit: scan.axis === 'twoTheta' ? 'deg' : scan.axis === 'q' ? 'invAngstrom' : 'angstrom',
    x: Array.from(x),
    y: Array.from(scan.y),
    sigma: scan.sigma ? Array.from(scan.sigma) : undefined,
    wavelengths: scan.wavelengths.map((w) => ({ ...w })),
    wavelengthAngstrom: dominantWavelengthAngstrom(scan) ?? null,
    intensityKind: scan.intensityKind,
    startTime: scan.startTime,
    metadata: { ...scan.metadata },
    peaks: [],
  };
}

/** Parse a file for the custom editor. Bad input becomes an `error` message naming the file, never a throw. */
export function describeFile(bytes: Uint8Array, fileName: string): ToEditor {
  try {
    const data = readData(bytes, fileName);
    if (data.kind === 'diffraction')
      return { type: 'diffraction', file: fileName, format: data.format, scans: data.scans.map(scanView), metadata: { ...data.metadata }, warnings: [...data.warnings] };
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

export async function callMethod(method: string, args: readonly unknown[], files: FileAccess, progress: Progress): Promise<unknown> {
  void files;
  void progress;
  switch (method) {
    case 'describeFile':
      return describeFile(args[0] as Uint8Array, args[1] as string);
    default:
      throw new Error(`unknown engine method ${method}`);
  }
}
