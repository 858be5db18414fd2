#!/usr/bin/env python3
"""Fits the polynomial that UnaryLoops.siluBackward takes around the zero of silu'.

silu'(x) = s·(1 + x·(1 - s)), s = σ(x), is the sum of two terms that cancel at its zero x0.
Around x0 the kernel computes it as u·q(u), u = x - x0, with q a polynomial fitted here to
silu'(x)/u for relative error, by least squares at Chebyshev nodes, in 40-digit arithmetic
(mpmath). Prints x0 as a float and the rest, the coefficients as hex float literals, and the
largest relative error of the float Horner evaluation with FMA, in ulps, over 4001 points.

Usage: python3 fit_near_zero.py [from] [to] [degree]   (defaults: -2 -0.9 8)
Needs mpmath and numpy (Debian: python3-mpmath, python3-numpy).
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 40


def silu_slope(x):
    s = 1 / (1 + mp.exp(-x))
    return s * (1 + x * (1 - s))


def fit(f, lo, hi, degree, nodes=400):
    x0 = mp.findroot(f, (lo + hi) / 2)
    a, b = mp.mpf(lo) - x0, mp.mpf(hi) - x0
    us = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + 0.5) / nodes) for k in range(nodes)]
    # rows scaled by 1/q(u): least squares on the relative error
    rows = mp.matrix(nodes, degree + 1)
    ones = mp.matrix(nodes, 1)
    for i, u in enumerate(us):
        q = f(x0 + u) / u
        for j in range(degree + 1):
            rows[i, j] = u ** j / q
        ones[i] = 1
    c = mp.lu_solve(rows.T * rows, rows.T * ones)
    return x0, [np.float32(float(c[j])) for j in range(degree + 1)]


def horner_fma(coefficients, u):
    r = coefficients[-1]
    for c in reversed(coefficients[:-1]):
        r = np.float32(np.float64(r) * np.float64(u) + np.float64(c))  # one rounding: an FMA
    return r


def main():
    lo = float(sys.argv[1]) if len(sys.argv) > 1 else -2.0
    hi = float(sys.argv[2]) if len(sys.argv) > 2 else -0.9
    degree = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    x0, c = fit(silu_slope, lo, hi, degree)
    zero = np.float32(float(x0))
    rest = np.float32(float(x0 - mp.mpf(float(zero))))
    worst = 0
    for x in np.linspace(lo, hi, 4001, dtype=np.float32):
        u = np.float32(np.float32(x - zero) - rest)
        exact = mp.mpf(float(x)) - x0
        if exact != 0:
            q = silu_slope(mp.mpf(float(x))) / exact
            worst = max(worst, abs(mp.mpf(float(horner_fma(c, u))) / q - 1))
    print("zero %s, rest %s" % (float(zero).hex(), float(rest).hex()))
    print("coefficients of u^0 up: " + ", ".join(float(v).hex() for v in c))
    print("largest relative error of q in float: %.2f ulp" % (float(worst) * 2 ** 23))


if __name__ == "__main__":
    main()
