/**
 * Notebook renderer for `application/vnd.operando-xrd.chart+json`: vega-embed into the output element,
 * themed from VS Code, views finalized when an output is re-rendered or disposed. No network access:
 * everything vega needs is bundled, and `loader` refuses URLs.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { embedChart, type EmbeddedChart } from '../media/embed.ts';
import type { ChartPayload } from '../src/protocol/outputs.ts';

/** vega-embed's own stylesheet is off (it is written for web pages); these few rules fit VS Code's output area. */
const STYLE = `
.operando-xrd-chart .vega-embed { display: inline-block; }
.operando-xrd-chart .vega-embed details { margin-top: 4px; }
.operando-xrd-chart .vega-embed summary { cursor: pointer; color: var(--vscode-textLink-foreground); list-style: none; }
.operando-xrd-chart .vega-actions { display: flex; gap: 12px; }
.operando-xrd-chart .vega-actions a { color: var(--vscode-textLink-foreground); }
#vg-tooltip-element { position: fixed; z-index: 1000; padding: 4px 8px; pointer-events: none; visibility: hidden;
  background: var(--vscode-editorHoverWidget-background); color: var(--vscode-editorHoverWidget-foreground);
  border: 1px solid var(--vscode-editorHoverWidget-border); font-size: 12px; }
#vg-tooltip-element.visible { visibility: visible; }
.operando-xrd-data summary { cursor: pointer; color: var(--vscode-textLink-foreground); }
.operando-xrd-data table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
.operando-xrd-data th, .operando-xrd-data td { padding: 1px 8px 1px 0; text-align: left; }
`;

/** "View data": the chart's inline data as a table under it (first 200 rows), toggled on demand. */
function viewDataToggle(spec: Record<string, unknown>): HTMLElement {
  const details = document.createElement('details');
  details.className = 'operando-xrd-data';
  const summary = document.createElement('summary');
  summary.textContent = 'View data';
  details.appendChild(summary);
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('table')) return;
    const values = ((spec.data as { values?: Record<string, unknown>[] } | undefined)?.values ?? []).slice(0, 200);
    const columns = [...new Set(values.flatMap((r) => Object.keys(r)))];
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const c of columns) head.appendChild(Object.assign(document.createElement('th'), { textContent: c }));
    const body = table.createTBody();
    for (const r of values) {
      const tr = body.insertRow();
      for (const c of columns) tr.insertCell().textContent = r[c] === null || r[c] === undefined ? '' : String(r[c]);
    }
    details.appendChild(table);
  });
  return details;
}

export const activate: ActivationFunction = () => {
  if (!document.getElementById('operando-xrd-style')) {
    const style = document.createElement('style');
    style.id = 'operando-xrd-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  const views = new Map<string, EmbeddedChart>();
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement) {
      views.get(item.id)?.finalize();
      views.delete(item.id);
      element.replaceChildren();
      const container = document.createElement('div');
      container.className = 'operando-xrd-chart';
      element.appendChild(container);
      try {
        const payload = item.json() as ChartPayload;
        const chart = await embedChart(container, payload.spec, { actions: true });
        views.set(item.id, chart);
        container.dataset.rendered = 'true';
        container.appendChild(viewDataToggle(payload.spec));
      } catch (e) {
        container.textContent = `Could not draw this chart: ${(e as Error).message}`;
        container.dataset.rendered = 'error';
      }
    },
    disposeOutputItem(id?: string) {
      if (id === undefined) {
        for (const v of views.values()) v.finalize();
        views.clear();
      } else {
        views.get(id)?.finalize();
        views.delete(id);
      }
    },
  };
};
