#!/usr/bin/env python3
"""PyTorch's GELU derivative: its time over 1M floats, one thread, in fresh processes,
which is bimodal from process to process; and its error at a few points (README, Speed).

Each process times aten.gelu_backward into a preallocated output, and prints ns per
element, process time over wall time (1.00: one thread), and the arrays' offsets past a
page. Same data as torch_activations.py. With --accuracy, prints instead the derivative's
error in ulps at x = -5, -4, -3, -1, -0.75, -0.7, 0.5 and the float nearest its zero,
against 30-digit mpmath (needs python3-mpmath).

Usage: python3 torch_gelu_modes.py [processes]   (default 8)
       python3 torch_gelu_modes.py --accuracy
"""
import os
import subprocess
import sys
import time

N = 1 << 20
REPS = 2000


def child():
    import torch
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(N, generator=gen)
    g = torch.randn(N, generator=gen)
    out = torch.empty(N)
    for _ in range(REPS // 10):  # warm-up
        torch.ops.aten.gelu_backward.grad_input(g, x, approximate='none', grad_input=out)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(REPS):
        torch.ops.aten.gelu_backward.grad_input(g, x, approximate='none', grad_input=out)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    offsets = [t.data_ptr() % 4096 for t in (x, g, out)]
    print(f"{wall / REPS / N * 1e9:6.3f} ns/element  process/wall time {cpu / wall:4.2f}  "
          f"offsets past a page {offsets}", flush=True)


def accuracy():
    import mpmath as mp
    import numpy as np
    import torch
    mp.mp.dps = 30
    xs = torch.tensor([-5.0, -4.0, -3.0, -1.0, -0.75, -0.7, 0.5, -0.7517915], dtype=torch.float32)
    out = torch.ops.aten.gelu_backward(torch.ones_like(xs), xs)
    for x, o in zip(xs.tolist(), out.tolist()):
        exact = mp.ncdf(x) + x * mp.npdf(x)
        ulp = abs(float(np.spacing(np.float32(float(exact)))))
        print(f"x = {x!r:22} torch {o:<14.8g} exact {float(exact):<14.8g} error {abs(o - float(exact)) / ulp:10.1f} ulp")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--accuracy":
        accuracy()
        return
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    for _ in range(processes):
        subprocess.run([sys.executable, os.path.abspath(__file__), "--child"], env=env, check=True)


if __name__ == "__main__":
    main()
