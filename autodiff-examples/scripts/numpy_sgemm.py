#!/usr/bin/env python3
"""OpenBLAS sgemm through numpy for the shapes of GemmBenchmark, in GFLOPS (2*m*n*k/s).

Usage: python3 numpy_sgemm.py [threads ...]   (default: 1 2)
Each thread count runs in a fresh interpreter, since OpenBLAS reads
OPENBLAS_NUM_THREADS once, at load time; its environment comes from
peer_kernels.peer_env (glibc's malloc keeping freed memory). Prints the median of several timed repeats.
"""
import os
import subprocess
import sys

import peer_kernels

# (label, m, n, k, transA, transB): C = op(A) @ op(B), op(A) m x k, op(B) k x n
SHAPES = [
    ("512x512x512 AB", 512, 512, 512, False, False),
    ("128x256x784 AB", 128, 256, 784, False, False),
    ("128x256x784 ABt", 128, 256, 784, False, True),
    ("128x256x784 AtB", 128, 256, 784, True, False),
    ("128x10x256 AB", 128, 10, 256, False, False),
    ("64x256x784 ABt", 64, 256, 784, False, True),
    ("64x784x256 AB", 64, 784, 256, False, False),
    ("256x784x64 AtB", 256, 784, 64, True, False),
]


def measure():
    import time
    import numpy as np

    print(f"{peer_kernels.describe()}; {peer_kernels.malloc_setting()}", flush=True)

    rng = np.random.default_rng(1)
    for label, m, n, k, ta, tb in SHAPES:
        a = rng.standard_normal((k, m) if ta else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if tb else (k, n), dtype=np.float32)
        opa = a.T if ta else a
        opb = b.T if tb else b
        c = np.empty((m, n), dtype=np.float32)
        flops = 2.0 * m * n * k
        reps = max(3, int(2e8 / flops))
        for _ in range(reps):  # warm-up
            np.matmul(opa, opb, out=c)
        samples = []
        for _ in range(9):
            t0 = time.perf_counter()
            for _ in range(reps):
                np.matmul(opa, opb, out=c)
            samples.append((time.perf_counter() - t0) / reps)
        samples.sort()
        t = samples[len(samples) // 2]
        print(f"{label:18s} {os.environ.get('OPENBLAS_NUM_THREADS')} thread(s): "
              f"{t * 1e6:9.1f} us  {flops / t / 1e9:6.1f} GFLOPS", flush=True)


if __name__ == "__main__":
    if os.environ.get("NUMPY_SGEMM_CHILD"):
        measure()
    else:
        for threads in sys.argv[1:] or ["1", "2"]:
            env = dict(peer_kernels.peer_env(threads), NUMPY_SGEMM_CHILD="1")
            subprocess.run([sys.executable, __file__], env=env, check=True)
