/**
 * The editor's interactive views: thin wrappers over the shared spec builders in src/core/plot that add what
 * only the editor needs (the cursor signal for the 2θ/d/q readout, the intensity scale switch).
 */
import type { EchemView, FitView, ScanView } from '../src/protocol/scanEditor.ts';
import { convertAxis as convertAxisArray } from '../src/core/data/axis.ts';
import type { AxisUnit } from '../src/core/data/scan.ts';
import { minMaxDecimate } from '../src/core/plot/decimate.ts';
import { echemTimeSpec } from '../src/core/plot/echemTimeSpec.ts';
import { operandoHeatmapSpec } from '../src/core/plot/operandoSpec.ts';
import { AXIS_TITLE, VEGA_LITE_SCHEMA } from '../src/core/plot/spec.ts';

export type AxisChoice = 'twoTheta' | 'q' | 'd';
export type IntensityScale = 'linear' | 'sqrt' | 'log';


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

/** The unit of a scan's intensities as axis and column titles write it. */
export function intensityUnit(kind: ScanView['intensityKind']): string {
  return kind === 'countsPerSecond' ? 'counts/s' : kind === 'counts' ? 'counts' : 'a.u.';
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
  const yTitle = `Intensity (${intensityUnit(scan.intensityKind)})`;
  const scaleType = options.scale === 'log' ? 'symlog' : options.scale === 'sqrt' ? 'sqrt' : 'linear';
  const xEnc = { field: 'x', type: 'quantitative', title: AXIS_TITLE[options.axis], scale: { zero: false, domain: { param: 'zoom' } } };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'line', strokeWidth: 1, clip: true },
      // No tooltip: a line's tooltip shows its first point wherever it is hovered; the editor's readout follows the
      // pointer instead (media/editor.ts).
      params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }],
      encoding: {
        x: { field: 'x', type: 'quantitative', title: AXIS_TITLE[options.axis], scale: { zero: false } },
        y: { field: 'obs', type: 'quantitative', title: yTitle, scale: { type: scaleType, zero: false } },
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
    $schema: VEGA_LITE_SCHEMA,
    width: 'container',
    height: 320,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    layer: layers,
  };
}

/** All scans of a multi-scan file, rows by scan index: the shared operando heatmap, fitted to the panel. */
export function heatmapSpec(scans: readonly ScanView[]): Record<string, unknown> {
  return {
    ...operandoHeatmapSpec({
      x: Float64Array.from(scans[0].x),
      xs: scans.map((s) => Float64Array.from(s.x)),
      patterns: scans.map((s) => Float64Array.from(s.y)),
      axis: scans[0].axis,
      row: 'index',
      files: scans.map((s) => s.label),
    }),
    width: 'container',
  };
}

export function echemSpec(rec: EchemView, cycle?: number): Record<string, unknown> {
  return echemTimeSpec(rec.columns, { cycle, width: 'container' });
}
