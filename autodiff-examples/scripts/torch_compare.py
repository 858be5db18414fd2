#!/usr/bin/python3
"""PyTorch side of the speed comparison with the autodiff trainer.

Runs, at 1 and 2 threads, one full training step (forward, cross-entropy, backward, SGD
with momentum 0.9, or another optimizer with --optimizer) of the MLPs 784-256-10 and
784-512-256-10 at batch 64 and 256, the optimizer's step alone (SGD, SGD with Nesterov
momentum, Adam, RMSprop and Adagrad, each with and without weight decay, on one step's gradients, as autodiff's
OptimizerStepBenchmark), inference with the MLP 784-256-10 shared by 1, 2 and 8 caller
threads at batch 1 and 64 (model.eval() under torch.inference_mode(), as autodiff's
InferenceBenchmark), and Fashion-MNIST epochs of 784-256-10 at batch 128 with the
trainer's recipe (pixels standardized with the training set's mean and standard
deviation, SGD lr 0.05, momentum 0.9, cosine annealing per epoch over the run) with the
test accuracy after each epoch, and the cost of one op apart from its arithmetic
(autodiff's OpOverheadBenchmark: 20 rounds of multiply, add and tanh on tensors of 4
floats, then a sum; 61 ops, with and without autograd).
Prints samples per second: for the step, the median of several runs (the optimizer's step
alone in microseconds); for inference, the latency of one call (one caller, median of
several runs) and the calls per second of all callers together (median of several runs of
about a second); for the epochs, each epoch and the median of epochs 2 to N (epoch 1
includes warm-up on both sides).

Install: apt-get install -y python3-torch python3-numpy libopenblas0-pthread dataset-fashion-mnist
         (without libopenblas0-pthread, Debian's torch runs matmul on the reference BLAS, 20x slower)
Run:     /usr/bin/python3 autodiff-examples/scripts/torch_compare.py [--threads 1,2]
             [--only step|optimizer|inference|epoch|overhead] [--optimizer sgd|sgd-nesterov|adam|rmsprop|adagrad[-decay]] [--epochs N] [--repeats N]

Thread counts are fixed before torch starts (Debian's torch calls OpenBLAS, which reads
OPENBLAS_NUM_THREADS at load time), so each thread count runs in a child process, with
OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and torch.set_num_threads all set to it (and
OMP_WAIT_POLICY=PASSIVE above one), and glibc's malloc keeping the memory PyTorch frees
(peer_kernels.peer_env: otherwise the optimizer's step spends most of its time in page
faults on a virtual machine). Inference callers are Python threads: PyTorch releases
the GIL inside its ops, the Python around them takes turns.
"""
import argparse
import gzip
import os
import statistics
import subprocess
import sys
import threading
import time

import peer_kernels

FASHION = "/usr/share/datasets/fashion-mnist"


OPTIMIZERS = [name + decay for name in ["sgd", "sgd-nesterov", "adam", "rmsprop", "adagrad"] for decay in ["", "-decay"]]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--only", choices=["step", "optimizer", "inference", "epoch", "overhead"],
                   help="run only one of the benchmarks")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                   help="the training step's optimizer: SGD lr 0.01 momentum 0.9 (Nesterov's with sgd-nesterov), "
                        "Adam or RMSprop lr 1e-3, Adagrad lr 1e-2; -decay after the name adds weight decay 5e-4 (default sgd)")
    p.add_argument("--epochs", type=int, default=5, help="Fashion-MNIST epochs, the cosine schedule's length (default 5)")
    p.add_argument("--repeats", type=int, default=5, help="timed runs per measurement (default 5)")
    p.add_argument("--data", default=FASHION, help="Fashion-MNIST folder")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return p.parse_args()


def spawn(args):
    for threads in [int(t) for t in args.threads.split(",")]:
        env = peer_kernels.peer_env(threads)
        cmd = [sys.executable, os.path.abspath(__file__), "--child", str(threads),
               "--optimizer", args.optimizer, "--epochs", str(args.epochs), "--repeats", str(args.repeats), "--data", args.data]
        if args.only:
            cmd += ["--only", args.only]
        subprocess.run(cmd, env=env, check=True)


def median_seconds(fn, warmup, probe, repeats):
    """Seconds per call of fn: the median of `repeats` timed runs of about 0.3 s each, after
    `warmup` calls and `probe` calls that size the runs."""
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    for _ in range(probe):
        fn()
    calls = max(probe, int(0.3 / ((time.perf_counter() - t0) / probe)))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) / calls)
    return statistics.median(times)


def mlp(sizes):
    import torch.nn as nn
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def make_optimizer(torch, model, name):
    """SGD lr 0.01 momentum 0.9 (Nesterov's for sgd-nesterov), Adam or RMSprop lr 1e-3, or Adagrad lr
    1e-2, with weight decay 5e-4 for a name ending in -decay, as autodiff's MlpTrainStep."""
    decay = 5e-4 if name.endswith("-decay") else 0
    base = name.removesuffix("-decay")
    if base == "adam":
        return torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=decay)
    if base == "rmsprop":
        return torch.optim.RMSprop(model.parameters(), lr=1e-3, weight_decay=decay)
    if base == "adagrad":
        return torch.optim.Adagrad(model.parameters(), lr=1e-2, weight_decay=decay)
    return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=decay,
                           nesterov=base == "sgd-nesterov")


def bench_step(torch, sizes, batch, threads, repeats, optimizer):
    import torch.nn.functional as F
    torch.manual_seed(0)
    model = mlp(sizes)
    opt = make_optimizer(torch, model, optimizer)
    x = torch.randn(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    ms = median_seconds(step, 100, 20, repeats) * 1e3
    print(f"torch step {'-'.join(map(str, sizes))} batch {batch} threads {threads} {optimizer}: "
          f"{batch / ms * 1e3:,.0f} samples/s ({ms:.3f} ms/step, median of {repeats})", flush=True)


def bench_optimizer(torch, sizes, optimizer, threads, repeats):
    """opt.step() alone, on the gradients of one step, as autodiff's OptimizerStepBenchmark: every
    500 calls the parameters and the optimizer's state go back to what they were after the first
    step, since a gradient that never changes drives a weight-decayed state to subnormal values."""
    import copy
    import torch.nn.functional as F
    torch.manual_seed(0)
    model = mlp(sizes)
    opt = make_optimizer(torch, model, optimizer)
    F.cross_entropy(model(torch.randn(64, sizes[0])), torch.randint(0, sizes[-1], (64,))).backward()
    opt.step()
    params = list(model.parameters())
    first_params = [p.detach().clone() for p in params]
    first_state = copy.deepcopy(opt.state_dict())
    calls = [0]

    def step():
        calls[0] += 1
        if calls[0] % 500 == 0:
            with torch.no_grad():
                for p, first in zip(params, first_params):
                    p.copy_(first)
            opt.load_state_dict(first_state)
        opt.step()

    us = median_seconds(step, 200, 50, repeats) * 1e6
    print(f"torch optimizer step {'-'.join(map(str, sizes))} {optimizer} threads {threads}: {us:.1f} us "
          f"(median of {repeats})", flush=True)


def bench_inference(torch, threads, repeats):
    torch.manual_seed(0)
    model = mlp([784, 256, 10]).eval()
    for batch in (1, 64):
        x = torch.randn(batch, 784)

        def call():
            with torch.inference_mode():
                return model(x)

        # latency: one caller
        us = median_seconds(call, 2000, 200, repeats) * 1e6
        print(f"torch inference 784-256-10 batch {batch} threads {threads}: {us:.2f} us/call (1 caller, median of {repeats})",
              flush=True)
        for callers in (1, 2, 8):
            rates = []
            for _ in range(repeats):
                counts = [0] * callers
                start = threading.Barrier(callers + 1)
                stop = threading.Event()

                def run(i):
                    start.wait()
                    while not stop.is_set():
                        call()
                        counts[i] += 1

                workers = [threading.Thread(target=run, args=(i,)) for i in range(callers)]
                for w in workers:
                    w.start()
                start.wait()
                t0 = time.perf_counter()
                time.sleep(1.0)
                stop.set()
                seconds = time.perf_counter() - t0
                for w in workers:
                    w.join()
                rates.append(sum(counts) / seconds)
            print(f"torch inference 784-256-10 batch {batch} threads {threads} callers {callers}: "
                  f"{statistics.median(rates):,.0f} calls/s ({statistics.median(rates) * batch:,.0f} samples/s, "
                  f"median of {repeats})", flush=True)


def bench_overhead(torch, threads, repeats):
    torch.manual_seed(42)
    x, w, b = (torch.randn(4, requires_grad=True) for _ in range(3))
    rounds = 20
    ops = 3 * rounds + 1

    def chain():
        y = x
        for _ in range(rounds):
            y = torch.tanh(y * w + b)
        return y.sum()

    def forward_backward():
        loss = chain()
        loss.backward()
        return loss.item()

    def forward_no_grad():
        with torch.no_grad():
            return chain().item()

    for name, fn in (("forward+backward", forward_backward), ("forward under no_grad", forward_no_grad)):
        us = median_seconds(fn, 2000, 200, repeats) * 1e6
        print(f"torch op overhead, {name}, threads {threads}: {us:.1f} us per chain of {ops} ops, "
              f"{us / ops:.3f} us per op (median of {repeats})", flush=True)


def read_idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def bench_epoch(torch, data, threads, epochs):
    import torch.nn.functional as F
    def images(name):
        return torch.from_numpy(read_idx(f"{data}/{name}-images-idx3-ubyte.gz").reshape(-1, 784).astype("float32") / 255)

    def labels(name):
        return torch.from_numpy(read_idx(f"{data}/{name}-labels-idx1-ubyte.gz").astype("int64"))

    xtr, ytr, xte, yte = images("train"), labels("train"), images("t10k"), labels("t10k")
    # One mean and one deviation over all training pixels, as the trainer's standardizeGlobally.
    mean, std = xtr.mean(), xtr.std(unbiased=False)
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    torch.manual_seed(0)
    model = mlp([784, 256, 10])
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    gen = torch.Generator().manual_seed(0)
    n = xtr.shape[0]
    rates = []
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        for start in range(0, n, 128):
            idx = order[start:start + 128]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        seconds = time.perf_counter() - t0
        schedule.step()
        rates.append(n / seconds)
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"torch fashion-mnist epoch {epoch} 784-256-10 batch 128 threads {threads}: "
              f"{n / seconds:,.0f} samples/s ({seconds:.2f} s), test accuracy {100 * acc:.2f}%", flush=True)
    if epochs > 1:
        print(f"torch fashion-mnist threads {threads}: epoch 1 {rates[0]:,.0f} samples/s, median of epochs 2-{epochs} "
              f"{statistics.median(rates[1:]):,.0f} samples/s, final test accuracy {100 * acc:.2f}%", flush=True)


def child(args):
    import torch
    torch.set_num_threads(args.child)
    print(f"{peer_kernels.describe()}; PyTorch's own kernels: {peer_kernels.aten_capability(torch)}; "
          f"{peer_kernels.malloc_setting()}", flush=True)
    if args.only in (None, "step"):
        for sizes in ([784, 256, 10], [784, 512, 256, 10]):
            for batch in (64, 256):
                bench_step(torch, sizes, batch, args.child, args.repeats, args.optimizer)
    if args.only in (None, "optimizer"):
        for sizes in ([784, 256, 10], [784, 512, 256, 10]):
            for optimizer in OPTIMIZERS:
                bench_optimizer(torch, sizes, optimizer, args.child, args.repeats)
    if args.only in (None, "inference"):
        bench_inference(torch, args.child, args.repeats)
    if args.only in (None, "overhead"):
        bench_overhead(torch, args.child, args.repeats)
    if args.only in (None, "epoch"):
        bench_epoch(torch, args.data, args.child, args.epochs)


if __name__ == "__main__":
    a = parse_args()
    if a.child:
        child(a)
    else:
        spawn(a)
