/**
 * Series named by a pattern, as a shell would expand it: `*` (any run of characters within a name), `?` (one
 * character), `[abc]`, `[a-z]`, `[!a]` (one of / none of), and a whole `**` segment (any depth of folders, this one
 * included). Neither `*` nor `?` matches a name's leading dot. Both `/` and `\` separate folders, so a literal `*` is
 * written `[*]`. The expansion walks the tree through `list` and `isDirectory` only, so it runs on any file access
 * (node, a workspace file system, a test's in-memory tree).
 */
import { naturalCompare } from './naturalSort.ts';

export interface TreeAccess {
  /** Names directly inside a folder. */
  list(folder: string): string[];
  isDirectory(path: string): boolean;
}

const MAGIC = /[*?[]/;

/** Whether a path names files by a pattern rather than one file or folder. */
export function isGlob(path: string): boolean {
  return MAGIC.test(path);
}

/** A matcher for one name (no separators) of a pattern; a RangeError for an unclosed `[`. */
export function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) throw new RangeError(`pattern "${segment}": '[' at ${i + 1} is not closed by ']'`);
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      // Inside a class only '\', ']' and '^' are special to RegExp; '-' keeps its range meaning.
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  // A leading dot is matched only by a pattern that writes it (hidden files stay hidden, as in a shell).
  return new RegExp(segment.startsWith('.') ? `^${source}$` : `^(?!\\.)${source}$`);
}

/**
 * Paths matching `pattern`, in natural order of the whole path (`run2/scan_9` before `run10/scan_1`). A relative
 * pattern stays relative (its matches too); folders are matched like files, and the caller decides what a matched
 * folder means.
 */
export function expandGlob(pattern: string, tree: TreeAccess): string[] {
  const segments = pattern.split(/[/\\]/);
  const firstMagic = segments.findIndex((s) => isGlob(s));
  if (firstMagic < 0) return [pattern];
  // The literal head: '' for an absolute pattern's root, '.' for a relative one that starts with a pattern.
  const head = segments.slice(0, firstMagic).join('/');
  const root = firstMagic === 0 ? '.' : head === '' ? '/' : head;
  const join = (dir: string, name: string) => (dir === '.' && firstMagic === 0 ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);
  const matchers = segments.slice(firstMagic).map((s) => (s === '**' ? undefined : isGlob(s) ? segmentMatcher(s) : s));
  const out = new Set<string>();
  const safeList = (dir: string): string[] => {
    try {
      return tree.list(dir);
    } catch {
      // An unreadable folder (permissions, a broken link) matches nothing, as in a shell.
      return [];
    }
  };
  const walk = (dir: string, k: number): void => {
    if (k === matchers.length) {
      out.add(dir);
      return;
    }
    const m = matchers[k];
    if (m === undefined) {
      // '**': this folder, or any folder below it (hidden ones excepted).
      walk(dir, k + 1);
      for (const name of safeList(dir)) {
        const child = join(dir, name);
        if (!name.startsWith('.') && tree.isDirectory(child)) walk(child, k);
      }
      return;
    }
    const last = k === matchers.length - 1;
    if (typeof m === 'string') {
      const child = join(dir, m);
      if (last ? safeList(dir).includes(m) : tree.isDirectory(child)) walk(child, k + 1);
      return;
    }
    for (const name of safeList(dir)) {
      if (!m.test(name)) continue;
      const child = join(dir, name);
      if (last || tree.isDirectory(child)) walk(child, k + 1);
    }
  };
  walk(root, 0);
  return [...out].sort(naturalCompare);
}
