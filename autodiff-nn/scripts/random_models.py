#!/usr/bin/env python3
"""Writes random models, losses and optimizers and PyTorch's training of them, for
dev.autodiff.nn.RandomModelTest.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):
    /usr/bin/python3 autodiff-nn/scripts/random_models.py
For a wider sweep, write another seed's models over the fixture, run the test, and put
the fixture back with git:
    /usr/bin/python3 autodiff-nn/scripts/random_models.py --seed 7 --models 1000

Each model is a torch.nn.Sequential of one to four hidden blocks (a Linear, with or
without a bias, then perhaps a BatchNorm1d or a LayerNorm, then perhaps an activation,
a Softmax, a LogSoftmax or a Dropout(0)) and a last Linear, on inputs [N, F] or
[N, L, F] (a Flatten may turn the second into the first; a BatchNorm1d of a rank-3 input
normalises axis 1, as PyTorch's does). It is trained for STEPS steps, a fresh batch each,
with a loss (cross-entropy with labels, with or without class weights, an ignored label
and label smoothing; cross-entropy with probabilities; MSE, L1, Huber, BCE with logits;
the mean or the sum), perhaps a gradient clip (by norm or by value), an optimizer (SGD,
Adam, AdamW, RMSprop, Adagrad) with random hyper-parameters, every one written out,
perhaps a second parameter group (the vector parameters, with their own rate and no weight
decay) and perhaps a learning-rate schedule stepped after every step (StepLR,
ExponentialLR, CosineAnnealingLR, LinearLR). Adam's, RMSprop's and Adagrad's eps is 1e-3 or more: a Linear's bias before a batch
norm has a gradient that is zero in exact arithmetic and rounding noise in floating
point, which a tiny eps would turn into steps of ±lr in either implementation. Then the
model, in evaluation mode, runs on one more batch.

PyTorch runs each model in float64 and records the loss of every step (and the norm a
clip by norm saw), the state dict after the last step and the evaluation output. A model
is kept only where PyTorch's float32 run agrees with its float64 run to 1e-5 of the
largest magnitude (at least 1) of each result and nothing is NaN or infinite, so the
test can ask 1e-4 of the library in float32.

Output: autodiff-nn/src/test/resources/random_models.txt. Each model:
    model <id>
    input <rank> <dims...>                 the shape of every batch
    layer <kind> <arguments...>            as the Java constructors take them
    loss <kind> <reduction> <arguments...>
    optimizer <label> lr <lr> <name> <value> ...   PyTorch's hyper-parameter names
    clip none | norm <max> | value <limit>
    groups one | vectors <lr>              vectors: a second group of every parameter of rank 1
    schedule none | step <size> <gamma> | exponential <gamma> | cosine <tMax> <etaMin>
             | linear <start> <end> <iterations>
    state <key> : <integers>               the initial state dict, in 1/1024ths
    step                                   then, for each step:
    x : <integers>                         the batch, in 1/256ths
    labels : <integers> | target : <integers> (1/256ths) | probabilities : <float32 values>
    value <loss>                           the loss before the update
    norm <value>                           the total norm before clipping (clip by norm)
    final <key> : <values>                 the state dict after the last step
    eval : <integers>                      one more batch, in 1/256ths, in evaluation mode
    output : <values>                      and the model's output for it
    end
Integers keep the fixture small and the inputs exact in float32; the results have seven
significant digits, which is plenty for a test that asks 1e-4. A model has at most
LARGEST parameters and buffers, which keeps the fixture near a megabyte.
"""
import argparse
import math
import os
import random

import torch

SEED = 20261202
MODELS = 150
STEPS = 4
LARGE_SHARE = 0.2  # models with features up to 40, so the vector kernels take whole vectors and tails
LARGEST = 1500  # parameters and buffers of a model, to keep the fixture small
ACTIVATIONS = ["relu", "relu", "gelu", "silu", "sigmoid", "tanh", "leakyrelu", "softmax", "logsoftmax", "dropout",
               None, None]
F = torch.nn.functional


class Model:
    """A random model, its loss and its optimizer, as the fixture's lines and as PyTorch objects."""

    def __init__(self, rng):
        self.rng = rng
        self.large = rng.random() < LARGE_SHARE
        self.batch = rng.randint(2, 12)
        self.layers = []
        rank3 = rng.random() < 0.25
        features = self.features()
        self.input = [self.batch, rng.randint(1, 5), features] if rank3 else [self.batch, features]
        shape = list(self.input)
        for _ in range(rng.randint(1, 4)):
            if len(shape) == 3 and rng.random() < 0.3:
                self.layers.append(["flatten"])
                shape = [shape[0], shape[1] * shape[2]]
            out = self.features()
            self.layers.append(["linear", str(shape[-1]), str(out), str(int(rng.random() < 0.8))])
            shape[-1] = out
            norm = rng.random()
            if norm < 0.3 and (len(shape) == 2 or rng.random() < 0.5):
                self.layers.append(["batchnorm", str(shape[1]), self.real(1e-5, 1e-2), self.real(0.05, 0.5),
                                    str(int(rng.random() < 0.8))])
            elif norm < 0.55:
                self.layers.append(["layernorm", str(shape[-1]), self.real(1e-5, 1e-2), str(int(rng.random() < 0.8))])
            activation = rng.choice(ACTIVATIONS)
            if activation == "leakyrelu":
                self.layers.append([activation, self.real(0.01, 0.3)])
            elif activation in ("softmax", "logsoftmax"):
                self.layers.append([activation, str(rng.choice([1, -1]))])
            elif activation is not None:
                self.layers.append([activation])
        if len(shape) == 3 and rng.random() < 0.5:
            self.layers.append(["flatten"])
            shape = [shape[0], shape[1] * shape[2]]
        classes = rng.randint(1, 10)
        self.layers.append(["linear", str(shape[-1]), str(classes), str(int(rng.random() < 0.9))])
        shape[-1] = classes
        self.output = shape
        self.loss = self.random_loss()
        self.optimizer = self.random_optimizer()
        self.clip = rng.choice([["none"]] * 3 + [["norm", self.real(0.1, 2)], ["value", self.real(0.01, 0.5)]])
        # a second parameter group, as for "no weight decay on biases": every vector parameter, with its own rate
        self.groups = ["vectors", self.real(1e-3, 0.2)] if rng.random() < 0.3 else ["one"]
        self.schedule = rng.choice([["none"]] * 3 + [
            ["step", str(rng.randint(1, 3)), self.real(0.1, 0.9)],
            ["exponential", self.real(0.5, 0.99)],
            ["cosine", str(rng.randint(2, 8)), rng.choice(["0", self.real(1e-4, 1e-2)])],
            ["linear", self.real(0.1, 1), self.real(0.1, 1), str(rng.randint(1, 5))]])

    def features(self):
        return self.rng.choice([1, 15, 16, 17, 31, 32, 33, 37, 40]) if self.large else self.rng.randint(1, 12)

    def real(self, low, high):
        """A value between low and high, spread evenly in its logarithm, short in decimal."""
        return "%.3g" % math.exp(self.rng.uniform(math.log(low), math.log(high)))

    def random_loss(self):
        rng = self.rng
        reduction = rng.choice(["mean", "sum"])
        kind = rng.choice(["crossentropy"] * 3 + ["probabilities", "mse", "mse", "l1", "huber", "bcelogits"])
        classes = self.output[1]
        if kind == "crossentropy":
            smoothing = self.real(0.01, 0.3) if rng.random() < 0.4 else "0"
            ignore = str(rng.randrange(classes)) if rng.random() < 0.3 else "-100"
            weights = [str(rng.randint(50, 1000)) for _ in range(classes)] if rng.random() < 0.4 else []
            return [kind, reduction, smoothing, ignore] + weights
        if kind == "probabilities":
            return [kind, reduction, self.real(0.01, 0.3) if rng.random() < 0.4 else "0"]
        if kind == "huber":
            return [kind, reduction, self.real(0.1, 2)]
        return [kind, reduction]

    def random_optimizer(self):
        rng = self.rng
        label = rng.choice(["sgd", "adam", "adamw", "rmsprop", "adagrad"])
        maybe = lambda low, high: self.real(low, high) if rng.random() < 0.5 else "0"
        flag = lambda: str(int(rng.random() < 0.5))
        if label == "sgd":
            momentum = maybe(0.3, 0.95)
            dampening = maybe(0.1, 0.9) if momentum != "0" else "0"
            nesterov = flag() if momentum != "0" and dampening == "0" else "0"
            return [label, "lr", self.real(0.01, 0.2), "momentum", momentum, "dampening", dampening,
                    "weight_decay", maybe(1e-3, 0.1), "nesterov", nesterov]
        if label in ("adam", "adamw"):
            return [label, "lr", self.real(1e-3, 0.05), "beta1", self.real(0.5, 0.95), "beta2", self.real(0.9, 0.999),
                    "eps", self.real(1e-3, 0.1), "weight_decay", maybe(1e-3, 0.1), "amsgrad", flag()]
        if label == "rmsprop":
            return [label, "lr", self.real(1e-3, 0.05), "alpha", self.real(0.8, 0.99), "eps", self.real(1e-3, 0.1),
                    "weight_decay", maybe(1e-3, 0.1), "momentum", maybe(0.3, 0.9), "centered", flag()]
        return [label, "lr", self.real(0.01, 0.2), "lr_decay", maybe(1e-3, 0.1), "weight_decay", maybe(1e-3, 0.1),
                "initial_accumulator_value", maybe(0.01, 0.5), "eps", self.real(1e-3, 0.1)]

    def torch_model(self, dtype):
        modules = []
        for layer in self.layers:
            kind, args = layer[0], layer[1:]
            if kind == "linear":
                modules.append(torch.nn.Linear(int(args[0]), int(args[1]), bias=args[2] == "1"))
            elif kind == "batchnorm":
                modules.append(torch.nn.BatchNorm1d(int(args[0]), eps=float(args[1]), momentum=float(args[2]),
                                                    affine=args[3] == "1"))
            elif kind == "layernorm":
                modules.append(torch.nn.LayerNorm(int(args[0]), eps=float(args[1]), elementwise_affine=args[2] == "1"))
            elif kind == "leakyrelu":
                modules.append(torch.nn.LeakyReLU(float(args[0])))
            elif kind in ("softmax", "logsoftmax"):
                modules.append((torch.nn.Softmax if kind == "softmax" else torch.nn.LogSoftmax)(int(args[0])))
            else:
                modules.append({"relu": torch.nn.ReLU, "gelu": torch.nn.GELU, "silu": torch.nn.SiLU,
                                "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "flatten": torch.nn.Flatten,
                                "dropout": lambda: torch.nn.Dropout(0.0)}[kind]())
        return torch.nn.Sequential(*modules).to(dtype)

    def torch_loss(self, dtype):
        kind, reduction, args = self.loss[0], self.loss[1], self.loss[2:]
        if kind == "crossentropy":
            weight = torch.tensor([int(w) / 1024 for w in args[2:]], dtype=dtype) if args[2:] else None
            return torch.nn.CrossEntropyLoss(weight=weight, ignore_index=int(args[1]), reduction=reduction,
                                             label_smoothing=float(args[0]))
        if kind == "probabilities":
            return torch.nn.CrossEntropyLoss(reduction=reduction, label_smoothing=float(args[0]))
        if kind == "huber":
            return torch.nn.HuberLoss(reduction=reduction, delta=float(args[0]))
        return {"mse": torch.nn.MSELoss, "l1": torch.nn.L1Loss,
                "bcelogits": torch.nn.BCEWithLogitsLoss}[kind](reduction=reduction)

    def torch_optimizer(self, model):
        params = list(model.parameters())
        if self.groups[0] == "vectors":
            params = [{"params": [p for p in params if p.dim() > 1]},
                      {"params": [p for p in params if p.dim() <= 1], "lr": float(self.groups[1]), "weight_decay": 0.0}]
        label, pairs = self.optimizer[0], self.optimizer[1:]
        h = {pairs[i]: float(pairs[i + 1]) for i in range(0, len(pairs), 2)}
        if label == "sgd":
            return torch.optim.SGD(params, lr=h["lr"], momentum=h["momentum"], dampening=h["dampening"],
                                   weight_decay=h["weight_decay"], nesterov=h["nesterov"] == 1)
        if label in ("adam", "adamw"):
            return (torch.optim.Adam if label == "adam" else torch.optim.AdamW)(
                params, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"], weight_decay=h["weight_decay"],
                amsgrad=h["amsgrad"] == 1)
        if label == "rmsprop":
            return torch.optim.RMSprop(params, lr=h["lr"], alpha=h["alpha"], eps=h["eps"],
                                       weight_decay=h["weight_decay"], momentum=h["momentum"],
                                       centered=h["centered"] == 1)
        return torch.optim.Adagrad(params, lr=h["lr"], lr_decay=h["lr_decay"], weight_decay=h["weight_decay"],
                                   initial_accumulator_value=h["initial_accumulator_value"], eps=h["eps"])

    def torch_scheduler(self, optimizer):
        kind, args = self.schedule[0], self.schedule[1:]
        S = torch.optim.lr_scheduler
        if kind == "step":
            return S.StepLR(optimizer, step_size=int(args[0]), gamma=float(args[1]))
        if kind == "exponential":
            return S.ExponentialLR(optimizer, gamma=float(args[0]))
        if kind == "cosine":
            return S.CosineAnnealingLR(optimizer, T_max=int(args[0]), eta_min=float(args[1]))
        if kind == "linear":
            return S.LinearLR(optimizer, start_factor=float(args[0]), end_factor=float(args[1]),
                              total_iters=int(args[2]))
        return None

    def initial_state(self):
        """Integers, in 1/1024ths, for every entry of the state dict but num_batches_tracked."""
        state = {}
        fan_in = None
        for key, t in self.torch_model(torch.float64).state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            rng = self.rng
            if key.endswith("running_var"):
                values = [rng.randint(512, 2048) for _ in range(t.numel())]
            elif t.dim() == 2:
                fan_in = t.shape[1]
                bound = max(1, round(1024 / math.sqrt(fan_in)))
                values = [rng.randint(-bound, bound) for _ in range(t.numel())]
            elif key.endswith("bias") and fan_in is not None and self.layer_of(key)[0] == "linear":
                bound = max(1, round(1024 / math.sqrt(fan_in)))
                values = [rng.randint(-bound, bound) for _ in range(t.numel())]
            elif key.endswith("weight"):
                values = [1024 + rng.randint(-256, 256) for _ in range(t.numel())]
            else:
                values = [rng.randint(-256, 256) for _ in range(t.numel())]
            state[key] = values
        return state

    def layer_of(self, key):
        return self.layers[int(key.split(".")[0])]

    def batch_data(self):
        """A batch: the inputs in 1/256ths and the target as the loss takes it."""
        rng = self.rng
        x = [rng.randint(-512, 512) for _ in range(math.prod(self.input))]
        kind = self.loss[0]
        if kind == "crossentropy":
            labels = [rng.randrange(self.output[1]) for _ in range(math.prod(self.output) // self.output[1])]
            return x, ("labels", labels)
        if kind == "probabilities":
            logits = torch.tensor([rng.uniform(-2, 2) for _ in range(math.prod(self.output))]).reshape(self.output)
            return x, ("probabilities", torch.softmax(logits, 1).reshape(-1).tolist())
        low = 0 if kind == "bcelogits" else -512
        high = 256 if kind == "bcelogits" else 512
        return x, ("target", [rng.randint(low, high) for _ in range(math.prod(self.output))])


def target_tensor(target, shape, dtype):
    kind, values = target
    if kind == "labels":
        return torch.tensor(values).reshape([shape[0]] + shape[2:])
    if kind == "probabilities":
        return torch.tensor(values, dtype=torch.float32).to(dtype).reshape(shape)
    return (torch.tensor(values, dtype=dtype) / 256).reshape(shape)


def train(m, state, batches, evaluation, dtype):
    """PyTorch's losses, clip norms, final state and evaluation output, each flat in float64."""
    model = m.torch_model(dtype)
    model.load_state_dict({k: torch.tensor(state[k], dtype=dtype).reshape(t.shape) / 1024 if k in state else t
                           for k, t in model.state_dict().items()})
    loss_fn = m.torch_loss(dtype)
    optimizer = m.torch_optimizer(model)
    scheduler = m.torch_scheduler(optimizer)
    results = []
    for x, target in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(torch.tensor(x, dtype=dtype).reshape(m.input) / 256),
                       target_tensor(target, m.output, dtype))
        loss.backward()
        results.append(loss.detach().reshape(1))
        if m.clip[0] == "norm":
            results.append(torch.nn.utils.clip_grad_norm_(model.parameters(), float(m.clip[1])).detach().reshape(1))
        elif m.clip[0] == "value":
            torch.nn.utils.clip_grad_value_(model.parameters(), float(m.clip[1]))
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    results += [t.detach().reshape(-1) for t in model.state_dict().values()]
    model.eval()
    with torch.no_grad():
        results.append(model(torch.tensor(evaluation, dtype=dtype).reshape(m.input) / 256).reshape(-1))
    return [r.double() for r in results]


def well_conditioned(exact, single):
    for e, s in zip(exact, single):
        if not torch.isfinite(e).all() or not torch.isfinite(s).all():
            return False
        if e.numel() and (e - s).abs().max() > 1e-5 * max(1.0, e.abs().max().item()):
            return False
    return True


def numbers(values):
    return " ".join("%.7g" % v for v in values)


def integers(values):
    return " ".join(str(v) for v in values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED, help="the models' seed (default %d, the fixture's)" % SEED)
    parser.add_argument("--models", type=int, default=MODELS, help="how many (default %d)" % MODELS)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = random.Random(args.seed)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                       "random_models.txt")
    kept = 0
    dropped = 0
    lines = ["# PyTorch %s float64 training of random models: autodiff-nn/scripts/random_models.py" % torch.__version__]
    while kept < args.models:
        m = Model(rng)
        state = m.initial_state()
        if sum(len(v) for v in state.values()) > LARGEST:
            continue
        if m.groups[0] == "vectors" and not all(any((p.dim() > 1) == matrix for p in m.torch_model(torch.float64)
                                                    .parameters()) for matrix in (True, False)):
            m.groups = ["one"]  # a group would be empty
        batches = [m.batch_data() for _ in range(STEPS)]
        evaluation = m.batch_data()[0]
        exact = train(m, state, batches, evaluation, torch.float64)
        if not well_conditioned(exact, train(m, state, batches, evaluation, torch.float32)):
            dropped += 1
            continue
        lines.append("model %d" % kept)
        lines.append(" ".join(["input", str(len(m.input))] + [str(d) for d in m.input]))
        lines += ["layer " + " ".join(layer) for layer in m.layers]
        lines.append("loss " + " ".join(m.loss))
        lines.append("optimizer " + " ".join(m.optimizer))
        lines.append("clip " + " ".join(m.clip))
        lines.append("groups " + " ".join(m.groups))
        lines.append("schedule " + " ".join(m.schedule))
        lines += ["state %s : %s" % (k, integers(v)) for k, v in state.items()]
        results = iter(exact)
        for x, (kind, values) in batches:
            lines.append("step")
            lines.append("x : " + integers(x))
            lines.append("%s : %s" % (kind, " ".join("%.9g" % v for v in values) if kind == "probabilities"
                                      else integers(values)))
            lines.append("value " + numbers(next(results).tolist()))
            if m.clip[0] == "norm":
                lines.append("norm " + numbers(next(results).tolist()))
        for key in m.torch_model(torch.float64).state_dict():
            lines.append("final %s : %s" % (key, numbers(next(results).tolist())))
        lines.append("eval : " + integers(evaluation))
        lines.append("output : " + numbers(next(results).tolist()))
        lines.append("end")
        kept += 1
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d models to %s (left out: %d badly conditioned)" % (kept, os.path.normpath(out), dropped))


if __name__ == "__main__":
    main()
