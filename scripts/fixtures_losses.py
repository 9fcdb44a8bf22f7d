#!/usr/bin/python3
"""Writes tests/fixtures/losses.txt: LibTorch 1.13's losses on fixed inputs, in float32 and float64.

    /usr/bin/python3 scripts/fixtures_losses.py

Needs Debian's python3-torch (1.13); the file is committed, so building and testing never do.
Same file format as scripts/make_fixtures.py (read by tests/fixtures.hpp): a comment line, then per
array a header line "<name> <dtype> <rank> <dim>..." and a line of its values.

Every case <case>.<dtype> holds its inputs (input, target, and weight / pos_weight when used), its
options (reduction: 0 none, 1 mean, 2 sum; ignore_index, label_smoothing, beta, delta), the loss y,
a fixed output gradient gy, and the gradients of the inputs that have one (grad.input, grad.target).
"""
import os
import sys

import torch
import torch.nn.functional as F

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "losses.txt")
REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}
DTYPES = {"f4": torch.float32, "f8": torch.float64}


class Fixture:
    def __init__(self):
        self.arrays = {}

    def add(self, name, tensor):
        assert name not in self.arrays and " " not in name, name
        self.arrays[name] = torch.as_tensor(tensor).detach().clone()

    def write(self, path):
        lines = [f"# group losses, written by scripts/fixtures_losses.py with torch {torch.__version__}; do not edit"]
        for name, t in self.arrays.items():
            dtype, fmt = {torch.float32: ("f4", "%.9g"), torch.float64: ("f8", "%.17g"),
                          torch.int64: ("i8", "%d")}[t.dtype]
            lines.append(" ".join([name, dtype, str(t.dim())] + [str(s) for s in t.shape]))
            lines.append(" ".join(fmt % v for v in t.flatten().tolist()))
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


def gen(seed):
    return torch.Generator().manual_seed(seed)


def case(fx, name, fn, inputs, options, seed):
    """Runs fn(**inputs, **options), records everything under name."""
    leaves = {k: v.detach().clone().requires_grad_(v.is_floating_point() and k in ("input", "target"))
              for k, v in inputs.items()}
    for k, v in leaves.items():
        fx.add(f"{name}.{k}", v)
    for k, v in options.items():
        if k == "reduction":
            fx.add(f"{name}.reduction", torch.tensor(REDUCTIONS[v]))
        else:
            fx.add(f"{name}.{k}", torch.tensor(v, dtype=torch.int64 if isinstance(v, int) else torch.float64))
    y = fn(**leaves, **options)
    gy = torch.randn(y.shape, generator=gen(seed), dtype=y.dtype)
    fx.add(f"{name}.y", y)
    fx.add(f"{name}.gy", gy)
    y.backward(gy)
    for k, v in leaves.items():
        if v.requires_grad:
            fx.add(f"{name}.grad.{k}", v.grad)


def class_losses(fx, dtype, seed):
    # Targets include repeats and, where an ignore_index is set, ignored entries (the class 1 or -100).
    n, c = 6, 5
    x = torch.randn(n, c, generator=gen(seed), dtype=dtype) * 2
    w = torch.rand(c, generator=gen(seed + 1), dtype=dtype) + 0.5
    t = torch.tensor([0, 4, 1, 3, 1, 2])
    t_none_kept = torch.tensor([0, -100, 1, -100, 4, 2])
    xs = torch.randn(2, 3, 4, generator=gen(seed + 2), dtype=dtype)  # spatial (N, C, d)
    ts = torch.tensor([[0, 2, 1, 1], [2, 0, 0, -100]])
    variants = {
        "plain": (x, t, {}),
        "weight": (x, t, {"weight": w}),
        "ignore": (x, t, {"ignore_index": 1}),
        "ignore_default": (x, t_none_kept, {}),
        "weight_ignore": (x, t_none_kept, {"weight": w}),
        "spatial": (xs, ts, {"weight": w[:3]}),
    }
    for variant, (inp, target, extra) in variants.items():
        for reduction in REDUCTIONS:
            weight = extra.get("weight")
            ignore_index = extra.get("ignore_index", -100)
            inputs = {"input": inp, "target": target}
            if weight is not None:
                inputs["weight"] = weight
            options = {"reduction": reduction, "ignore_index": ignore_index}
            case(fx, f"nll_{variant}_{reduction}.{dt(dtype)}",
                 lambda input, target, weight=None, **o: F.nll_loss(F.log_softmax(input, 1), target, weight, **o),
                 inputs, options, seed + 10)
            for smoothing in (0.0, 0.2):
                tag = f"ce_{variant}{'_smooth' if smoothing else ''}_{reduction}.{dt(dtype)}"
                case(fx, tag, lambda input, target, weight=None, **o: F.cross_entropy(input, target, weight, **o),
                     inputs, dict(options, label_smoothing=smoothing), seed + 11)


def binary_losses(fx, dtype, seed):
    shape = (4, 3)
    logits = torch.randn(shape, generator=gen(seed), dtype=dtype) * 3
    probs = torch.sigmoid(logits)
    target = torch.rand(shape, generator=gen(seed + 1), dtype=dtype)
    w = torch.rand(3, generator=gen(seed + 2), dtype=dtype) + 0.5  # broadcast over the rows
    pw = torch.rand(3, generator=gen(seed + 3), dtype=dtype) * 3
    for reduction in REDUCTIONS:
        for variant, extra in {"plain": {}, "weight": {"weight": w}}.items():
            case(fx, f"bce_{variant}_{reduction}.{dt(dtype)}",
                 lambda input, target, weight=None, **o: F.binary_cross_entropy(input, target, weight, **o),
                 dict({"input": probs, "target": target}, **extra), {"reduction": reduction}, seed + 4)
        for variant, extra in {"plain": {}, "weight": {"weight": w}, "pos_weight": {"pos_weight": pw},
                               "both": {"weight": w, "pos_weight": pw}}.items():
            case(fx, f"bcelogits_{variant}_{reduction}.{dt(dtype)}",
                 lambda input, target, weight=None, pos_weight=None, **o:
                     F.binary_cross_entropy_with_logits(input, target, weight, pos_weight=pos_weight, **o),
                 dict({"input": logits, "target": target}, **extra), {"reduction": reduction}, seed + 5)


def regression_losses(fx, dtype, seed):
    shape = (3, 4, 2)
    input = torch.randn(shape, generator=gen(seed), dtype=dtype)
    target = torch.randn(shape, generator=gen(seed + 1), dtype=dtype)
    for reduction in REDUCTIONS:
        inputs = {"input": input, "target": target}
        r = {"reduction": reduction}
        case(fx, f"l1_{reduction}.{dt(dtype)}", F.l1_loss, inputs, r, seed + 2)
        case(fx, f"mse_{reduction}.{dt(dtype)}", F.mse_loss, inputs, r, seed + 3)
        for beta in (1.0, 0.5, 0.0):
            case(fx, f"smooth_l1_beta{beta:g}_{reduction}.{dt(dtype)}", F.smooth_l1_loss, inputs,
                 dict(r, beta=beta), seed + 4)
        for delta in (1.0, 0.5):
            case(fx, f"huber_delta{delta:g}_{reduction}.{dt(dtype)}", F.huber_loss, inputs,
                 dict(r, delta=delta), seed + 5)


def dt(dtype):
    return {torch.float32: "f4", torch.float64: "f8"}[dtype]


def main():
    torch.set_num_threads(1)
    fx = Fixture()
    for dtype in DTYPES.values():
        class_losses(fx, dtype, 100)
        binary_losses(fx, dtype, 200)
        regression_losses(fx, dtype, 300)
    fx.write(FIXTURE)
    print("wrote", os.path.relpath(FIXTURE), len(fx.arrays), "arrays")


if __name__ == "__main__":
    sys.exit(main())
