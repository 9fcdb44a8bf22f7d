#!/usr/bin/python3
"""Writes the optimizer and scheduler agreement fixtures, tests/fixtures/optim.npz and
tests/fixtures/lr_schedulers.npz, from PyTorch 1.13 (Debian's python3-torch):

    /usr/bin/python3 scripts/fixtures_optim.py

tests/test_optim_agreement.cpp replays them. Everything is seeded, so a rerun writes the same files.

optim.npz, for each case (e.g. "adam.amsgrad"):
  <case>.options.<name>, <case>.group1.<name>   the options LibTorch has, under its names (group1: a
                                                second parameter group's, when the case has one)
  <case>.p0_init, .p1_init                      two parameters, (2, 3) and (4,)
  <case>.g0, .g1                                their gradients at each step, (steps, *shape)
  <case>.mask                                   (steps, 2) bool: whether parameter i has a gradient
  <case>.f32.p0, .f32.p1, .f64.p0, .f64.p1      the parameters after each step, run in float32 and float64
Inits and gradients are float32 values (stored as float64), so both runs start from the same numbers.

lr_schedulers.npz: <case>.lr, (steps, groups), every group's lr after each step() (and <case>.momentum
where momentum cycles); the test builds the same schedulers from the case names.
"""
import os
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
STEPS = 8

# The options each optimizer's LibTorch Options struct has, in torch's param_group names.
LIBTORCH_OPTIONS = {
    torch.optim.SGD: ["lr", "momentum", "dampening", "weight_decay", "nesterov"],
    torch.optim.Adam: ["lr", "betas", "eps", "weight_decay", "amsgrad"],
    torch.optim.AdamW: ["lr", "betas", "eps", "weight_decay", "amsgrad"],
    torch.optim.RMSprop: ["lr", "alpha", "eps", "weight_decay", "momentum", "centered"],
    torch.optim.Adagrad: ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"],
}

# name: (optimizer, defaults, options of a second group holding p1 or None, mask of missing gradients)
OPTIMIZER_CASES = {
    "sgd.plain": (torch.optim.SGD, dict(lr=0.1), None, []),
    "sgd.momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01), None, [(2, 1)]),
    "sgd.nesterov": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001), None, []),
    "sgd.groups": (torch.optim.SGD, dict(lr=0.1, momentum=0.9), dict(lr=0.01, weight_decay=0.1), []),
    "adam.default": (torch.optim.Adam, dict(lr=0.01), None, [(3, 1), (4, 1)]),
    "adam.amsgrad": (torch.optim.Adam, dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True),
                     None, []),
    "adam.groups": (torch.optim.Adam, dict(lr=0.01), dict(lr=0.003, betas=(0.5, 0.9), amsgrad=True), []),
    "adamw.default": (torch.optim.AdamW, dict(lr=0.01), None, [(0, 0)]),
    "adamw.amsgrad": (torch.optim.AdamW, dict(lr=0.02, betas=(0.85, 0.995), weight_decay=0.05, amsgrad=True),
                      None, []),
    "rmsprop.default": (torch.optim.RMSprop, dict(lr=0.01), None, [(1, 1)]),
    "rmsprop.centered": (torch.optim.RMSprop,
                         dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.8, centered=True), None, []),
    "rmsprop.groups": (torch.optim.RMSprop, dict(lr=0.01, momentum=0.5), dict(lr=0.02, centered=True), []),
    "adagrad.default": (torch.optim.Adagrad, dict(lr=0.1), None, [(2, 0)]),
    "adagrad.decay": (torch.optim.Adagrad,
                      dict(lr=0.1, lr_decay=0.05, weight_decay=0.02, initial_accumulator_value=0.1, eps=1e-8), None, []),
}


def option_entries(prefix, group, names):
    out = {}
    for name in names:
        v = group[name]
        if isinstance(v, bool):
            out[prefix + name] = np.array(v)
        elif isinstance(v, tuple):
            out[prefix + name] = np.array(v, dtype=np.float64)
        else:
            out[prefix + name] = np.array(float(v))
    return out


def run(optimizer, defaults, group1, inits, grads, mask, dtype):
    params = [torch.tensor(x, dtype=dtype, requires_grad=True) for x in inits]
    extra = dict(foreach=False) if "foreach" in optimizer.__init__.__code__.co_varnames else {}
    if group1 is None:
        opt = optimizer(params, **defaults, **extra)
    else:
        opt = optimizer([{"params": [params[0]]}, {"params": [params[1]], **group1}], **defaults, **extra)
    trajectories = [[], []]
    for step in range(STEPS):
        for i, p in enumerate(params):
            p.grad = torch.tensor(grads[i][step], dtype=dtype) if mask[step, i] else None
        opt.step()
        for i, p in enumerate(params):
            trajectories[i].append(p.detach().numpy().copy())
    return opt, [np.stack(t) for t in trajectories]


def optimizer_fixtures():
    rng = np.random.default_rng(12)
    out = {}
    for case, (optimizer, defaults, group1, missing) in OPTIMIZER_CASES.items():
        inits = [rng.standard_normal(s).astype(np.float32) for s in [(2, 3), (4,)]]
        grads = [rng.standard_normal((STEPS,) + x.shape).astype(np.float32) for x in inits]
        mask = np.ones((STEPS, 2), dtype=bool)
        for step, i in missing:
            mask[step, i] = False
        for i in range(2):
            out[f"{case}.p{i}_init"] = inits[i].astype(np.float64)
            out[f"{case}.g{i}"] = grads[i].astype(np.float64)
        out[f"{case}.mask"] = mask
        for dtype, tag in [(torch.float32, "f32"), (torch.float64, "f64")]:
            opt, trajectories = run(optimizer, defaults, group1, inits, grads, mask, dtype)
            for i in range(2):
                out[f"{case}.{tag}.p{i}"] = trajectories[i]
        names = LIBTORCH_OPTIONS[optimizer]
        out.update(option_entries(f"{case}.options.", opt.param_groups[0], names))
        if group1 is not None:
            out.update(option_entries(f"{case}.group1.", opt.param_groups[1], names))
    return out


def lrs_of(opt):
    return [g["lr"] for g in opt.param_groups]


def scheduler_fixtures():
    S = torch.optim.lr_scheduler
    out = {}

    def params(n=1):
        return [{"params": [torch.zeros(1, requires_grad=True)]} for _ in range(n)]

    def record(case, opt, schedule, steps, momentum=None, metrics=None):
        lrs, momenta = [], []
        for k in range(steps):
            opt.step()
            schedule.step() if metrics is None else schedule.step(metrics[k])
            lrs.append(lrs_of(opt))
            if momentum:
                momenta.append([momentum(g) for g in opt.param_groups])
        out[case + ".lr"] = np.array(lrs)
        if momentum:
            out[case + ".momentum"] = np.array(momenta)

    # LibTorch 1.13's C++ StepLR decays one step() call later than Python's (its counter starts at 0
    # and is read before it is incremented; checked against libtorch 1.13.1 on this machine): C++'s lr
    # after call k is Python's after call k - 1.
    opt = torch.optim.SGD(params(2), lr=1.0)
    opt.param_groups[1]["lr"] = 0.5
    schedule = S.StepLR(opt, step_size=3, gamma=0.5)
    python = [lrs_of(opt)]
    for _ in range(10):
        opt.step()
        schedule.step()
        python.append(lrs_of(opt))
    out["step_lr.lr"] = np.array(python[:-1])

    opt = torch.optim.SGD(params(), lr=0.1)
    record("multi_step_lr", opt, S.MultiStepLR(opt, milestones=[2, 5, 5, 7], gamma=0.5), 10)
    opt = torch.optim.Adam(params(), lr=0.1)
    record("exponential_lr", opt, S.ExponentialLR(opt, gamma=0.9), 10)
    opt = torch.optim.SGD(params(2), lr=0.1)
    opt.param_groups[1]["lr"] = 0.3
    record("cosine_annealing_lr", opt, S.CosineAnnealingLR(opt, T_max=8, eta_min=0.01), 8)

    opt = torch.optim.SGD(params(), lr=0.1, momentum=0.9)
    record("one_cycle_lr.cos_sgd", opt, S.OneCycleLR(opt, max_lr=0.1, total_steps=20), 20,
           momentum=lambda g: g["momentum"])
    opt = torch.optim.Adam(params(), lr=0.1)
    record("one_cycle_lr.linear_three_phase_adam", opt,
           S.OneCycleLR(opt, max_lr=0.05, total_steps=16, pct_start=0.25, anneal_strategy="linear", three_phase=True,
                        div_factor=10, final_div_factor=100, base_momentum=0.8, max_momentum=0.9), 16,
           momentum=lambda g: g["betas"][0])
    opt = torch.optim.Adagrad(params(2), lr=0.1)
    record("one_cycle_lr.groups_adagrad", opt,
           S.OneCycleLR(opt, max_lr=[0.1, 0.2], total_steps=12, pct_start=0.4, cycle_momentum=False), 12)

    metrics = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.899, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6]
    opt = torch.optim.SGD(params(), lr=0.1)
    record("reduce_lr_on_plateau.min_rel", opt,
           S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, cooldown=1, min_lr=0.02, threshold=0.01),
           len(metrics), metrics=metrics)
    up = [0.1, 0.5, 0.55, 0.58, 0.7, 0.75, 0.79, 0.8, 0.85, 0.81, 0.82, 0.83]
    opt = torch.optim.SGD(params(2), lr=0.1)
    opt.param_groups[1]["lr"] = 0.05
    record("reduce_lr_on_plateau.max_abs", opt,
           S.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=1, threshold=0.1, threshold_mode="abs",
                               min_lr=[0.001, 0.004], eps=1e-3), len(up), metrics=up)
    return out


def main():
    assert torch.__version__.startswith("1.13"), "the fixtures are PyTorch 1.13's; found " + torch.__version__
    torch.set_default_dtype(torch.float32)
    os.makedirs(OUT, exist_ok=True)
    for name, entries in [("optim.npz", optimizer_fixtures()), ("lr_schedulers.npz", scheduler_fixtures())]:
        np.savez(os.path.join(OUT, name), **entries)
        print(f"wrote tests/fixtures/{name}: {len(entries)} arrays")


if __name__ == "__main__":
    sys.exit(main())
