/** Headless rendering of a Vega-Lite spec to SVG (vega's own renderer, no browser), for the CLI and notebook fallbacks. */
import { compile } from 'vega-lite';
import { parse, View } from 'vega';

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  // vega-lite's types want a TopLevelSpec; our builders produce plain objects of that shape.
  const vegaSpec = compile(spec as unknown as Parameters<typeof compile>[0]).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
