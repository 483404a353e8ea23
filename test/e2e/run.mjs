// e2e tier: the packaged .vsix installed into a real workbench (code-server 4.100.3 = VS Code 1.100.3), driven by
// chromium through playwright-core like a person would: open the example notebook, Run All, find the chart's SVG in
// the output webview, save, reload and find it again; interrupt an endless cell; open scan and cycler files in the
// custom editor and find their plots. Screenshots go to test-results/. Timings are logged, never asserted tightly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { installVsix, launchBrowser, startCodeServer, USER_SETTINGS } from '../harness/workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const summaryFile = path.join(root, 'out/e2e-summary.json');
let passed = 0;
let failed = 0;
const timings = {};
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} - ${name}${detail ? ' ' + detail : ''}`);
}
function finish() {
  fs.mkdirSync(path.dirname(summaryFile), { recursive: true });
  fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed, timings }));
  fs.writeFileSync(path.join(results, 'e2e-timings.json'), JSON.stringify(timings, null, 1));
  console.log(`# timings (ms): ${JSON.stringify(timings)}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// 1. Package exactly what users install.
const pack = spawnSync(process.execPath, [path.join(root, 'scripts/package.mjs')], { stdio: 'inherit', cwd: root });
check('the extension packages into a .vsix under 5 MB', pack.status === 0);
if (pack.status !== 0) finish();
const vsix = path.join(root, 'operando-xrd.vsix');
const vsixMb = fs.statSync(vsix).size / 1e6;
timings.vsixMegabytes = Number(vsixMb.toFixed(2));
check('the .vsix is under 5 MB', vsixMb < 5, `${vsixMb.toFixed(2)} MB`);

const state = fs.mkdtempSync(path.join(os.tmpdir(), 'operando-xrd-e2e-'));
// The examples read ../test/fixtures/…: copy both, so the workspace looks like the repository and nothing in the
// repository itself is touched by saving.
const repoCopy = path.join(state, 'repo');
const workspace = path.join(repoCopy, 'examples');
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
fs.cpSync(path.join(root, 'test/e2e/workspace'), workspace, { recursive: true });
for (const dir of ['simulated', 'operando', 'neware']) fs.cpSync(path.join(root, 'test/fixtures', dir), path.join(repoCopy, 'test/fixtures', dir), { recursive: true });
// One real file per format for the custom editor.
const FORMAT_FILES = [
  'xrdml/Scan_C1.xrdml', 'brml/corundum.brml', 'bruker-raw/corundum.raw', 'bruker-raw/BT86.raw', 'uxd/BT86_.UXD', 'rigaku/inas_layer_radial_002_004.ras',
  'rigaku/JO_KL_16_ZF_3_60deg_0.02step_12degpermin_001.rasx', 'gsas/PBSO4.XRA', 'gsas/OH_00.fxye', 'gsas/Er2Ge2O7_op2112_Ge113_2K.gss', 'chi/Data_0001.chi',
  'xy/example_mythen.xye', 'pdcif/xrdpattern_data.cif', 'biologic/gcpl.issue_149.mpr', 'neware/cc8.ndax', 'gamry/exampleDataGamry.DTA',
];
fs.mkdirSync(path.join(workspace, 'formats'), { recursive: true });
for (const f of FORMAT_FILES) fs.copyFileSync(path.join(root, 'test/fixtures', f), path.join(workspace, 'formats', path.basename(f)));
fs.mkdirSync(path.join(state, 'user-data/User'), { recursive: true });
fs.writeFileSync(
  path.join(state, 'user-data/User/settings.json'),
  JSON.stringify({
    ...USER_SETTINGS,
    'files.autoSave': 'off',
    // .xy is ambiguous, so our viewer is an 'option' editor; a user picks it once like this.
    'workbench.editorAssociations': { '*.xy': 'operandoXrd.scanViewerOptional', '*.raw': 'operandoXrd.scanViewerOptional', '*.cif': 'operandoXrd.scanViewerOptional' },
  }),
);
fs.writeFileSync(path.join(state, 'config.yaml'), '');
installVsix(state, vsix);
const server = await startCodeServer({ stateDir: state });
const browser = await launchBrowser(path.join(state, 'chromium'));
const page = browser.pages()[0] ?? (await browser.newPage());
const consoleLines = [];
page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

async function until(what, fn, timeoutMs = 60000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}
async function inFrames(selector) {
  for (const f of page.frames()) {
    try {
      const h = await f.$(selector);
      if (h) return { frame: f, handle: h };
    } catch {
      /* frame detached */
    }
  }
  return undefined;
}
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill('>' + title);
  const exact = new RegExp('^' + title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) });
  await row.first().waitFor({ timeout: 15000 });
  await row.first().click();
}
async function quickOpen(name) {
  // Focus the workbench first: after a reload the keyboard may still be nowhere.
  await page.locator('.monaco-workbench .part.statusbar').click().catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}
async function closeAllEditors() {
  await page.keyboard.press('Escape');
  await runCommand('View: Close All Editors');
  // A dirty editor asks whether to save: the examples are copies, but keep them as they are.
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  if (await dontSave.first().isVisible({ timeout: 1500 }).catch(() => false)) await dontSave.first().click();
  await page.waitForTimeout(500);
}
async function openWorkbench() {
  await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await page.waitForTimeout(1500);
}
/**
 * After a window reload code-server 1.100 may show the two-step kernel picker once (source, then kernel) although ours
 * is the only controller; pick ours and note it. The first window, which is what users meet, is checked without this.
 */
async function pickOurKernelIfAsked() {
  for (let step = 0; step < 2; step++) {
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Operando XRD' });
    if (!(await row.first().isVisible({ timeout: 2500 }).catch(() => false))) return;
    console.log(`# kernel picker shown after reload (step ${step + 1}); choosing Operando XRD`);
    timings.kernelPickerAfterReload = (timings.kernelPickerAfterReload ?? 0) + 1;
    await row.first().click();
  }
}
async function countChartMarks(selector) {
  const found = await inFrames(`${selector} svg`);
  if (!found) return 0;
  return found.frame.$$eval(`${selector} svg path, ${selector} svg line, ${selector} svg rect`, (els) => els.length);
}

try {
  const t0 = Date.now();
  await openWorkbench();
  timings.workbench = Date.now() - t0;

  // --- notebook: Run All, chart in the output webview ---
  await quickOpen('quick-look.ipynb');
  await page.waitForSelector('.notebook-editor .cell-list-container', { timeout: 60000 });
  const kernelLabel = await until('kernel label', async () => {
    const t = await page.locator('.notebook-editor .notebook-toolbar-container').innerText();
    return t.includes('Operando XRD') ? t : undefined;
  }, 30000).catch(() => '');
  check('our kernel is selected for the example notebook without a picker', kernelLabel.includes('Operando XRD (TypeScript)'));
  const tRun = Date.now();
  await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
  const chart = await until('chart in the notebook output', () => inFrames('.operando-xrd-chart[data-rendered="true"] svg'), 90000).catch(() => undefined);
  timings.runAllToChart = Date.now() - tRun;
  const marks = chart ? await countChartMarks('.operando-xrd-chart[data-rendered="true"]') : 0;
  check('Run All draws the chart through our renderer', chart !== undefined && marks > 0, `${marks} marks`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(results, 'notebook.png') });

  await closeAllEditors();

  // --- the pipeline notebook: every chart, saved with all representations, still there after reopening ---
  await quickOpen('pipeline.ipynb');
  await page.waitForSelector('.notebook-editor .cell-list-container', { timeout: 60000 });
  const tPipe = Date.now();
  await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
  // Running: the toolbar shows Interrupt; done when Run All is back.
  await until('pipeline to start', async () => (await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Interrupt' }).count()) > 0, 30000).catch(() => false);
  await until('pipeline to finish', async () => (await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Run All' }).count()) > 0, 240000);
  timings.pipelineRunAll = Date.now() - tPipe;
  const rendered = await until('charts rendered', async () => {
    let n = 0;
    for (const f of page.frames()) n += await f.$$eval('.operando-xrd-chart[data-rendered="true"] svg', (els) => els.length).catch(() => 0);
    return n >= 1 ? n : undefined;
  }, 60000).catch(() => 0);
  // Outputs far below the viewport are rendered when scrolled to; the saved file below has them all.
  check('the pipeline notebook draws its charts in the output webview', rendered >= 1, `${rendered} visible`);
  await page.screenshot({ path: path.join(results, 'pipeline.png') });
  const pipeFile = path.join(workspace, 'pipeline.ipynb');
  // Save until the file holds the last cell's charts (the last outputs may still be arriving when Run All returns).
  for (let i = 0; i < 12 && !fs.readFileSync(pipeFile, 'utf8').includes('Chart: master_curve'); i++) {
    await page.locator('.notebook-editor .cell-list-container').click({ position: { x: 30, y: 30 } }).catch(() => {});
    await runCommand('File: Save').catch(() => {});
    await page.waitForTimeout(5000);
  }
  const saved = JSON.parse(fs.readFileSync(pipeFile, 'utf8'));
  timings.pipelineSavedMegabytes = Number((fs.statSync(pipeFile).size / 1e6).toFixed(2));
  const outs = saved.cells.flatMap((c) => c.outputs ?? []);
  const charts = outs.filter((o) => o.data?.['application/vnd.operando-xrd.chart+json']);
  const complete = charts.filter((o) => ['application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain'].every((m) => m in o.data));
  check('every pipeline chart is saved with our MIME, Vega-Lite 5, SVG and text', charts.length >= 7 && complete.length === charts.length, `${complete.length}/${charts.length}`);
  check('no pipeline cell failed', !outs.some((o) => o.output_type === 'error'), JSON.stringify(outs.filter((o) => o.output_type === 'error').map((o) => o.evalue)));
  await openWorkbench();
  await quickOpen('pipeline.ipynb');
  const again = await until('chart after reopening', () => inFrames('.operando-xrd-chart[data-rendered="true"] svg'), 60000).catch(() => undefined);
  await page.screenshot({ path: path.join(results, 'pipeline-reopened.png') });
  check('the reopened pipeline notebook shows its saved charts without running', again !== undefined);
  await closeAllEditors();

  // --- interrupt an endless cell ---
  await quickOpen('interrupt.ipynb');
  await page.waitForSelector('.notebook-editor .cell-list-container', { timeout: 60000 });
  await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
  await pickOurKernelIfAsked();
  const interruptButton = page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: /Interrupt|Stop Execution/ }).first();
  await interruptButton.waitFor({ timeout: 30000 });
  await page.waitForTimeout(1000);
  const tInt = Date.now();
  await interruptButton.click();
  const stopped = await until('Run All to come back', async () => (await page.locator('.notebook-editor .notebook-toolbar-container .action-item', { hasText: 'Run All' }).count()) > 0, 10000).catch(() => false);
  timings.interruptToIdle = Date.now() - tInt;
  check('Interrupt stops an endless cell (goal 1 s, bound 10 s)', stopped && timings.interruptToIdle < 10000, `${timings.interruptToIdle} ms`);
  await page.screenshot({ path: path.join(results, 'interrupt.png') });
  await closeAllEditors();

  // --- custom editor: diffraction ---
  const tOpen = Date.now();
  await quickOpen('pattern.xy');
  const plot = await until('plot in the custom editor', () => inFrames('#plot[data-rendered="true"] svg'), 60000).catch(() => undefined);
  timings.customEditorFirstPaint = Date.now() - tOpen;
  check('the custom editor draws the .xy pattern', plot !== undefined && (await countChartMarks('#plot')) > 0, `${timings.customEditorFirstPaint} ms`);
  await page.waitForTimeout(500);
  // Parsed file in the webview → chart drawn, for the 7001-point pattern (goal for 16 000 points: 500 ms).
  timings.customEditorPaintMs = await plot?.frame.$eval('#plot', (e) => Number(e.dataset.paintMs)).catch(() => undefined);
  const meta = await inFrames('.meta table');
  const metaText = meta ? await meta.handle.innerText() : '';
  check('the custom editor shows the metadata table', /points/.test(metaText) && /7001/.test(metaText));
  // The readout follows the pointer anywhere over the plot, not only on the 1-px line.
  let readoutText = '';
  if (plot) {
    const box = await plot.handle.boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.37, box.y + box.height * 0.2, { steps: 4 });
    await until('cursor readout', async () => /2θ \(°\) = \d/.test((readoutText = await plot.frame.$eval('#readout', (e) => e.textContent ?? '').catch(() => ''))), 5000).catch(() => false);
  }
  // pattern.xy states λ = 0.459200735 Å, so d and q come with 2θ: d = λ / (2 sin θ) checks the numbers shown, and the
  // pointer at 37 % of the width lies inside the 2–30° scan.
  const shown = (label) => Number(new RegExp(`${label} = ([\\d.]+)`).exec(readoutText)?.[1]);
  const tth = shown('2θ \\(°\\)');
  const dShown = shown('d \\(Å\\)');
  const dExpected = 0.459200735 / (2 * Math.sin((tth * Math.PI) / 360));
  check(
    'the custom editor reads out 2θ, d, q and the intensity under the pointer',
    tth > 2 && tth < 30 && Math.abs(dShown / dExpected - 1) < 1e-3 && /q \(Å⁻¹\) = \d/.test(readoutText) && /I = \d/.test(readoutText),
    readoutText,
  );
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(results, 'custom-editor.png') });
  await closeAllEditors();

  // --- custom editor: cycler file ---
  await quickOpen('cycler.mpt');
  const echem = await until('cycler plot', () => inFrames('#plot[data-rendered="true"] svg'), 60000).catch(() => undefined);
  check('the custom editor draws the cycler file', echem !== undefined);
  if (echem) {
    // c_Li needs the active mass: type it, then ask for c_Li and dQ/dV.
    const mass = echem.frame.locator('vscode-text-field').first().locator('input');
    await mass.fill('10');
    await mass.press('Tab');
    await echem.frame.locator('vscode-button', { hasText: 'c_Li and dQ/dV' }).click();
    const li = await until('c_Li chart', () => inFrames('#li-plot svg'), 30000).catch(() => undefined);
    const dqdv = li ? await inFrames('#dqdv-plot svg') : undefined;
    check('the cycler view computes c_Li and dQ/dV once the mass is given', li !== undefined && dqdv !== undefined);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(results, 'custom-editor-cycler-lithium.png') });
  }
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(results, 'custom-editor-cycler.png') });
  await closeAllEditors();

  // --- one real file of each supported format ---
  const failedFormats = [];
  for (const f of FORMAT_FILES) {
    const name = path.basename(f);
    await quickOpen(name);
    const drawn = await until(`plot of ${name}`, () => inFrames('#plot[data-rendered="true"] svg'), 30000).catch(() => undefined);
    if (name === 'example_mythen.xye' && drawn) {
      await page.waitForTimeout(500);
      timings.customEditorPaintMs16553Points = await drawn.frame.$eval('#plot', (e) => Number(e.dataset.paintMs)).catch(() => undefined);
    }
    const metaTable = drawn ? await inFrames('.meta table') : undefined;
    if (!drawn || !metaTable) {
      failedFormats.push(name);
      await page.screenshot({ path: path.join(results, `format-${name}.png`) });
    }
    await closeAllEditors();
  }
  check(`the custom editor draws one real file of each of ${FORMAT_FILES.length} formats with its metadata`, failedFormats.length === 0, failedFormats.join(', '));
  // Our webviews allow only our files and nonce'd elements: anything else they try is blocked and logged.
  const cspViolations = consoleLines.filter((l) => /Content Security Policy/.test(l));
  check('the webviews ran without a Content Security Policy violation', cspViolations.length === 0, `${cspViolations.length}: ${cspViolations[0] ?? ''}`);
} catch (e) {
  check('e2e run', false, String(e?.stack ?? e));
  await page.screenshot({ path: path.join(results, 'failure.png') }).catch(() => {});
} finally {
  fs.writeFileSync(path.join(results, 'e2e-console.log'), consoleLines.join('\n'));
  await browser.close().catch(() => {});
  server.stop();
  finish();
}
