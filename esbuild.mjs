// The one build script. One table of entries -> dist/ (shipped in the .vsix and the npm package) and test bundles -> out/.
// usage: node esbuild.mjs [--watch] [--production] [--no-tests] [--unit]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const argv = new Set(process.argv.slice(2));
const production = argv.has('--production');
const watch = argv.has('--watch');
const withTests = !argv.has('--no-tests') && !production;

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022' };
// vega-canvas's node build awaits an optional `canvas` at top level, which CJS cannot hold; its browser build
// degrades to no canvas (text is measured by estimate), which is all headless SVG needs.
const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
};
const browser = { ...common, platform: 'browser' };

// The HDF5 reader thread: an ES module, since h5wasm is one (top-level await). Its WebAssembly is embedded in
// h5wasm's ESM build, so the bundle is the whole reader (no .wasm file beside it).
const hdf5Worker = (outdir) => ({ ...node, format: 'esm', entryPoints: { hdf5Worker: 'src/worker/hdf5Worker.ts' }, outdir, outExtension: { '.js': '.mjs' } });

/** What is shipped. Vega is bundled into the renderer and the editor webview alike; each loads on its own page. */
const shipped = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { worker: 'src/worker/main.ts' }, outdir: 'dist' },
  // The sequential pool's threads: readers and fits only, so they start in half the time of worker.js.
  { ...node, entryPoints: { fitWorker: 'src/worker/fitWorkerMain.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  hdf5Worker('dist'),
  // tsserver resolves plugins as packages under <extension>/node_modules (see scripts/package.mjs).
  { ...node, entryPoints: { index: 'src/tsPlugin/index.ts' }, outdir: 'node_modules/operando-xrd-ts-plugin' },
  { ...browser, format: 'esm', entryPoints: { renderer: 'renderers/index.ts' }, outdir: 'dist' },
  { ...browser, format: 'iife', entryPoints: { editor: 'media/editor.ts' }, outdir: 'dist' },
];

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTests(p));
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const tests = [
  { ...node, entryPoints: listTests('test/unit'), outdir: process.env.UNIT_OUTDIR || 'out/unit', outbase: 'test/unit', external: ['vscode'] },
  {
    ...node,
    entryPoints: ['test/integration/index.ts', ...listTests('test/integration')],
    outdir: 'out/integration',
    outbase: 'test/integration',
    external: ['vscode', 'mocha'],
  },
];

// --unit builds only the unit-test bundles (what `npm run test:unit` needs, fast).
// Test bundles find the HDF5 reader at the top of their output folder (src/worker/hdf5.ts looks up to two levels up).
const configs = argv.has('--unit')
  ? [tests[0], hdf5Worker(process.env.UNIT_OUTDIR || 'out/unit')]
  : [...shipped, ...(withTests ? [...tests.filter((t) => t.entryPoints.length), hdf5Worker(tests[0].outdir)] : [])];

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
  console.log('watching…');
} else {
  const t0 = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (!argv.has('--unit')) {
    fs.copyFileSync('media/editor.css', 'dist/editor.css');
    fs.writeFileSync('node_modules/operando-xrd-ts-plugin/package.json', JSON.stringify({ name: 'operando-xrd-ts-plugin', version: '0.1.0', main: 'index.js' }) + '\n');
  }
  console.log(`built ${configs.length} bundles in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
