/**
 * The editor's interactive views: thin wrappers over the shared spec builders in src/core/plot that add what
 * only the editor needs (the cursor signal for the 2θ/d/q readout, the intensity scale switch).
 */
import type { EchemView, FitView, ScanView } from '../src/protocol/scanEditor.ts';
import { convertAxis as convertAxisArray } from '../src/core/data/axis.ts';
import type { AxisUnit } from '../src/core/data/scan.ts';

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

/** Keep at most `max` points with min/max decimation per bucket, so peaks survive at any zoom. */
function decimate(x: number[], ys: number[][], max: number): number[] {
  const n = x.length;
  if (n <= max) return x.map((_, i) => i);
  const buckets = Math.floor(max / 2);
  const idx: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (ys[0][i] < ys[0][lo]) lo = i;
      if (ys[0][i] > ys[0][hi]) hi = i;
    }
    idx.push(Math.min(lo, hi));
    if (lo !== hi) idx.push(Math.max(lo, hi));
  }
  return idx;
}

export function patternSpec(
  scan: ScanView,
  options: { axis: AxisChoice; scale: IntensityScale; wavelengthAngstrom: number | null; fit?: FitView },
): Record<string, unknown> {
  const x = scan.axis === options.axis || !options.wavelengthAngstrom ? scan.x : convertAxis(scan.x, scan.axis, options.axis, options.wavelengthAngstrom);
  const curves = [scan.y, ...(options.fit ? [options.fit.calculated, options.fit.difference] : [])];
  const keep = decimate(x, curves, 8000);
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
    const keep = decimate(scan.x, [scan.y], 600);
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
  const t = rec.columns.time_s ?? [];
  const cycles = rec.columns.cycle;
  const idx = t.map((_, i) => i).filter((i) => cycle === undefined || !cycles || cycles[i] === cycle);
  const series = (['voltage_V', 'current_mA', 'charge_mAh'] as const).filter((k) => rec.columns[k]);
  const keep = decimate(idx.map((i) => t[i]), [idx.map((i) => rec.columns[series[0]]?.[i] ?? 0)], 6000).map((j) => idx[j]);
  const titles: Record<string, string> = { voltage_V: 'Voltage (V)', current_mA: 'Current (mA)', charge_mAh: 'Charge (mAh)' };
  const values = keep.map((i) => Object.fromEntries([['time_h', t[i] / 3600], ...series.map((k) => [k, rec.columns[k][i]])]));
  return {
    $schema: SCHEMA,
    data: { values },
    vconcat: series.map((k, n) => ({
      width: 'container',
      height: 160,
      mark: { type: 'line', strokeWidth: 1 },
      ...(n === 0 ? { params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }] } : {}),
      encoding: {
        x: { field: 'time_h', type: 'quantitative', title: 'Time (h)' },
        y: { field: k, type: 'quantitative', title: titles[k], scale: { zero: false } },
        tooltip: [{ field: 'time_h', type: 'quantitative', title: 'Time (h)', format: '.4f' }, { field: k, type: 'quantitative', title: titles[k], format: '.5g' }],
      },
    })),
  };
}
