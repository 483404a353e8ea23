/** CLI commands on the refinement engine: fit, echem, sequential, analyze. */
import type { ParsedArgs } from './args.ts';

export const engineCommands: { usage: string; handlers: Record<string, (args: ParsedArgs) => Promise<number> | number> } = {
  usage: '',
  handlers: {},
};
