/**
 * Vertical markers at characteristic lithium contents, shared by the analysis and electrochemistry
 * views.
 */
import { AXIS_TITLE, NEUTRAL_COLOR, formatWithSigma } from './spec.ts';

/**
 * A characteristic lithium content to mark (status 'none' is not drawn; 'boundary' is drawn
 * dashed).
 */
export interface CharacteristicMarker {
  readonly label: string;
  readonly cLi: number;
  readonly sigma?: number;
  readonly status?: 'interior' | 'boundary' | 'none';
}

/** Marker layers: σ band, rule (dashed at a boundary) and label, over the full panel height. */
export function markerLayersFor(markers: readonly CharacteristicMarker[] = []): Record<string, unknown>[] {
  const shown = markers.filter((m) => m.status !== 'none' && Number.isFinite(m.cLi));
  if (!shown.length) return [];
  const values = shown.map((m) => ({
    label: m.label,
    cLi: m.cLi,
    lo: m.cLi - (m.sigma ?? 0),
    hi: m.cLi + (m.sigma ?? 0),
    text: `${m.label}: ${formatWithSigma(m.cLi, m.sigma)}${m.status === 'boundary' ? ' (at the data edge)' : ''}`,
    boundary: m.status === 'boundary',
  }));
  const x = { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi };
  return [
    {
      data: { values },
      mark: { type: 'rect', opacity: 0.15, color: NEUTRAL_COLOR },
      encoding: { x: { field: 'lo', type: 'quantitative', title: AXIS_TITLE.cLi }, x2: { field: 'hi' } },
    },
    {
      data: { values },
      mark: { type: 'rule', color: NEUTRAL_COLOR, strokeWidth: 1.5 },
      encoding: {
        x,
        strokeDash: { condition: { test: 'datum.boundary', value: [4, 3] }, value: [1, 0] },
        tooltip: [{ field: 'text', type: 'nominal', title: 'Characteristic c_Li' }],
      },
    },
    {
      data: { values },
      mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dy: -3, y: 4, fontSize: 10 },
      encoding: { x, text: { field: 'label' } },
    },
  ];
}

