/**
 * Sequential-refinement results kept on disk between runs (the CLI, a restarted kernel), one JSON file per fit named
 * by the hash of its key. The key already holds the pattern's content hash, the model, the instrument and the seed
 * chain (core/operando/sequential.ts); the runner adds the engine's own identity, so a changed engine never reuses an
 * old result. Files are written to a temporary name and renamed, so a crash leaves no half-written entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fnv1a64 } from '../core/operando/hash.ts';
import type { SequentialCache, SequentialEntry } from '../core/operando/sequential.ts';

/** Entries kept; beyond this the oldest (by modification time) go when a cache is opened. */
export const DISK_CACHE_MAX_ENTRIES = 20000;

/**
 * Where results are cached unless told otherwise: `$OPERANDO_XRD_RESULTS_CACHE` ("off" disables), else
 * `$XDG_CACHE_HOME/operando-xrd/sequential`, else `~/.cache/operando-xrd/sequential`. Undefined when disabled.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.OPERANDO_XRD_RESULTS_CACHE;
  if (own !== undefined && own !== '') return own === 'off' ? undefined : own;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'operando-xrd', 'sequential');
}

interface StoredEntry<R> {
  readonly key: string;
  readonly entry: SequentialEntry<R>;
}

/**
 * A cache in `dir` (created on the first write). Unreadable or foreign files count as misses, never as errors: a
 * cache can only save time, not fail a run. Prunes to {@link DISK_CACHE_MAX_ENTRIES} when opened.
 */
export function openDiskCache<R>(dir: string, maxEntries = DISK_CACHE_MAX_ENTRIES): SequentialCache<R> & { readonly dir: string } {
  prune(dir, maxEntries);
  const fileOf = (key: string): string => path.join(dir, `${fnv1a64(key)}.json`);
  return {
    dir,
    get(key) {
      let text: string;
      try {
        text = fs.readFileSync(fileOf(key), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const stored = JSON.parse(text, reviveNumber) as StoredEntry<R>;
        // The file name is a 64-bit hash of the key: the key inside settles a collision.
        return stored.key === key ? stored.entry : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, entry) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        const file = fileOf(key);
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ key, entry } satisfies StoredEntry<R>, keepNumber));
        fs.renameSync(tmp, file);
      } catch {
        // A read-only or full disk only costs the next run its time.
      }
    },
  };
}

/** The memory cache first, then the disk; what the disk had is copied into memory. */
export function layeredCache<R>(memory: Map<string, SequentialEntry<R>>, disk: SequentialCache<R> | undefined): SequentialCache<R> {
  return {
    async get(key) {
      const hit = memory.get(key);
      if (hit || !disk) return hit;
      const stored = await disk.get(key);
      if (stored) memory.set(key, stored);
      return stored;
    },
    async set(key, entry) {
      memory.set(key, entry);
      await disk?.set(key, entry);
    },
  };
}

// JSON has no NaN or ±Infinity (a σ of an undetermined parameter, an R factor without background): keep them as text.
const NON_FINITE = '\u0000number:';
function keepNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? `${NON_FINITE}${value}` : value;
}
function reviveNumber(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(NON_FINITE) ? Number(value.slice(NON_FINITE.length)) : value;
}

function prune(dir: string, maxEntries: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return;
  }
  if (names.length <= maxEntries) return;
  const byAge = names
    .map((n) => {
      try {
        return { n, t: fs.statSync(path.join(dir, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    })
    .sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - maxEntries)) {
    try {
      fs.unlinkSync(path.join(dir, n));
    } catch {
      // Another process may have removed it.
    }
  }
}
