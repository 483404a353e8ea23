/**
 * PANalytical XRDML (schemas 1.x and 2.x): XML with one or more `xrdMeasurement`s, each with one or more
 * `scan`s. Positions are either `listPositions` or `startPosition`/`endPosition` (equally spaced over the point
 * count); intensities are `<intensities>` (1.x) or `<counts>` (2.x), in counts or cps; the used wavelength gives
 * Kα1, Kα2 and their ratio. Every scan of every measurement becomes one Scan (a series).
 */
import type { Geometry, IntensityKind, Scan, ScanFile, WavelengthLine } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { finiteOrNaN } from './text.ts';
import { anodeWavelengths } from './wavelengths.ts';
import { child, childrenNamed, descendants, numberList, numberOf, parseXml, path, text, type XmlElement } from './xml.ts';

const FORMAT = 'xrdml';

/** Reads an XRDML file into one scan per `<scan>` element. */
export function readXrdml(bytes: Uint8Array): ScanFile {
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: 'an XRDML document', found: '0 bytes' });
  const root = parseXml(bytes, FORMAT);
  if (root.name !== 'xrdMeasurements') {
    throw new ParseError({ format: FORMAT, offset: root.innerStart, expected: 'root element <xrdMeasurements>', found: `<${root.name}>` });
  }
  const meta: Record<string, string> = {};
  const ns = root.attrs.xmlns ?? '';
  const version = /XRDMeasurement\/(\d+(?:\.\d+)?)/.exec(ns)?.[1];
  if (version) putMeta(meta, 'schema version', version);
  if (root.attrs.status) putMeta(meta, 'status', root.attrs.status);
  for (const e of childrenNamed(child(root, 'comment'), 'entry')) {
    const t = text(bytes, e);
    const eq = t.indexOf('=');
    if (eq > 0 && !t.slice(0, eq).includes(',')) putMeta(meta, t.slice(0, eq), t.slice(eq + 1));
    else putMeta(meta, `comment ${Object.keys(meta).length}`, t);
  }
  const sampleEl = child(root, 'sample');
  const sample = text(bytes, child(sampleEl, 'name')) || text(bytes, child(sampleEl, 'id')) || undefined;
  if (sampleEl?.attrs.type) putMeta(meta, 'sample type', sampleEl.attrs.type);
  const scans: Scan[] = [];
  const warnings: string[] = [];
  for (const m of childrenNamed(root, 'xrdMeasurement')) {
    const mMeta: Record<string, string> = { ...meta };
    if (m.attrs.measurementType) putMeta(mMeta, 'measurement type', m.attrs.measurementType);
    if (m.attrs.sampleMode) putMeta(mMeta, 'sample mode', m.attrs.sampleMode);
    const wl = child(m, 'usedWavelength');
    const tube = path(m, 'incidentBeamPath', 'xRayTube');
    const anode = text(bytes, child(tube, 'anodeMaterial')) || undefined;
    if (anode) putMeta(mMeta, 'anode', anode);
    if (tube?.attrs.name) putMeta(mMeta, 'tube', tube.attrs.name);
    const radius = numberOf(bytes, path(m, 'incidentBeamPath', 'radius'));
    if (radius !== undefined) putMeta(mMeta, 'goniometer radius (mm)', String(radius));
    const detector = path(m, 'diffractedBeamPath', 'detector');
    if (detector?.attrs.name) putMeta(mMeta, 'detector', detector.attrs.name);
    const wavelengths = usedWavelengths(bytes, wl, anode);
    const geometry: Geometry =
      m.attrs.sampleMode === 'Transmission' ? 'transmission' : m.attrs.sampleMode === 'Reflection' ? 'braggBrentano' : 'unknown';
    const instrument = mMeta['Diffractometer system'] || undefined;
    for (const s of childrenNamed(m, 'scan')) {
      scans.push(readScan(bytes, s, { meta: mMeta, wavelengths, geometry, instrument, sample }, warnings));
    }
  }
  if (!scans.length) {
    throw new ParseError({ format: FORMAT, offset: root.innerStart, expected: 'at least one <xrdMeasurement><scan>', found: 'none' });
  }
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings };
}

function usedWavelengths(bytes: Uint8Array, wl: XmlElement | undefined, anode: string | undefined): WavelengthLine[] {
  const a1 = numberOf(bytes, child(wl, 'kAlpha1'));
  const a2 = numberOf(bytes, child(wl, 'kAlpha2'));
  const ratio = numberOf(bytes, child(wl, 'ratioKAlpha2KAlpha1'));
  const el = anode ? `${anode} ` : '';
  const intended = wl?.attrs.intended ?? '';
  const out: WavelengthLine[] = [];
  if (a1 !== undefined && a1 > 0) {
    // 'K-Alpha 1' means a monochromated beam: only Kα1 is used even when Kα2 is listed.
    out.push({ angstrom: a1, ratio: 1, source: 'file', label: `${el}Kα1` });
    if (intended !== 'K-Alpha 1' && a2 !== undefined && a2 > 0 && ratio !== undefined && ratio > 0) {
      out.push({ angstrom: a2, ratio, source: 'file', label: `${el}Kα2` });
    }
    return out;
  }
  return anodeWavelengths(anode);
}

function readScan(
  bytes: Uint8Array,
  s: XmlElement,
  ctx: { meta: Record<string, string>; wavelengths: WavelengthLine[]; geometry: Geometry; instrument?: string; sample?: string },
  warnings: string[],
): Scan {
  const meta: Record<string, string> = { ...ctx.meta };
  if (s.attrs.scanAxis) putMeta(meta, 'scan axis', s.attrs.scanAxis);
  if (s.attrs.mode) putMeta(meta, 'scan mode', s.attrs.mode);
  if (s.attrs.appendNumber) putMeta(meta, 'append number', s.attrs.appendNumber);
  const header = child(s, 'header');
  const startTime = text(bytes, child(header, 'startTimeStamp')) || undefined;
  const endTime = text(bytes, child(header, 'endTimeStamp')) || undefined;
  const author = text(bytes, path(header, 'author', 'name'));
  if (author) putMeta(meta, 'author', author);
  const dp = child(s, 'dataPoints');
  if (!dp) throw new ParseError({ format: FORMAT, offset: s.innerStart, expected: '<dataPoints> in <scan>', found: 'none' });
  const yEl = child(dp, 'intensities') ?? child(dp, 'counts');
  if (!yEl) throw new ParseError({ format: FORMAT, offset: dp.innerStart, expected: '<intensities> or <counts>', found: 'neither' });
  const y = numberList(bytes, yEl, FORMAT);
  const n = y.length;
  const unit = (yEl.attrs.unit ?? 'counts').toLowerCase();
  const intensityKind: IntensityKind = unit === 'cps' ? 'countsPerSecond' : unit === 'counts' ? 'counts' : 'unknown';
  const countTime = numberOf(bytes, child(dp, 'commonCountingTime'));
  const attenuation = child(dp, 'beamAttenuationFactors');
  if (attenuation) {
    // Counts were taken behind an attenuator; the factors scale them back to the unattenuated beam.
    const f = numberList(bytes, attenuation, FORMAT);
    if (f.length === n) {
      let any = false;
      for (let k = 0; k < n; k++) if (f[k] !== 1) any = true;
      if (any) {
        for (let k = 0; k < n; k++) y[k] *= f[k];
        finiteOrNaN(y);
        warnings.push('intensities were multiplied by the beam attenuation factors');
      }
    }
  }
  const positions = childrenNamed(dp, 'positions');
  const pos = positions.find((p) => p.attrs.axis === '2Theta') ?? positions[0];
  if (!pos) throw new ParseError({ format: FORMAT, offset: dp.innerStart, expected: '<positions axis="2Theta">', found: 'no <positions>' });
  const x = positionsOf(bytes, pos, n);
  for (const p of positions) {
    if (p === pos) continue;
    const common = numberOf(bytes, child(p, 'commonPosition'));
    if (common !== undefined) putMeta(meta, `${p.attrs.axis ?? 'axis'} (common)`, String(common));
    else {
      const a = numberOf(bytes, child(p, 'startPosition'));
      const b = numberOf(bytes, child(p, 'endPosition'));
      if (a !== undefined && b !== undefined) putMeta(meta, `${p.attrs.axis ?? 'axis'} range`, `${a} ${b}`);
    }
  }
  const axisName = pos.attrs.axis ?? '';
  if (axisName !== '2Theta') warnings.push(`scan axis ${axisName || '(unnamed)'} is not 2θ; its positions are used as x`);
  const sampleEls = descendants(s, 'nonAmbientValues');
  if (sampleEls.length) putMeta(meta, 'non-ambient values', text(bytes, sampleEls[0]).slice(0, 200));
  return {
    x,
    y,
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind,
    countTimeS: countTime,
    wavelengths: ctx.wavelengths,
    geometry: ctx.geometry,
    startTime,
    endTime,
    instrument: ctx.instrument,
    sample: ctx.sample,
    metadata: meta,
  };
}

function positionsOf(bytes: Uint8Array, pos: XmlElement, n: number): Float64Array {
  const list = child(pos, 'listPositions');
  if (list) {
    const x = numberList(bytes, list, FORMAT);
    if (x.length !== n) {
      throw new ParseError({ format: FORMAT, offset: list.innerStart, expected: `${n} list positions (one per intensity)`, found: `${x.length}` });
    }
    return x;
  }
  const a = numberOf(bytes, child(pos, 'startPosition'));
  const b = numberOf(bytes, child(pos, 'endPosition'));
  if (a === undefined || b === undefined) {
    const common = numberOf(bytes, child(pos, 'commonPosition'));
    if (common !== undefined) return new Float64Array(n).fill(common);
    throw new ParseError({ format: FORMAT, offset: pos.innerStart, expected: 'startPosition and endPosition, or listPositions', found: 'neither' });
  }
  const x = new Float64Array(n);
  const step = n > 1 ? (b - a) / (n - 1) : 0;
  for (let k = 0; k < n; k++) x[k] = a + k * step;
  return finiteOrNaN(x);
}
