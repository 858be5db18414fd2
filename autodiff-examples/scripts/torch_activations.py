#!/usr/bin/python3
"""PyTorch side of ElementwiseBenchmark: activations over 1M floats, forward and backward.

Prints nanoseconds per element for each function of ElementwiseBenchmark, forward
(`f(x)`, a new output tensor per call, as a model's forward pass makes it) and backward
(`torch.autograd.grad(y, x, g)`, PyTorch's own derivative formula for that function,
fused or composite as PyTorch has it), the median of 9 timed runs of about 0.2 s each
after a warm-up. Inputs are the benchmark's: standard normal values, their magnitude for
LOG and POW (whose domain is x >= 0 for a fractional exponent).

Install: apt-get install -y python3-torch python3-numpy
Run:     /usr/bin/python3 autodiff-examples/scripts/torch_activations.py [--threads 1,2] [--ops GELU,ERF]

Thread setting: each thread count runs in a child process started with OMP_NUM_THREADS,
MKL_NUM_THREADS and OPENBLAS_NUM_THREADS set to it, which then calls
torch.set_num_threads with it; PyTorch splits an elementwise op of 1M floats over its
OpenMP threads, as the SIMD kernels split it over theirs (OMP_WAIT_POLICY=PASSIVE at 2
threads, as for the training step), and glibc's malloc keeping freed memory
(peer_kernels.peer_env), as for the training step.

PyTorch 1.13 runs these kernels at AVX2 by default, even on a CPU with AVX-512; with
ATEN_CPU_CAPABILITY=avx512 in the environment (passed on to the child) it takes their
AVX-512 versions, the fair comparison there. The first line printed names the one in use.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import peer_kernels

N = 1 << 20
# name in ElementwiseBenchmark -> (forward of x, parameter)
OPS = ["EXP", "TANH", "SIGMOID", "RELU", "GELU", "ERF", "LOG", "SOFTPLUS", "SILU",
       "LEAKY_RELU:0.01", "POW:2", "POW:3", "POW:1.5"]


def function(torch, name):
    import torch.nn.functional as F
    op, _, param = name.partition(":")
    return {
        "EXP": torch.exp,
        "TANH": torch.tanh,
        "SIGMOID": torch.sigmoid,
        "RELU": torch.relu,
        "GELU": F.gelu,
        "ERF": torch.erf,
        "LOG": torch.log,
        "SOFTPLUS": F.softplus,
        "SILU": F.silu,
        "LEAKY_RELU": lambda x: F.leaky_relu(x, float(param)),
        "POW": lambda x: torch.pow(x, float(param)),
    }[op]


def ns_per_element(run):
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            run()
        if time.perf_counter() - t0 > 0.05:
            break
        reps *= 2
    reps = max(1, int(reps * 0.2 / (time.perf_counter() - t0)))
    samples = []
    for _ in range(9):
        t0 = time.perf_counter()
        for _ in range(reps):
            run()
        samples.append((time.perf_counter() - t0) / reps / N * 1e9)
    return statistics.median(samples)


def child(threads, ops):
    import torch
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    base = torch.randn(N, generator=gen)
    g = torch.randn(N, generator=gen)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"{peer_kernels.aten_capability(torch)}, {peer_kernels.malloc_setting()}", flush=True)
    for name in ops:
        f = function(torch, name)
        x = base.abs() if name.startswith(("LOG", "POW")) else base
        forward = ns_per_element(lambda: f(x))
        xg = x.clone().requires_grad_(True)
        y = f(xg)
        backward = ns_per_element(lambda: torch.autograd.grad(y, xg, g, retain_graph=True))
        print(f"{name:16s} threads={threads}  forward {forward:6.3f} ns/element  backward {backward:6.3f} ns/element",
              flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", default="1", help="comma-separated thread counts (default 1)")
    p.add_argument("--ops", default=",".join(OPS), help="functions, as ElementwiseBenchmark names them")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    ops = args.ops.split(",")
    if args.child:
        child(args.child, ops)
        return
    for threads in [int(t) for t in args.threads.split(",")]:
        env = peer_kernels.peer_env(threads)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--child", str(threads), "--ops", args.ops],
                       env=env, check=True)


if __name__ == "__main__":
    main()
