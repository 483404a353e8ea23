/**
 * `operando-xrd`: the engine without VS Code.
 *   info FILE [--json]                       what a file holds (format, scans, wavelengths, records, warnings)
 *   convert FILE [--scan N]                  CSV on stdout with a header row
 *   run NOTEBOOK.ipynb [--out P | --in-place] execute every code cell headless; never overwrites the input by default
 * Errors exit 1 with one line on stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { parseArgs, flag, numberFlag, UsageError, type ParsedArgs } from './args.ts';
import { readAny } from '../worker/api.ts';
import { nodeFileAccess } from '../worker/nodeFiles.ts';
import { dominantWavelengthAngstrom } from '../core/data/scan.ts';
import { runNotebook } from './notebook.ts';
import { engineCommands } from './engineCommands.ts';
import { dataCsv } from '../worker/dataCsv.ts';

// Ending a worker thread while V8 still optimises code for it on a background thread can abort the whole process in
// Node 20 (NodePlatform::ForIsolate assertion; a thread left to exit by itself can hang instead). Two-worker
// `sequential` runs of 4 patterns aborted 3 times in 30 here. With optimising compiles on each thread itself, 0 in 30.
// Set before any worker starts; V8 flags are per process, and this process is ours.
v8.setFlagsFromString('--no-concurrent-recompilation');

const USAGE = `usage: operando-xrd <command> [options]
  info FILE [--json]
  convert FILE [--scan N]
  run NOTEBOOK.ipynb [--out PATH | --in-place]
${engineCommands.usage}`;

function info(args: ParsedArgs): void {
  const file = args.positional[0];
  if (!file) throw new UsageError('info needs a FILE');
  const data = readAny(nodeFileAccess, file);
  const summary =
    data.kind === 'diffraction'
      ? {
          file,
          kind: data.kind,
          format: data.format,
          scans: data.scans.map((s) => ({
            points: s.x.length,
            axis: s.axis,
            unit: s.unit,
            xFirst: s.x[0],
            xLast: s.x[s.x.length - 1],
            wavelengths: s.wavelengths.map((w) => ({ angstrom: w.angstrom, ratio: w.ratio, source: w.source, label: w.label })),
            wavelengthAngstrom: dominantWavelengthAngstrom(s) ?? null,
            intensityKind: s.intensityKind,
            startTime: s.startTime ?? null,
            endTime: s.endTime ?? null,
            hasSigma: s.sigma !== undefined,
          })),
          records: 0,
          columns: [] as string[],
          metadata: data.metadata,
          warnings: data.warnings,
        }
      : {
          file,
          kind: data.kind,
          format: data.format,
          scans: [],
          records: data.records,
          columns: Object.keys(data.columns),
          units: data.units,
          startTime: data.startTime ?? null,
          metadata: data.metadata,
          warnings: data.warnings,
        };
  if (flag(args, 'json')) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return;
  }
  const out: string[] = [`${file}: ${summary.kind}, format ${summary.format}`];
  for (const [i, s] of summary.scans.entries())
    out.push(
      `  scan ${i}: ${s.points} points, ${s.axis} ${s.xFirst}…${s.xLast} ${s.unit}, λ ${s.wavelengths.map((w) => `${w.angstrom} Å×${w.ratio} (${w.source})`).join(', ') || 'unknown'}, ${s.intensityKind}${s.startTime ? ', start ' + s.startTime : ''}`,
    );
  if (summary.kind === 'electrochemistry') out.push(`  ${summary.records} records; columns: ${summary.columns.join(', ')}`);
  for (const w of summary.warnings) out.push(`  warning: ${w}`);
  process.stdout.write(out.join('\n') + '\n');
}

function convert(args: ParsedArgs): void {
  const file = args.positional[0];
  if (!file) throw new UsageError('convert needs a FILE');
  const data = readAny(nodeFileAccess, file);
  const index = numberFlag(args, 'scan') ?? 0;
  if (data.kind === 'diffraction' && !data.scans[index]) throw new UsageError(`${file} has ${data.scans.length} scan(s); --scan ${index} does not exist`);
  process.stdout.write(dataCsv(data, index));
}

async function run(args: ParsedArgs): Promise<number> {
  const input = args.positional[0];
  if (!input) throw new UsageError('run needs a NOTEBOOK.ipynb');
  const inPlace = flag(args, 'in-place') === 'true';
  const out = inPlace ? input : (flag(args, 'out') ?? input.replace(/\.ipynb$/i, '') + '.out.ipynb');
  if (!inPlace && path.resolve(out) === path.resolve(input)) throw new UsageError('--out is the input notebook; pass --in-place to overwrite it');
  const notebook = JSON.parse(fs.readFileSync(input, 'utf8'));
  const report = await runNotebook(notebook, path.dirname(path.resolve(input)), (l) => process.stderr.write(l + '\n'));
  fs.writeFileSync(out, JSON.stringify(notebook, null, 1) + '\n');
  if (report.error) {
    process.stderr.write(`${input}: ${report.error} (outputs written to ${out})\n`);
    return 1;
  }
  process.stderr.write(`${input}: ${report.cells} code cells ran; outputs in ${out}\n`);
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest, ['json', 'in-place', 'capacity-column', 'no-cache']);
  switch (command) {
    case 'info':
      info(args);
      return 0;
    case 'convert':
      convert(args);
      return 0;
    case 'run':
      return run(args);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 1 : 0;
    default: {
      const handler = engineCommands.handlers[command];
      if (!handler) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
      return handler(args);
    }
  }
}

// `operando-xrd convert X | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    process.stderr.write(`operando-xrd: ${e instanceof UsageError ? e.message.split('\n')[0] : e.message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
