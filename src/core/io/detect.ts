/**
 * Format detection by content: magic bytes, zip entry names, XML root elements and header lines. The file
 * extension only breaks ties between formats the content fits equally well.
 */
import { ParseError } from './parseError.ts';
import { decodeText, isNumericLine, lineEnd, looksBinary, nextLine, normaliseTextBytes, sniffLayout } from './text.ts';
import { isZip, zipNames } from './zip.ts';

/** What a reader produces. */
export type ReaderKind = 'diffraction' | 'electrochemistry';

/** One known file format: reader id, label, usual extensions (lower case, with dot), output kind, whether readable. */
export interface FormatInfo {
  readonly id: string;
  readonly label: string;
  readonly extensions: readonly string[];
  readonly kind: ReaderKind;
  /** False for formats we recognise but cannot read yet (detection then names them in a ParseError). */
  readonly supported: boolean;
}

/** Every format we detect; `supported` says which have a reader. The custom editor and CLI build their lists from this. */
export const FORMATS: readonly FormatInfo[] = [
  { id: 'xy', label: 'Column text (x y [σ])', extensions: ['.xy', '.xye', '.dat', '.txt', '.csv', '.asc'], kind: 'diffraction', supported: true },
  { id: 'chi', label: 'Fit2D chi', extensions: ['.chi'], kind: 'diffraction', supported: true },
  { id: 'xrdml', label: 'PANalytical XRDML', extensions: ['.xrdml'], kind: 'diffraction', supported: true },
  { id: 'brml', label: 'Bruker BRML', extensions: ['.brml'], kind: 'diffraction', supported: true },
  { id: 'bruker-raw', label: 'Bruker RAW v1–v4', extensions: ['.raw'], kind: 'diffraction', supported: true },
  { id: 'mpt', label: 'BioLogic EC-Lab text', extensions: ['.mpt', '.txt'], kind: 'electrochemistry', supported: true },
  { id: 'mpr', label: 'BioLogic EC-Lab binary', extensions: ['.mpr'], kind: 'electrochemistry', supported: true },
  { id: 'gsas', label: 'GSAS powder data', extensions: ['.gsa', '.gss', '.fxye', '.xra', '.gda'], kind: 'diffraction', supported: true },
  { id: 'ras', label: 'Rigaku RAS', extensions: ['.ras'], kind: 'diffraction', supported: true },
  { id: 'rasx', label: 'Rigaku RASX', extensions: ['.rasx'], kind: 'diffraction', supported: true },
  { id: 'pdcif', label: 'Powder CIF', extensions: ['.cif'], kind: 'diffraction', supported: true },
  { id: 'cif', label: 'Crystal structure CIF (no powder pattern)', extensions: ['.cif'], kind: 'diffraction', supported: false },
  { id: 'stoe-raw', label: 'STOE WinXPOW RAW', extensions: ['.raw'], kind: 'diffraction', supported: true },
  { id: 'uxd', label: 'Bruker UXD', extensions: ['.uxd'], kind: 'diffraction', supported: true },
  { id: 'nexus', label: 'NeXus/HDF5 1D patterns', extensions: ['.nxs', '.h5', '.hdf5', '.nx5'], kind: 'diffraction', supported: true },
  { id: 'ndax', label: 'Neware NDAX', extensions: ['.ndax'], kind: 'electrochemistry', supported: true },
  { id: 'nda', label: 'Neware NDA (versions 29 and 130)', extensions: ['.nda'], kind: 'electrochemistry', supported: true },
  { id: 'neware-csv', label: 'Neware nested CSV export (cycle/step/record levels)', extensions: ['.csv'], kind: 'electrochemistry', supported: true },
  { id: 'arbin-res', label: 'Arbin .res (MS Access database)', extensions: ['.res'], kind: 'electrochemistry', supported: true },
  { id: 'gamry', label: 'Gamry DTA', extensions: ['.dta'], kind: 'electrochemistry', supported: true },
  { id: 'maccor', label: 'Maccor text export', extensions: ['.txt', '.041', '.052'], kind: 'electrochemistry', supported: true },
  { id: 'arbin', label: 'Arbin CSV export', extensions: ['.csv'], kind: 'electrochemistry', supported: true },
  { id: 'echem-csv', label: 'Cycler CSV (time, voltage, current columns)', extensions: ['.csv', '.txt'], kind: 'electrochemistry', supported: true },
];

/** Result of {@link detectFormat}: the chosen reader id and every format the content fits. */
export interface Detection {
  readonly format: string;
  readonly candidates: string[];
}

function startsWith(bytes: Uint8Array, s: string, at = 0): boolean {
  if (bytes.length < at + s.length) return false;
  for (let k = 0; k < s.length; k++) if (bytes[at + k] !== s.charCodeAt(k)) return false;
  return true;
}

function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Scores of the formats the content fits (higher is more specific). */
function sniff(bytes: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  if (bytes.length === 0) return out;
  // Binary signatures.
  if (startsWith(bytes, 'RAW4.00') || startsWith(bytes, 'RAW1.01') || startsWith(bytes, 'RAW2') || startsWith(bytes, 'RAW ')) {
    out.set('bruker-raw', 10);
    return out;
  }
  if (startsWith(bytes, 'RAW_')) return out.set('stoe-raw', 10);
  if (startsWith(bytes, 'BIO-LOGIC MODULAR FILE')) return out.set('mpr', 10);
  if (startsWith(bytes, 'NEWARE')) return out.set('nda', 10);
  // HDF5's superblock sits at 0 or, after a user block, at 512, 1024, 2048 … bytes.
  for (let at = 0; at < bytes.length && at <= 1 << 16; at = at ? at * 2 : 512) {
    if (startsWith(bytes, '\x89HDF\r\n\x1a\n', at)) return out.set('nexus', 10);
  }
  if (startsWith(bytes, '\x00\x01\x00\x00Standard Jet DB')) return out.set('arbin-res', 10);
  if (isZip(bytes)) {
    let names: string[] = [];
    try {
      names = zipNames(bytes, 'zip');
    } catch {
      return out;
    }
    if (names.some((n) => /(^|\/)RawData\d*\.xml$/i.test(n))) out.set('brml', 10);
    if (names.some((n) => /(^|\/)Profile\d*\.txt$/i.test(n))) out.set('rasx', 10);
    if (names.some((n) => /^data\.ndc$/i.test(n))) out.set('ndax', 10);
    return out;
  }
  const text = normaliseTextBytes(bytes);
  if (looksBinary(text, 2048)) return out;
  const head = decodeText(text, 0, Math.min(text.length, 4096));
  if (/^(EC|BT)-Lab ASCII FILE/i.test(head)) return out.set('mpt', 10);
  if (/^\s*<\?xml[\s\S]{0,400}<xrdMeasurements\b|^\s*<xrdMeasurements\b/.test(head) || /<xrdMeasurements[\s>]/.test(head)) {
    return out.set('xrdml', 10);
  }
  if (/^\*RAS_DATA_START/.test(head)) return out.set('ras', 10);
  if (/^EXPLAIN\s/.test(head)) return out.set('gamry', 10);
  if (/^Today's Date|^MACCOR|^Rec#\t|^Rec\tCycle/im.test(head)) return out.set('maccor', 8);
  if (/^Cycle Index,Chg\. Cap/.test(head)) return out.set('neware-csv', 8);
  if (/^(Data_Point|Test_ID),(Test_Time|.*,Test_Time)/m.test(head)) return out.set('arbin', 8);
  // A cycler table: one header row naming voltage and current among at least three delimited columns.
  const cyclerHeader = head
    .split(/\r?\n/)
    .some((l) => /\b(voltage|volts|ewe|potential)\b/i.test(l) && /\b(current|amps)\b/i.test(l) && l.split(/[,;\t]/).length >= 3);
  if (cyclerHeader) out.set('echem-csv', 6);
  if (/^data_/m.test(head)) {
    // A CIF: a powder pattern when it uses the pd dictionary, else a crystal structure (not something we plot).
    return out.set(/_pd_(meas|proc)_/.test(decodeText(text, 0, Math.min(text.length, 1 << 22))) ? 'pdcif' : 'cif', 9);
  }
  if (/^\s*BANK\s+\d+/m.test(head)) out.set('gsas', 7);
  if ((head.match(/^_[A-Z][A-Z0-9_]*\s*=/gm) ?? []).length >= 3) out.set('uxd', 7);
  if (looksLikeChi(text)) out.set('chi', 6);
  if (hasNumericRows(text)) out.set('xy', 5);
  return out;
}

/** Fit2D chi: line 4 is a bare integer and line 5 holds two numbers. */
function looksLikeChi(bytes: Uint8Array): boolean {
  let i = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < 5 && i < bytes.length; k++) {
    starts.push(i);
    i = nextLine(bytes, i, bytes.length);
    ends.push(lineEnd);
  }
  if (starts.length < 5) return false;
  const l4 = decodeText(bytes, starts[3], ends[3]);
  if (!/^\s*\d+\s*$/.test(l4)) return false;
  const layout = sniffLayout(bytes, starts[4], ends[4]);
  return isNumericLine(bytes, starts[4], ends[4], layout);
}

/** Whether any of the first 500 lines is a row of two or more numbers. */
function hasNumericRows(bytes: Uint8Array): boolean {
  let i = 0;
  for (let k = 0; k < 500 && i < bytes.length; k++) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    const layout = sniffLayout(bytes, s, lineEnd);
    if (isNumericLine(bytes, s, lineEnd, layout)) return true;
  }
  return false;
}

/**
 * Detects a file's format from its content, using the extension only to break ties. Throws ParseError when
 * nothing fits, or when several formats fit equally well and the extension does not decide (the message names
 * the candidates).
 */
export function detectFormat(bytes: Uint8Array, fileName: string): Detection {
  const scores = sniff(bytes);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const candidates = ranked.map(([id]) => id);
  if (!ranked.length) {
    throw new ParseError({
      format: 'detect',
      offset: 0,
      file: fileName,
      expected: `a known format (${FORMATS.map((f) => f.id).join(', ')})`,
      found: bytes.length === 0 ? '0 bytes' : 'content none of them fits',
    });
  }
  const best = ranked[0][1];
  const top = ranked.filter(([, s]) => s === best).map(([id]) => id);
  if (top.length === 1) return { format: top[0], candidates };
  const ext = extensionOf(fileName);
  const byExt = top.filter((id) => FORMATS.find((f) => f.id === id)?.extensions.includes(ext));
  if (byExt.length === 1) return { format: byExt[0], candidates };
  throw new ParseError({ format: 'detect', offset: 0, file: fileName, expected: 'one matching format', found: `several: ${top.join(', ')}` });
}
