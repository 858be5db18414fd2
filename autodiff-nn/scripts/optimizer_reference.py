#!/usr/bin/env python3
"""Writes PyTorch's reference sequences for the optimizer tests of autodiff-nn.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):
    /usr/bin/python3 autodiff-nn/scripts/optimizer_reference.py

The problem is fixed and written literally below, and the Java test
(dev.autodiff.nn.optim.OptimizerReferenceTest) builds the same one:
    loss = mean((x @ W.T + b - y)^2),  W [3, 4], b [3], x [5, 4], y [5, 3].

Output: autodiff-nn/src/test/resources/optimizer_reference.csv, one line per record:
    kind,case,step,value,value,...
kind "params": W then b (row-major) after `step` optimizer steps (5 steps per case);
kind "clip": the total norm returned by clip_grad_norm_ (or 0 for clip_grad_value_)
    followed by the clipped gradients of W then b at the initial parameters;
kind "lr": the learning rate after `step` scheduler steps (base lr 0.1);
kind "grouplr": the learning rates of two parameter groups (W at 0.1, b at 0.02) after
    `step` steps of a schedule;
kind "plateau": the learning rates of the two groups after `step` steps of
    ReduceLROnPlateau fed the metrics of PLATEAU_METRICS.
Floats are written with repr() of the float32 value (exact). On another CPU PyTorch's
kernels may round differently in the last digits: the fixture keeps each record from the
run that first wrote it, and later runs only add the records of new cases.
"""
import os

import torch

W0 = [[0.5, -0.3, 0.8, 0.1],
      [-0.6, 0.2, 0.4, -0.9],
      [0.3, 0.7, -0.5, 0.25]]
B0 = [0.1, -0.2, 0.05]
X = [[1.0, 0.5, -1.5, 2.0],
     [-0.5, 1.5, 0.25, -1.0],
     [2.0, -1.0, 0.5, 0.75],
     [0.3, 0.8, -0.6, -0.2],
     [-1.2, 0.4, 1.1, 0.9]]
Y = [[1.0, -1.0, 0.5],
     [0.0, 2.0, -0.5],
     [1.5, 0.5, 1.0],
     [-0.5, 0.25, 0.75],
     [0.2, -0.8, 1.2]]
STEPS = 5

CASES = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "sgd_weight_decay": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1),
    "sgd_dampening": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5),
    "sgd_nesterov_weight_decay": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_weight_decay": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.1, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.1, amsgrad=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "rmsprop_centered": lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True),
    "rmsprop_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9),
    "rmsprop_all": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5,
                                                 centered=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "adagrad_all": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1,
                                                 initial_accumulator_value=0.1, eps=1e-6),
    # parameter groups: W takes the optimizer's values, b has its own
    "sgd_groups": lambda p: torch.optim.SGD([{"params": [p[0]]}, {"params": [p[1]], "lr": 0.02, "weight_decay": 0.0}],
                                            lr=0.1, momentum=0.9, weight_decay=0.1),
    "adam_groups": lambda p: torch.optim.Adam([{"params": [p[0]], "lr": 0.05, "betas": (0.8, 0.99)},
                                               {"params": [p[1]], "amsgrad": True}], lr=0.01),
}

SCHEDULES = {
    "step": lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "exponential": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "cosine": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "linear": lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4),
    "warmup_cosine": lambda o: torch.optim.lr_scheduler.SequentialLR(o, [
        torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=3),
        torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=9, eta_min=0.0)], milestones=[3]),
}
SCHEDULE_STEPS = 14

PLATEAUS = {
    "min_rel": lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2,
                                                                    threshold=0.01, cooldown=1, min_lr=0.01),
    "max_abs": lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=1,
                                                                    threshold=0.05, threshold_mode="abs",
                                                                    min_lr=[0.0005, 0.0]),
}
PLATEAU_METRICS = [1.0, 0.9, 0.895, 0.9, 0.91, 0.5, 0.6, 0.6, 0.6, 0.2, 0.3, 0.3, 0.31, 0.3, 0.1, 0.2, 0.2, 0.2,
                   0.2, 0.2]


def problem():
    w = torch.tensor(W0, dtype=torch.float32, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float32, requires_grad=True)
    return w, b


def loss_of(w, b):
    x = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(Y, dtype=torch.float32)
    return torch.nn.functional.mse_loss(x @ w.t() + b, y)


def values(*tensors):
    return [float(v) for t in tensors for v in t.detach().reshape(-1).tolist()]


def line(kind, case, step, vals):
    return ",".join([kind, case, str(step)] + [repr(v) for v in vals])


def main():
    torch.set_num_threads(1)
    lines = []
    for case, make in CASES.items():
        w, b = problem()
        opt = make([w, b])
        for step in range(1, STEPS + 1):
            opt.zero_grad()
            loss_of(w, b).backward()
            opt.step()
            lines.append(line("params", case, step, values(w, b)))

    for case, clip in {"norm": lambda p: torch.nn.utils.clip_grad_norm_(p, 0.5),
                       "value": lambda p: (torch.nn.utils.clip_grad_value_(p, 0.1), torch.tensor(0.0))[1]}.items():
        w, b = problem()
        loss_of(w, b).backward()
        total = clip([w, b])
        lines.append(line("clip", case, 0, [float(total)] + values(w.grad, b.grad)))

    for case, make in SCHEDULES.items():
        w, b = problem()
        opt = torch.optim.SGD([w, b], lr=0.1)
        sched = make(opt)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(SCHEDULE_STEPS):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        for step, lr in enumerate(lrs):
            lines.append(line("lr", case, step, [lr]))

    for case, make in SCHEDULES.items():
        w, b = problem()
        opt = torch.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1)
        sched = make(opt)
        lines.append(line("grouplr", case, 0, [g["lr"] for g in opt.param_groups]))
        for step in range(1, SCHEDULE_STEPS + 1):
            opt.step()
            sched.step()
            lines.append(line("grouplr", case, step, [g["lr"] for g in opt.param_groups]))

    for case, make in PLATEAUS.items():
        w, b = problem()
        opt = torch.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1)
        sched = make(opt)
        for step, metric in enumerate(PLATEAU_METRICS, start=1):
            opt.step()
            sched.step(metric)
            lines.append(line("plateau", case, step, [g["lr"] for g in opt.param_groups]))

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                       "optimizer_reference.csv")
    with open(out, "w") as f:
        f.write("# kind,case,step,values... written by autodiff-nn/scripts/optimizer_reference.py (torch "
                + torch.__version__ + ")\n")
        f.write("\n".join(lines) + "\n")
    print("wrote", len(lines), "lines to", os.path.normpath(out))


if __name__ == "__main__":
    main()
