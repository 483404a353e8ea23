/**
 * Custom-editor webview: draws what the extension host sends (a parsed scan or cycler file) and asks the host for
 * fits and exports. It never reads or writes files itself.
 */
import type { EchemView, FitView, FromEditor, ScanView, ToEditor } from '../src/protocol/scanEditor.ts';
import { embedChart, type EmbeddedChart } from './embed.ts';
import { button, dataTable, divider, dropdown, formatNumber, progressRing, registerComponents, textField } from './components.ts';
import { convertAxis, echemSpec, heatmapSpec, intensityUnit, patternSpec, type AxisChoice, type IntensityScale } from './specs.ts';
import { AXIS_TITLE } from '../src/core/plot/spec.ts';
import { atBoundsWarning } from '../src/core/diffraction/atBoundsWarning.ts';

declare function acquireVsCodeApi(): { postMessage(m: FromEditor): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
registerComponents();

interface UiState {
  massMg: string;
  composition: string;
  timeZone: string;
  scanIndex: number;
  axis: AxisChoice;
  scale: IntensityScale;
  phase: string;
  wavelength: string;
  cycle: string;
}
const state: UiState = { massMg: '', composition: 'NMC811', timeZone: 'UTC', scanIndex: 0, axis: 'twoTheta', scale: 'linear', phase: 'layered', wavelength: '', cycle: 'all', ...((vscode.getState() as Partial<UiState>) ?? {}) };
const save = () => vscode.setState(state);

const app = document.getElementById('app')!;
let chart: EmbeddedChart | undefined;
let current: Extract<ToEditor, { type: 'diffraction' | 'electrochemistry' }> | undefined;
let fit: FitView | undefined;
let fileName = '';
let lithium: Extract<ToEditor, { type: 'lithium' }>['lithium'] | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function status(text: string, busy = false): void {
  const s = document.getElementById('status');
  if (!s) return;
  s.replaceChildren(...(busy ? [progressRing()] : []), text);
}

async function drawChart(target: HTMLElement, spec: Record<string, unknown>): Promise<void> {
  chart?.finalize();
  chart = await embedChart(target, spec, { actions: false });
  target.dataset.rendered = 'true';
}

function exportButtons(scanIndex: number): HTMLElement {
  return el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Export' },
    button('Export CSV', () => vscode.postMessage({ type: 'export', format: 'csv', scanIndex })),
    button('Export SVG', async () => chart && vscode.postMessage({ type: 'export', format: 'svg', scanIndex, content: await chart.toSVG() })),
    button('Export PNG', async () => chart && vscode.postMessage({ type: 'export', format: 'png', scanIndex, content: await chart.toPNG(2) })),
    button('New notebook from this file', () => vscode.postMessage({ type: 'newNotebook' })),
    button('Reopen as text', () => vscode.postMessage({ type: 'reopenAsText' })),
  );
}

function wavelengthOf(scan: ScanView): number | null {
  const typed = Number(state.wavelength);
  return state.wavelength && Number.isFinite(typed) && typed > 0 ? typed : scan.wavelengthAngstrom;
}

async function renderDiffraction(msg: Extract<ToEditor, { type: 'diffraction' }>): Promise<void> {
  if (state.scanIndex >= msg.scans.length) state.scanIndex = 0;
  const scan = msg.scans[state.scanIndex];
  const lambda = wavelengthOf(scan);
  if (!lambda && state.axis !== scan.axis) state.axis = scan.axis;
  const controls = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'View' });
  if (msg.scans.length > 1)
    controls.append(
      dropdown('Scan', msg.scans.map((s, i) => ({ value: String(i), label: `${i + 1}: ${s.label}` })), String(state.scanIndex), (v) => {
        state.scanIndex = Number(v);
        fit = undefined;
        save();
        void render();
      }, 'scan-select'),
    );
  const axes: { value: AxisChoice; label: string }[] = lambda
    ? (['twoTheta', 'q', 'd'] as const).map((a) => ({ value: a, label: AXIS_TITLE[a] }))
    : [{ value: scan.axis as AxisChoice, label: axisTitle(scan.axis) }];
  controls.append(
    dropdown('Axis', axes, state.axis, (v) => ((state.axis = v as AxisChoice), save(), void render()), 'axis-select'),
    dropdown('Intensity', [{ value: 'linear', label: 'linear' }, { value: 'sqrt', label: '√I' }, { value: 'log', label: 'log' }], state.scale, (v) => ((state.scale = v as IntensityScale), save(), void render()), 'scale-select'),
  );
  const fitBar = el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Fit' },
    dropdown('Phase', [{ value: 'layered', label: 'Layered R-3m (LiMO₂)' }, { value: 'layered+al', label: 'Layered + Al' }, { value: 'al', label: 'Al' }, { value: 'cu', label: 'Cu' }], state.phase, (v) => ((state.phase = v), save())),
    textField('λ (Å)', state.wavelength || (scan.wavelengthAngstrom ? String(scan.wavelengthAngstrom) : ''), (v) => ((state.wavelength = v), save())),
    button('Fit', () => {
      const w = Number(state.wavelength);
      vscode.postMessage({ type: 'fit', scanIndex: state.scanIndex, phase: state.phase, wavelengthAngstrom: Number.isFinite(w) && w > 0 ? w : undefined });
    }, { appearance: 'primary', id: 'fit-button', title: 'Le Bail fit in the worker' }),
    button('Cancel', () => vscode.postMessage({ type: 'cancelFit' }), { title: 'Cancel the fit' }),
  );
  const plot = el('div', { id: 'plot', class: 'plot', role: 'img', 'aria-label': `Diffraction pattern of ${fileName}` });
  const readout = el('div', { id: 'readout', class: 'readout', 'aria-live': 'polite' }, 'Move over the plot for 2θ, d and q.');
  const fitBox = el('section', { id: 'fit-result', class: 'fit' });
  if (fit && fit.scanIndex === state.scanIndex)
    fitBox.append(
      el('h2', {}, `Fit: ${fit.phase}`),
      dataTable(['quantity', 'value', 'σ'], [
        ['a (Å)', fit.a, fit.aSigma],
        ['c (Å)', fit.c, fit.cSigma],
        ['Rwp (%)', fit.Rwp * 100, ''],
        ['GoF', fit.gof, ''],
        ['stop', fit.stopReason, ''],
      ]),
      fit.atBounds.length
        ? el('p', { class: 'warning', role: 'alert' }, atBoundsWarning(fit.atBounds))
        : '',
    );
  const meta = el('section', { class: 'meta' }, el('h2', {}, 'Metadata'), dataTable(['key', 'value'], metadataRows(msg, scan)));
  const peaks = el('section', { class: 'peaks' }, el('h2', {}, 'Peaks'), dataTable(
    // Peaks are searched in 2θ only (methods.ts), so the width is in degrees; heights are net of the background.
    [axisTitle(scan.axis), 'd (Å)', `net height (${intensityUnit(scan.intensityKind)})`, 'FWHM (°)'],
    scan.peaks.slice(0, 40).map((p) => {
      const d = lambda || scan.axis === 'd' ? convertAxis([p.x], scan.axis, 'd', lambda ?? 0)[0] : NaN;
      return [p.x, d, p.height, p.fwhm];
    }),
    'Automatic peak search',
  ));
  const warnings = msg.warnings.length ? el('section', { class: 'warnings' }, el('h2', {}, 'Warnings'), el('ul', {}, ...msg.warnings.map((w) => el('li', {}, w)))) : '';
  app.replaceChildren(
    el('header', {}, el('h1', {}, fileName), el('span', { class: 'format' }, `${msg.format} · ${scan.x.length} points`)),
    controls,
    fitBar,
    el('div', { id: 'status', class: 'status', role: 'status' }),
    plot,
    readout,
    fitBox,
    exportButtons(state.scanIndex),
    divider(),
    el('div', { class: 'columns' }, meta, peaks),
    warnings,
  );
  if (msg.scans.length > 1) app.append(el('section', {}, el('h2', {}, 'All scans'), el('div', { id: 'heatmap', class: 'plot' })));
  await drawChart(plot, patternSpec(scan, { axis: state.axis, scale: state.scale, wavelengthAngstrom: lambda, fit: fit?.scanIndex === state.scanIndex ? fit : undefined }));
  // The readout follows the pointer: its x inverted through the chart's x scale (exact at any zoom, anywhere over the
  // plot), with the measured intensity at the nearest point of the scan.
  plot.addEventListener('pointermove', (event) => {
    const view = chart?.view;
    const svg = plot.querySelector('svg');
    const xScale = view?.scale('x') as ({ invert(px: number): number; range(): number[] } | undefined);
    if (!view || !svg || !xScale) return;
    const px = event.clientX - svg.getBoundingClientRect().left - view.origin()[0];
    const [r0, r1] = xScale.range();
    if (!(px >= Math.min(r0, r1) && px <= Math.max(r0, r1))) return;
    const value = xScale.invert(px);
    const parts = (['twoTheta', 'd', 'q'] as const)
      .filter((a) => a === state.axis || lambda)
      .map((a) => `${axisTitle(a)} = ${formatNumber(convertAxis([value], state.axis, a, lambda ?? 0)[0])}`);
    const i = nearestIndex(scan.x, scan.axis === state.axis || !lambda ? value : convertAxis([value], state.axis, scan.axis, lambda)[0]);
    if (i >= 0) parts.push(`I = ${formatNumber(scan.y[i])}`);
    readout.textContent = parts.join('   ');
  });
  if (msg.scans.length > 1) {
    const heat = document.getElementById('heatmap')!;
    await embedChart(heat, heatmapSpec(msg.scans), { actions: false });
  }
}

/** Index of the value of `xs` (sorted either way) nearest to `x`; −1 for an empty array. */
function nearestIndex(xs: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (!n) return -1;
  const ascending = xs[n - 1] >= xs[0];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x === ascending) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

function axisTitle(axis: string): string {
  return AXIS_TITLE[axis as AxisChoice] ?? axis;
}

function metadataRows(msg: Extract<ToEditor, { type: 'diffraction' }>, scan: ScanView): [string, string][] {
  const rows: [string, string][] = [['format', msg.format], ['points', String(scan.x.length)], ['axis', axisTitle(scan.axis)], ['intensity', scan.intensityKind]];
  for (const w of scan.wavelengths) rows.push([w.label && w.label !== 'λ' ? `λ (${w.label})` : 'λ', `${w.angstrom} Å × ${w.ratio} (${w.source})`]);
  if (!scan.wavelengths.length) rows.push(['λ', 'not in the file: enter one to convert axes and fit']);
  if (scan.startTime) rows.push(['start', scan.startTime]);
  for (const [k, v] of Object.entries({ ...msg.metadata, ...scan.metadata })) rows.push([k, v]);
  return rows;
}

async function renderEchem(msg: Extract<ToEditor, { type: 'electrochemistry' }>): Promise<void> {
  const rec: EchemView = msg.record;
  const cycles = rec.columns.cycle ? [...new Set(rec.columns.cycle)].sort((a, b) => a - b) : [];
  const liForm = el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Lithium content' },
    textField('Active mass (mg)', state.massMg, (v) => ((state.massMg = v), save())),
    textField('Composition', state.composition, (v) => ((state.composition = v), save())),
    textField('Time zone of the file', state.timeZone, (v) => ((state.timeZone = v), save())),
    button('c_Li and dQ/dV', () => {
      const mass = Number(state.massMg);
      if (!(mass > 0)) return status('Give the active mass in mg first.');
      status('Computing c_Li…', true);
      vscode.postMessage({ type: 'lithium', activeMassMg: mass, composition: state.composition, timeZone: state.timeZone || 'UTC' });
    }, { appearance: 'primary', title: 'Lithium content from the integrated current (science §6)' }),
  );
  const controls = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'View' });
  if (cycles.length > 1)
    controls.append(dropdown('Cycle', [{ value: 'all', label: 'all' }, ...cycles.map((c) => ({ value: String(c), label: String(c) }))], state.cycle, (v) => ((state.cycle = v), save(), void render()), 'cycle-select'));
  const plot = el('div', { id: 'plot', class: 'plot', role: 'img', 'aria-label': `Cycler data of ${fileName}` });
  const cols = Object.keys(rec.columns).map((k) => [k, rec.units[k] ?? '', String(rec.columns[k].length)] as [string, string, string]);
  app.replaceChildren(
    el('header', {}, el('h1', {}, fileName), el('span', { class: 'format' }, `${msg.format} · ${rec.records} records`)),
    controls,
    liForm,
    el('div', { id: 'status', class: 'status', role: 'status' }),
    plot,
    ...(lithium ? [el('h2', {}, 'Voltage against c_Li'), el('div', { id: 'li-plot', class: 'plot' }), el('h2', {}, 'dQ/dV'), el('div', { id: 'dqdv-plot', class: 'plot' })] : []),
    exportButtons(0),
    divider(),
    el('div', { class: 'columns' },
      el('section', { class: 'meta' }, el('h2', {}, 'Metadata'), dataTable(['key', 'value'], [...(rec.startTime ? [['start', rec.startTime] as [string, string]] : []), ...Object.entries(rec.metadata)])),
      el('section', {}, el('h2', {}, 'Columns'), dataTable(['column', 'unit', 'records'], cols)),
    ),
    msg.warnings.length ? el('section', { class: 'warnings' }, el('h2', {}, 'Warnings'), el('ul', {}, ...msg.warnings.map((w) => el('li', {}, w)))) : '',
  );
  await drawChart(plot, echemSpec(rec, state.cycle === 'all' ? undefined : Number(state.cycle)));
  if (lithium) {
    await embedChart(document.getElementById('li-plot')!, lithium.voltageSpec, { actions: false });
    await embedChart(document.getElementById('dqdv-plot')!, lithium.dqdvSpec, { actions: false });
    status(`Active mass ${lithium.activeMassMg} mg, M = ${lithium.molarMassGPerMol.toFixed(2)} g/mol; ${lithium.signs.join('; ')}`);
  }
}

async function render(): Promise<void> {
  try {
    if (current?.type === 'diffraction') await renderDiffraction(current);
    else if (current?.type === 'electrochemistry') await renderEchem(current);
  } catch (e) {
    app.replaceChildren(el('p', { class: 'error', role: 'alert' }, `Could not draw ${fileName}: ${(e as Error).message}`));
  }
}

window.addEventListener('message', (event: MessageEvent<ToEditor>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'loading':
      fileName = msg.file;
      app.replaceChildren(el('p', { class: 'status', id: 'status' }, progressRing(), `Reading ${msg.file} (${formatNumber(msg.bytes / 1e6)} MB)…`));
      break;
    case 'diffraction':
    case 'electrochemistry': {
      fileName = msg.file;
      current = msg;
      fit = undefined;
      lithium = undefined;
      // First paint: from the parsed file's arrival to the drawn chart (the e2e log reads it from #plot).
      const t0 = performance.now();
      void render().then(() => {
        const plot = document.getElementById('plot');
        if (plot) plot.dataset.paintMs = String(Math.round(performance.now() - t0));
      });
      break;
    }
    case 'lithium':
      lithium = msg.lithium;
      void render();
      break;
    case 'error':
      fileName = msg.file;
      app.replaceChildren(
        el('header', {}, el('h1', {}, msg.file)),
        el('p', { class: 'error', role: 'alert', id: 'error' }, msg.message),
        el('div', { class: 'toolbar' }, button('Reopen as text', () => vscode.postMessage({ type: 'reopenAsText' }))),
      );
      break;
    case 'fitProgress':
      status(msg.message, true);
      break;
    case 'fitResult':
      fit = msg.fit;
      void render();
      break;
    case 'fitError':
      status(msg.message);
      break;
  }
});

vscode.postMessage({ type: 'ready' });
