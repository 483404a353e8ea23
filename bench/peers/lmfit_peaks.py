"""lmfit as a peer for the single-peak fits (run with Debian's /usr/bin/python3 and python3-lmfit).

Same windows, start values and model as ours and cfityk's: pseudo-Voigt peak(s) (lmfit's PseudoVoigtModel, one
FWHM for both parts, fraction = Lorentzian share in [0, 1]) on a straight line, weights 1/sqrt(max(y, 1)),
Levenberg-Marquardt (MINPACK leastsq, lmfit's default). Only the fits are timed, per pattern, in-process: the files
are read before the clock starts and the models are built once.

usage: lmfit_peaks.py STARTS.json REPS  ->  JSON on stdout
"""
import json
import math
import sys
import time

import numpy as np
from lmfit.models import LinearModel, PseudoVoigtModel

# Area of a unit-height pseudo-Voigt of FWHM 1 at fraction 0.5: 0.5*pi/2 + 0.5*sqrt(pi/(4 ln 2)).
AREA_PER_HEIGHT_FWHM = 0.5 * math.pi / 2 + 0.5 * math.sqrt(math.pi / (4 * math.log(2)))


def read_xy(path):
    return np.loadtxt(path, comments="#", usecols=(0, 1), unpack=True)


def make_model(npeaks):
    model = LinearModel(prefix="bg_")
    for j in range(npeaks):
        model = model + PseudoVoigtModel(prefix=f"p{j}_")
    return model


def fit_window(model, x, y, window, positions, heights, base, fwhm):
    sel = (x > window[0]) & (x < window[1])
    xs = x[sel]
    ys = y[sel]
    params = model.make_params()
    params["bg_intercept"].set(value=base)
    params["bg_slope"].set(value=0.0)
    for j, (pos, height) in enumerate(zip(positions, heights)):
        params[f"p{j}_center"].set(value=pos)
        params[f"p{j}_sigma"].set(value=fwhm / 2, min=0)
        params[f"p{j}_amplitude"].set(value=height * fwhm * AREA_PER_HEIGHT_FWHM)
        params[f"p{j}_fraction"].set(value=0.5, min=0, max=1)
    result = model.fit(ys, params, x=xs, weights=1 / np.sqrt(np.maximum(ys, 1)))
    return [result.params[f"p{j}_center"].value for j in range(len(positions))], result.success


def main():
    starts = json.load(open(sys.argv[1]))
    reps = int(sys.argv[2])
    data = [read_xy(s["file"]) for s in starts]
    one = make_model(1)
    two = make_model(2)

    def fit_pattern(k):
        s = starts[k]
        x, y = data[k]
        p003, ok1 = fit_window(one, x, y, s["w003"], s["p003"], s["h003"], s["b003"], s["fwhm"])
        pair, ok2 = fit_window(two, x, y, s["wPair"], s["pPair"], s["hPair"], s["bPair"], s["fwhm"])
        return [p003[0], pair[0], pair[1]], ok1 and ok2

    for k in range(min(5, len(starts))):
        fit_pattern(k)
    medians, totals, positions, failures = [], [], [], 0
    for _ in range(reps):
        per, positions, failures = [], [], 0
        t_all = time.perf_counter()
        for k in range(len(starts)):
            t0 = time.perf_counter()
            pos, success = fit_pattern(k)
            per.append((time.perf_counter() - t0) * 1000)
            positions.append(pos)
            failures += 0 if success else 1
        totals.append((time.perf_counter() - t_all) * 1000)
        medians.append(float(np.median(per)))
    import lmfit

    json.dump(
        {
            "perPatternMs": float(np.median(medians)),
            "perPatternMeanMs": float(np.median(totals)) / len(starts),
            "totalsMs": totals,
            "positions": positions,
            "failures": failures,
            "lmfit": lmfit.__version__,
            "numpy": np.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
