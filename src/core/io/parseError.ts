/**
 * The one error every reader throws for bad input: it names the format, where in the file the problem is
 * (byte offset and/or 1-based line) and what was expected versus found.
 */
export class ParseError extends Error {
  readonly format: string;
  readonly offset?: number;
  readonly line?: number;
  readonly expected: string;
  readonly found: string;

  constructor(init: { format: string; expected: string; found: string; offset?: number; line?: number; file?: string }) {
    const where = [
      init.line !== undefined ? `line ${init.line}` : undefined,
      init.offset !== undefined ? `byte ${init.offset}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    super(
      `${init.file ? init.file + ': ' : ''}${init.format}${where ? ' at ' + where : ''}: expected ${init.expected}, found ${init.found}`,
    );
    this.name = 'ParseError';
    this.format = init.format;
    this.offset = init.offset;
    this.line = init.line;
    this.expected = init.expected;
    this.found = init.found;
  }
}
