#!/usr/bin/env python3
"""Writes random differentiable programs and PyTorch's results for them, for
dev.autodiff.RandomProgramTest.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):
    /usr/bin/python3 autodiff-core/scripts/random_programs.py
For a wider sweep, write another seed's programs over the fixture, run the test, and put
the fixture back with git:
    /usr/bin/python3 autodiff-core/scripts/random_programs.py --seed 7 --programs 3000

Each program is a short chain of the library's ops and of Functional's layers and losses
(one to seven, with the fresh inputs that binary ops, products and concatenations draw) on
tensors of rank 0 to 3, broadcasting where the shapes allow. A quarter of the programs
have dimensions up to 64 (primes, and one either side of 16 and 32), so that the vector
kernels take their full vectors and their tails; and one dimension in about thirty is 0,
an empty tensor. PyTorch evaluates each program in float64 and records:
    value   f(inputs)
    grad    the gradient of loss = sum(f(inputs) * weights) for every input
    jvp     the derivative of f along the tangents (forward mode)
    hvp     the Hessian of the loss times the tangents (forward over reverse)
A program is kept only where PyTorch's float32 run of it agrees with its float64 run to
1e-5 of the largest magnitude in each result, and nothing is NaN or infinite: the test
can then ask 1e-4 of the library in float32 whatever the rounding of its kernels, and
an error there is a wrong derivative, not a badly conditioned program. (PyTorch's second
derivative of std and norm is NaN where the deviations are all zero; the library's is 0.)
Programs PyTorch refuses (a maximum over an empty axis) are left out too. PyTorch 1.13's
CPU batch_norm gets a contiguous copy of its input: for a permuted one, its input gradient
in training is wrong (it disagrees with finite differences, which agree with the library).

Output: autodiff-core/src/test/resources/random_programs.txt. Each program:
    program <id>
    input <name> <rank> <dims...> : <values...>
    <name> = <op> <arguments...>           op and argument order as the Tensor method
    output <name>
    weights <values...>
    tangent <input name> <values...>
    value <values...>
    grad <input name> <values...>
    jvp <values...>
    hvp <input name> <values...>
    end
Every number has nine significant digits: the inputs, weights and tangents are float32
values, which that many digits give exactly, and the results float64 ones.
"""
import argparse
import math
import os
import random

import torch

SEED = 20261202
PROGRAMS = 300
LARGE_SHARE = 0.25
LARGEST = 320  # the volume of any tensor (its elements, a 0 counted as 1)
EMPTY_SHARE = 0.03  # dimensions that are 0: empty tensors, which PyTorch runs as any others

SMOOTH = "exp tanh sigmoid gelu softplus silu sin cos expm1 erf square neg elu".split()
KINKED = "relu abs".split()
POSITIVE = "log sqrt rsqrt log1p".split()
BINARY = "add sub mul div maximum minimum logAddExp".split()
REDUCTIONS = "sum mean prod max min var std logSumExp norm".split()
F = torch.nn.functional


def volume(shape):
    """The elements of the shape with every 0 counted as 1: what the shape would hold without its empty axes."""
    return math.prod(max(d, 1) for d in shape)


class Program:
    def __init__(self, rng, large):
        self.rng = rng
        self.large = large
        self.lines = []
        self.shapes = {}
        self.inputs = []
        self.count = 0

    def dim(self):
        if self.rng.random() < EMPTY_SHARE:
            return 0
        if self.large:
            return self.rng.choice([1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 64])
        return self.rng.randint(1, 5)

    def shape(self, max_rank=3):
        while True:
            s = [self.dim() for _ in range(self.rng.randint(0, max_rank))]
            if volume(s) <= LARGEST:
                return s

    def name(self, shape):
        self.count += 1
        n = "v%d" % self.count
        self.shapes[n] = shape
        return n

    def input(self, shape):
        n = self.name(shape)
        self.inputs.append((n, shape, [self.rng.uniform(-1.5, 1.5) for _ in range(math.prod(shape))]))
        return n

    def op(self, shape, *words):
        n = self.name(shape)
        self.lines.append((n, [str(w) for w in words]))
        return n

    def positive(self, x):
        """|x| + 0.5: an argument in the domain of log, sqrt, a negative power and a divisor."""
        return self.op(self.shapes[x], "addScalar", self.op(self.shapes[x], "abs", x), 0.5)


def broadcast(a, b):
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    if any(x != y and x != 1 and y != 1 for x, y in zip(a, b)):
        return None
    return [y if x == 1 else x for x, y in zip(a, b)]


def partner(p, shape):
    """A shape that broadcasts against `shape`: trailing axes kept or set to 1, perhaps one more in front."""
    s = shape[p.rng.randint(0, len(shape)):]
    s = [1 if p.rng.random() < 0.4 else d for d in s]
    if p.rng.random() < 0.2 and len(shape) < 3 and volume(shape) * 3 <= LARGEST:
        s = [p.rng.randint(1, 3)] + list(shape)
    return s


def step(p, x):
    """One more op on x; one that needs an element of an empty axis (a slice, an index) becomes a negation."""
    try:
        return draw_step(p, x)
    except (ValueError, ZeroDivisionError):
        return p.op(p.shapes[x], "neg", x)


def draw_step(p, x):
    rng = p.rng
    s = p.shapes[x]
    r = len(s)
    kinds = ["smooth"] * 4 + ["kinked", "positive", "positive", "scalar", "scalar"] + ["binary"] * 4 + ["where"]
    if r >= 1:
        kinds += ["reduce"] * 3 + ["axis"] * 2 + ["move"] * 3 + ["index"] * 2 + ["join", "matmul", "matmul"]
        kinds += ["scatter", "layer", "layer", "layer", "loss"]
    kind = rng.choice(kinds)
    if kind == "smooth":
        which = rng.choice(SMOOTH)
        if which == "elu" and rng.random() < 0.5:
            return p.op(s, "eluAlpha", x, 0.7)
        return p.op(s, which, x)
    if kind == "kinked":
        return p.op(s, rng.choice(KINKED), x)
    if kind == "positive":
        return p.op(s, rng.choice(POSITIVE), p.positive(x))
    if kind == "scalar":
        which = rng.choice(["addScalar", "mulScalar", "pow", "clamp", "leakyRelu"])
        if which == "addScalar":
            return p.op(s, which, x, round(rng.uniform(-1, 1), 3))
        if which == "mulScalar":
            return p.op(s, which, x, round(rng.uniform(-2, 2), 3))
        if which == "clamp":
            return p.op(s, which, x, -0.7, 0.8)
        if which == "leakyRelu":
            return p.op(s, which, x, 0.1)
        e = rng.choice([2.0, 3.0, 0.5, -1.5, 1.7])
        return p.op(s, "pow", x if e in (2.0, 3.0) else p.positive(x), e)
    if kind in ("binary", "where"):
        other = next((n for n, t in p.shapes.items() if n != x and broadcast(s, t) is not None
                      and volume(broadcast(s, t)) <= LARGEST and rng.random() < 0.3), None)
        if other is None:
            other = p.input(partner(p, s))
        if kind == "where":
            # where(x > other, x, other) with a third operand: the condition carries no gradient
            third = p.input(partner(p, s))
            out = broadcast(broadcast(s, p.shapes[other]), p.shapes[third])
            if out is None or volume(out) > LARGEST:
                return p.op(s, "neg", x)
            return p.op(out, "whereGreater", x, other, x, third)
        which = rng.choice(BINARY)
        if which == "div":
            other = p.positive(other)
        a, b = (x, other) if rng.random() < 0.6 else (other, x)
        return p.op(broadcast(p.shapes[a], p.shapes[b]), which, a, b)
    if kind == "reduce":
        which = rng.choice(REDUCTIONS)
        axes = sorted(rng.sample(range(r), rng.randint(1, r))) if rng.random() < 0.8 else []
        keep = rng.random() < 0.5
        reduced = math.prod(s[a] for a in (axes or range(r)))
        if which in ("var", "std") and reduced < 2:
            which = "sum"
        if axes:
            out = [1 if i in axes else d for i, d in enumerate(s)] if keep else [d for i, d in enumerate(s) if i not in axes]
        else:
            out = [1] * r if keep else []
        kept = "keep" if keep else "drop"
        if which in ("var", "std") and rng.random() < 0.3:
            return p.op(out, which + "Population", x, kept, *axes)
        if which == "norm" and rng.random() < 0.5:
            return p.op(out, "normP", x, kept, rng.choice(["1", "3", "inf"]), *axes)
        return p.op(out, which, x, kept, *axes)
    if kind == "axis":
        return p.op(s, rng.choice(["softmax", "logSoftmax", "cumsum"]), x, rng.randrange(r))
    if kind == "move":
        which = rng.choice(["transpose", "permute", "reshape", "flip", "slice", "tile", "unsqueeze", "squeeze",
                            "broadcastTo"])
        if which == "transpose" and r >= 2:
            a0, a1 = rng.sample(range(r), 2)
            out = list(s)
            out[a0], out[a1] = out[a1], out[a0]
            return p.op(out, which, x, a0, a1)
        if which == "permute":
            perm = list(range(r))
            rng.shuffle(perm)
            return p.op([s[i] for i in perm], which, x, *perm)
        if which == "reshape":
            size = math.prod(s)
            target = rng.choice([[size], [1, size], [-1]] + ([[size // s[0], s[0]]] if r >= 2 else []))
            return p.op([size] if target == [-1] else target, which, x, *target)
        if which == "flip":
            axes = sorted(rng.sample(range(r), rng.randint(1, r)))
            return p.op(s, which, x, *axes)
        if which == "slice":
            ax = rng.randrange(r)
            start = rng.randrange(s[ax])
            end = rng.randint(start + 1, s[ax])
            out = list(s)
            out[ax] = end - start
            return p.op(out, which, x, ax, start, end)
        if which == "tile":
            reps = [rng.randint(1, 2) for _ in range(r)]
            out = [a * b for a, b in zip(s, reps)]
            return p.op(out, which, x, *reps) if volume(out) <= LARGEST else p.op(s, "neg", x)
        if which == "unsqueeze":
            ax = rng.randint(0, r)
            return p.op(s[:ax] + [1] + s[ax:], which, x, ax)
        if which == "squeeze" and 1 in s:
            ax = s.index(1)
            return p.op(s[:ax] + s[ax + 1:], which, x, ax)
        if which == "broadcastTo":
            out = [rng.randint(1, 3) if d == 1 else d for d in s]
            if len(out) < 3 and rng.random() < 0.5:
                out = [2] + out
            return p.op(out, which, x, *out) if volume(out) <= LARGEST else p.op(s, "neg", x)
        return p.op(s, "neg", x)
    if kind == "index":
        ax = rng.randrange(r)
        out = list(s)
        if rng.random() < 0.5:
            idx = [rng.randrange(s[ax]) for _ in range(rng.randint(1, 6))]
            out[ax] = len(idx)
            return p.op(out, "indexSelect", x, ax, *idx)
        out[ax] = rng.randint(1, 4)
        idx = [rng.randrange(s[ax]) for _ in range(math.prod(out))]
        return p.op(out, "gather", x, ax, len(out), *out, *idx)
    if kind == "scatter":
        # the adjoints of indexSelect and gather, adding a fresh source into x
        ax = rng.randrange(r)
        if rng.random() < 0.5:
            idx = [rng.randrange(s[ax]) for _ in range(rng.randint(1, 6))]
            t = list(s)
            t[ax] = len(idx)
            return p.op(s, "indexAdd", x, ax, p.input(t), *idx)
        t = [rng.randint(1, d) for d in s]
        t[ax] = rng.randint(1, 4)
        idx = [rng.randrange(s[ax]) for _ in range(math.prod(t))]
        return p.op(s, "scatterAdd", x, ax, p.input(t), len(t), *t, *idx)
    if kind == "layer":
        which = rng.choice(["linear", "linearRelu", "layerNorm", "batchNorm"])
        if which in ("linear", "linearRelu"):
            n = p.dim()
            out = s[:-1] + [n]
            if volume(out) > LARGEST or n * max(s[-1], 1) > LARGEST:
                return p.op(s, "neg", x)
            weight = p.input([n, s[-1]])
            if rng.random() < 0.3:
                return p.op(out, which, x, weight, "none")
            return p.op(out, which, x, weight, p.input([n]))
        if which == "layerNorm":
            k = rng.randint(1, min(2, r))
            if math.prod(s[r - k:]) < 2:
                return p.op(s, "neg", x)
            return p.op(s, which, x, k, p.input(s[r - k:]), p.input(s[r - k:]))
        if r < 2 or math.prod(s) // s[1] < 2:
            return p.op(s, "neg", x)
        return p.op(s, which, x, p.input([s[1]]), p.input([s[1]]))
    if kind == "loss":
        if rng.random() < 0.5:
            return p.op([], "mse", x, p.input(s))
        # classes on axis 1 (the only axis of a vector)
        if r > 3:
            return p.op(s, "neg", x)
        positions = 1 if r == 1 else math.prod(s) // s[1]
        classes = s[0] if r == 1 else s[1]
        return p.op([], "crossEntropy", x, *[rng.randrange(classes) for _ in range(positions)])
    if kind == "join":
        ax = rng.randrange(r)
        if rng.random() < 0.5:
            t = list(s)
            t[ax] = p.dim()
            other = p.input(t)
            out = list(s)
            out[ax] += t[ax]
            return p.op(out, "concat", ax, x, other)
        other = p.input(s)
        return p.op(s[:ax] + [2] + s[ax:], "stack", ax, x, other)
    if kind == "matmul":
        if r == 1:
            other = p.input([s[0], p.dim()] if rng.random() < 0.7 else [s[0]])
            t = p.shapes[other]
            return p.op(t[1:], "matmul", x, other)
        # op(x) · op(other) with op a transpose of the last two axes when asked
        trans_x = rng.random() < 0.3
        m, k = (s[-1], s[-2]) if trans_x else (s[-2], s[-1])
        n = p.dim()
        lead = s[:-2] if rng.random() < 0.6 else partner(p, s[:-2])
        trans_o = rng.random() < 0.3
        t = lead + ([n, k] if trans_o else [k, n])
        out = broadcast(s[:-2], lead)
        if volume(t) > LARGEST or volume(out + [m, n]) > LARGEST:
            return p.op(s, "neg", x)
        other = p.input(t)
        return p.op(out + [m, n], "matmulTransposed", x, other, str(trans_x).lower(), str(trans_o).lower())
    return x


def evaluate(p, xs):
    v = dict(zip([n for n, _, _ in p.inputs], xs))
    for out, (op, *args) in p.lines:
        def a(i):
            return v[args[i]]

        def ints(i):
            return [int(w) for w in args[i:]]

        x = v.get(args[0])
        unary = dict(exp=torch.exp, log=torch.log, sqrt=torch.sqrt, rsqrt=torch.rsqrt, abs=torch.abs,
                     relu=torch.relu, sigmoid=torch.sigmoid, tanh=torch.tanh, gelu=F.gelu, softplus=F.softplus,
                     silu=F.silu, sin=torch.sin, cos=torch.cos, log1p=torch.log1p, expm1=torch.expm1,
                     erf=torch.erf, square=torch.square, neg=torch.neg, elu=F.elu)
        binary = dict(add=torch.add, sub=torch.sub, mul=torch.mul, div=torch.div, maximum=torch.maximum,
                      minimum=torch.minimum, logAddExp=torch.logaddexp)
        if op in unary:
            y = unary[op](x)
        elif op in binary:
            y = binary[op](x, a(1))
        elif op == "eluAlpha":
            y = F.elu(x, float(args[1]))
        elif op in ("varPopulation", "stdPopulation"):
            axes = ints(2) or list(range(x.dim()))
            y = (torch.var if op == "varPopulation" else torch.std)(x, dim=axes, unbiased=False, keepdim=args[1] == "keep")
        elif op == "normP":
            axes = ints(3) or list(range(x.dim()))
            y = torch.linalg.vector_norm(x, float(args[2]), dim=axes, keepdim=args[1] == "keep")
        elif op == "addScalar":
            y = x + float(args[1])
        elif op == "mulScalar":
            y = x * float(args[1])
        elif op == "pow":
            y = x ** float(args[1])
        elif op == "clamp":
            y = torch.clamp(x, float(args[1]), float(args[2]))
        elif op == "leakyRelu":
            y = F.leaky_relu(x, float(args[1]))
        elif op == "whereGreater":
            y = torch.where(x > a(1), a(2), a(3))
        elif op in REDUCTIONS:
            keep = args[1] == "keep"
            axes = ints(2) or list(range(x.dim()))
            if op == "prod":
                y = x
                for ax in sorted(axes, reverse=True):
                    y = y.prod(dim=ax, keepdim=keep)
            elif op == "norm":
                y = torch.linalg.vector_norm(x, 2, dim=axes, keepdim=keep)
            else:
                y = dict(sum=torch.sum, mean=torch.mean, max=torch.amax, min=torch.amin, var=torch.var,
                         std=torch.std, logSumExp=torch.logsumexp)[op](x, dim=axes, keepdim=keep)
        elif op == "softmax":
            y = torch.softmax(x, int(args[1]))
        elif op == "logSoftmax":
            y = torch.log_softmax(x, int(args[1]))
        elif op == "cumsum":
            y = torch.cumsum(x, int(args[1]))
        elif op == "matmul":
            y = torch.matmul(x, a(1))
        elif op == "matmulTransposed":
            left = x.transpose(-1, -2) if args[2] == "true" else x
            right = a(1).transpose(-1, -2) if args[3] == "true" else a(1)
            y = torch.matmul(left, right)
        elif op == "transpose":
            y = x.transpose(int(args[1]), int(args[2]))
        elif op == "permute":
            y = x.permute(*ints(1))
        elif op == "reshape":
            y = x.reshape(ints(1))
        elif op == "flip":
            y = torch.flip(x, ints(1))
        elif op == "slice":
            y = x.narrow(int(args[1]), int(args[2]), int(args[3]) - int(args[2]))
        elif op == "tile":
            y = torch.tile(x, ints(1))
        elif op == "unsqueeze":
            y = x.unsqueeze(int(args[1]))
        elif op == "squeeze":
            y = x.squeeze(int(args[1]))
        elif op == "broadcastTo":
            y = torch.broadcast_to(x, ints(1))
        elif op == "indexAdd":
            y = torch.index_add(x, int(args[1]), torch.tensor(ints(3)), a(2))
        elif op == "scatterAdd":
            rank = int(args[3])
            shape = ints(4)[:rank]
            y = torch.scatter_add(x, int(args[1]), torch.tensor(ints(4 + rank)).reshape(shape), a(2))
        elif op in ("linear", "linearRelu"):
            y = F.linear(x, a(1), None if args[2] == "none" else a(2))
            y = torch.relu(y) if op == "linearRelu" else y
        elif op == "layerNorm":
            y = F.layer_norm(x, x.shape[x.dim() - int(args[1]):], a(2), a(3), 1e-5)
        elif op == "batchNorm":
            # PyTorch 1.13's CPU batch_norm differentiates a permuted (non-contiguous) input
            # wrongly in training (its input gradient disagrees with finite differences; a
            # contiguous copy's agrees), so it gets a contiguous copy
            y = F.batch_norm(x.contiguous(), None, None, a(1), a(2), training=True, eps=1e-5)
        elif op == "mse":
            y = F.mse_loss(x, a(1))
        elif op == "crossEntropy":
            labels = torch.tensor(ints(1))
            y = F.cross_entropy(x, labels[0] if x.dim() == 1 else labels.reshape([x.shape[0]] + list(x.shape[2:])))
        elif op == "indexSelect":
            y = torch.index_select(x, int(args[1]), torch.tensor(ints(2)))
        elif op == "gather":
            rank = int(args[2])
            shape = ints(3)[:rank]
            y = torch.gather(x, int(args[1]), torch.tensor(ints(3 + rank)).reshape(shape))
        elif op == "concat":
            y = torch.cat([v[args[1]], v[args[2]]], int(args[0]))
        elif op == "stack":
            y = torch.stack([v[args[1]], v[args[2]]], int(args[0]))
        else:
            raise ValueError(op)
        assert list(y.shape) == p.shapes[out], (op, list(y.shape), p.shapes[out])
        v[out] = y
    return v[p.lines[-1][0]]


def results(p, weights, tangents, dtype):
    xs = [torch.tensor(vals, dtype=dtype).reshape(shape).requires_grad_() for _, shape, vals in p.inputs]
    y = evaluate(p, xs)
    loss = (y * torch.tensor(weights, dtype=dtype).reshape(y.shape)).sum()
    grads = torch.autograd.grad(loss, xs, create_graph=True, allow_unused=True)
    grads = [torch.zeros_like(x) if g is None else g for g, x in zip(grads, xs)]
    ts = [torch.tensor(t, dtype=dtype).reshape(x.shape) for t, x in zip(tangents, xs)]
    _, jvp = torch.autograd.functional.jvp(lambda *a: evaluate(p, a), tuple(x.detach() for x in xs), tuple(ts))
    dot = sum((g * t).sum() for g, t in zip(grads, ts))
    hvp = torch.autograd.grad(dot, xs, allow_unused=True) if dot.requires_grad else [None] * len(xs)
    hvp = [torch.zeros_like(x) if h is None else h for h, x in zip(hvp, xs)]
    flat = lambda t: t.detach().double().contiguous().reshape(-1).clone()
    return [flat(y)] + [flat(g) for g in grads] + [flat(jvp)] + [flat(h) for h in hvp]


def well_conditioned(exact, single):
    for e, s in zip(exact, single):
        if not torch.isfinite(e).all() or not torch.isfinite(s).all():
            return False
        if e.numel() and (e - s).abs().max() > 1e-5 * max(1.0, e.abs().max().item()):
            return False
    return True


def f32(x):
    return float(torch.tensor(x, dtype=torch.float32))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED, help="the programs' seed (default %d, the fixture's)" % SEED)
    parser.add_argument("--programs", type=int, default=PROGRAMS, help="how many (default %d)" % PROGRAMS)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                       "random_programs.txt")
    kept = 0
    dropped = 0
    refused = 0
    lines = ["# PyTorch %s float64 results for random programs: autodiff-core/scripts/random_programs.py" % torch.__version__]
    while kept < args.programs:
        p = Program(rng, rng.random() < LARGE_SHARE)
        x = p.input(p.shape())
        for _ in range(rng.randint(1, 7)):
            x = step(p, x)
        if not p.lines:
            continue
        for i, (n, shape, vals) in enumerate(p.inputs):
            p.inputs[i] = (n, shape, [f32(v) for v in vals])
        size = math.prod(p.shapes[p.lines[-1][0]])
        weights = [f32(rng.uniform(-1, 1)) for _ in range(size)]
        tangents = [[f32(rng.uniform(-1, 1)) for _ in vals] for _, _, vals in p.inputs]
        try:
            exact = results(p, weights, tangents, torch.float64)
        except (IndexError, RuntimeError):
            refused += 1  # PyTorch refuses it: a maximum over an empty axis
            continue
        if not well_conditioned(exact, results(p, weights, tangents, torch.float32)):
            dropped += 1
            continue
        names = [n for n, _, _ in p.inputs]
        lines.append("program %d" % kept)
        for n, shape, vals in p.inputs:
            lines.append(" ".join(["input", n, str(len(shape))] + [str(d) for d in shape] + [":"] + ["%.9g" % v for v in vals]))
        for n, words in p.lines:
            lines.append(" ".join([n, "="] + words))
        lines.append("output " + p.lines[-1][0])
        lines.append(" ".join(["weights"] + ["%.9g" % w for w in weights]))
        for n, t in zip(names, tangents):
            lines.append(" ".join(["tangent", n] + ["%.9g" % v for v in t]))
        k = len(names)
        value, grads, jvp, hvp = exact[0], exact[1:1 + k], exact[1 + k], exact[2 + k:]
        lines.append(" ".join(["value"] + ["%.9g" % v for v in value.tolist()]))
        for n, g in zip(names, grads):
            lines.append(" ".join(["grad", n] + ["%.9g" % v for v in g.tolist()]))
        lines.append(" ".join(["jvp"] + ["%.9g" % v for v in jvp.tolist()]))
        for n, h in zip(names, hvp):
            lines.append(" ".join(["hvp", n] + ["%.9g" % v for v in h.tolist()]))
        lines.append("end")
        kept += 1
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d programs to %s (left out: %d badly conditioned, %d that PyTorch refuses)"
          % (kept, os.path.normpath(out), dropped, refused))


if __name__ == "__main__":
    main()
