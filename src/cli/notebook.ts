/** Headless notebook execution: the kernel's own transpiler, session and API, outputs written as nbformat 4. */
import vm from 'node:vm';
import util from 'node:util';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Session } from '../worker/session.ts';
import { transpileCell } from '../worker/transpile.ts';
import { makeApi } from '../worker/api.ts';
import { renderSvg } from '../worker/svg.ts';
import { nodeFileAccess } from '../worker/nodeFiles.ts';
import { CHART_MIME, HTML_MIME, SVG_MIME, TEXT_MIME, VEGALITE_V5_MIME, type CellOutput } from '../protocol/outputs.ts';

interface IpynbCell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}
interface Ipynb {
  cells: IpynbCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** nbformat keeps multi-line strings as arrays of lines, each with its newline. */
const lines = (s: string) => s.split(/(?<=\n)/);
const V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export function toIpynbOutput(o: CellOutput, executionCount?: number): Record<string, unknown> {
  const result = (data: Record<string, unknown>) =>
    executionCount !== undefined
      ? { output_type: 'execute_result', execution_count: executionCount, data, metadata: {} }
      : { output_type: 'display_data', data, metadata: {} };
  switch (o.kind) {
    case 'stream':
      return { output_type: 'stream', name: o.name, text: lines(o.text) };
    case 'text':
      return result({ [TEXT_MIME]: lines(o.text) });
    case 'table':
      return result({ [HTML_MIME]: lines(o.html), [TEXT_MIME]: lines(o.text) });
    case 'chart':
      return result({
        [CHART_MIME]: o.chart,
        [VEGALITE_V5_MIME]: { ...o.chart.spec, $schema: V5_SCHEMA },
        ...(o.svg ? { [SVG_MIME]: lines(o.svg) } : {}),
        [TEXT_MIME]: lines(o.text),
      });
    case 'error':
      return { output_type: 'error', ename: o.name, evalue: o.message, traceback: o.stack.split('\n') };
  }
}

export interface RunReport {
  readonly cells: number;
  readonly failedCell?: number;
  readonly error?: string;
}

/** Run every code cell of `notebook` (parsed .ipynb) in order; stops at the first error. Mutates the cells' outputs. */
export async function runNotebook(notebook: Ipynb, notebookDir: string, log: (line: string) => void = () => undefined): Promise<RunReport> {
  const session = new Session({
    vm: { createContext: (s) => vm.createContext(s), runInContext: (code, ctx, o) => vm.runInContext(code, ctx, o) },
    makeRequire: (cwd) => createRequire(path.join(cwd, '__cell__.js')),
    inspect: (v) => util.inspect(v, { depth: 4, maxArrayLength: 20, breakLength: 100 }),
    makeApi: (ctx) => makeApi(ctx, nodeFileAccess),
    renderSvg,
  });
  let count = 0;
  let index = 0;
  for (const cell of notebook.cells) {
    index++;
    if (cell.cell_type !== 'code') continue;
    count++;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const outputs: Record<string, unknown>[] = [];
    cell.outputs = outputs;
    cell.execution_count = count;
    const name = `Cell ${index}`;
    const t0 = Date.now();
    try {
      const { code } = transpileCell(source);
      const value = await session.run(code, name, notebookDir, {
        emit: (o) => outputs.push(toIpynbOutput(o)),
        // A log line every 10 % of long work, not one per step.
        progress: (done, total, message) => {
          if (done === total || Math.floor((10 * done) / total) > Math.floor((10 * (done - 1)) / total)) log(`${name}: ${message ?? 'working'} ${done}/${total}`);
        },
      });
      if (value) outputs.push(toIpynbOutput(value, count));
      log(`${name}: ok (${Date.now() - t0} ms)`);
    } catch (e) {
      // Cell errors come from the vm context's realm: read their fields rather than relying on instanceof.
      const err = e as Error;
      const stack = (err.stack ?? String(err)).split('\n').filter((l, i) => i === 0 || l.includes(name)).join('\n');
      outputs.push(toIpynbOutput({ kind: 'error', name: err.name ?? 'Error', message: err.message, stack }));
      return { cells: count, failedCell: index, error: `${name}: ${err.name}: ${err.message}` };
    }
  }
  return { cells: count };
}
