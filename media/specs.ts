/**
 * The editor's interactive views: thin wrappers over the shared spec builders in src/core/plot that add what
 * only the editor needs (the cursor signal for the 2θ/d/q readout, the intensity scale switch).
 */
import type { EchemView, FitView, ScanView } from '../src/protocol/scanEditor.ts';
import { convertAxis as convertAxisArray } from '../src/core/data/axis.ts';
import type { AxisUnit } from '../src/core/data/scan.ts';
import { minMaxDecimate } from '../src/core/plot/decimate.ts';
import { echemTimeSpec } from '../src/core/plot/echemTimeSpec.ts';

export type AxisChoice = 'twoTheta' | 'q' | 'd';
export type IntensityScale = 'linear' | 'sqrt' | 'log';

const AXIS_TITLE: Record<AxisChoice, string> = { twoTheta: '2θ (°)', q: 'q (Å⁻¹)', d: 'd (Å)' };
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** The units the webview works in; the host converts q in nm⁻¹ to Å⁻¹ before sending. */
const VIEW_UNIT: Record<AxisChoice, AxisUnit> = { twoTheta: 'deg', q: 'invAngstrom', d: 'angstrom' };

export function convertAxis(values: readonly number[], from: string, to: AxisChoice, wavelengthAngstrom: number): number[] {
  const f = from as AxisChoice;
  if (f === to) return [...values];
  return Array.from(convertAxisArray(Float64Array.from(values), { axis: f, unit: VIEW_UNIT[f] }, { axis: to, unit: VIEW_UNIT[to] }, wavelengthAngstrom));
}

/** Indices kept for display: min/max per bucket over every curve, so peaks survive at any zoom. */
function decimate(ys: number[][], max: number): number[] {
  return Array.from(minMaxDecimate(ys.map((y) => Float64Array.from(y)), max));
}

export function patternSpec(
  scan: ScanView,
  options: { axis: AxisChoice; scale: IntensityScale; wavelengthAngstrom: number | null; fit?: FitView },
): Record<string, unknown> {
  const x = scan.axis === options.axis || !options.wavelengthAngstrom ? scan.x : convertAxis(scan.x, scan.axis, options.axis, options.wavelengthAngstrom);
  const curves = [scan.y, ...(options.fit ? [options.fit.calculated, options.fit.difference] : [])];
  const keep = decimate(curves, 8000);
  const values = keep.map((i) => ({
    x: x[i],
    obs: scan.y[i],
    ...(options.fit ? { calc: options.fit.calculated[i], diff: options.fit.difference[i] } : {}),
  }));
  const yTitle = `Intensity (${scan.intensityKind === 'countsPerSecond' ? 'counts/s' : scan.intensityKind === 'counts' ? 'counts' : 'a.u.'})`;
  const scaleType = options.scale === 'log' ? 'symlog' : options.scale === 'sqrt' ? 'sqrt' : 'linear';
  const xEnc = { field: 'x', type: 'quantitative', title: AXIS_TITLE[options.axis], scale: { zero: false, domain: { param: 'zoom' } } };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'line', strokeWidth: 1, clip: true },
      params: [
        { name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' },
        { name: 'cursorX', select: { type: 'point', on: 'mousemove', nearest: true, fields: ['x'] } },
      ],
      encoding: {
        x: { field: 'x', type: 'quantitative', title: AXIS_TITLE[options.axis], scale: { zero: false } },
        y: { field: 'obs', type: 'quantitative', title: yTitle, scale: { type: scaleType, zero: false } },
        tooltip: [
          { field: 'x', type: 'quantitative', title: AXIS_TITLE[options.axis], format: '.4f' },
          { field: 'obs', type: 'quantitative', title: yTitle, format: '.1f' },
        ],
      },
    },
  ];
  if (options.fit) {
    layers.push(
      { mark: { type: 'line', strokeWidth: 1, color: '#e45756', clip: true }, encoding: { x: xEnc, y: { field: 'calc', type: 'quantitative' } } },
      { mark: { type: 'line', strokeWidth: 1, color: '#54a24b', clip: true }, encoding: { x: xEnc, y: { field: 'diff', type: 'quantitative' } } },
    );
  }
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 320,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    layer: layers,
  };
}

export function heatmapSpec(scans: readonly ScanView[]): Record<string, unknown> {
  const values: { x: number; scan: number; y: number }[] = [];
  for (const [s, scan] of scans.entries()) {
    const keep = decimate([scan.y], 600);
    for (const i of keep) values.push({ x: scan.x[i], scan: s + 1, y: scan.y[i] });
  }
  return {
    $schema: SCHEMA,
    width: 'container',
    height: Math.min(400, 20 + 12 * scans.length),
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x', type: 'quantitative', bin: { maxbins: 300 }, title: AXIS_TITLE[(scans[0]?.axis ?? 'twoTheta') as AxisChoice] },
      y: { field: 'scan', type: 'ordinal', title: 'Scan' },
      color: { field: 'y', type: 'quantitative', aggregate: 'mean', title: 'Intensity', scale: { type: 'sqrt', scheme: 'viridis' } },
    },
  };
}

export function echemSpec(rec: EchemView, cycle?: number): Record<string, unknown> {
  return echemTimeSpec(rec.columns, { cycle, width: 'container' });
}
