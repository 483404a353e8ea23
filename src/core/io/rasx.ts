/**
 * Rigaku SmartLab Studio `.rasx`: a zip holding, per scan n, `Data<n>/Profile<n>.txt` (tab-separated
 * "2θ counts attenuation" rows) and `Data<n>/MesurementConditions<n>.xml` (sic) with the scan information
 * (start/stop/step, intensity unit, ISO start and end times), the X-ray generator (target, Kα1, Kα2, wave type)
 * and the sample name.
 */
import type { Scan, ScanFile } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { rigakuScan, rigakuWavelengths } from './ras.ts';
import { normaliseTextBytes, readTable } from './text.ts';
import { child, childrenNamed, descendants, numberOf, parseXml, path, text } from './xml.ts';
import { unzipEntries } from './zip.ts';

const FORMAT = 'rasx';

/** Reads every `Data<n>/Profile<n>.txt` of a `.rasx` archive as one scan, with its measurement conditions. */
export function readRasx(bytes: Uint8Array): ScanFile {
  const entries = unzipEntries(bytes, FORMAT, (name) => /(^|\/)(Profile\d*\.txt|Mesurement[A-Za-z]*\d*\.xml|Measurement[A-Za-z]*\d*\.xml)$/i.test(name));
  const profiles = Object.keys(entries)
    .filter((n) => /Profile\d*\.txt$/i.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!profiles.length) throw new ParseError({ format: FORMAT, expected: 'a Data<n>/Profile<n>.txt entry in the zip', found: 'none' });
  const scans: Scan[] = [];
  const warnings: string[] = [];
  for (const name of profiles) {
    const dir = name.slice(0, name.lastIndexOf('/') + 1);
    const num = /Profile(\d*)\.txt$/i.exec(name)?.[1] ?? '';
    const condName = Object.keys(entries).find((n) => n.startsWith(dir) && /M[ea]*surement[A-Za-z]*\d*\.xml$/i.test(n) && n.includes(num));
    const meta: Record<string, string> = { entry: name };
    const info: Parameters<typeof rigakuScan>[2] = { wavelengths: [] };
    if (condName) {
      const xmlBytes = normaliseTextBytes(entries[condName]);
      const root = parseXml(xmlBytes, FORMAT);
      const scanInfo = child(root, 'ScanInformation');
      for (const c of scanInfo?.children ?? []) putMeta(meta, c.name, text(xmlBytes, c));
      const general = child(root, 'GeneralInformation');
      for (const c of general?.children ?? []) putMeta(meta, c.name, text(xmlBytes, c));
      const gen = descendants(root, 'XrayGenerator')[0];
      const target = text(xmlBytes, child(gen, 'TargetName')) || undefined;
      info.wavelengths = rigakuWavelengths(
        target,
        numberOf(xmlBytes, child(gen, 'WavelengthKalpha1')) ?? NaN,
        numberOf(xmlBytes, child(gen, 'WavelengthKalpha2')) ?? NaN,
        text(xmlBytes, child(gen, 'WaveType')),
      );
      if (target) putMeta(meta, 'target', target);
      info.unitY = text(xmlBytes, child(scanInfo, 'IntensityUnit'));
      info.startTime = text(xmlBytes, child(scanInfo, 'StartTime')) || undefined;
      info.endTime = text(xmlBytes, child(scanInfo, 'EndTime')) || undefined;
      info.sample = text(xmlBytes, path(root, 'GeneralInformation', 'SampleName'));
      info.instrument = text(xmlBytes, path(root, 'GeneralInformation', 'SystemName'));
      for (const p of childrenNamed(child(root, 'RASHeader'), 'Pair')) {
        const [k, v] = childrenNamed(p, 'string');
        if (k) putMeta(meta, text(xmlBytes, k).replace(/^\*/, ''), text(xmlBytes, v));
      }
    } else warnings.push(`${name}: no measurement conditions; wavelength and units unknown`);
    const prof = normaliseTextBytes(entries[name]);
    const t = readTable(prof, { format: FORMAT, layout: { delimiter: 'whitespace', decimal: 46 }, ncol: 3, start: 0, end: prof.length, firstLine: 1 });
    if (t.rows === 0) throw new ParseError({ format: FORMAT, line: 1, offset: 0, expected: `"2θ counts attenuation" rows in ${name}`, found: 'none' });
    if (t.skippedLines) warnings.push(`${name}: ${t.skippedLines} non-numeric line(s) skipped`);
    scans.push(rigakuScan(t.columns, meta, info, warnings));
  }
  return { kind: 'diffraction', format: FORMAT, scans, metadata: scans[0].metadata, warnings };
}
