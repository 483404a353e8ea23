/**
 * Bruker DIFFRAC.SUITE `.brml`: a zip of XML files. Each `Experiment<n>/RawData<n>.xml` holds one scan: the scan axes
 * (`ScanAxisInfo`, with 2θ among them), the time per step, time stamps, and one `<Datum>` per point whose
 * comma-separated fields are: time per step, an enable flag, the position of each scan axis in order, then the
 * counts. The tube gives Kα1, Kα2 and their ratio.
 */
import type { Scan, ScanFile, WavelengthLine } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { excerpt, scanEnd, scanNumber } from './text.ts';
import { anodeWavelengths } from './wavelengths.ts';
import { child, childrenNamed, descendants, numberOf, parseXml, path, text, type XmlElement } from './xml.ts';
import { unzipEntries } from './zip.ts';

const FORMAT = 'brml';

/** Reads every `RawData<n>.xml` scan of a `.brml` archive, in name order. */
export function readBrml(bytes: Uint8Array): ScanFile {
  const entries = unzipEntries(bytes, FORMAT, (name) => /(^|\/)RawData\d*\.xml$/i.test(name));
  const names = Object.keys(entries).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!names.length) {
    throw new ParseError({ format: FORMAT, expected: 'an Experiment<n>/RawData<n>.xml entry in the zip', found: 'none' });
  }
  const scans: Scan[] = [];
  const warnings: string[] = [];
  const metadata: Record<string, string> = {};
  for (const name of names) {
    const scan = readRawData(entries[name], name, warnings);
    if (scan) scans.push(scan);
  }
  if (!scans.length) throw new ParseError({ format: FORMAT, expected: 'a RawData entry with <Datum> points', found: 'none' });
  metadata.entries = names.join(', ');
  return { kind: 'diffraction', format: FORMAT, scans, metadata, warnings };
}

function readRawData(bytes: Uint8Array, entry: string, warnings: string[]): Scan | undefined {
  const root = parseXml(bytes, FORMAT);
  if (root.name !== 'RawData') {
    throw new ParseError({ format: FORMAT, offset: root.innerStart, expected: `<RawData> in ${entry}`, found: `<${root.name}>` });
  }
  const routes = childrenNamed(child(root, 'DataRoutes'), 'DataRoute');
  const withData = routes.filter((r) => r.children.some((c) => c.name === 'Datum'));
  const route = withData.find((r) => r.attrs.RouteFlag === 'Measured') ?? withData[0];
  if (!route) {
    warnings.push(`${entry}: no measured points`);
    return undefined;
  }
  const meta: Record<string, string> = { entry };
  const info = child(route, 'ScanInformation');
  if (info?.attrs.VisibleName) putMeta(meta, 'scan type', info.attrs.VisibleName);
  const status = text(bytes, child(root, 'MeasurementStatus'));
  if (status) putMeta(meta, 'status', status);
  const axes = childrenNamed(child(info, 'ScanAxes'), 'ScanAxisInfo');
  let axisIndex = axes.findIndex((a) => a.attrs.AxisName === 'TwoTheta');
  if (axisIndex < 0) {
    axisIndex = 0;
    if (axes.length) warnings.push(`${entry}: no TwoTheta scan axis; ${axes[0].attrs.AxisName ?? 'the first axis'} used as x`);
  }
  for (const a of axes) {
    const s = numberOf(bytes, child(a, 'Start'));
    const e = numberOf(bytes, child(a, 'Stop'));
    putMeta(meta, `${a.attrs.AxisName ?? 'axis'} range`, `${s} … ${e}`);
  }
  const nAxes = Math.max(axes.length, 1);
  const datums = route.children.filter((c) => c.name === 'Datum');
  const n = datums.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const fields = new Float64Array(64);
  for (let k = 0; k < n; k++) {
    const d = datums[k];
    const count = datumFields(bytes, d, fields);
    if (count < 2 + nAxes + 1 - (axes.length ? 0 : 1)) {
      throw new ParseError({ format: FORMAT, offset: d.innerStart, expected: `${2 + nAxes + 1} comma-separated fields in <Datum>`, found: `${count}` });
    }
    x[k] = fields[2 + axisIndex];
    y[k] = fields[2 + nAxes < count ? 2 + nAxes : count - 1];
  }
  // With a 1D detector every point is seen by many strips: the effective time per step (what DIFFRAC.EVA divides
  // by for counts per second) is the count time that matters; the motor time per step is kept as metadata.
  const timePerStep = numberOf(bytes, child(info, 'TimePerStepEffective')) ?? numberOf(bytes, child(info, 'TimePerStep'));
  const motorTime = numberOf(bytes, child(info, 'TimePerStep'));
  if (motorTime !== undefined) putMeta(meta, 'time per step (s)', String(motorTime));
  const tube = descendants(root, 'Tube')[0];
  const wavelengths = tubeWavelengths(bytes, tube);
  const items = descendants(root, 'InfoItem');
  for (const it of items) if (it.attrs.Name) putMeta(meta, it.attrs.Name, it.attrs.Value ?? '');
  const radius = path(descendants(root, 'TrackInfoData')[0], 'Radius');
  if (radius?.attrs.Value) putMeta(meta, 'goniometer radius (mm)', radius.attrs.Value);
  return {
    x,
    y,
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'counts',
    countTimeS: timePerStep,
    wavelengths,
    geometry: 'unknown',
    startTime: text(bytes, child(root, 'TimeStampStarted')) || undefined,
    endTime: text(bytes, child(root, 'TimeStampFinished')) || undefined,
    sample: meta.SampleName || undefined,
    metadata: meta,
  };
}

function datumFields(bytes: Uint8Array, d: XmlElement, out: Float64Array): number {
  let i = d.innerStart;
  const end = d.innerEnd;
  let k = 0;
  while (i < end && k < out.length) {
    while (i < end && bytes[i] <= 32) i++;
    if (i >= end) break;
    const v = scanNumber(bytes, i, end, 46);
    const e = scanEnd;
    if (e === i) throw new ParseError({ format: FORMAT, offset: i, expected: 'a number in <Datum>', found: excerpt(bytes, i, 20) });
    out[k++] = v;
    i = e;
    while (i < end && bytes[i] <= 32) i++;
    if (i < end && bytes[i] === 44) i++;
    else if (i < end) throw new ParseError({ format: FORMAT, offset: i, expected: "',' between <Datum> fields", found: excerpt(bytes, i, 20) });
  }
  return k;
}

function tubeWavelengths(bytes: Uint8Array, tube: XmlElement | undefined): WavelengthLine[] {
  if (!tube) return [];
  const val = (name: string) => {
    const v = Number(child(tube, name)?.attrs.Value);
    return Number.isFinite(v) ? v : undefined;
  };
  const anode = text(bytes, child(tube, 'TubeMaterial'));
  const a1 = val('WaveLengthAlpha1');
  const a2 = val('WaveLengthAlpha2');
  const ratio = val('WaveLengthRatio');
  const el = anode ? `${anode} ` : '';
  if (a1 === undefined || !(a1 > 0)) return anodeWavelengths(anode);
  const out: WavelengthLine[] = [{ angstrom: a1, ratio: 1, source: 'file', label: `${el}Kα1` }];
  if (a2 !== undefined && a2 > 0 && ratio !== undefined && ratio > 0) out.push({ angstrom: a2, ratio, source: 'file', label: `${el}Kα2` });
  return out;
}
