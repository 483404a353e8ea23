import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  VEGA_LITE_SCHEMA,
  dQdVSpec,
  dVdQSpec,
  derivativeSpec,
  formatWithSigma,
  latticeSeriesFromRows,
  latticeSpec,
  masterCurveSpec,
  masterCurveValue,
  operandoHeatmapSpec,
  patternSpec,
  strainCurvesSpec,
  voltageSpec,
  waterfallSpec,
} from '../../../../src/core/plot/index.ts';
import { axisTitles, compileSpec, renderSvg, titleHasUnit, untitledAxes } from './compileSpec.ts';
import { echemTimeSpec } from '../../../../src/core/plot/echemTimeSpec.ts';
import { peakWarpingSpec } from '../../../../src/core/plot/peakWarpingSpec.ts';
import { reportSpecs } from '../../../../src/core/plot/reportSpecs.ts';
import { analyzeResults } from '../../../../src/core/analysis/analyzeResults.ts';

const lin = (n: number, a: number, b: number) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const gauss = (x: Float64Array, centre: number, w: number, h: number) =>
  x.map((v) => 10 + h * Math.exp(-(((v - centre) / w) ** 2)));

let built: [string, Record<string, unknown>][] | undefined;
function specs(): [string, Record<string, unknown>][] {
  built ??= buildSpecs();
  return built;
}

function buildSpecs(): [string, Record<string, unknown>][] {
  const x = lin(8000, 5, 40);
  const obs = gauss(x, 18.7, 0.05, 1000);
  const calc = gauss(x, 18.71, 0.05, 980);
  const cLi = lin(40, 1, 0.3);
  const a = cLi.map((c) => 2.81 + 0.06 * c);
  const cc = cLi.map((c) => 14.2 + 0.3 * Math.sin(3 * c));
  const sig = cLi.map(() => 0.0004);
  const pats = Array.from({ length: 12 }, (_, k) => gauss(x, 18.7 - 0.01 * k, 0.05, 1000));
  const fit = { eps0: 0.001, A: 0.0005, lambda: 0.05, cStar: 0.42, cStarSigma: 0.01 };
  return [
    [
      'pattern',
      patternSpec({
        x,
        observed: obs,
        calculated: calc,
        sigma: obs.map(Math.sqrt),
        axis: 'twoTheta',
        intensityKind: 'counts',
        reflections: [
          { phase: 'NMC811', positions: Float64Array.of(18.7, 36.6), hkl: ['003', '101'] },
          { phase: 'Al', positions: Float64Array.of(38.4) },
        ],
      }),
    ],
    ['heatmap', operandoHeatmapSpec({ x, patterns: pats, axis: 'q', row: 'timeS', rowValues: lin(12, 0, 6600), columns: 200 })],
    ['heatmap by c_Li', operandoHeatmapSpec({ x, patterns: pats, axis: 'twoTheta', row: 'cLi', rowValues: lin(12, 1, 0.5), columns: 100 })],
    ['waterfall', waterfallSpec({ x, patterns: pats, axis: 'd', row: 'index', maxPoints: 300 })],
    [
      'lattice',
      latticeSpec({
        series: [
          { name: 'NMC811 charge', cLi, values: { a, c: cc, d_TM: a, d_IL: cc.map((v) => v / 3) }, sigmas: { a: sig, c: sig } },
          { name: 'NMC622 charge', cLi, values: { a: a.map((v) => v + 0.01) } },
        ],
      }),
    ],
    [
      'derivative',
      derivativeSpec({
        quantity: 'd_IL',
        series: [{ name: 'NMC811', cLi, value: cc.map((v) => v / 3), derivative: cLi.map((c) => Math.cos(3 * c) * 0.3) }],
        markers: [
          { label: 'max d_IL', cLi: 0.4, sigma: 0.01, status: 'interior' },
          { label: 'plateau d_TM', cLi: 0.32, status: 'boundary' },
          { label: 'hidden', cLi: 0.5, status: 'none' },
        ],
      }),
    ],
    [
      'strain curves',
      strainCurvesSpec({
        cLi,
        curves: [0.02, 0.05, 0.1].map((d) => ({ deltaCLi: d, epsA: cLi.map((c) => d * 0.01 * c), epsC: cLi.map((c) => d * 0.3 * (1 - c)) })),
      }),
    ],
    [
      'master curve',
      masterCurveSpec({
        series: [{ name: 'NMC811 C/10', cLi, strain: cLi.map((c) => masterCurveValue(fit, c)), strainSigma: sig }],
        fit,
      }),
    ],
    [
      'voltage',
      voltageSpec({
        series: [
          {
            name: 'cell 8',
            cLi: Float64Array.from([...lin(6000, 1, 0.3), ...lin(6000, 0.3, 0.9)]),
            voltageV: Float64Array.from([...lin(6000, 3.6, 4.3), ...lin(6000, 4.3, 3.5)]),
            branch: [...Array(6000).fill('charge'), ...Array(6000).fill('discharge')],
          },
        ],
        markers: [{ label: 'c*', cLi: 0.42, sigma: 0.01 }],
      }),
    ],
    ['dQ/dV', dQdVSpec({ series: [{ name: 'cell 8', voltageV: lin(300, 3.6, 4.3), dQdVMahPerV: lin(300, 1, 5) }] })],
    ['dV/dQ', dVdQSpec({ series: [{ name: 'cell 8', cLi, dVdQVPerMah: cLi.map((c) => 0.2 + c) }], markers: [{ label: 'x', cLi: 0.6 }] })],
  ];
}

test('every spec declares the Vega-Lite v5 schema and compiles without warnings', () => {
  for (const [name, spec] of specs()) {
    assert.equal(spec.$schema, VEGA_LITE_SCHEMA, name);
    const { warnings } = compileSpec(spec);
    assert.deepEqual(warnings, [], name);
  }
});

test('every axis of every spec is titled with its quantity and unit', () => {
  for (const [name, spec] of specs()) {
    const { vega } = compileSpec(spec);
    const titles = axisTitles(vega);
    assert.ok(titles.length >= 2, `${name}: ${titles}`);
    for (const t of titles) assert.ok(titleHasUnit(t), `${name}: axis title '${t}' has no unit`);
    assert.equal(untitledAxes(vega), 0, name);
  }
});

test('the expected axis titles appear where they belong', () => {
  const all = Object.fromEntries(specs().map(([n, s]) => [n, axisTitles(compileSpec(s).vega)]));
  assert.ok(all.pattern.includes('2θ (°)') && all.pattern.includes('Intensity (counts)'));
  assert.ok(all.heatmap.includes('q (Å⁻¹)') && all.heatmap.includes('Time (s)'));
  assert.ok(all.waterfall.includes('d (Å)'));
  for (const t of ['a (Å)', 'c (Å)', 'd_TM (Å)', 'd_IL (Å)', 'c_Li']) assert.ok(all.lattice.includes(t), t);
  assert.ok(all.derivative.includes('d(d_IL)/dc_Li (Å)'));
  assert.ok(all['master curve'].includes('ε₀₀₁'));
  assert.ok(all.voltage.includes('Voltage (V)'));
  assert.ok(all['dQ/dV'].includes('dQ/dV (mAh V⁻¹)'));
});

test('every spec renders to SVG headlessly with vega', async () => {
  for (const [name, spec] of specs()) {
    const svg = await renderSvg(compileSpec(spec).vega);
    assert.ok(svg.startsWith('<svg') && svg.length > 1000, name);
  }
});

test('interactive specs bind an interval selection to the scales for zoom and pan', () => {
  for (const [name, spec] of specs()) {
    const text = JSON.stringify(spec);
    assert.ok(/"select":\{"type":"interval"[^}]*\},"bind":"scales"/.test(text), name);
  }
});

test('no spec hard-codes black or white', () => {
  for (const [name, spec] of specs()) {
    assert.ok(!/#000\b|#000000|#fff\b|#ffffff|"black"|"white"/i.test(JSON.stringify(spec)), name);
  }
});

test('the pattern spec decimates 8000 points to at most 5000 and keeps the peak maximum', () => {
  const x = lin(8000, 5, 40);
  const obs = gauss(x, 18.7, 0.05, 1000);
  const spec = patternSpec({ x, observed: obs, axis: 'twoTheta' });
  const values = (spec.data as { values: { obs: number }[] }).values;
  assert.ok(values.length <= 5000);
  assert.equal(Math.max(...values.map((v) => v.obs)), Math.max(...obs));
});

test('the difference curve sits entirely below the observed and calculated curves', () => {
  const x = lin(500, 10, 20);
  const obs = gauss(x, 15, 0.2, 100);
  const calc = gauss(x, 15.02, 0.2, 90);
  const values = (patternSpec({ x, observed: obs, calculated: calc, axis: 'twoTheta' }).data as {
    values: { obs: number; calc: number; diffShifted: number }[];
  }).values;
  const lowest = Math.min(...values.map((v) => Math.min(v.obs, v.calc)));
  assert.ok(Math.max(...values.map((v) => v.diffShifted)) < lowest);
});

test('tooltips show values with σ rounded to two significant digits of σ', () => {
  assert.equal(formatWithSigma(2.872712, 0.000234), '2.87271 ± 0.00023');
  assert.equal(formatWithSigma(14.2127, 0.0009), '14.21270 ± 0.00090');
  assert.equal(formatWithSigma(1234.5), '1234.5');
  assert.equal(formatWithSigma(Number.NaN, 1), '');
  const spec = latticeSpec({ series: [{ name: 's', cLi: Float64Array.of(0.5), values: { a: Float64Array.of(2.8727) }, sigmas: { a: Float64Array.of(0.0002) } }] });
  assert.ok(JSON.stringify(spec).includes('2.87270 ± 0.00020'));
});

test('the master curve is flat above c* and grows exponentially below it', () => {
  const fit = { eps0: 0.001, A: 0.0005, lambda: 0.05, cStar: 0.42 };
  assert.equal(masterCurveValue(fit, 0.6), 0.001);
  assert.equal(masterCurveValue(fit, 0.42), 0.001);
  assert.ok(Math.abs(masterCurveValue(fit, 0.32) - (0.001 + 0.0005 * (Math.exp(2) - 1))) < 1e-15);
});

test('latticeSeriesFromRows splits a results table into one series per cycle and branch', () => {
  const rows = [
    { file: 'a', c_Li: '1', a: '2.87', a_sigma: '0.001', cycle: '1', branch: 'charge' },
    { file: 'b', c_Li: '0.5', a: '2.82', a_sigma: '', cycle: '1', branch: 'charge' },
    { file: 'c', c_Li: '0.7', a: '2.84', a_sigma: '0.001', cycle: '1', branch: 'discharge' },
  ];
  const s = latticeSeriesFromRows(rows, 'NMC811');
  assert.deepEqual(s.map((x) => x.name), ['NMC811 c1 charge', 'NMC811 c1 discharge']);
  assert.deepEqual(Array.from(s[0].values.a ?? []), [2.87, 2.82]);
  assert.ok(Number.isNaN(s[0].sigmas?.a?.[1]));
  assert.equal(s[0].values.c, undefined);
});

test('heatmap rows span half way to their neighbours in c_Li order, whatever the pattern order', () => {
  const x = lin(10, 1, 10);
  const pats = [x, x, x];
  const spec = operandoHeatmapSpec({ x, patterns: pats, axis: 'twoTheta', row: 'cLi', rowValues: Float64Array.of(0.3, 0, 0.1) });
  const rows = (spec.data as { values: { row: number; r0: number; r1: number }[] }).values;
  const edges = new Map(rows.map((r) => [r.row, [r.r0, r.r1]]));
  const close = (a: number[] | undefined, b: number[]) => a !== undefined && a.every((v, i) => Math.abs(v - b[i]) < 1e-12);
  assert.ok(close(edges.get(0), [-0.05, 0.05]));
  assert.ok(close(edges.get(0.1), [0.05, 0.2]));
  assert.ok(close(edges.get(0.3), [0.2, 0.4]));
  assert.equal(rows.length, 30);
});

test('a line answers a hover with its first point: no line tooltip shows per-point values unless it draws transparent points', () => {
  const cLi = lin(40, 1, 0.3);
  const all: [string, unknown][] = [
    ...specs(),
    ['echem time', echemTimeSpec({ time_s: lin(500, 0, 36000), voltage_V: lin(500, 3.5, 4.3), current_mA: lin(500, 0.2, 0.2) })],
    [
      'peak warping',
      peakWarpingSpec({ cLi, a: cLi.map((c) => 2.81 + 0.06 * c), c: cLi.map((c) => 14.2 + 0.3 * c), hkl: [0, 0, 3], atCLi: 0.6, deltas: [0.02, 0.05], wavelengthAngstrom: 0.4592, fwhmDeg: 0.02 }),
    ],
  ];
  let lines = 0;
  const visit = (name: string, node: unknown): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(name, n));
    if (!node || typeof node !== 'object') return;
    const unit = node as { mark?: unknown; encoding?: Record<string, { field?: string } | { field?: string }[]> };
    const mark = typeof unit.mark === 'string' ? { type: unit.mark } : (unit.mark as { type?: string; point?: unknown } | undefined);
    if (mark?.type === 'line') {
      lines++;
      const enc = unit.encoding ?? {};
      // Fields constant along one line: those that split the data into lines.
      const perLine = new Set(['color', 'detail', 'strokeDash'].map((k) => (enc[k] as { field?: string } | undefined)?.field).filter(Boolean));
      const tooltip = ([] as { field?: string }[]).concat((enc.tooltip as { field?: string }[] | undefined) ?? []);
      const perPoint = tooltip.filter((t) => t.field && !perLine.has(t.field)).map((t) => t.field);
      assert.ok(perPoint.length === 0 || mark.point === 'transparent', `${name}: a line's tooltip shows ${perPoint.join(', ')}`);
    }
    for (const v of Object.values(node)) visit(name, v);
  };
  for (const [name, spec] of all) visit(name, spec);
  assert.ok(lines >= 8, `${lines} line marks checked`);
});

test('a fit that ran away is drawn as a series of its own and kept out of the derivatives', () => {
  const rows = [
    { file: 'a', c_Li: '1', a: '2.87', flags: '' },
    { file: 'b', c_Li: '0.5', a: '2.30', flags: 'at-bound' },
    { file: 'c', c_Li: '0.4', a: '2.81', flags: 'at-bound;restarted' },
  ];
  const s = latticeSeriesFromRows(rows, 'NMC811', false);
  assert.deepEqual(s.map((x) => [x.name, Array.from(x.values.a ?? [])]), [['NMC811', [2.87, 2.81]], ['NMC811 (fit ran away)', [2.3]]]);
  // The d_TM derivative chart of the report sees only the trusted rows: a line of 40 points, one of them a runaway.
  const cLi = lin(40, 1, 0.3);
  const table = Array.from(cLi, (c, i) => ({ c_Li: c, a: i === 20 ? 2.3 : 2.81 + 0.06 * c, c: 14.2, flags: i === 20 ? 'rwp-jump;restarted;unresolved' : '' }));
  const spec = reportSpecs([{ name: 'cell', rows: table, analysis: analyzeResults(table) }]).dTM_derivative;
  const panel = (spec.vconcat as { data: { values: { v: number }[] } }[])[0];
  const values = panel.data.values.map((p) => p.v);
  assert.equal(values.length, 39);
  assert.ok(values.every((v) => v > 2.8), `smoothed d_TM ${Math.min(...values)}: the runaway a = 2.3 Å got in`);
});
