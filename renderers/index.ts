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
`;

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
