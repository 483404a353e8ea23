/**
 * Imported first by the HDF5 thread, before h5wasm: the HDF5 library prints its error stack through
 * `console.error`, which h5wasm binds when it loads. Kept here instead, so that it never reaches the user's terminal
 * and the innermost message ("truncated file: eof = …") can name what was wrong in the ParseError.
 */
const lines: string[] = [];

console.error = (...args: unknown[]) => {
  if (lines.length < 200) lines.push(args.map(String).join(' '));
};

/** The innermost HDF5 error message printed since the last call (e.g. "truncated file: eof = 2000, …"), then forgets them. */
export function takeHdf5Diagnostic(): string | undefined {
  let last: string | undefined;
  for (const line of lines.join('\n').split('\n')) {
    const m = /#\d+:.* in [\w.]+\(\): (.*)$/.exec(line);
    if (m) last = m[1].trim();
  }
  lines.length = 0;
  return last;
}
