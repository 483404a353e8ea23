/**
 * vega-embed set up the same way for the notebook renderer and the custom editor: SVG renderer, the
 * expression interpreter instead of `new Function` (so a CSP without 'unsafe-eval' holds), no injected
 * default style (our CSS styles the actions), actions limited to exports and data, a theme that follows VS Code,
 * and a loader that never touches the network.
 */
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

export interface EmbeddedChart {
  readonly view: Result['view'];
  finalize(): void;
  toSVG(): Promise<string>;
  toPNG(scale?: number): Promise<string>;
}

/** 'light' | 'dark' | 'high-contrast' | 'high-contrast-light', from the attribute VS Code puts on <body>. */
export function themeKind(): string {
  const kind = document.body.dataset.vscodeThemeKind ?? '';
  if (kind.includes('high-contrast-light')) return 'high-contrast-light';
  if (kind.includes('high-contrast')) return 'high-contrast';
  if (kind.includes('dark')) return 'dark';
  return 'light';
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Colours taken from the VS Code theme so that axes and labels stay readable in every theme. */
export function themeConfig(): Record<string, unknown> {
  const kind = themeKind();
  const fg = cssVar('--vscode-editor-foreground', kind === 'light' || kind === 'high-contrast-light' ? '#1f1f1f' : '#e0e0e0');
  const grid = cssVar('--vscode-editorWidget-border', kind === 'light' ? '#dddddd' : '#555555');
  const strong = kind.startsWith('high-contrast');
  return {
    background: null,
    font: cssVar('--vscode-font-family', 'sans-serif'),
    axis: { labelColor: fg, titleColor: fg, domainColor: fg, tickColor: fg, gridColor: grid, gridOpacity: strong ? 0.8 : 0.4 },
    legend: { labelColor: fg, titleColor: fg },
    title: { color: fg, subtitleColor: fg },
    view: { stroke: strong ? fg : null },
    style: { 'guide-label': { fill: fg }, 'guide-title': { fill: fg } },
  };
}

const noNetwork = {
  load: () => Promise.reject(new Error('Operando XRD charts load no external data')),
  sanitize: () => Promise.reject(new Error('Operando XRD charts load no external data')),
  http: () => Promise.reject(new Error('no network')),
  file: () => Promise.reject(new Error('no files')),
};

const V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const V6_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export async function embedChart(
  el: HTMLElement,
  spec: Record<string, unknown>,
  options: { actions?: boolean } = {},
): Promise<EmbeddedChart> {
  // Specs declare Vega-Lite 5 (the MIME type JupyterLab renders from saved notebooks); this bundle is Vega-Lite 6, which
  // reads them as they are and would otherwise warn about the version on every chart.
  const current = spec.$schema === V5_SCHEMA ? { ...spec, $schema: V6_SCHEMA } : spec;
  const result = await embed(el, current as never, {
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    actions: options.actions ? { export: true, source: false, compiled: false, editor: false } : false,
    config: themeConfig() as never,
    loader: noNetwork as never,
    tooltip: { disableDefaultStyle: true } as never,
  });
  return {
    view: result.view,
    finalize: () => result.finalize(),
    toSVG: () => result.view.toSVG(),
    toPNG: (scale = 2) => result.view.toImageURL('png', scale),
  };
}
