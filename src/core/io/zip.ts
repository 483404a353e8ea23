/**
 * Zip containers (Bruker `.brml`, Rigaku `.rasx`, Neware `.ndax`) through fflate's pure-JS inflate, with every
 * failure turned into a ParseError and a cap on the inflated size so a zip bomb cannot exhaust memory.
 */
import { unzipSync } from 'fflate';
import { ParseError } from './parseError.ts';

/** Largest inflated size of one entry we accept (bytes). */
export const MAX_ENTRY_BYTES = 1 << 30;

/** Whether bytes start with a zip local-file signature "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Names of the entries of a zip (from its central directory), without inflating anything. */
export function zipNames(bytes: Uint8Array, format: string): string[] {
  const names: string[] = [];
  unzipEntries(bytes, format, (name) => {
    names.push(name);
    return false;
  });
  return names;
}

/** Inflates the entries whose name `want` accepts; a malformed archive is a ParseError. */
export function unzipEntries(bytes: Uint8Array, format: string, want: (name: string) => boolean): Record<string, Uint8Array> {
  if (!isZip(bytes)) {
    throw new ParseError({ format, offset: 0, expected: 'a zip archive ("PK\\x03\\x04")', found: bytes.length ? 'other bytes' : '0 bytes' });
  }
  let tooBig: { name: string; size: number } | undefined;
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(bytes, {
      filter: (f) => {
        if (!want(f.name)) return false;
        // 0xFFFFFFFF means the size is in a zip64 extra field, which fflate reads itself; the cap applies otherwise.
        if (f.originalSize > MAX_ENTRY_BYTES && f.originalSize !== 0xffffffff) {
          tooBig = { name: f.name, size: f.originalSize };
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    throw new ParseError({ format, expected: 'a readable zip archive', found: e instanceof Error ? e.message : String(e) });
  }
  if (tooBig) {
    throw new ParseError({ format, expected: `zip entries up to ${MAX_ENTRY_BYTES} bytes`, found: `${tooBig.name} of ${tooBig.size} bytes` });
  }
  return out;
}
