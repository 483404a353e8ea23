/** CellOutput (from the worker) → VS Code notebook outputs, in the item order the ipynb serializer keeps. */
import * as vscode from 'vscode';
import { CHART_MIME, HTML_MIME, SVG_MIME, TEXT_MIME, VEGALITE_V5_MIME, type CellOutput } from '../protocol/outputs.ts';

const V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

export function toNotebookOutput(output: CellOutput, asResult?: { executionCount?: number }): vscode.NotebookCellOutput {
  // Values are saved as execute_result, everything else as display_data (ipynb serializer reads metadata.outputType).
  const metadata = asResult ? { outputType: 'execute_result', executionCount: asResult.executionCount } : undefined;
  switch (output.kind) {
    case 'stream':
      return new vscode.NotebookCellOutput(
        [output.name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(output.text) : vscode.NotebookCellOutputItem.stderr(output.text)],
      );
    case 'text':
      return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(output.text, TEXT_MIME)], metadata);
    case 'chart': {
      // Our renderer first; then a Vega-Lite 5 spec JupyterLab renders; then the headless SVG; then text.
      const items = [
        vscode.NotebookCellOutputItem.json(output.chart, CHART_MIME),
        vscode.NotebookCellOutputItem.json({ ...output.chart.spec, $schema: V5_SCHEMA }, VEGALITE_V5_MIME),
      ];
      if (output.svg) items.push(vscode.NotebookCellOutputItem.text(output.svg, SVG_MIME));
      items.push(vscode.NotebookCellOutputItem.text(output.text, TEXT_MIME));
      return new vscode.NotebookCellOutput(items, metadata);
    }
    case 'table':
      return new vscode.NotebookCellOutput(
        [vscode.NotebookCellOutputItem.text(output.html, HTML_MIME), vscode.NotebookCellOutputItem.text(output.text, TEXT_MIME)],
        metadata,
      );
    case 'error':
      return new vscode.NotebookCellOutput([
        vscode.NotebookCellOutputItem.error({ name: output.name, message: output.message, stack: output.stack }),
      ]);
  }
}
