import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISPERSION_TABLES, dispersion, dispersionAtEnergy } from '../../../../src/core/diffraction/formFactors.ts';

const HC = 12.398419843;

test('the Kissel & Pratt curves agree with the ITC (Cromer–Liberman, Sasaki) values at Cu and Mo Kα1: |Δf′| ≤ 0.15 e, |Δf″| ≤ 0.04 e', () => {
  // Two independent calculations: the largest gap is Ni f′ at Cu Kα (−3.12 vs −3.00 e), 0.4 keV below Ni's K edge.
  for (const [line, lambda] of [
    ['CuKa', 1.540593],
    ['MoKa', 0.709317],
  ] as const) {
    for (const [element, itc] of Object.entries(DISPERSION_TABLES[line])) {
      const k = dispersionAtEnergy(element, HC / lambda);
      assert.ok(k, `${element} at ${line}`);
      assert.ok(Math.abs(k.fPrime - itc.fPrime) <= 0.15, `${element} ${line} f′ ${k.fPrime} vs ${itc.fPrime}`);
      assert.ok(Math.abs(k.fDoublePrime - itc.fDoublePrime) <= 0.04, `${element} ${line} f″ ${k.fDoublePrime} vs ${itc.fDoublePrime}`);
    }
  }
});

test('f″ jumps by more than 2.5 e across each K edge at its tabulated energy (Bearden & Burr), and f′ dips there', () => {
  const edgesKeV: Record<string, number> = { Mn: 6.539, Fe: 7.112, Co: 7.709, Ni: 8.333, Cu: 8.979, La: 38.925, Ce: 40.443 };
  for (const [element, edge] of Object.entries(edgesKeV)) {
    const below = dispersionAtEnergy(element, edge * 0.995)!;
    const above = dispersionAtEnergy(element, edge * 1.005)!;
    const farBelow = dispersionAtEnergy(element, edge * 0.8)!;
    assert.ok(below.fDoublePrime < 1 && above.fDoublePrime - below.fDoublePrime > 2.5, `${element}: f″ ${below.fDoublePrime} → ${above.fDoublePrime}`);
    assert.ok(below.fPrime < farBelow.fPrime - 1, `${element}: f′ ${farBelow.fPrime} far below, ${below.fPrime} at the edge`);
  }
});

test('dispersion() takes the override, then the ITC line table, then the energy curve, and is 0 outside 4–100 keV', () => {
  assert.deepEqual(dispersion('Ni', 1.5406, { Ni: { fPrime: 1, fDoublePrime: 2 } }), { fPrime: 1, fDoublePrime: 2 });
  assert.deepEqual(dispersion('Ni', 1.5406), DISPERSION_TABLES.CuKa.Ni);
  // Co Kα1 (6.93 keV) lies between the Mn and Co K edges: Mn above its edge (large f″), Co just below its own.
  const mn = dispersion('Mn', 1.788996);
  const co = dispersion('Co', 1.788996);
  assert.ok(mn.fDoublePrime > 3 && co.fDoublePrime < 1 && co.fPrime < -1.5, `Mn ${JSON.stringify(mn)}, Co ${JSON.stringify(co)}`);
  assert.deepEqual(dispersion('Ni', HC / 150), { fPrime: 0, fDoublePrime: 0 });
  assert.deepEqual(dispersion('Xx', 0.4592), { fPrime: 0, fDoublePrime: 0 });
  // Far from every edge of a light element, f′ is a small positive correction.
  const at = dispersionAtEnergy('O', 27);
  assert.ok(at && at.fPrime > 0 && at.fPrime < 0.01);
});
