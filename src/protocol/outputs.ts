/** MIME types and payloads of notebook outputs shared by the worker, the extension host, the renderer and the CLI. */

/** Our renderer's MIME type: a Vega-Lite spec plus a title, drawn with vega-embed. */
export const CHART_MIME = 'application/vnd.operando-xrd.chart+json';
/** What JupyterLab's built-in renderer draws (Vega-Lite 5). */
export const VEGALITE_V5_MIME = 'application/vnd.vegalite.v5+json';
export const SVG_MIME = 'image/svg+xml';
export const HTML_MIME = 'text/html';
export const TEXT_MIME = 'text/plain';

/** The payload behind CHART_MIME. */
export interface ChartPayload {
  readonly spec: Record<string, unknown>;
  readonly title?: string;
}

/** One output of a cell, before it becomes a NotebookCellOutput or an .ipynb output. */
export type CellOutput =
  | { readonly kind: 'stream'; readonly name: 'stdout' | 'stderr'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'chart'; readonly chart: ChartPayload; readonly svg?: string; readonly text: string }
  | { readonly kind: 'table'; readonly html: string; readonly text: string; readonly csv: string }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack: string };
