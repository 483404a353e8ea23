// Long mutation fuzzing of the file readers (the unit tier runs 10^4 per format; this runs many more).
// usage: node scripts/fuzz-readers.mjs [MUTATIONS_PER_FORMAT=200000] [SEED=1] [FORMAT…]
// FORMAT `nexus` runs the NeXus/HDF5 reader through its worker thread (dist/hdf5Worker.mjs: `node esbuild.mjs` first),
// with a 2 s timeout per input; an input that hangs the HDF5 library counts as a ParseError, as it does for users.
// Bundles the readers and the shared mutation helpers with esbuild, then asserts that every mutated input gives a
// well-formed result or a ParseError. Prints the first failing input's seed and index so it can be replayed.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const [countArg, seedArg, ...formats] = process.argv.slice(2);
const perFormat = Number(countArg ?? 200_000);
const seed = Number(seedArg ?? 1);
const entry = `
  export { READERS } from './src/core/io/index.ts';
  export { ParseError } from './src/core/io/parseError.ts';
  export { mutate, prng, checkResult, SEEDS } from './test/unit/core/io/mutate.ts';
  export { readNexusInWorker } from './src/worker/hdf5.ts';
`;
const out = path.resolve('out/fuzz-readers.mjs');
fs.mkdirSync('out', { recursive: true });
await esbuild.build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
});
const { READERS, ParseError, mutate, prng, checkResult, SEEDS, readNexusInWorker } = await import(out);
const hdf5Worker = path.resolve('dist/hdf5Worker.mjs');
const readers = { ...READERS, nexus: (bytes) => readNexusInWorker(bytes, 'fuzz.nxs', { workerFile: hdf5Worker, timeoutMs: 2000 }) };
const nexusSeeds = ['test/fixtures/nexus/small_series.nxs', 'test/fixtures/nexus/Test_spec.nxs', 'test/fixtures/nexus/xrd-map-gadds.h5'];
const allSeeds = { ...SEEDS, nexus: nexusSeeds.map((f) => new Uint8Array(fs.readFileSync(f))) };
let failures = 0;
for (const [format, seeds] of Object.entries(allSeeds)) {
  if (format === 'nexus' && !formats.includes('nexus')) continue;
  if (formats.length && !formats.includes(format)) continue;
  const rnd = prng(seed * 1_000_003 + format.length);
  const t0 = Date.now();
  let parsed = 0;
  let errors = 0;
  for (let k = 0; k < perFormat; k++) {
    const input = mutate(seeds[k % seeds.length], rnd, seeds[(k + 1) % seeds.length]);
    try {
      checkResult(readers[format](input));
      parsed++;
    } catch (e) {
      if (e instanceof ParseError) {
        errors++;
        continue;
      }
      failures++;
      const file = `out/fuzz-failure-${format}-${seed}-${k}.bin`;
      fs.writeFileSync(file, input);
      console.error(`${format}: mutation ${k} (seed ${seed}) threw ${e?.stack ?? e}\n  input saved to ${file}`);
      break;
    }
  }
  console.log(`${format}: ${perFormat} mutations, ${parsed} parsed, ${errors} ParseErrors, ${Date.now() - t0} ms`);
}
process.exit(failures ? 1 : 0);
