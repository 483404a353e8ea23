// `npm run bench`: our engine side by side with the tools users would otherwise pick (issue #9), on the same data
// and machine, in one run. Reports; never asserts. Writes bench/results/latest.{md,json} and prints the table.
//
// usage: node bench/run.mjs [--quick] [--only read,convert,peaks,lmfit,cfityk,lebail,sequential,notebook,svg,bigfile]
//   --quick  20 patterns and fewer repetitions (for working on the bench itself; results are not comparable)
//
// Our measures run in child processes of out/bench/engine.cjs (bench/engine.ts bundled here), one per section, so
// that each has its own peak RSS; the peers run as their own processes (cfityk, xyconv) or in one Python process
// (lmfit). Times are medians of several runs; ratios are peer / ours (> 1: ours is faster).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall, hasCommand, median, ok, peakRss, timeProcess, TIME_BIN } from './proc.mjs';
import { CFITYK_ARGS, parseCfityk, writeCfitykScripts } from './peers/cfityk.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const onlyArg = argv[argv.indexOf('--only') + 1];
const ONLY = argv.includes('--only') && onlyArg ? new Set(onlyArg.split(',')) : undefined;
const want = (name) => !ONLY || ONLY.has(name);

const LAMBDA_ANGSTROM = 0.459200735;
const SERIES_DIR = 'test/fixtures/simulated/series';
const TRUTH = path.resolve('test/fixtures/simulated/truth_series.csv');
const XRDML_DIR = 'bench/data/xrdml-scanC';
const MPR_DIR = 'test/fixtures/biologic';
const CLI = path.resolve('dist/cli.js');
const WORKER = path.resolve('dist/fitWorker.js');
const ENGINE = path.resolve('out/bench/engine.cjs');
const PYTHON = '/usr/bin/python3';

const N_PATTERNS = QUICK ? 20 : 200;
const REPS = QUICK ? 2 : 5;
const PEAK_REPS = QUICK ? 1 : 3;
const CONVERT_FILES = QUICK ? 5 : 20;
const CONVERT_REPS = QUICK ? 1 : 3;
const SEQ_BUDGET_S = QUICK ? 30 : 150;
const t0 = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oxrd-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const byNumber = (a, b) => Number(/\d+/.exec(path.basename(a))?.[0] ?? 0) - Number(/\d+/.exec(path.basename(b))?.[0] ?? 0);
const listFiles = (dir, ext) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(ext))
    .map((f) => path.resolve(dir, f))
    .sort(byNumber);

const series = listFiles(SERIES_DIR, '.xy').slice(0, N_PATTERNS);
const xrdml = listFiles(XRDML_DIR, '.xrdml');
const mpr = listFiles(MPR_DIR, '.mpr');
const truth = fs
  .readFileSync(TRUTH, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map((f) => ({ a: Number(f[2]), c: Number(f[3]) }));

// ------------------------------------------------------------------------------------------------ environment
const results = {
  date: new Date().toISOString(),
  quick: QUICK,
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
  loadAverageAtStart: os.loadavg().map((v) => +v.toFixed(2)),
  git: (() => {
    const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim();
    const dirty = spawnSync('git', ['status', '--porcelain', 'src'], { encoding: 'utf8' }).stdout?.trim();
    return { rev, srcModified: dirty ? dirty.split('\n').length : 0 };
  })(),
  peers: {},
  sections: {},
  skipped: [],
};
const skip = (what, why) => {
  results.skipped.push(`${what}: ${why}`);
  log(`skipped ${what}: ${why}`);
};

// ------------------------------------------------------------------------------------------------ peers
function ensurePeer(name, check, packages) {
  if (check()) return { available: true, installMs: 0, note: 'already installed' };
  log(`${name} missing: installing ${packages.join(' ')}`);
  const r = aptInstall(packages);
  const available = check();
  return { available, installMs: r.ms, note: available ? r.note : r.note || 'still missing after install' };
}
const lmfitImport = () => hasCommand(PYTHON) && spawnSync(PYTHON, ['-c', 'import lmfit, numpy'], { stdio: 'ignore' }).status === 0;
results.peers.time = ensurePeer('GNU time', () => hasCommand(TIME_BIN), ['time']);
results.peers.cfityk = ensurePeer('cfityk', () => hasCommand('cfityk'), ['fityk']);
results.peers.lmfit = ensurePeer('lmfit', lmfitImport, ['python3-lmfit']);
results.peers.xyconv = ensurePeer('xyconv', () => hasCommand('xyconv'), ['libxy-bin']);
const version = (cmd, args, re) => re.exec(spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '')?.[1];
if (results.peers.cfityk.available) results.peers.cfityk.version = version('cfityk', ['-V'], /version\s+(\S+)/);
if (results.peers.xyconv.available) results.peers.xyconv.version = version('xyconv', ['-v'], /(\d+\.\d+(?:\.\d+)?)/);
if (results.peers.lmfit.available) results.peers.lmfit.version = version(PYTHON, ['-c', 'import lmfit; print(lmfit.__version__)'], /(\S+)/);
for (const [k, v] of Object.entries(results.peers)) if (!v.available) skip(k, v.note);

// ------------------------------------------------------------------------------------------------ build
// bench/engine.ts with the core it imports. leBail.ts's imports of evaluateModel / modelJacobian go through a shim
// that counts the calls (globalThis.__benchCounts): the number of model evaluations a fit makes, for the bound.
const patternModelTs = path.resolve('src/core/diffraction/patternModel.ts');
const countingShim = {
  name: 'count-model-evaluations',
  setup(build) {
    build.onResolve({ filter: /patternModel\.ts$/ }, (args) =>
      /leBail\.ts$/.test(args.importer) ? { path: 'counted-pattern-model', namespace: 'bench-shim' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'bench-shim' }, () => ({
      resolveDir: path.dirname(patternModelTs),
      loader: 'ts',
      contents: `
        import * as real from ${JSON.stringify(patternModelTs)};
        export * from ${JSON.stringify(patternModelTs)};
        const counts = (globalThis.__benchCounts ??= { evaluate: 0, jacobian: 0 });
        export function evaluateModel(model, theta, out) { counts.evaluate++; return real.evaluateModel(model, theta, out); }
        export function modelJacobian(model, theta, f, jac) { counts.jacobian++; return real.modelJacobian(model, theta, f, jac); }
      `,
    }));
  },
};
{
  const tb = Date.now();
  await esbuild.build({
    entryPoints: ['bench/engine.ts'],
    outfile: ENGINE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: false,
    logLevel: 'warning',
    alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
    plugins: [countingShim],
  });
  log(`built ${path.relative(ROOT, ENGINE)} in ${Date.now() - tb} ms`);
}
for (const f of [CLI, WORKER]) if (!fs.existsSync(f)) throw new Error(`${f} missing: run node esbuild.mjs first (npm run bench does)`);

/** Run one section of our engine in its own process; its result, or { error } (never throws). */
function engine(section, args, timeoutMs = 300_000) {
  const argsFile = path.join(tmp, `${section}-args.json`);
  fs.writeFileSync(argsFile, JSON.stringify(args));
  const r = timeProcess(process.execPath, [ENGINE, section, argsFile], { timeoutMs });
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!ok(r) || !line) {
    const why = r.error ?? (r.signal ? `killed (${r.signal}) after ${(r.ms / 1000).toFixed(0)} s` : `exit ${r.status}`);
    const detail = r.stderr.trim().split('\n').slice(0, 3).join(' | ');
    skip(`ours/${section}`, `${why}${detail ? `: ${detail}` : ''}`);
    return { error: `${why}: ${detail}` };
  }
  return JSON.parse(line.slice('BENCH_JSON '.length));
}

const bragg = (twoThetaDeg) => LAMBDA_ANGSTROM / (2 * Math.sin((twoThetaDeg * Math.PI) / 360));
/** max |Δa|, |Δc| from 003, 110 positions: a = 2 d(110), c = 3 d(003). */
function peakAccuracy(positions) {
  let maxDa = 0;
  let maxDc = 0;
  positions.forEach((p, k) => {
    maxDc = Math.max(maxDc, Math.abs(3 * bragg(p.p003) - truth[k].c));
    maxDa = Math.max(maxDa, Math.abs(2 * bragg(p.p110) - truth[k].a));
  });
  return { maxAbsDa: maxDa, maxAbsDc: maxDc };
}

const S = results.sections;

// ------------------------------------------------------------------------------------------------ reading
if (want('read')) {
  log('reading: in-process (.xy series ×5, .xrdml series, .mpr)');
  S.read = engine('read', { reps: REPS, series, xrdml, mpr });
}

if (want('convert')) {
  log(`reading: whole-process conversion of ${CONVERT_FILES} .xy and ${xrdml.length} .xrdml files, ours vs xyconv`);
  const conv = { files: {} };
  // Ours and xyconv alternate file by file, so that both see the same load from whatever else runs on the machine.
  const tools = [['ours', process.execPath, (f) => [CLI, 'convert', f]]];
  if (results.peers.xyconv.available) tools.push(['xyconv', 'xyconv', (f) => [f, '-']]);
  // Bare process starts, interleaved the same way.
  const bare = [
    ['node', process.execPath, ['-e', '0']],
    ['oursCliHelp', process.execPath, [CLI, 'help']],
    ...(results.peers.xyconv.available ? [['xyconv', 'xyconv', ['-v']]] : []),
  ];
  const startRuns = Object.fromEntries(bare.map(([name]) => [name, []]));
  for (let r = 0; r < 7; r++) for (const [name, cmd, args] of bare) startRuns[name].push(timeProcess(cmd, args, { stdout: 'null' }).ms);
  conv.processStartMs = Object.fromEntries(bare.map(([name]) => [name, median(startRuns[name])]));
  for (const [kind, files] of [
    ['xy', series.slice(0, CONVERT_FILES)],
    ['xrdml', xrdml],
  ]) {
    const entry = { n: files.length };
    for (const [name] of tools) entry[name] = { runs: [], failures: 0 };
    for (let r = 0; r < CONVERT_REPS; r++) {
      const totals = Object.fromEntries(tools.map(([name]) => [name, 0]));
      for (const f of files) {
        for (const [name, cmd, argsOf] of tools) {
          const p = timeProcess(cmd, argsOf(f), { stdout: 'null', timeoutMs: 30_000 });
          if (!ok(p)) entry[name].failures++;
          totals[name] += p.ms;
        }
      }
      for (const [name] of tools) entry[name].runs.push(totals[name] / files.length);
    }
    for (const [name, cmd, argsOf] of tools) {
      entry[name].perFileMs = median(entry[name].runs);
      entry[name].peakRssBytes = peakRss(cmd, argsOf(files[0]));
    }
    conv.files[kind] = entry;
  }
  S.convert = conv;
}

if (want('bigfile')) {
  // ~100 MB of "2θ counts" lines, written in chunks (not in the measured process).
  const big = path.join(tmp, 'big.xy');
  const fd = fs.openSync(big, 'w');
  fs.writeSync(fd, '# synthetic 100 MB pattern for the one-pass reading check\n');
  let bytes = 0;
  let i = 0;
  while (bytes < 100e6) {
    let chunk = '';
    for (let k = 0; k < 10000; k++, i++) chunk += `${(2 + i * 1e-5).toFixed(5)} ${1000 + ((i * 7919) % 5003)}\n`;
    fs.writeSync(fd, chunk);
    bytes += chunk.length;
  }
  fs.closeSync(fd);
  log(`reading: one ${(bytes / 1e6).toFixed(0)} MB .xy in one pass`);
  S.bigfile = engine('bigfile', { file: big });
  fs.rmSync(big, { force: true });
}

// ------------------------------------------------------------------------------------------------ single-peak fits
const startsFile = path.join(tmp, 'starts.json');
if (want('peaks') || want('lmfit') || want('cfityk')) {
  log(`single-peak fits: start values for ${series.length} patterns`);
  const st = engine('starts', { files: series, out: startsFile });
  if (st.error) skip('single-peak fits', 'no start values');
}
const haveStarts = fs.existsSync(startsFile);

if (want('peaks') && haveStarts) {
  log('single-peak fits: ours (fitPeaks, in-process)');
  S.peaks = engine('peaks', { starts: startsFile, truth: TRUTH, reps: PEAK_REPS });
}

if (want('lmfit') && haveStarts && results.peers.lmfit.available) {
  log('single-peak fits: lmfit (in-process in Python)');
  const script = path.resolve('bench/peers/lmfit_peaks.py');
  const r = timeProcess(PYTHON, [script, startsFile, String(PEAK_REPS)], { timeoutMs: 300_000 });
  if (ok(r)) {
    const out = JSON.parse(r.stdout);
    S.lmfit = {
      ...out,
      positions: undefined,
      ...peakAccuracy(out.positions.map(([p003, p018, p110]) => ({ p003, p018, p110 }))),
      wholeProcessMs: r.ms,
      peakRssBytes: peakRss(PYTHON, [script, startsFile, '1']),
    };
  } else skip('lmfit', `${r.error ?? `exit ${r.status}`}: ${r.stderr.trim().split('\n').slice(-1)[0]}`);
}

if (want('cfityk') && haveStarts && results.peers.cfityk.available) {
  log('single-peak fits: cfityk (one process per pattern)');
  const starts = JSON.parse(fs.readFileSync(startsFile, 'utf8'));
  const dir = fs.mkdtempSync(path.join(tmp, 'cfityk-'));
  const scripts = writeCfitykScripts(starts, dir);
  // Each pattern's process alternates with a bare start (`-c quit`), so that the start subtracted saw the same load.
  const medians = [];
  const totals = [];
  const bareStarts = [];
  const fitsOnly = [];
  let positions = [];
  let failures = 0;
  for (let r = 0; r < PEAK_REPS; r++) {
    const per = [];
    positions = [];
    failures = 0;
    for (const s of scripts) {
      const bare = timeProcess('cfityk', [...CFITYK_ARGS, '-c', 'quit'], { timeoutMs: 10_000 }).ms;
      const p = timeProcess('cfityk', [...CFITYK_ARGS, s], { timeoutMs: 30_000 });
      const parsed = ok(p) ? parseCfityk(p.stdout) : undefined;
      if (!parsed) failures++;
      positions.push(parsed ?? { p003: NaN, p018: NaN, p110: NaN });
      per.push(p.ms);
      bareStarts.push(bare);
      fitsOnly.push(p.ms - bare);
    }
    medians.push(median(per));
    totals.push(per.reduce((a, b) => a + b, 0));
  }
  const start = median(bareStarts);
  S.cfityk = {
    perPatternMs: median(medians),
    perPatternMeanMs: median(totals) / scripts.length,
    processStartMs: start,
    fitsOnlyMs: median(fitsOnly),
    failures,
    ...peakAccuracy(positions),
    peakRssBytes: peakRss('cfityk', [...CFITYK_ARGS, scripts[0]]),
  };
}

// ------------------------------------------------------------------------------------------------ Le Bail
if (want('lebail')) {
  const sites = (QUICK ? [10] : [20, 60, 100, 140, 180]).filter((k) => k < series.length);
  log(`Le Bail: cold and warm fits at patterns ${sites.join(', ')}`);
  // Seeds come from a short chain (cold fit 10 patterns back, then warm fits), as in a sequential run.
  S.lebail = engine('lebail', { files: series, truth: TRUTH, sites, warmReps: QUICK ? 3 : 5, coldReps: QUICK ? 1 : 2, seedChain: QUICK ? 3 : 10 });
}

if (want('sequential')) {
  // Fresh threads: runs with 1 and 2 workers alternate (1, 2, 1, 2, …) so that a drift of the machine's speed falls on
  // both counts alike; three pairs while a run is short, fewer when a run is long or the bench is late (the whole
  // bench stays under 10 min on 2 cores). Per count the median run by rate; the speed-up is the median of the pairs'
  // ratios.
  const fresh = { 1: [], 2: [] };
  for (let r = 0; r < (QUICK ? 1 : 3); r++) {
    const first = fresh[1][0];
    if (r > 0 && (first.error || first.seconds > 40 || Date.now() - t0 > 360_000)) break;
    for (const workers of [1, 2]) {
      log(`sequential refinement of ${series.length} patterns, ${workers} worker(s), pair ${r + 1} (budget ${SEQ_BUDGET_S} s)`);
      fresh[workers].push(
        engine(
          'sequential',
          { files: series, truth: TRUTH, workers, workerScript: WORKER, budgetS: SEQ_BUDGET_S },
          (SEQ_BUDGET_S + 120) * 1000,
        ),
      );
    }
  }
  for (const workers of [1, 2]) {
    const runs = fresh[workers];
    const good = runs.filter((x) => !x.error).sort((a, b) => a.patternsPerS - b.patternsPerS);
    S[`sequential${workers}`] = good.length
      ? { ...good[(good.length - 1) >> 1], runs: good.length, ratesPerS: runs.filter((x) => !x.error).map((x) => x.patternsPerS) }
      : runs[0];
  }
  const pairRatios = fresh[2].map((two, r) => (two.error || fresh[1][r].error ? Number.NaN : two.patternsPerS / fresh[1][r].patternsPerS)).filter(Number.isFinite);
  // A 2-worker run cannot end before its CPU time spread over every core: the 1-worker wall time over that is the most
  // the pair's speed-up could be with this much CPU spent (fresh threads each compile the engine for themselves).
  const cores = os.cpus().length;
  const cpuBounds = fresh[2]
    .map((two, r) => (two.error || fresh[1][r].error ? Number.NaN : fresh[1][r].seconds / ((two.cpuMsPerPattern * two.done) / 1000 / cores)))
    .filter(Number.isFinite);
  S.sequentialSpeedUp = { pairRatios, speedUp: median(pairRatios), cpuBounds, cpuBound: median(cpuBounds) };
  // A notebook's later runs: threads warmed by an untimed first run, borrowed from the kernel's pool.
  if (Date.now() - t0 <= 420_000) {
    const pairs = QUICK ? 1 : 5;
    const warmups = QUICK ? 1 : 4;
    log(`sequential refinement of ${series.length} patterns, warm pool: ${warmups} untimed + ${pairs} pairs of 1- and 2-worker runs`);
    const warm = engine(
      'sequentialWarm',
      { files: series, truth: TRUTH, workerScript: WORKER, budgetS: SEQ_BUDGET_S, pairs, warmups },
      ((2 * pairs + warmups) * SEQ_BUDGET_S + 120) * 1000,
    );
    if (warm.error) S.sequentialWarm1 = S.sequentialWarm2 = warm;
    else {
      S.sequentialWarm1 = warm.one;
      S.sequentialWarm2 = warm.two;
      S.sequentialWarmSpeedUp = { pairRatios: warm.pairRatios, speedUp: warm.speedUp };
    }
  }
  log('cancel latency of a 2-worker sequential run');
  S.cancel = engine('cancel', { files: series, truth: TRUTH, workerScript: WORKER, after: 20, reps: QUICK ? 1 : 3 }, 120_000);
}

// ------------------------------------------------------------------------------------------------ notebook, SVG
if (want('notebook')) {
  log('notebook: headless runNotebook round trips');
  S.notebook = engine('notebook', { reps: REPS, pattern: series[0] });
}
if (want('svg')) {
  log('chart: pattern spec -> SVG');
  S.svg = engine('svg', { reps: REPS, pattern: series[0] });
}

results.loadAverageAtEnd = os.loadavg().map((v) => +v.toFixed(2));
results.totalSeconds = (Date.now() - t0) / 1000;

// ------------------------------------------------------------------------------------------------ table
const fmtMs = (ms) =>
  !Number.isFinite(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
const fmtMb = (b) => (Number.isFinite(b) ? `${(b / 2 ** 20).toFixed(0)} MB` : '—');
const fmtE = (v) => (Number.isFinite(v) ? v.toExponential(1) : '—');
const ratio = (peer, ours) => (Number.isFinite(peer) && Number.isFinite(ours) && ours > 0 ? `${(peer / ours).toFixed(peer / ours >= 10 ? 0 : 2)}×` : '—');
const acc = (s) => (s && Number.isFinite(s.maxAbsDa) ? `max Δa ${fmtE(s.maxAbsDa)} Å, max Δc ${fmtE(s.maxAbsDc)} Å` : '—');
const target = (met, text) => `${met ? '✅' : '❌'} target ${text}`;
const rows = [];
const row = (measure, ours, peer, r, accuracy, memory, timed) => rows.push({ measure, ours, peer, ratio: r, accuracy, memory, timed });
const has = (s) => s && !s.error;

if (has(S.read)) {
  const r = S.read;
  row(
    `Read ${r.seriesFiles} × ${r.seriesPoints}-point .xy`,
    fmtMs(r.seriesTotalMs),
    '—',
    '—',
    target(r.seriesTotalMs < 1000, '< 1 s'),
    fmtMb(r.maxRssBytes),
    `in-process total: readFileSync + readData of the ${series.length} series files, 5 passes (parse only: ${fmtMs(r.seriesParseOnlyTotalMs)}); median of ${REPS}`,
  );
  row(
    `Read .xrdml series (${r.xrdmlFiles} files), per file`,
    fmtMs(r.xrdmlPerFileMs),
    '—',
    '—',
    `${r.xrdmlPoints} points per scan (real Empyrean in-situ series)`,
    '—',
    `in-process readFileSync + readData, 10 passes over the series; median of ${REPS}`,
  );
}
if (has(S.convert)) {
  const c = S.convert;
  const inproc = has(S.read) ? S.read.seriesTotalMs / S.read.seriesFiles : NaN;
  for (const [kind, e] of Object.entries(c.files)) {
    row(
      `Convert .${kind} → text, per file (${e.n} files)`,
      fmtMs(e.ours.perFileMs),
      e.xyconv ? `${fmtMs(e.xyconv.perFileMs)} xyconv` : 'xyconv skipped',
      e.xyconv ? ratio(e.xyconv.perFileMs, e.ours.perFileMs) : '—',
      e.ours.failures || e.xyconv?.failures ? `failures: ours ${e.ours.failures}, xyconv ${e.xyconv?.failures ?? '—'}` : 'all converted',
      `${fmtMb(e.ours.peakRssBytes)} / ${fmtMb(e.xyconv?.peakRssBytes)}`,
      `whole process per file: one \`node dist/cli.js convert F\` vs one \`xyconv F -\`, output to /dev/null; median of ${CONVERT_REPS} passes`,
    );
    const inprocKind = kind === 'xy' ? inproc : has(S.read) ? S.read.xrdmlPerFileMs : NaN;
    if (!e.xyconv || !Number.isFinite(inprocKind)) continue;
    row(
      `  .${kind} in-process per file vs xyconv`,
      fmtMs(inprocKind),
      `${fmtMs(e.xyconv.perFileMs)} xyconv (whole process)`,
      ratio(e.xyconv.perFileMs, inprocKind),
      '—',
      '—',
      `ours: readFileSync + readData in a warm process; xyconv: process start + read + write (its start alone: ${fmtMs(c.processStartMs.xyconv)})`,
    );
  }
  row(
    'Process start (no work)',
    fmtMs(c.processStartMs.oursCliHelp),
    `${fmtMs(c.processStartMs.xyconv)} xyconv -v`,
    ratio(c.processStartMs.xyconv, c.processStartMs.oursCliHelp),
    '—',
    '—',
    `\`node dist/cli.js help\` (bare \`node -e 0\`: ${fmtMs(c.processStartMs.node)}) vs \`xyconv -v\`; median of 7`,
  );
}
if (has(S.read)) {
  const good = S.read.mpr.filter((m) => !m.error);
  const largest = good.reduce((b, m) => (!b || m.bytes > b.bytes ? m : b), undefined);
  const failed = S.read.mpr.filter((m) => m.error);
  row(
    `Read BioLogic .mpr (${good.length} files)`,
    largest ? `${fmtMs(largest.ms)} (${largest.file}, ${(largest.bytes / 1024).toFixed(0)} kB, ${largest.records} records)` : '—',
    'no peer (xylib has no .mpr reader)',
    '—',
    failed.length ? `${failed.length} failed: ${failed.map((m) => m.file).join(', ')}` : 'all read',
    '—',
    `in-process readFileSync + readData per file (all ${good.length}: ${fmtMs(good.reduce((s, m) => s + m.ms, 0))} together); median of ${REPS}`,
  );
}
if (has(S.bigfile)) {
  const b = S.bigfile;
  // What must stay: the bytes (read in one go) and the x, y columns (16 bytes a point); the rest is transient.
  const overhead = (b.peakRssBytes - b.rssBeforeBytes - b.bytes - 16 * b.points) / b.bytes;
  row(
    `Read one ${(b.bytes / 1e6).toFixed(0)} MB .xy (${(b.points / 1e6).toFixed(1)} M points)`,
    fmtMs(b.ms),
    '—',
    '—',
    `${target(overhead < 1, 'no second copy of the text')}: RSS grew ${b.growthOverFileSize.toFixed(2)}× the file size, ${overhead.toFixed(2)}× beyond bytes + x, y arrays`,
    fmtMb(b.peakRssBytes),
    'in-process, one readFileSync + readData of a generated file (~14 bytes a line); growth = peak RSS − RSS before',
  );
}
if (has(S.peaks)) {
  const p = S.peaks;
  row(
    'Single-peak fits, per pattern (003 + 018/110)',
    fmtMs(p.perPatternMs),
    '—',
    '—',
    acc(p) + ` · ${target(p.perPatternMs <= 1, '≤ 1 ms')}`,
    fmtMb(p.maxRssBytes),
    `ours in-process: fitPeaks(003) + fitPeaks(018, 110), pseudo-Voigt + straight line, ${p.patterns} patterns; median per pattern, median of ${PEAK_REPS} passes (003 alone ${fmtMs(p.fit003Ms)})`,
  );
  if (has(S.lmfit)) {
    row(
      '  vs lmfit (same peaks, in-process)',
      fmtMs(p.perPatternMs),
      `${fmtMs(S.lmfit.perPatternMs)} lmfit ${S.lmfit.lmfit}`,
      ratio(S.lmfit.perPatternMs, p.perPatternMs),
      `lmfit: ${acc(S.lmfit)}${S.lmfit.failures ? ` (${S.lmfit.failures} not successful)` : ''}`,
      `${fmtMb(p.maxRssBytes)} / ${fmtMb(S.lmfit.peakRssBytes)}`,
      'both in-process per pattern, file reading and model construction excluded (Python interpreter start not counted)',
    );
  }
  if (has(S.cfityk)) {
    const c = S.cfityk;
    row(
      '  vs cfityk (same peaks, whole process)',
      fmtMs(p.perPatternMs),
      `${fmtMs(c.perPatternMs)} cfityk ${results.peers.cfityk.version ?? ''}`.trim(),
      ratio(c.perPatternMs, p.perPatternMs),
      `cfityk: ${acc(c)}${c.failures ? ` (${c.failures} failed)` : ''} · ${target(c.perPatternMs / p.perPatternMs >= 5, '≥ 5×')}`,
      `${fmtMb(p.maxRssBytes)} / ${fmtMb(c.peakRssBytes)}`,
      `ours in-process vs one \`cfityk -I -n -q script\` per pattern (load, 2 fits, print), median per pattern over ${PEAK_REPS} passes; cfityk's bare start alone ${fmtMs(c.processStartMs)}`,
    );
    row(
      '  vs cfityk, its start subtracted',
      fmtMs(p.perPatternMs),
      c.fitsOnlyMs > 0 ? fmtMs(c.fitsOnlyMs) : '— (within noise)',
      c.fitsOnlyMs > 0 ? ratio(c.fitsOnlyMs, p.perPatternMs) : '—',
      '—',
      '—',
      'median over patterns of (script process − the bare `cfityk -I -n -q -c quit` run just before it): read + 2 fits + print',
    );
  }
}
if (has(S.lebail)) {
  const l = S.lebail;
  row(
    'Le Bail fit, warm (seeded from pattern k−1)',
    fmtMs(l.warmMs),
    'GSAS-II 1.21 s (reference, not run here)',
    ratio(1210, l.warmMs),
    `${acc(l)} · ${target(l.warmMs <= 15, '≤ 15 ms')}`,
    fmtMb(l.maxRssBytes),
    `in-process fitLeBail(layered, uniaxial001, seed = result of k−1 from a chain: cold at k−${l.seedChain}, then warm) at k = ${l.sites.join(', ')}; median of ${l.warmRunsMs.length} fits (per site: ${l.siteResults.map((x) => fmtMs(x.warmMs)).join(', ')})`,
  );
  const badCold = l.siteResults.filter((x) => x.coldGof > 2);
  row(
    'Le Bail fit, cold (preset cell)',
    fmtMs(l.coldMs),
    '—',
    '—',
    acc({ maxAbsDa: l.coldMaxAbsDa, maxAbsDc: l.coldMaxAbsDc }) +
      (badCold.length ? ` (wrong minimum at k = ${badCold.map((x) => `${x.index}: GoF ${x.coldGof.toFixed(1)}`).join(', ')})` : ''),
    '—',
    `in-process fitLeBail without seed, same patterns; median of ${l.coldRunsMs.length} (per site: ${l.siteResults.map((x) => fmtMs(x.coldMs)).join(', ')})`,
  );
  if (l.estimatedMs !== undefined) {
    const badEstimated = l.siteResults.filter((x) => x.estimatedGof > 2);
    row(
      'Le Bail fit, cold (quick peak estimate, direct start, as `fit` and `sequential` start)',
      fmtMs(l.estimatedMs),
      '—',
      '—',
      acc({ maxAbsDa: l.estimatedMaxAbsDa, maxAbsDc: l.estimatedMaxAbsDc }) +
        (badEstimated.length ? ` (wrong minimum at k = ${badEstimated.map((x) => `${x.index}: GoF ${x.estimatedGof.toFixed(1)}`).join(', ')})` : ''),
      '—',
      `in-process quickEstimate (003, 104, 110) + fitLeBail from those cells with directStart (the coarse stage only when GoF > 1.5), same patterns; median of ${l.estimatedRunsMs.length} (per site: ${l.siteResults.map((x) => fmtMs(x.estimatedMs)).join(', ')})`,
    );
  }
  row(
    'Bound: bare evaluations of a warm fit',
    fmtMs(l.boundEvaluationsMs),
    '—',
    `warm fit = ${(l.warmMs / l.boundEvaluationsMs).toFixed(1)}× bound`,
    '—',
    '—',
    `${l.warmEvaluations} evaluateModel calls (median per warm fit) × ${fmtMs(l.evaluateMs)} each (${l.model?.reflections} reflections, ${l.model?.points} points, ${l.model?.freeParameters} free parameters); with its ${l.warmJacobians} analytic Jacobians (${fmtMs(l.jacobianMs)} each): ${fmtMs(l.boundWithJacobiansMs)}`,
  );
}
/** Rows of a pair of sequential runs (1 and 2 workers), named and described by the callers, and their speed-up. */
function sequentialRows(pair, speedUp, name, how, speedUpName, speedUpHow) {
  for (const s of pair) {
    if (!has(s)) continue;
    row(
      name(s),
      `${s.patternsPerS.toFixed(1)} patterns/s`,
      'GSAS-II 0.83 patterns/s (reference, not run here)',
      ratio(s.patternsPerS, 1 / 1.21),
      `${acc(s)}; 2σ coverage a ${(100 * s.coverage2SigmaA).toFixed(0)} %, c ${(100 * s.coverage2SigmaC).toFixed(0)} %` +
        (s.workers === 2 ? ` · ${target(s.patternsPerS >= 100, '≥ 100 patterns/s')}` : ''),
      fmtMb(s.maxRssBytes),
      how(s),
    );
  }
  if (speedUp && Number.isFinite(speedUp.speedUp)) {
    const up = speedUp.speedUp;
    const each = speedUp.pairRatios.map((v) => `${v.toFixed(2)}×`).join(', ');
    row(speedUpName, `${up.toFixed(2)}×`, '—', '—', target(up >= 1.7, '≥ 1.7×'), '—', `${speedUpHow}: median of the ${speedUp.pairRatios.length} pairs' ratios (${each})`);
  }
}
/** CPU time of the run's process over its wall time (cores busy on average; 2.0 = both of 2 cores throughout). */
const coresBusy = (s) => ((s.cpuMsPerPattern * s.done) / 1000 / s.seconds).toFixed(2);
const workersText = (s) => `${s.workers} worker${s.workers > 1 ? 's' : ''}`;
sequentialRows(
  [S.sequential1, S.sequential2],
  S.sequentialSpeedUp,
  (s) => `Sequential Pawley (calibrated instrument), ${workersText(s)}`,
  (s) =>
    `runSequentialRefinement wall time, ${s.done}/${s.patterns} patterns in ${s.seconds.toFixed(1)} s${Number.isFinite(s.cpuMsPerPattern) ? ` (CPU ${fmtMs(s.cpuMsPerPattern)} a pattern: ${coresBusy(s)} of ${os.cpus().length} cores busy; load ${s.loadAverage.map((v) => v.toFixed(1)).join(' → ')})` : ''}${s.cancelled ? ` (stopped at the ${SEQ_BUDGET_S} s budget)` : ''}${s.failed ? `, ${s.failed} failed` : ''}; worker start included; ${s.runs > 1 ? `median of ${s.runs} runs (${s.ratesPerS.map((v) => v.toFixed(1)).join(', ')})` : 'one run'}`,
  '  speed-up 2 workers / 1',
  'runs with 1 and 2 workers alternate (1, 2, 1, 2, …), each pair run back to back',
);
sequentialRows(
  [S.sequentialWarm1, S.sequentialWarm2],
  S.sequentialWarmSpeedUp,
  (s) => `Sequential Pawley, ${workersText(s)}, warm threads (a notebook's later runs)`,
  (s) =>
    `runSequentialRefinement on threads borrowed from a pool that ${s.warmups} untimed 2-worker run${s.warmups > 1 ? 's' : ''} warmed (the last at ${s.warmupPatternsPerS.toFixed(1)} patterns/s), ${s.done}/${s.patterns} patterns in ${s.seconds.toFixed(2)} s${Number.isFinite(s.cpuMsPerPattern) ? ` (CPU ${fmtMs(s.cpuMsPerPattern)} a pattern: ${coresBusy(s)} of ${os.cpus().length} cores busy)` : ''}; median of ${s.runs} runs (${s.ratesPerS.map((v) => v.toFixed(1)).join(', ')})`,
  '  speed-up 2 workers / 1, warm threads',
  'warm runs with 1 and 2 workers alternate on the same pool',
);
if (S.sequentialSpeedUp && Number.isFinite(S.sequentialSpeedUp.cpuBound) && has(S.sequential2) && has(S.sequentialWarm2)) {
  const b = S.sequentialSpeedUp;
  // CPU a fresh thread spends beyond a warm one's on its 100 patterns: V8 compiling the engine on that thread (the bench,
  // like the CLI, compiles on the thread itself: --no-concurrent-recompilation) and running it unoptimised until then.
  const perThreadS = ((S.sequential2.cpuMsPerPattern - S.sequentialWarm2.cpuMsPerPattern) * S.sequential2.done) / 1000 / 2;
  row(
    '  bound on the fresh-thread speed-up by CPU',
    `${b.cpuBound.toFixed(2)}×`,
    '—',
    '—',
    '—',
    '—',
    `1-worker wall time / (CPU time of the 2-worker run / ${os.cpus().length} cores), median of the pairs (${b.cpuBounds.map((v) => `${v.toFixed(2)}×`).join(', ')}): the 2-worker run keeps the cores busy, and each fresh thread spends ${perThreadS.toFixed(2)} s of CPU beyond a warm thread's (from the CPU a pattern of the fresh and the warm 2-worker runs) on V8 compiling the engine for that thread and running it unoptimised until then: paid once with 1 worker, once per thread with 2`,
  );
}
if (has(S.cancel)) {
  const c = S.cancel;
  row(
    '  cancel of a 2-worker run',
    fmtMs(c.latencyMs),
    '—',
    '—',
    target(c.latencyMs <= 200, '≤ 200 ms'),
    '—',
    `runSequentialRefinement cancelled once 20 patterns are done (${c.doneAtCancel.join(', ')} kept): time from the flag to the return, the worker threads ended; median of ${c.latenciesMs.length} (${c.latenciesMs.map((v) => fmtMs(v)).join(', ')})`,
  );
}
if (has(S.notebook)) {
  const n = S.notebook;
  row(
    'Notebook round trip, one trivial cell',
    fmtMs(n.trivialMs),
    '—',
    '—',
    n.error ? `error: ${n.error}` : '—',
    fmtMb(n.maxRssBytes),
    `headless runNotebook of a generated 1-cell notebook (\`1 + 1\`): parse .ipynb, new session, transpile, run, write back; first run ${fmtMs(n.trivialFirstMs)}; median of ${REPS}`,
  );
  row(
    `Notebook round trip, ${n.realCells} cells`,
    fmtMs(n.realMs),
    '—',
    '—',
    '—',
    '—',
    `read a 7001-point .xy, show its chart (with SVG), findPeaks table; first run ${fmtMs(n.realFirstMs)}; median of ${REPS}`,
  );
}
if (has(S.svg)) {
  const v = S.svg;
  row(
    `Chart spec → SVG (${v.points} points)`,
    fmtMs(v.specMs + v.svgMs),
    '—',
    '—',
    '—',
    fmtMb(v.maxRssBytes),
    `patternSpec ${fmtMs(v.specMs)} (decimates for display) + renderSvg ${fmtMs(v.svgMs)} (${(v.svgChars / 1024).toFixed(0)} kB SVG); first call ${fmtMs(v.firstMs)}; median of ${REPS}`,
  );
}

const head = '| measure | ours | peer | ratio (peer / ours) | accuracy, targets | peak RSS (ours / peer) | what is timed |';
const table = [head, '|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${[r.measure, r.ours, r.peer, r.ratio, r.accuracy, r.memory, r.timed].join(' | ')} |`)].join('\n');
const installs = Object.entries(results.peers)
  .map(([k, v]) => `${k}: ${v.available ? v.version ?? 'available' : 'missing'}${v.installMs ? ` (installed in ${(v.installMs / 1000).toFixed(1)} s)` : ''}`)
  .join('; ');
const md = [
  `# Benchmark ${results.date}${QUICK ? ' (QUICK: not comparable)' : ''}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB, Node ${results.machine.node}; load average at start ${results.loadAverageAtStart.join(' / ')}, at end ${results.loadAverageAtEnd.join(' / ')}. Commit ${results.git.rev}${results.git.srcModified ? ` with ${results.git.srcModified} modified files under src/` : ''}. Whole run ${results.totalSeconds.toFixed(0)} s.`,
  `Peers: ${installs}.`,
  '',
  'Ratios are peer time / our time (> 1: ours is faster); for rates, ours / peer. Accuracy is the largest absolute error against `truth_series.csv` over the patterns fitted: for peak fits a = 2·d(110), c = 3·d(003) by Bragg\'s law at λ = 0.459200735 Å. GSAS-II figures are the reference numbers of `shared/data/simulated/README.md` (measured elsewhere), not this run.',
  '',
  table,
  '',
  ...(results.skipped.length ? ['Skipped:', ...results.skipped.map((s) => `- ${s}`), ''] : []),
].join('\n');

fs.mkdirSync('bench/results', { recursive: true });
// Only a full run of every section replaces latest.*; --quick and --only runs go beside it.
const suffix = QUICK ? '-quick' : ONLY ? '-partial' : '';
fs.writeFileSync(`bench/results/latest${suffix}.md`, md);
fs.writeFileSync(`bench/results/latest${suffix}.json`, JSON.stringify({ ...results, table: rows }, null, 2) + '\n');
process.stdout.write(md + '\n');
log(`wrote bench/results/latest${suffix}.md and .json`);
