#!/usr/bin/python3
"""Writes test/fixtures/simulated/xu_reflections_{sync,lab}.csv: xrayutilities' own reflection list (hkl, 2theta and
its integrated intensity r = multiplicity * |F|^2 * LP / V^2) for the structure the simulated patterns were made from
(test/fixtures/simulated/README.md): NMC811-like R-3m, a 2.873, c 14.21 A, Li 3a, Ni/Mn/Co 3b, O 6c z 0.2414,
2 % Li/Ni antisite, B Li 1.0, TM 0.3, O 0.5 A^2 (each atom with its element's B), at 27 keV and at Cu Ka1.

The test (test/unit/core/diffraction/rietveld.test.ts) checks the engine's structure factors and Lorentz-polarisation
against these numbers: an independent implementation (xrayutilities 1.7.4, Debian python3-xrayutilities: its f0
tables, its structure factor, its LP). Run with Debian's /usr/bin/python3:

    /usr/bin/python3 scripts/make-xu-reflections.py
"""
import numpy as np
import xrayutilities as xu
from xrayutilities.materials import Crystal, SGLattice
from xrayutilities.simpack import PowderDiffraction

HC_KEV_A = 12.398419843320026
CASES = [("sync", HC_KEV_A / 27.0, 30.0), ("lab", 1.5405929, 80.0)]


def crystal():
    x = 0.02
    atoms = ["Li", "Ni", "Li", "Ni", "Mn", "Co", "O"]
    pos = ["3a", "3a", "3b", "3b", "3b", "3b", ("6c", 0.2414)]
    occ = [1 - x, x, x, 0.8 - x, 0.1, 0.1, 1.0]
    b = [1.0, 0.3, 1.0, 0.3, 0.3, 0.3, 0.5]
    return Crystal("NMC811like", SGLattice("166:H", 2.873, 14.21, atoms=atoms, pos=pos, occ=occ, b=b))


for name, wavelength, tt_max in CASES:
    pd = PowderDiffraction(crystal(), wl=wavelength, tt_cutoff=tt_max)
    rows = sorted((2 * pd.data[h]["ang"], h, pd.data[h]["r"]) for h in pd.data if pd.data[h]["active"])
    with open(f"test/fixtures/simulated/xu_reflections_{name}.csv", "w") as f:
        f.write(f"# xrayutilities {xu.__version__} PowderDiffraction reflection list, wavelength {wavelength:.9f} A; "
                "written by scripts/make-xu-reflections.py\n")
        f.write("h,k,l,two_theta_deg,r\n")
        for tt, h, r in rows:
            f.write(f"{int(h[0])},{int(h[1])},{int(h[2])},{tt:.6f},{r:.10e}\n")
