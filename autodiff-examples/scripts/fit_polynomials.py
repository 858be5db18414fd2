#!/usr/bin/env python3
"""Fits the polynomial of UnaryLoops' gelu derivative (GELU_SLOPE_FIT).

gelu'(x) is φ(x)·(R(a) - a) below 0 and 1 - φ(x)·(R(a) - a) from 0 on, with a = |x| and
Mills' ratio R(a) = Φ(-a)/φ(a); the kernel takes (R(a) - a)/√(2π) as (a0 - a)·G(u),
u = 1 - 1/(1 + a/(2√2)), a0 = 0.7518... where gelu' is 0, with G fitted here over u in
[0, 0.86] (a up to 17), for relative error, by least squares at Chebyshev nodes in 40-digit
arithmetic (mpmath). Prints the coefficients as hex float literals (and a0 as a float plus
the rest), and the largest relative error of the float Horner evaluation with FMA, in ulps,
over 4001 points. (silu' needs no fit: around its zero the kernel takes 1 + x + e^x from
its series, SILU_NUMERATOR.)

Usage: python3 fit_polynomials.py
Needs mpmath and numpy (Debian: python3-mpmath, python3-numpy).
"""

import mpmath as mp
import numpy as np

mp.mp.dps = 40


def gelu_slope(x):
    return mp.ncdf(x) + x * mp.npdf(x)


def gelu_zero():
    """a0 > 0 with gelu'(-a0) = 0."""
    return -mp.findroot(gelu_slope, -0.75)


def mills_less_a_over_distance(u, a0):
    """G(u) = (R(a) - a)/(√(2π)·(a0 - a)), a = 2√2·u/(1 - u), R(a) = √(π/2)·erfcx(a/√2)."""
    z = 2 * u / (1 - u)
    a = mp.sqrt(2) * z
    return (mp.sqrt(mp.pi / 2) * mp.exp(z * z) * mp.erfc(z) - a) / (mp.sqrt(2 * mp.pi) * (a0 - a))


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


def gelu():
    a0 = gelu_zero()
    zero = np.float32(float(a0))
    rest = np.float32(float(a0 - mp.mpf(float(zero))))
    print("zero %s, rest %s" % (float(zero).hex(), float(rest).hex()))
    f = lambda u: mills_less_a_over_distance(u, a0)
    lo, hi = 0.0, 0.86
    c = least_squares(f, mp.mpf(lo), mp.mpf(hi), 9, nodes=300)
    worst = 0
    for u in np.linspace(lo, hi, 4001, dtype=np.float32)[1:]:
        worst = max(worst, abs(mp.mpf(float(horner_fma(c, u))) / f(mp.mpf(float(u))) - 1))
    return c, worst


def main():
    c, worst = gelu()
    print("coefficients from the constant up: " + hex_floats(c))
    print("largest relative error in float: %.2f ulp" % (float(worst) * 2 ** 23))


if __name__ == "__main__":
    main()
