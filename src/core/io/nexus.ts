/**
 * NeXus/HDF5 1D powder patterns and series of them, read from an abstract tree of groups, datasets and
 * attributes ({@link HdfTree}). The core never touches HDF5 itself: the worker backs the tree with h5wasm in a
 * thread of its own, with a timeout (src/worker/hdf5.ts), and the tests with an in-memory fake.
 *
 * Where the pattern is found, in order:
 *  1. the NeXus `default` attribute chain from the root (NXroot → NXentry → NXdata), as NeXus viewers do;
 *  2. any NXdata group (breadth first) whose `signal` attribute names a dataset, or whose dataset has `signal = 1`
 *     (NeXus before 2014);
 *  3. known layouts without NeXus classes: scimap's `two_thetas`/`intensities` (one axis row per scan) and a group
 *     holding a 2θ or q axis beside an intensity dataset (pyFAI/Dioptas names such as `binning`, `radial`, `I`).
 * The axis is the `axes` entry of the last signal dimension. Its unit comes from the axis's `units` (or Dioptas'
 * `unit`) attribute, a pyFAI unit name (`2th_deg`, `q_nm^-1`, `q_A^-1`), a `long_name` such as "two_theta
 * (degrees)", or Dioptas' `process/int_unit` dataset. A 1D signal is one scan; a 2D signal (patterns × points) is
 * a series, one scan per row, as multi-scan XRDML does. The wavelength comes from a `wavelength` dataset (NXbeam,
 * NXmonochromator; Å, nm or m) or scimap's `wavelengths` table (λ, ratio); absent otherwise.
 */
import type { AxisQuantity, AxisUnit, Scan, ScanFile, WavelengthLine } from '../data/scan.ts';
import { putMeta } from './header.ts';
import { ParseError } from './parseError.ts';
import { ANODE_LINES } from './wavelengths.ts';

const FORMAT = 'nexus';

/** One attribute value as an HDF5 tree gives it: a string, a number, or an array of them. */
export type HdfAttribute = string | number | boolean | readonly (string | number)[];

/** Shape and element type of a dataset. */
export interface HdfDatasetInfo {
  readonly shape: readonly number[];
  readonly type: 'number' | 'string' | 'other';
  /** Bytes per stored value, when known (2 for half precision). */
  readonly elementBytes?: number;
}

/**
 * Read-only access to an HDF5 file's tree by absolute path ('/' is the root group; members are '/a/b').
 * Implementations may throw for damaged files; {@link readNexus} turns anything but a ParseError into one.
 */
export interface HdfTree {
  /** 'group' or 'dataset', or undefined when nothing readable (a broken link, a named type) is at `path`. */
  kind(path: string): 'group' | 'dataset' | undefined;
  /** Member names of the group at `path`. */
  keys(path: string): readonly string[];
  /** Attributes of the object at `path`. */
  attrs(path: string): Readonly<Record<string, HdfAttribute>>;
  /** Shape and element type of the dataset at `path` (shape [] for a scalar). */
  info(path: string): HdfDatasetInfo;
  /** Numeric values of the dataset at `path`, flattened row-major (NaN where not finite). */
  numbers(path: string): Float64Array;
  /** String values of the dataset at `path`, flattened. */
  strings(path: string): readonly string[];
}

/** Limits that keep a hostile or huge file from turning the search into a crawl. */
export const NEXUS_LIMITS = {
  /** Groups and datasets looked at while searching for NXdata. */
  maxVisited: 20_000,
  /** Group depth searched below the root. */
  maxDepth: 8,
  /** Points of all scans together (a 2D detector image stored as a series would exceed it). */
  maxPoints: 50_000_000,
} as const;

const join = (group: string, name: string) => (group === '/' ? `/${name}` : `${group}/${name}`);
const parentOf = (path: string) => path.slice(0, Math.max(1, path.lastIndexOf('/')));
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function fail(expected: string, found: string): never {
  throw new ParseError({ format: FORMAT, expected, found });
}

function attrString(attrs: Readonly<Record<string, HdfAttribute>>, name: string): string | undefined {
  const v = attrs[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

function attrStrings(attrs: Readonly<Record<string, HdfAttribute>>, name: string): string[] | undefined {
  const v = attrs[name];
  if (typeof v === 'string') return v.split(/[:,]/).map((s) => s.trim());
  if (Array.isArray(v)) return v.map((s) => String(s).trim());
  return undefined;
}

/** An axis's quantity and unit from a unit text (NeXus `units`, pyFAI unit names, a long name). */
export function axisUnitOf(text: string): { axis: AxisQuantity; unit: AxisUnit; radians?: boolean } | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^(2th|tth|two_?theta)_deg$|^deg(ree)?s?$|^°$|two[ _-]?theta.*\(deg|2θ.*\(deg|2theta.*\(deg/.test(t)) return { axis: 'twoTheta', unit: 'deg' };
  if (/^(2th|tth|two_?theta)_rad$|^rad(ian)?s?$/.test(t)) return { axis: 'twoTheta', unit: 'deg', radians: true };
  if (/^q_nm\^-1$|^(1\/nm|nm\^-1|nm-1|1\/nanometers?|nm⁻¹)$|q.*\((1\/nm|nm\^-1|nm⁻¹)\)/.test(t)) return { axis: 'q', unit: 'invNanometre' };
  if (/^q_a\^-1$|^(1\/a|a\^-1|a-1|1\/angstroms?|angstroms?\^-1|å\^-1|å⁻¹|1\/å)$|q.*\((1\/a|a\^-1|å\^-1|å⁻¹|1\/å)\)/.test(t)) return { axis: 'q', unit: 'invAngstrom' };
  if (/^d\*?_a$|^d_å$/.test(t)) return { axis: 'd', unit: 'angstrom' };
  return undefined;
}

/** What a dataset's name alone says about an axis (used only when no unit is given anywhere). */
function axisFromName(name: string): { axis: AxisQuantity; unit: AxisUnit } | undefined {
  const n = name.toLowerCase();
  if (/^(2th|tth|two_?thetas?|2theta|twotheta)(_deg)?$/.test(n)) return { axis: 'twoTheta', unit: 'deg' };
  return undefined;
}

interface Candidate {
  /** The group holding signal and axis. */
  readonly group: string;
  readonly signal: string;
  /** The axis dataset; undefined when the NXdata names none. */
  readonly axis?: string;
  readonly errors?: string;
  readonly how: string;
}

/** Signal, axis and errors of an NXdata group, when it names a signal. */
function nxdataCandidate(tree: HdfTree, group: string, how: string): Candidate | undefined {
  const attrs = tree.attrs(group);
  const members = tree.keys(group);
  let signal = attrString(attrs, 'signal');
  if (signal && !members.includes(signal)) signal = undefined;
  // NeXus before 2014: the signal dataset carries signal = 1, axes datasets axis = k.
  let legacyAxis: string | undefined;
  if (!signal) {
    for (const m of members) {
      const p = join(group, m);
      if (tree.kind(p) !== 'dataset') continue;
      const a = tree.attrs(p);
      if (a.signal !== undefined && Number(a.signal) === 1) signal = m;
    }
    if (!signal) return undefined;
    const old = attrStrings(tree.attrs(join(group, signal)), 'axes');
    legacyAxis = old?.filter((s) => s && s !== '.').at(-1);
    if (!legacyAxis) {
      for (const m of members) {
        const a = tree.attrs(join(group, m));
        if (m !== signal && a.axis !== undefined && Number(a.axis) >= 1) legacyAxis = m;
      }
    }
  }
  const signalPath = join(group, signal);
  if (tree.kind(signalPath) !== 'dataset') return undefined;
  const rank = tree.info(signalPath).shape.length;
  let axis = legacyAxis;
  const axes = attrStrings(attrs, 'axes');
  if (!axis && axes) {
    // axes[k] names the axis of dimension k; '.' means none. Also honour AXISNAME_indices.
    const named = axes.length === rank ? axes[rank - 1] : axes.filter((s) => s && s !== '.').at(-1);
    if (named && named !== '.') axis = named;
    for (const a of axes) {
      const idx = attrs[`${a}_indices`];
      const last = Array.isArray(idx) ? Number(idx.at(-1)) : idx !== undefined ? Number(idx) : NaN;
      if (last === rank - 1 && members.includes(a)) axis = a;
    }
  }
  if (axis && !members.includes(axis)) axis = undefined;
  const errors = members.includes(`${signal}_errors`) ? `${signal}_errors` : members.includes('errors') ? 'errors' : undefined;
  return { group, signal: signalPath, axis: axis ? join(group, axis) : undefined, errors: errors ? join(group, errors) : undefined, how };
}

/** The default chain: root `default` → entry, entry `default` → NXdata. */
function defaultChain(tree: HdfTree): Candidate | undefined {
  let path = '/';
  for (let depth = 0; depth < 4; depth++) {
    const next = attrString(tree.attrs(path), 'default');
    if (!next) break;
    const p = next.startsWith('/') ? next : join(path, next);
    if (tree.kind(p) !== 'group') break;
    path = p;
    if (attrString(tree.attrs(path), 'NX_class') === 'NXdata') return nxdataCandidate(tree, path, 'NeXus default chain');
  }
  return undefined;
}

const AXIS_NAMES = /^(two_?thetas?|2th(_deg|_rad)?|tth|2theta|twotheta|binning|radial|q(_nm\^-1|_a\^-1)?|x)$/i;
const SIGNAL_NAMES = /^(intensit(y|ies)|i|data|counts|signal|y)$/i;

/** Breadth-first search for NXdata groups, then for groups laid out like scimap or pyFAI without classes. */
function searchCandidates(tree: HdfTree): Candidate[] {
  const nx: Candidate[] = [];
  const plain: Candidate[] = [];
  let queue: string[] = ['/'];
  let visited = 0;
  for (let depth = 0; depth <= NEXUS_LIMITS.maxDepth && queue.length; depth++) {
    const next: string[] = [];
    for (const group of queue) {
      if (++visited > NEXUS_LIMITS.maxVisited) return [...nx, ...plain];
      const cls = attrString(tree.attrs(group), 'NX_class');
      if (cls === 'NXdata') {
        const c = nxdataCandidate(tree, group, `NXdata ${group}`);
        if (c) nx.push(c);
      }
      const members = tree.keys(group);
      const datasets: string[] = [];
      for (const m of members) {
        visited++;
        const p = join(group, m);
        const kind = tree.kind(p);
        if (kind === 'group') next.push(p);
        else if (kind === 'dataset') datasets.push(m);
      }
      if (cls !== 'NXdata') {
        const axis = datasets.find((d) => AXIS_NAMES.test(d) && tree.info(join(group, d)).type === 'number');
        const signal = datasets.find((d) => SIGNAL_NAMES.test(d) && tree.info(join(group, d)).type === 'number');
        if (axis && signal) plain.push({ group, signal: join(group, signal), axis: join(group, axis), how: `datasets ${axis} and ${signal} in ${group}` });
      }
    }
    queue = next;
  }
  return [...nx, ...plain];
}

/** A scalar string dataset's value, or undefined. */
function scalarString(tree: HdfTree, path: string): string | undefined {
  if (tree.kind(path) !== 'dataset') return undefined;
  const info = tree.info(path);
  if (info.type !== 'string' || info.shape.reduce((a, b) => a * b, 1) !== 1) return undefined;
  return tree.strings(path)[0];
}

/** Unit of the axis dataset from its attributes, its name, or the Dioptas `process/int_unit` beside the data. */
function resolveAxisUnit(tree: HdfTree, c: Candidate): { axis: AxisQuantity; unit: AxisUnit; radians?: boolean; from: string } {
  const axisPath = c.axis as string;
  const attrs = tree.attrs(axisPath);
  for (const key of ['units', 'unit']) {
    const u = attrString(attrs, key);
    const got = u ? axisUnitOf(u) : undefined;
    if (got) return { ...got, from: `${key} "${u}"` };
  }
  const byName = axisUnitOf(baseName(axisPath));
  if (byName) return { ...byName, from: `name ${baseName(axisPath)}` };
  const longName = attrString(attrs, 'long_name');
  const byLong = longName ? axisUnitOf(longName) : undefined;
  if (byLong) return { ...byLong, from: `long_name "${longName}"` };
  for (const p of [join(parentOf(c.group), 'process/int_unit'), join(c.group, 'int_unit')]) {
    const u = scalarString(tree, p);
    const got = u ? axisUnitOf(u) : undefined;
    if (got) return { ...got, from: `${p} "${u}"` };
  }
  const guess = axisFromName(baseName(axisPath));
  if (guess) return { ...guess, from: `name ${baseName(axisPath)} (no unit given; degrees assumed)` };
  const u = attrString(attrs, 'units') ?? attrString(attrs, 'unit') ?? longName;
  return fail(`an axis in 2θ (deg or rad), q (nm⁻¹ or Å⁻¹) or d (Å) for ${c.signal}`, `${axisPath} with ${u ? `unit "${u}"` : 'no unit'}`);
}

/** A wavelength in Å from a value and its unit text (Å by default; a value below 1e-6 is taken as metres). */
function toAngstrom(value: number, unit: string | undefined): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const u = (unit ?? '').trim().toLowerCase();
  if (u === 'nm' || u === 'nanometer' || u === 'nanometers') return value * 10;
  if (u === 'm' || u === 'meter' || u === 'metre' || u === 'meters' || (!u && value < 1e-6)) return value * 1e10;
  if (u === 'pm') return value / 100;
  return value;
}

/**
 * The anode line (Hölzer et al. 1997) a half-precision value was rounded from: scimap stores its wavelengths as
 * float16, whose rounding (±2⁻¹¹ relative) would shift every d-spacing by up to 0.05 %.
 */
function anodeLineWithin(angstrom: number, tolerance: number): { angstrom: number; label: string } | undefined {
  for (const [anode, [a1, a2]] of Object.entries(ANODE_LINES)) {
    if (Math.abs(angstrom - a1) <= tolerance) return { angstrom: a1, label: `${anode} Kα1` };
    if (Math.abs(angstrom - a2) <= tolerance) return { angstrom: a2, label: `${anode} Kα2` };
  }
  return undefined;
}

/** Wavelength lines from a `wavelength` dataset near the data (NXbeam, NXmonochromator, instrument) or scimap's table. */
function findWavelengths(tree: HdfTree, c: Candidate, meta: Record<string, string>): WavelengthLine[] {
  // scimap: `wavelengths` is a (lines, 2) table of (λ, ratio).
  const table = join(c.group, 'wavelengths');
  if (tree.kind(table) === 'dataset') {
    const info = tree.info(table);
    if (info.type === 'number' && info.shape.length === 2 && info.shape[1] === 2 && info.shape[0] >= 1 && info.shape[0] <= 4) {
      const v = tree.numbers(table);
      const unit = attrString(tree.attrs(table), 'unit') ?? attrString(tree.attrs(table), 'units');
      const lines: WavelengthLine[] = [];
      for (let k = 0; k < info.shape[0]; k++) {
        const a = toAngstrom(v[2 * k], unit);
        if (a === undefined || !(v[2 * k + 1] > 0)) continue;
        const line = info.elementBytes === 2 ? anodeLineWithin(a, a * 2 ** -11) : undefined;
        if (line) {
          putMeta(meta, `wavelength ${k + 1}`, `${a} Å stored in half precision, read as ${line.label} ${line.angstrom} Å`);
          lines.push({ angstrom: line.angstrom, ratio: v[2 * k + 1], source: 'file', label: line.label });
        } else lines.push({ angstrom: a, ratio: v[2 * k + 1], source: 'file', label: `λ${k + 1}` });
      }
      if (lines.length) {
        putMeta(meta, 'wavelength from', table);
        return lines;
      }
    }
  }
  // Search the entry that holds the data (two levels up at most), breadth first and bounded.
  const top = c.group.split('/').filter(Boolean)[0];
  const root = top ? `/${top}` : '/';
  let queue = [root];
  let visited = 0;
  for (let depth = 0; depth < 5 && queue.length; depth++) {
    const next: string[] = [];
    for (const g of queue) {
      for (const m of tree.keys(g)) {
        if (++visited > 2000) return [];
        const p = join(g, m);
        const kind = tree.kind(p);
        if (kind === 'group') next.push(p);
        else if (kind === 'dataset' && /^(incident_)?wavelength$/i.test(m)) {
          const info = tree.info(p);
          if (info.type !== 'number' || info.shape.reduce((a, b) => a * b, 1) !== 1) continue;
          const a = toAngstrom(tree.numbers(p)[0], attrString(tree.attrs(p), 'units') ?? attrString(tree.attrs(p), 'unit'));
          if (a !== undefined && a < 100) {
            putMeta(meta, 'wavelength from', p);
            return [{ angstrom: a, ratio: 1, source: 'file', label: 'λ' }];
          }
        }
      }
    }
    queue = next;
  }
  return [];
}

/** Scan rows from one candidate; throws ParseError when its shapes do not make 1D patterns. */
function readCandidate(tree: HdfTree, c: Candidate, warnings: string[]): ScanFile {
  const sInfo = tree.info(c.signal);
  if (sInfo.type !== 'number') fail(`a numeric signal dataset at ${c.signal}`, `a ${sInfo.type} dataset`);
  const shape = sInfo.shape;
  if (shape.length < 1 || shape.length > 2) {
    fail(`a 1D pattern or a 2D series (patterns × points) at ${c.signal}`, `a dataset of shape [${shape.join(', ')}]`);
  }
  const n = shape[shape.length - 1];
  const rows = shape.length === 2 ? shape[0] : 1;
  if (!(n >= 2)) fail(`at least 2 points per pattern at ${c.signal}`, `shape [${shape.join(', ')}]`);
  if (!(rows >= 1)) fail(`at least one pattern at ${c.signal}`, `shape [${shape.join(', ')}]`);
  if (rows * n > NEXUS_LIMITS.maxPoints) fail(`at most ${NEXUS_LIMITS.maxPoints} points in all at ${c.signal}`, `shape [${shape.join(', ')}]`);
  if (!c.axis) fail(`an axis dataset for ${c.signal} (NXdata "axes" attribute)`, 'none');
  const aInfo = tree.info(c.axis);
  if (aInfo.type !== 'number') fail(`a numeric axis at ${c.axis}`, `a ${aInfo.type} dataset`);
  const aShape = aInfo.shape;
  const perRow = aShape.length === 2 && aShape[0] === rows && aShape[1] === n;
  if (!perRow && !(aShape.length === 1 && aShape[0] === n)) {
    fail(`an axis of ${n} points (or ${rows} × ${n}) at ${c.axis} for ${c.signal} [${shape.join(', ')}]`, `shape [${aShape.join(', ')}]`);
  }
  const unit = resolveAxisUnit(tree, c);
  if (unit.from.includes('assumed')) warnings.push(`${c.axis}: no unit given; read as 2θ in degrees from its name`);
  const axisValues = tree.numbers(c.axis);
  const signal = tree.numbers(c.signal);
  if (axisValues.length !== (perRow ? rows * n : n) || signal.length !== rows * n) {
    fail(`${rows * n} values at ${c.signal} and ${perRow ? rows * n : n} at ${c.axis}`, `${signal.length} and ${axisValues.length}`);
  }
  let sigma: Float64Array | undefined;
  if (c.errors) {
    const eInfo = tree.info(c.errors);
    if (eInfo.type === 'number' && eInfo.shape.join(',') === shape.join(',')) sigma = tree.numbers(c.errors);
    else warnings.push(`${c.errors}: shape [${eInfo.shape.join(', ')}] does not match the signal's; σ left out`);
  }
  const meta: Record<string, string> = {};
  putMeta(meta, 'signal', c.signal);
  putMeta(meta, 'axis', c.axis);
  putMeta(meta, 'axis unit from', unit.from);
  putMeta(meta, 'found by', c.how);
  if (sigma && c.errors) putMeta(meta, 'errors', c.errors);
  const title = scalarString(tree, join(parentOf(c.group), 'title'));
  if (title) putMeta(meta, 'title', title);
  const process = join(parentOf(c.group), 'process');
  if (tree.kind(process) === 'group') {
    for (const m of tree.keys(process)) {
      const v = scalarString(tree, join(process, m));
      if (v !== undefined) putMeta(meta, `process ${m}`, v);
    }
  }
  const wavelengths = findWavelengths(tree, c, meta);
  // scimap names each pattern's source file.
  const names = join(c.group, 'file_basenames');
  const rowNames =
    tree.kind(names) === 'dataset' && tree.info(names).type === 'string' && tree.info(names).shape.join(',') === String(rows)
      ? tree.strings(names)
      : undefined;
  const scans: Scan[] = [];
  const toDeg = unit.radians ? 180 / Math.PI : 1;
  for (let r = 0; r < rows; r++) {
    const x = new Float64Array(n);
    const off = perRow ? r * n : 0;
    for (let k = 0; k < n; k++) x[k] = axisValues[off + k] * toDeg;
    const y = signal.slice(r * n, (r + 1) * n);
    const rowMeta: Record<string, string> = { ...meta };
    if (rows > 1) putMeta(rowMeta, 'pattern', `${r + 1} of ${rows}`);
    if (rowNames) putMeta(rowMeta, 'source file', rowNames[r]);
    scans.push({
      x,
      y,
      sigma: sigma ? sigma.slice(r * n, (r + 1) * n) : undefined,
      axis: unit.axis,
      unit: unit.unit,
      intensityKind: 'unknown',
      wavelengths,
      geometry: 'unknown',
      sample: rowNames?.[r],
      metadata: rowMeta,
    });
  }
  if (!wavelengths.length && unit.axis === 'twoTheta') warnings.push('no wavelength in the file; give one to convert 2θ to q or d');
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings };
}

/**
 * Reads the 1D powder pattern(s) of a NeXus/HDF5 file from its tree. A 2D signal (patterns × points) gives one
 * scan per row. Throws ParseError naming the HDF5 path when no group holds a readable 1D pattern.
 */
export function readNexus(tree: HdfTree): ScanFile {
  try {
    if (tree.kind('/') !== 'group') fail('an HDF5 root group', 'none');
    const tried: Candidate[] = [];
    const first = defaultChain(tree);
    if (first) tried.push(first);
    for (const c of searchCandidates(tree)) if (!tried.some((t) => t.signal === c.signal)) tried.push(c);
    if (!tried.length) fail('an NXdata group with a signal, or datasets such as two_theta/q and intensity', 'none');
    let firstError: ParseError | undefined;
    for (const c of tried) {
      const warnings: string[] = [];
      try {
        const file = readCandidate(tree, c, warnings);
        if (firstError) warnings.unshift(`skipped ${tried[0].signal}: ${firstError.message}`);
        return file;
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        firstError ??= e;
      }
    }
    throw firstError as ParseError;
  } catch (e) {
    if (e instanceof ParseError) throw e;
    return fail('a readable HDF5 tree', `HDF5 error: ${e instanceof Error ? e.message : String(e)}`);
  }
}
