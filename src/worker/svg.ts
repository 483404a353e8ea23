/** Headless rendering of a Vega-Lite spec to SVG (vega's own renderer, no browser), for the CLI and notebook fallbacks. */

/**
 * vega and vega-lite load on the first chart, not at start: every CLI command would otherwise pay for them (about
 * 0.3 s) before doing anything.
 */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [{ compile }, { parse, View }] = await Promise.all([import('vega-lite'), import('vega')]);
  // vega-lite's types want a TopLevelSpec; our builders produce plain objects of that shape.
  const vegaSpec = compile(spec as unknown as Parameters<typeof compile>[0]).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
