/** One scan or a cycler record as CSV with a header row: what `convert` prints and what the editor exports. */
import type { ScanFile } from '../core/data/scan.ts';
import type { EchemRecord } from '../core/data/echem.ts';

export function dataCsv(data: ScanFile | EchemRecord, scanIndex = 0): string {
  const chunks: string[] = [];
  if (data.kind === 'diffraction') {
    const scan = data.scans[scanIndex];
    if (!scan) throw new RangeError(`the file has ${data.scans.length} scan(s); scan ${scanIndex} does not exist`);
    const xName = scan.axis === 'twoTheta' ? 'two_theta_deg' : scan.axis === 'q' ? (scan.unit === 'invNanometre' ? 'q_inv_nm' : 'q_inv_angstrom') : 'd_angstrom';
    chunks.push(`${xName},intensity${scan.sigma ? ',sigma' : ''}\n`);
    for (let i = 0; i < scan.x.length; i++) chunks.push(`${scan.x[i]},${scan.y[i]}${scan.sigma ? ',' + scan.sigma[i] : ''}\n`);
  } else {
    const names = Object.keys(data.columns);
    chunks.push(names.join(',') + '\n');
    for (let i = 0; i < data.records; i++) chunks.push(names.map((n) => data.columns[n][i]).join(',') + '\n');
  }
  return chunks.join('');
}
