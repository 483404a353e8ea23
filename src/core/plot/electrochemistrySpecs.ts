/**
 * Electrochemistry views: voltage against c_Li, dQ/dV against voltage, dV/dQ against c_Li with
 * structural markers.
 */
import { markerLayersFor, type CharacteristicMarker } from './markers.ts';
import { DISPLAY_MAX_POINTS, minMaxDecimate } from './decimate.ts';
import { AXIS_TITLE, formatWithSigma, topLevel, zoomParam, type VegaLiteSpec } from './spec.ts';

/**
 * One electrochemistry series; `branch` labels (charge/discharge/rest) split the line and set its
 * dash.
 */
export interface EchemSeries {
  readonly name: string;
  readonly cLi: Float64Array;
  readonly voltageV: Float64Array;
  readonly branch?: readonly string[];
}

/**
 * Rows for a line drawn in sample order, split into segments at each branch change (so lines never
 * jump).
 */
function lineRows(
  name: string,
  x: Float64Array,
  y: Float64Array,
  branch: readonly string[] | undefined,
  maxPoints: number,
): Record<string, unknown>[] {
  const keep = minMaxDecimate([y, x], maxPoints);
  const out: Record<string, unknown>[] = [];
  let seg = 0;
  let last: string | undefined;
  for (const i of keep) {
    const b = branch?.[i] ?? '';
    if (last !== undefined && b !== last) seg++;
    last = b;
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    out.push({ series: name, i, seg: `${name}#${seg}`, x: x[i], y: y[i], branch: b || 'all', text: formatWithSigma(y[i]) });
  }
  return out;
}

function lineSpec(
  values: Record<string, unknown>[],
  xTitle: string,
  yTitle: string,
  width: number,
  extraLayers: unknown[],
  title?: string,
): VegaLiteSpec {
  return topLevel(
    {
      width,
      height: 300,
      layer: [
        ...extraLayers,
        {
          data: { values },
          params: [zoomParam('zoom')],
          mark: { type: 'line', strokeWidth: 1.2, clip: true },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } },
            y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
            color: { field: 'series', type: 'nominal', title: 'Series' },
            strokeDash: { field: 'branch', type: 'nominal', title: 'Branch' },
            detail: { field: 'seg', type: 'nominal' },
            order: { field: 'i', type: 'quantitative' },
            // Per-line fields only: a line answers a hover with its first point, and thousands of transparent
            // points would cost more than the curve.
            tooltip: [
              { field: 'series', type: 'nominal', title: 'Series' },
              { field: 'branch', type: 'nominal', title: 'Branch' },
            ],
          },
        },
      ],
    },
    title,
  );
}

/**
 * Voltage against c_Li, drawn in time order (charge and discharge dashed apart), decimated beyond
 * 5000 points.
 */
export function voltageSpec(input: {
  readonly series: readonly EchemSeries[];
  readonly markers?: readonly CharacteristicMarker[];
  readonly title?: string;
  readonly width?: number;
  readonly maxPoints?: number;
}): VegaLiteSpec {
  const values = input.series.flatMap((s) =>
    lineRows(s.name, s.cLi, s.voltageV, s.branch, input.maxPoints ?? DISPLAY_MAX_POINTS),
  );
  return lineSpec(values, AXIS_TITLE.cLi, AXIS_TITLE.voltage, input.width ?? 520, markerLayersFor(input.markers), input.title);
}

/** dQ/dV (mAh V⁻¹) against voltage, one line per constant-current segment. */
export function dQdVSpec(input: {
  readonly series: readonly {
    readonly name: string;
    readonly voltageV: Float64Array;
    readonly dQdVMahPerV: Float64Array;
    readonly branch?: readonly string[];
  }[];
  readonly title?: string;
  readonly width?: number;
  readonly maxPoints?: number;
}): VegaLiteSpec {
  const values = input.series.flatMap((s) =>
    lineRows(s.name, s.voltageV, s.dQdVMahPerV, s.branch, input.maxPoints ?? DISPLAY_MAX_POINTS),
  );
  return lineSpec(values, AXIS_TITLE.voltage, AXIS_TITLE.dQdV, input.width ?? 520, [], input.title);
}

/** dV/dQ (V mAh⁻¹) against c_Li, with characteristic contents from the structure as rules. */
export function dVdQSpec(input: {
  readonly series: readonly {
    readonly name: string;
    readonly cLi: Float64Array;
    readonly dVdQVPerMah: Float64Array;
    readonly branch?: readonly string[];
  }[];
  readonly markers?: readonly CharacteristicMarker[];
  readonly title?: string;
  readonly width?: number;
  readonly maxPoints?: number;
}): VegaLiteSpec {
  const values = input.series.flatMap((s) =>
    lineRows(s.name, s.cLi, s.dVdQVPerMah, s.branch, input.maxPoints ?? DISPLAY_MAX_POINTS),
  );
  return lineSpec(values, AXIS_TITLE.cLi, AXIS_TITLE.dVdQ, input.width ?? 520, markerLayersFor(input.markers), input.title);
}
