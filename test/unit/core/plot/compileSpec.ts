// Compiles a Vega-Lite spec with vega-lite, collecting warnings, and lists every axis title of the Vega output
// (not a test file itself).
import { compile } from 'vega-lite';
import { parse, View } from 'vega';

export function compileSpec(spec: Record<string, unknown>): { vega: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level() {
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(' '));
      return this;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
  };
  const out = compile(spec as unknown as Parameters<typeof compile>[0], { logger: logger as never });
  return { vega: out.spec as unknown as Record<string, unknown>, warnings };
}

export function axisTitles(vega: unknown): string[] {
  const titles: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.axes)) {
      for (const a of o.axes as Record<string, unknown>[]) {
        if (a.title !== undefined) titles.push(Array.isArray(a.title) ? a.title.join(' ') : String(a.title));
      }
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(vega);
  return titles;
}

/** Counts axes that carry labels (grid-only axes excluded) but no title. */
export function untitledAxes(vega: unknown): number {
  let n = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.axes)) {
      for (const a of o.axes as Record<string, unknown>[]) if (a.grid !== true && a.labels !== false && a.title === undefined) n++;
    }
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(vega);
  return n;
}

export async function renderSvg(vega: Record<string, unknown>): Promise<string> {
  const view = new View(parse(vega as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Titles we accept: a quantity with a unit in parentheses, or a dimensionless quantity named as such. */
const DIMENSIONLESS = new Set(['c_Li', 'ε₀₀₁', 'εᵃ', 'εᶜ', 'Pattern index', 'State of charge']);
export function titleHasUnit(title: string): boolean {
  return /\(.+\)/.test(title) || DIMENSIONLESS.has(title);
}
