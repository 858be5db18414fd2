#!/usr/bin/env python3
"""PyTorch's GELU derivative over 1M floats, one thread, in fresh processes: its time is
bimodal from process to process (README, Speed).

Each process times aten.gelu_backward into a preallocated output, and prints ns per
element, process time over wall time (1.00: one thread), and the arrays' offsets past a
page. Same data as torch_activations.py.

Usage: python3 torch_gelu_modes.py [processes]   (default 8)
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


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
        return
    processes = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    for _ in range(processes):
        subprocess.run([sys.executable, os.path.abspath(__file__), "--child"], env=env, check=True)


if __name__ == "__main__":
    main()
