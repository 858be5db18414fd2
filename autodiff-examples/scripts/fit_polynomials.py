#!/usr/bin/env python3
"""Fits the polynomials of UnaryLoops' silu and gelu derivatives (SILU_NEAR_ZERO,
GELU_NEAR_ZERO, ERFCX_OVER_T).

silu'(x) and gelu'(x) are each the sum of two terms that cancel at their zero x0. Around x0
the kernels compute them as u·q(u), u = x - x0, with q fitted here to f'(x)/u. The gelu
derivative elsewhere takes erfcx(z) = e^{z²}·erfc(z) as t·P(t), t = 1/(1 + z/2), with P
fitted to erfcx(z)/t over t in [0.14, 1]. Each fit is for relative error, by least squares
at Chebyshev nodes in 40-digit arithmetic (mpmath). Prints the coefficients as hex float
literals (and x0 as a float plus the rest), and the largest relative error of the float
Horner evaluation with FMA, in ulps, over 4001 points.

Usage: python3 fit_polynomials.py silu|gelu|erfcx
Needs mpmath and numpy (Debian: python3-mpmath, python3-numpy).
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 40


def silu_slope(x):
    s = 1 / (1 + mp.exp(-x))
    return s * (1 + x * (1 - s))


def gelu_slope(x):
    return mp.ncdf(x) + x * mp.npdf(x)


def erfcx_over_t(t):
    z = 2 * (1 - t) / t
    return mp.exp(z * z) * mp.erfc(z) / t


def least_squares(f, a, b, degree, nodes=400):
    """Coefficients of u^0 up of the polynomial nearest f over [a, b] in relative error."""
    us = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + 0.5) / nodes) for k in range(nodes)]
    rows = mp.matrix(nodes, degree + 1)
    ones = mp.matrix(nodes, 1)
    for i, u in enumerate(us):
        value = f(u)
        for j in range(degree + 1):
            rows[i, j] = u ** j / value
        ones[i] = 1
    c = mp.lu_solve(rows.T * rows, rows.T * ones)
    return [np.float32(float(c[j])) for j in range(degree + 1)]


def horner_fma(coefficients, u):
    r = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        r = np.float32(np.float64(r) * np.float64(u) + np.float64(c))  # one rounding: an FMA
    return r


def hex_floats(values):
    return ", ".join(float(v).hex() for v in values)


def near_zero(f, lo, hi, degree):
    x0 = mp.findroot(f, (lo + hi) / 2)
    c = least_squares(lambda u: f(x0 + u) / u, mp.mpf(lo) - x0, mp.mpf(hi) - x0, degree)
    zero = np.float32(float(x0))
    rest = np.float32(float(x0 - mp.mpf(float(zero))))
    worst = 0
    for x in np.linspace(lo, hi, 4001, dtype=np.float32):
        u = np.float32(np.float32(x - zero) - rest)
        exact = mp.mpf(float(x)) - x0
        if exact != 0:
            worst = max(worst, abs(mp.mpf(float(horner_fma(c, u))) / (f(mp.mpf(float(x))) / exact) - 1))
    print("zero %s, rest %s" % (float(zero).hex(), float(rest).hex()))
    return c, worst


def erfcx():
    lo, hi = 0.14, 1.0
    c = least_squares(erfcx_over_t, mp.mpf(lo), mp.mpf(hi), 10, nodes=200)
    worst = 0
    for t in np.linspace(lo, hi, 4001, dtype=np.float32):
        worst = max(worst, abs(mp.mpf(float(horner_fma(c, t))) / erfcx_over_t(mp.mpf(float(t))) - 1))
    return c, worst


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "silu"
    if which == "silu":
        c, worst = near_zero(silu_slope, -2.0, -0.9, 8)
    elif which == "gelu":
        c, worst = near_zero(gelu_slope, -1.25, -0.25, 8)
    elif which == "erfcx":
        c, worst = erfcx()
    else:
        sys.exit("usage: fit_polynomials.py silu|gelu|erfcx")
    print("coefficients of u^0 up: " + hex_floats(c))
    print("largest relative error in float: %.2f ulp" % (float(worst) * 2 ** 23))


if __name__ == "__main__":
    main()
