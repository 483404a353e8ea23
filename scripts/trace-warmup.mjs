// What a fresh thread spends compiling the engine: the first N fits of the simulated series (read, quick estimate,
// cold fit, then warm fits seeded from the previous one), run in a new process with V8 tracing its optimising compiles
// and deoptimisations. Prints the time of each fit, the compiles (count and TurboFan time per function) and the
// deoptimisations by reason and place. The CLI, the bench and the notebook worker compile on the fitting thread
// (--no-concurrent-recompilation), as here.
// usage: node scripts/trace-warmup.mjs [N=30] [--all] [--pearson]   (--all lists every function, not the top 25;
// --pearson fits the Pearson VII profile instead of the TCH pseudo-Voigt)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const fits = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 30);
const all = process.argv.includes('--all');
const pearson = process.argv.includes('--pearson');
const dir = path.resolve('out/scripts');
fs.mkdirSync(dir, { recursive: true });
const entry = path.join(dir, 'warmupEntry.ts');
const src = (p) => JSON.stringify(path.resolve('src', p));
fs.writeFileSync(
  entry,
  `import fs from 'node:fs';
import { readData } from ${src('core/io/index.ts')};
import { parseInstprm } from ${src('core/diffraction/instprm.ts')};
import { fitPattern, quickEstimate } from ${src('worker/refine.ts')};
const series = ${JSON.stringify(path.resolve('test/fixtures/simulated/series'))};
const scan = (k: number) => (readData(new Uint8Array(fs.readFileSync(series + '/series_' + String(k).padStart(3, '0') + '.xy')), 'x') as any).scans[0];
const instrument = parseInstprm(fs.readFileSync(series + '.instprm', 'utf8')).instrument;
const model = { phases: ['layered'], strain: 'uniaxial001' as const, instrument${pearson ? ", profile: 'pearsonVII' as const" : ''} };
const times: number[] = [];
let t = performance.now();
const lap = () => { const now = performance.now(); times.push(now - t); t = now; };
const first = scan(0); lap();
const estimate = quickEstimate(first, model); lap();
let previous = fitPattern(first, model, { directStart: true }, estimate); lap();
for (let k = 1; k < ${fits}; k++) { previous = fitPattern(scan(k), model, { seed: previous }); lap(); }
console.log('LAPS ' + JSON.stringify(times));
`,
);
const bundle = path.join(dir, 'warmupEntry.cjs');
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning' });

const run = spawnSync(process.execPath, ['--no-concurrent-recompilation', '--trace-opt', '--trace-deopt', bundle], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  process.exit(run.status ?? 1);
}
const lines = run.stdout.split('\n');
const laps = JSON.parse(lines.find((l) => l.startsWith('LAPS '))?.slice(5) ?? '[]');
const compiles = new Map();
const deopts = new Map();
for (const l of lines) {
  const c = /completed compiling \S+ <JSFunction (\S*) .*?\(target TURBOFAN\)( OSR)? - took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(l);
  if (c) {
    const name = c[1] && !c[1].startsWith('(') ? c[1] : '(anonymous)';
    const e = compiles.get(name) ?? { count: 0, osr: 0, ms: 0 };
    e.count++;
    if (c[2]) e.osr++;
    e.ms += Number(c[3]) + Number(c[4]) + Number(c[5]);
    compiles.set(name, e);
  }
  const d = /bailout \(kind: ([\w-]+), reason: (.*?)\): begin.*?<JSFunction (\S*) /.exec(l);
  if (d) {
    const key = `${d[3] && !d[3].startsWith('(') ? d[3] : '(anonymous)'}: ${d[2]} (${d[1]})`;
    deopts.set(key, (deopts.get(key) ?? 0) + 1);
  }
  const m = /marking dependent code .*<SharedFunctionInfo (\S*)>\).* reason: (.*)\]/.exec(l);
  if (m) {
    const key = `${m[1] || '(anonymous)'}: ${m[2]} (dependency)`;
    deopts.set(key, (deopts.get(key) ?? 0) + 1);
  }
}
const ms = (v) => `${v.toFixed(0)} ms`;
const total = [...compiles.values()].reduce((s, e) => ({ count: s.count + e.count, ms: s.ms + e.ms }), { count: 0, ms: 0 });
console.log(`first ${fits} fits of a fresh thread (read, estimate, cold fit, then warm fits; ms): ${laps.map((v) => v.toFixed(0)).join(' ')}`);
console.log(`optimising compiles: ${total.count}, TurboFan ${ms(total.ms)} (the trace's own timing)`);
const byTime = [...compiles.entries()].sort((a, b) => b[1].ms - a[1].ms);
for (const [name, e] of all ? byTime : byTime.slice(0, 25)) {
  console.log(`  ${ms(e.ms).padStart(7)}  ${String(e.count).padStart(2)}×${e.osr ? ` (${e.osr} OSR)` : ''}  ${name}`);
}
console.log(`deoptimisations: ${[...deopts.values()].reduce((s, v) => s + v, 0)}`);
for (const [key, n] of [...deopts.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(3)}  ${key}`);
