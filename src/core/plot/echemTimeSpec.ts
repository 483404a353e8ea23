/** Cycler record against time: voltage, current and charge stacked, sharing the time axis, zoomable. */
import { minMaxDecimate } from './decimate.ts';
import { AXIS_TITLE, topLevel, zoomParam, type VegaLiteSpec } from './spec.ts';

const TITLES: Record<string, string> = { voltage_V: AXIS_TITLE.voltage, current_mA: AXIS_TITLE.current, charge_mAh: 'Charge (mAh)' };

/**
 * @param columns - canonical cycler columns (`time_s` and any of `voltage_V`, `current_mA`, `charge_mAh`, `cycle`).
 * @param options.cycle - keep only this cycle number.
 */
export function echemTimeSpec(
  columns: Readonly<Record<string, ArrayLike<number>>>,
  options: { readonly cycle?: number; readonly title?: string; readonly width?: number | 'container'; readonly maxPoints?: number } = {},
): VegaLiteSpec {
  const t = columns.time_s;
  if (!t) throw new RangeError('echemTimeSpec: the record has no time_s column');
  const shown = (['voltage_V', 'current_mA', 'charge_mAh'] as const).filter((k) => columns[k]);
  const cycles = columns.cycle;
  const idx = Array.from({ length: t.length }, (_, i) => i).filter((i) => options.cycle === undefined || !cycles || cycles[i] === options.cycle);
  const first = shown.length ? Float64Array.from(idx, (i) => columns[shown[0]][i]) : Float64Array.from(idx, (i) => t[i]);
  const keep = minMaxDecimate([first], options.maxPoints ?? 6000);
  const values = Array.from(keep, (j) => {
    const i = idx[j];
    const row: Record<string, number | null> = { time_h: t[i] / 3600 };
    for (const k of shown) row[k] = Number.isFinite(columns[k][i]) ? columns[k][i] : null;
    return row;
  });
  return topLevel(
    {
      data: { values },
      vconcat: shown.map((k, n) => ({
        width: options.width ?? 560,
        height: 150,
        mark: { type: 'line', strokeWidth: 1 },
        ...(n === 0 ? { params: [zoomParam('zoom', ['x'])] } : {}),
        encoding: {
          x: { field: 'time_h', type: 'quantitative', title: AXIS_TITLE.timeH, scale: n === 0 ? undefined : { domain: { param: 'zoom', encoding: 'x' } } },
          // No tooltip: a line answers a hover with its first point, whatever the time under the pointer.
          y: { field: k, type: 'quantitative', title: TITLES[k], scale: { zero: false } },
        },
      })),
    },
    options.title,
  );
}
