/** File access for the API and engine calls, passed in so that the core never touches the file system. */
import fs from 'node:fs';
import path from 'node:path';

export interface FileAccess {
  readBytes(file: string): Uint8Array;
  writeText(file: string, text: string): void;
  exists(file: string): boolean;
  /** Files directly inside a folder (names only). */
  list(folder: string): string[];
  isDirectory(file: string): boolean;
  resolve(cwd: string, file: string): string;
  basename(file: string): string;
  /** Modification time, ISO 8601 UTC. */
  mtime(file: string): string;
}

export const nodeFileAccess: FileAccess = {
  readBytes: (f) => {
    const b = fs.readFileSync(f);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
  writeText: (f, t) => fs.writeFileSync(f, t),
  exists: (f) => fs.existsSync(f),
  list: (d) => fs.readdirSync(d),
  isDirectory: (f) => fs.existsSync(f) && fs.statSync(f).isDirectory(),
  resolve: (cwd, f) => path.resolve(cwd, f),
  basename: (f) => path.basename(f),
  mtime: (f) => fs.statSync(f).mtime.toISOString(),
};
