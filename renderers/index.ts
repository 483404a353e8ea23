/**
 * Notebook renderer for `application/vnd.operando-xrd.chart+json`: vega-embed into the output element,
 * themed from VS Code, views finalized when an output is re-rendered or disposed. No network access:
 * everything vega needs is bundled, and `loader` refuses URLs.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { embedChart, type EmbeddedChart } from '../media/embed.ts';
import type { ChartPayload } from '../src/protocol/outputs.ts';

export const activate: ActivationFunction = () => {
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
