/** The .ipynb documents our commands create: ordinary Jupyter notebooks whose kernelspec names our kernel. */
import { KERNELSPEC } from './kernelspec.ts';

function cell(source: string, cellType: 'code' | 'markdown' = 'code') {
  const lines = source.split('\n').map((l, i, a) => (i < a.length - 1 ? l + '\n' : l));
  return cellType === 'code'
    ? { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines }
    : { cell_type: 'markdown', metadata: {}, source: lines };
}

export function notebookJson(cells: ReturnType<typeof cell>[]): string {
  return (
    JSON.stringify(
      {
        cells,
        metadata: {
          kernelspec: { ...KERNELSPEC },
          language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
        },
        nbformat: 4,
        nbformat_minor: 5,
      },
      null,
      1,
    ) + '\n'
  );
}

export function blankNotebook(): string {
  return notebookJson([
    cell('# Operando XRD notebook\nCells are TypeScript. `xrd` is the engine API; `show(chart)` draws a chart.', 'markdown'),
    cell("const scan = xrd.read('pattern.xy');\nshow(xrd.plot.pattern(scan));"),
  ]);
}

/** A notebook that reads and plots one file (path relative to the notebook, which sits beside it). */
export function notebookForFile(fileName: string, kind: 'diffraction' | 'electrochemistry' | 'series'): string {
  const quoted = JSON.stringify(fileName);
  if (kind === 'electrochemistry')
    return notebookJson([
      cell(`# ${fileName}`, 'markdown'),
      cell(`const echem = xrd.readEchem(${quoted});\nconsole.log(echem.records, 'records, columns:', Object.keys(echem.columns).join(', '));`),
      cell('show(xrd.plot.echem(echem));'),
    ]);
  if (kind === 'series')
    return notebookJson([
      cell(`# Operando series in ${fileName}`, 'markdown'),
      cell(`const series = xrd.readSeries(${quoted});\nconsole.log(series.length, 'patterns');`),
      cell('show(xrd.plot.heatmap(series));'),
    ]);
  return notebookJson([
    cell(`# ${fileName}`, 'markdown'),
    cell(`const scan = xrd.read(${quoted});\nshow(xrd.plot.pattern(scan));`),
    cell('xrd.findPeaks(scan).slice(0, 10)'),
  ]);
}
