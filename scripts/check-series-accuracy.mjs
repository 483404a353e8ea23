// Full accuracy check on the 200-pattern simulated operando series (the unit test runs a subset).
// usage: node scripts/check-series-accuracy.mjs [lebail|pawley] [step]   → prints a JSON summary and the worst rows
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import fs from 'node:fs';

const method = process.argv[2] ?? 'pawley';
const step = Number(process.argv[3] ?? 1);
fs.mkdirSync('out/scripts', { recursive: true });
await esbuild.build({
  entryPoints: ['test/unit/core/diffraction/seriesAccuracy.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'out/scripts/seriesAccuracy.cjs',
  logLevel: 'warning',
});
const { runSeries, summarise } = createRequire(import.meta.url)('../out/scripts/seriesAccuracy.cjs');
const indices = [];
for (let i = 0; i < 200; i += step) indices.push(i);
const rows = runSeries(indices, method);
console.log(JSON.stringify({ method, step, ...summarise(rows) }, null, 1));
const worst = [...rows].sort((p, q) => Math.abs(q.c - q.truth.c) / q.cSigma - Math.abs(p.c - p.truth.c) / p.cSigma).slice(0, 5);
for (const r of worst) {
  console.log(
    `#${r.index} Δa=${(r.a - r.truth.a).toExponential(2)} (${((r.a - r.truth.a) / r.aSigma).toFixed(1)}σ) ` +
      `Δc=${(r.c - r.truth.c).toExponential(2)} (${((r.c - r.truth.c) / r.cSigma).toFixed(1)}σ) ` +
      `ε001=${r.e001.toExponential(2)}±${r.e001Sigma.toExponential(1)} (true ${r.truth.epsC.toExponential(2)}) ζ=${r.zeta.toFixed(2)} GoF=${r.gof.toFixed(3)} ${r.ms.toFixed(0)} ms`,
  );
}
