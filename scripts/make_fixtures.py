#!/usr/bin/python3
"""Writes the LibTorch agreement fixtures under tests/fixtures/, one text file per group.

    /usr/bin/python3 scripts/make_fixtures.py            # every group
    /usr/bin/python3 scripts/make_fixtures.py dropout    # some groups

Needs Debian's python3-torch (1.13); the files are committed, so building and testing never do.
Each group is one function below, registered with @group; it adds named arrays (inputs, weights,
outputs, gradients) to a Fixture, which writes tests/fixtures/<group>.txt. The C++ side reads them
with tests/fixtures.hpp.

File format: a comment line, then for each array a header line
    <name> <dtype> <rank> <dim>...          dtype: f4 (float32), f8 (float64) or i8 (int64)
and one line of its values in row-major order, written so that parsing them gives the same numbers
back (9 significant digits for f4, 17 for f8).
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

FIXTURE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
GROUPS = {}


def group(fn):
    GROUPS[fn.__name__] = fn
    return fn


class Fixture:
    def __init__(self, name):
        self.name = name
        self.arrays = {}

    def add(self, name, tensor):
        if name in self.arrays:
            raise ValueError(f"{self.name}: array {name} added twice")
        if " " in name:
            raise ValueError(f"{self.name}: array name {name!r} has a space")
        self.arrays[name] = tensor.detach().clone()

    def write(self):
        lines = [f"# group {self.name}, written by scripts/make_fixtures.py with torch {torch.__version__}; do not edit"]
        for name, t in self.arrays.items():
            if t.dtype == torch.float32:
                dtype, fmt = "f4", lambda v: "%.9g" % v
            elif t.dtype == torch.float64:
                dtype, fmt = "f8", lambda v: "%.17g" % v
            elif t.dtype == torch.int64:
                dtype, fmt = "i8", lambda v: "%d" % v
            else:
                raise ValueError(f"{self.name}.{name}: dtype {t.dtype} has no fixture code")
            lines.append(" ".join([name, dtype, str(t.dim())] + [str(s) for s in t.shape]))
            lines.append(" ".join(fmt(v) for v in t.flatten().tolist()))
        path = os.path.join(FIXTURE_DIR, self.name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path


def forward_backward(fx, prefix, fn, inputs, seed):
    """Adds fn(*inputs) as <prefix>.y and, for a fixed random output gradient <prefix>.gy, the
    gradient of every input that requires grad as <prefix>.grad.<name>."""
    leaves = {k: v.detach().clone().requires_grad_(v.requires_grad) for k, v in inputs.items()}
    y = fn(**leaves)
    gen = torch.Generator().manual_seed(seed)
    gy = torch.randn(y.shape, generator=gen, dtype=y.dtype)
    fx.add(prefix + ".y", y)
    fx.add(prefix + ".gy", gy)
    if any(v.requires_grad for v in leaves.values()):
        y.backward(gy)
        for k, v in leaves.items():
            if v.requires_grad:
                fx.add(prefix + ".grad." + k, v.grad)


def randn(shape, seed, dtype=torch.float64, requires_grad=True):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=dtype).requires_grad_(requires_grad)


# ---- layers (issue 12, item 4) ----


@group
def dropout(fx):
    # RNGs differ, so the tests compare scaling, the per-channel structure and eval's identity.
    torch.manual_seed(0)
    x = randn((4, 3, 5, 5), 1, torch.float32, False)
    fx.add("x", x)
    for p in (0.3, 0.5):
        fx.add(f"p{int(p * 10)}.dropout", F.dropout(x, p, training=True))
        fx.add(f"p{int(p * 10)}.dropout2d", F.dropout2d(x, p, training=True))
    fx.add("eval.dropout", F.dropout(x, 0.5, training=False))



@group
def batch_norm(fx):
    # float64 functional cases: training (batch statistics, running ones updated) and evaluation.
    cases = {"train2": ((6, 4), True), "train3": ((4, 3, 5), True), "train4": ((3, 4, 5, 6), True),
             "eval4": ((3, 4, 5, 6), False)}
    for seed, (name, (shape, training)) in enumerate(cases.items()):
        C = shape[1]
        x, w, b = randn(shape, 10 * seed), randn((C,), 10 * seed + 1), randn((C,), 10 * seed + 2)
        rm = randn((C,), 10 * seed + 3, requires_grad=False)
        rv = randn((C,), 10 * seed + 4, requires_grad=False).abs() + 0.5
        for k, v in {"x": x, "weight": w, "bias": b, "running_mean": rm, "running_var": rv}.items():
            fx.add(f"{name}.{k}", v)
        rm2, rv2 = rm.clone(), rv.clone()
        forward_backward(fx, name, lambda x, w, b: F.batch_norm(x, rm2, rv2, w, b, training, 0.2, 1e-5),
                         {"x": x, "w": w, "b": b}, 100 + seed)
        fx.add(f"{name}.running_mean_after", rm2)
        fx.add(f"{name}.running_var_after", rv2)
    # float32 modules: three training batches, then evaluation.
    for name, options in {"module_momentum": dict(momentum=0.1), "module_cumulative": dict(momentum=None),
                          "module_plain": dict(affine=False, track_running_stats=False)}.items():
        torch.manual_seed(0)
        bn = torch.nn.BatchNorm2d(3, **options)
        for step in range(3):
            x = randn((4, 3, 5, 5), 200 + step, torch.float32, False) * (step + 1) + step
            fx.add(f"{name}.x{step}", x)
            fx.add(f"{name}.y{step}", bn(x))
        if bn.track_running_stats:
            fx.add(f"{name}.running_mean", bn.running_mean)
            fx.add(f"{name}.running_var", bn.running_var)
            fx.add(f"{name}.num_batches_tracked", bn.num_batches_tracked)
        bn.eval()
        x = randn((2, 3, 5, 5), 210, torch.float32, False)
        fx.add(f"{name}.x_eval", x)
        fx.add(f"{name}.y_eval", bn(x))
    bn1 = torch.nn.BatchNorm1d(5)
    x = randn((8, 5), 220, torch.float32, False)
    fx.add("module1d.x", x)
    fx.add("module1d.y", bn1(x))
    fx.add("module1d.running_var", bn1.running_var)


@group
def layer_norm(fx):
    x = randn((3, 4, 5), 1)
    w, b = randn((5,), 2), randn((5,), 3)
    fx.add("x", x)
    fx.add("weight", w)
    fx.add("bias", b)
    forward_backward(fx, "affine", lambda x, w, b: F.layer_norm(x, [5], w, b, 1e-5), {"x": x, "w": w, "b": b}, 4)
    forward_backward(fx, "plain", lambda x: F.layer_norm(x, [4, 5], eps=1e-3), {"x": x}, 5)
    xm = randn((2, 3, 6), 6, torch.float32, False)
    fx.add("module.x", xm)
    fx.add("module.y", torch.nn.LayerNorm(6)(xm))


@group
def avg_pool2d(fx):
    x = randn((2, 3, 7, 9), 1)
    fx.add("x", x)
    cases = {
        "k2": dict(kernel_size=2),
        "k3s2p1": dict(kernel_size=3, stride=2, padding=1),
        "k3s2p1_ceil_nopad": dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        "k23s12p11_ceil": dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), ceil_mode=True),
        "k3s3_ceil": dict(kernel_size=3, stride=3, ceil_mode=True),
        "k2_divisor3": dict(kernel_size=2, divisor_override=3),
    }
    for seed, (name, kw) in enumerate(cases.items()):
        forward_backward(fx, name, lambda x: F.avg_pool2d(x, **kw), {"x": x}, 10 + seed)
    for seed, size in enumerate([(3, 4), (1, 1), (7, 9), (10, 12)]):
        forward_backward(fx, f"adaptive{size[0]}x{size[1]}", lambda x: F.adaptive_avg_pool2d(x, size), {"x": x}, 20 + seed)


@group
def embedding(fx):
    w = randn((10, 3), 1)
    idx = torch.tensor([[0, 2, 2, 9], [4, 0, 7, 2]], dtype=torch.int64)
    fx.add("weight", w)
    fx.add("indices", idx)
    forward_backward(fx, "plain", lambda w: F.embedding(idx, w), {"w": w}, 2)
    forward_backward(fx, "padding0", lambda w: F.embedding(idx, w, padding_idx=0), {"w": w}, 3)
    forward_backward(fx, "freq", lambda w: F.embedding(idx, w, scale_grad_by_freq=True), {"w": w}, 4)
    forward_backward(fx, "freq_padding2", lambda w: F.embedding(idx, w, padding_idx=2, scale_grad_by_freq=True),
                     {"w": w}, 5)
    # max_norm renormalises the picked rows of the weight in place before the lookup.
    for name, max_norm, norm_type in (("max_norm", 1.5, 2.0), ("max_norm_p1", 2.0, 1.0), ("max_norm_inf", 1.0, float("inf"))):
        renormed = w.detach().clone()
        fx.add(name + ".y", F.embedding(idx, renormed, max_norm=max_norm, norm_type=norm_type))
        fx.add(name + ".weight_after", renormed)


@group
def activations(fx):
    x = randn((4, 5), 1) * 3
    fx.add("x", x)
    for approximate in ("none", "tanh"):
        forward_backward(fx, f"gelu_{approximate}", lambda x: F.gelu(x, approximate=approximate), {"x": x}, 2)


@group
def activation_layers(fx):
    # Random values (none on a kink) and large ones, where softplus, logsigmoid, selu and mish saturate.
    x = torch.cat([randn((16,), 3) * 3, torch.tensor([-30.0, -12.0, 12.0, 30.0], dtype=torch.float64)]).reshape(4, 5)
    x = x.detach().requires_grad_(True)
    fx.add("x", x)
    modules = {
        "elu": torch.nn.ELU(), "elu_a0.7": torch.nn.ELU(alpha=0.7), "selu": torch.nn.SELU(),
        "celu_a1.8": torch.nn.CELU(alpha=1.8), "silu": torch.nn.SiLU(), "mish": torch.nn.Mish(),
        "softplus": torch.nn.Softplus(), "softplus_b2_t5": torch.nn.Softplus(beta=2.0, threshold=5.0),
        "hardtanh": torch.nn.Hardtanh(), "hardtanh_m2_1.5": torch.nn.Hardtanh(-2.0, 1.5), "relu6": torch.nn.ReLU6(),
        "hardsigmoid": torch.nn.Hardsigmoid(), "hardswish": torch.nn.Hardswish(), "logsigmoid": torch.nn.LogSigmoid(),
        "softsign": torch.nn.Softsign(), "tanhshrink": torch.nn.Tanhshrink(), "softshrink": torch.nn.Softshrink(),
        "softshrink_l1.2": torch.nn.Softshrink(1.2), "hardshrink": torch.nn.Hardshrink(),
        "hardshrink_l1.2": torch.nn.Hardshrink(1.2),
    }
    for seed, (name, module) in enumerate(modules.items()):
        forward_backward(fx, name, lambda x: module(x), {"x": x}, 10 + seed)
    # PReLU over (N, C, L): one slope per channel, and one shared.
    px = randn((2, 3, 2), 40)
    fx.add("prelu.x", px)
    for name, weight in (("prelu_channels", torch.tensor([0.25, -0.5, 1.5], dtype=torch.float64)),
                         ("prelu_shared", torch.tensor([0.1], dtype=torch.float64))):
        weight.requires_grad_(True)
        fx.add(name + ".weight", weight)
        forward_backward(fx, name, lambda x, weight: F.prelu(x, weight), {"x": px, "weight": weight}, 41)



@group
def glu_threshold_rrelu_instance_norm3d(fx):
    # GLU along the last dim (the default) and along dim 1.
    x = randn((2, 4, 6), 1)
    fx.add("glu.x", x)
    forward_backward(fx, "glu_last", lambda x: torch.nn.GLU()(x), {"x": x}, 2)
    forward_backward(fx, "glu_dim1", lambda x: torch.nn.GLU(1)(x), {"x": x}, 3)
    # Threshold and RReLU in evaluation (its fixed slope (lower + upper) / 2); no value on a kink.
    xa = (randn((4, 5), 4) * 3).detach().requires_grad_(True)
    fx.add("x", xa)
    rrelu_eval = torch.nn.RReLU(0.1, 0.3).eval()
    rrelu_default = torch.nn.RReLU().eval()
    modules = {
        "threshold_0.1_20": torch.nn.Threshold(0.1, 20.0), "threshold_m0.5_m2": torch.nn.Threshold(-0.5, -2.0),
        "rrelu_eval": rrelu_default, "rrelu_eval_0.1_0.3": rrelu_eval,
    }
    for seed, (name, module) in enumerate(modules.items()):
        forward_backward(fx, name, lambda x: module(x), {"x": xa}, 10 + seed)
    # InstanceNorm3d with affine weights and running statistics: training (weights' gradients, the
    # running statistics after), then evaluation; and a plain one on an unbatched (C, D, H, W) input.
    x5 = randn((2, 3, 2, 3, 4), 20)
    w, b = randn((3,), 21, requires_grad=False), randn((3,), 22, requires_grad=False)
    norm = torch.nn.InstanceNorm3d(3, affine=True, track_running_stats=True, momentum=0.2).double()
    with torch.no_grad():
        norm.weight.copy_(w)
        norm.bias.copy_(b)
    fx.add("norm3d.x", x5)
    fx.add("norm3d.weight", w)
    fx.add("norm3d.bias", b)
    leaf = x5.detach().clone().requires_grad_(True)
    y = norm(leaf)
    gy = torch.randn(y.shape, generator=torch.Generator().manual_seed(23), dtype=y.dtype)
    y.backward(gy)
    fx.add("norm3d_train.y", y)
    fx.add("norm3d_train.gy", gy)
    fx.add("norm3d_train.grad.x", leaf.grad)
    fx.add("norm3d_train.grad.weight", norm.weight.grad)
    fx.add("norm3d_train.grad.bias", norm.bias.grad)
    fx.add("norm3d_train.running_mean", norm.running_mean)
    fx.add("norm3d_train.running_var", norm.running_var)
    norm.eval()
    forward_backward(fx, "norm3d_eval", lambda x: norm(x), {"x": x5}, 24)
    xu = randn((3, 2, 3, 4), 25)
    fx.add("norm3d_unbatched.x", xu)
    forward_backward(fx, "norm3d_unbatched", lambda x: torch.nn.InstanceNorm3d(3)(x), {"x": xu}, 26)
    # softmax and log_softmax converting a float32 input to float64 first, and a Long input to float32.
    xf = randn((3, 4), 30, torch.float32)
    fx.add("softmax_dtype.x", xf)
    forward_backward(fx, "softmax_dtype", lambda x: F.softmax(x, 1, dtype=torch.float64), {"x": xf}, 31)
    forward_backward(fx, "log_softmax_dtype", lambda x: F.log_softmax(x, 0, dtype=torch.float64), {"x": xf}, 32)
    xl = torch.tensor([[1, -2, 3], [0, 5, -1]], dtype=torch.int64)
    fx.add("softmax_long.x", xl)
    fx.add("softmax_long.y", torch.softmax(xl, 1, dtype=torch.float32))

def conv_cases(fx, cases, conv, out_dim):
    """For each case name -> (input shape, weight shape, keyword arguments): its x, weight and bias
    (as long as the weight's dim out_dim) as <name>.x/.weight/.bias, and conv's forward and backward."""
    for seed, (name, (xs, ws, kw)) in enumerate(cases.items()):
        x, w, b = randn(xs, 10 * seed), randn(ws, 10 * seed + 1), randn((ws[out_dim],), 10 * seed + 2)
        fx.add(f"{name}.x", x)
        fx.add(f"{name}.weight", w)
        fx.add(f"{name}.bias", b)
        forward_backward(fx, name, lambda x, w, b: conv(x, w, b, **kw), {"x": x, "w": w, "b": b}, 100 + seed)


def module_case(fx, module, x):
    """A layer with LibTorch's initial weight and bias, as module.weight/.bias, and its output for x."""
    fx.add("module.weight", module.weight)
    fx.add("module.bias", module.bias)
    fx.add("module.x", x)
    fx.add("module.y", module(x))


@group
def linear(fx):
    x, w, b = randn((2, 3, 4), 1), randn((5, 4), 2), randn((5,), 3)
    for k, v in {"x": x, "weight": w, "bias": b}.items():
        fx.add(k, v)
    forward_backward(fx, "nd", lambda x, w, b: F.linear(x, w, b), {"x": x, "w": w, "b": b}, 4)
    x1 = randn((4,), 5)
    fx.add("x1", x1)
    forward_backward(fx, "vector", lambda x, w, b: F.linear(x, w, b), {"x": x1, "w": w, "b": b}, 6)


@group
def conv_transpose2d(fx):
    cases = {
        "plain": ((2, 3, 4, 5), (3, 2, 3, 3), dict()),
        "s2p1op1": ((2, 3, 4, 5), (3, 4, 3, 3), dict(stride=2, padding=1, output_padding=1)),
        "s21p10_k23": ((1, 2, 3, 3), (2, 3, 2, 3), dict(stride=(2, 1), padding=(1, 0))),
        "wide": ((2, 9, 3, 3), (9, 17, 3, 3), dict(stride=2)),
    }
    conv_cases(fx, cases, F.conv_transpose2d, out_dim=1)
    torch.manual_seed(0)
    module_case(fx, torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1),
                randn((2, 4, 3, 3), 50, torch.float32, False))

@group
def conv_pool1d(fx):
    cases = {
        "plain": ((2, 3, 9), (4, 3, 3), dict()),
        "s2p1": ((2, 3, 10), (5, 3, 4), dict(stride=2, padding=1)),
        "unbatched": ((3, 7), (2, 3, 2), dict(stride=3)),
        "wide": ((1, 17, 6), (18, 17, 5), dict(padding=2)),
    }
    conv_cases(fx, cases, F.conv1d, out_dim=0)
    x = randn((2, 3, 11), 60)
    fx.add("pool.x", x)
    forward_backward(fx, "max_k3s2p1", lambda x: F.max_pool1d(x, 3, stride=2, padding=1), {"x": x}, 61)
    forward_backward(fx, "max_k2", lambda x: F.max_pool1d(x, 2), {"x": x}, 62)
    forward_backward(fx, "avg_k3s2p1", lambda x: F.avg_pool1d(x, 3, stride=2, padding=1), {"x": x}, 63)
    forward_backward(fx, "avg_k3s2p1_ceil_nopad",
                     lambda x: F.avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), {"x": x}, 64)
    torch.manual_seed(0)
    module_case(fx, torch.nn.Conv1d(4, 2, 3, stride=2, padding=1), randn((2, 4, 8), 70, torch.float32, False))


# ---- F::pad, F::normalize, F::interpolate ----


@group
def pad_normalize_interpolate(fx):
    x = randn((1, 2, 4, 5), 80)
    fx.add("x", x)
    pads = {
        "constant": dict(pad=(1, 2), mode="constant", value=0.5),
        "constant_crop": dict(pad=(-1, 2, 1, -2), mode="constant", value=0.0),
        "reflect": dict(pad=(2, 1, 3, 0), mode="reflect"),
        "replicate": dict(pad=(1, 3, 2, 2), mode="replicate"),
        "circular": dict(pad=(5, 2, 1, 4), mode="circular"),
    }
    for name, kw in pads.items():
        forward_backward(fx, "pad_" + name, lambda x: F.pad(x, **kw), {"x": x}, 81)
    forward_backward(fx, "normalize_p2_dim1", lambda x: F.normalize(x, p=2.0, dim=1), {"x": x}, 82)
    forward_backward(fx, "normalize_p1_dim-1", lambda x: F.normalize(x, p=1.0, dim=-1), {"x": x}, 83)
    resamples = {
        "nearest_size": dict(size=(7, 3), mode="nearest"),
        "nearest_x2": dict(scale_factor=(2.0, 2.0), mode="nearest"),
        "nearest_x1p7": dict(scale_factor=(1.7, 0.6), mode="nearest"),
        "bilinear_size": dict(size=(7, 3), mode="bilinear", align_corners=False),
        "bilinear_size_corners": dict(size=(7, 3), mode="bilinear", align_corners=True),
        "bilinear_x1p5": dict(scale_factor=(1.5, 2.5), mode="bilinear", align_corners=False),
    }
    for name, kw in resamples.items():
        forward_backward(fx, "interpolate_" + name, lambda x: F.interpolate(x, **kw), {"x": x}, 84)
        fx.add("interpolate_" + name + ".y32", F.interpolate(x.detach().float(), **kw))
    line = randn((1, 2, 6), 85)
    fx.add("line", line)
    forward_backward(fx, "interpolate_linear_size", lambda line: F.interpolate(line, size=10, mode="linear"),
                     {"line": line}, 86)
    forward_backward(fx, "interpolate_nearest_line", lambda line: F.interpolate(line, size=4, mode="nearest"),
                     {"line": line}, 87)


# ---- group and instance norm, distances, kl_div ----


@group
def norms_distance_kl_div(fx):
    x, w, b = randn((2, 6, 3), 1), randn((6,), 2), randn((6,), 3)
    x4 = randn((2, 4, 2, 3), 4)
    for k, v in {"x": x, "weight": w, "bias": b, "x4": x4}.items():
        fx.add(k, v)
    forward_backward(fx, "group_norm_affine", lambda x, w, b: F.group_norm(x, 3, w, b, 1e-5),
                     {"x": x, "w": w, "b": b}, 5)
    forward_backward(fx, "group_norm_plain", lambda x4: F.group_norm(x4, 2, eps=1e-3), {"x4": x4}, 6)
    rm, rv = randn((6,), 7, requires_grad=False), randn((6,), 8, requires_grad=False).abs() + 0.5
    fx.add("running_mean", rm)
    fx.add("running_var", rv)
    rm2, rv2 = rm.clone(), rv.clone()
    forward_backward(fx, "instance_norm_train",
                     lambda x, w, b: F.instance_norm(x, rm2, rv2, w, b, use_input_stats=True, momentum=0.2),
                     {"x": x, "w": w, "b": b}, 9)
    fx.add("instance_norm_train.running_mean_after", rm2)
    fx.add("instance_norm_train.running_var_after", rv2)
    forward_backward(fx, "instance_norm_eval",
                     lambda x, w, b: F.instance_norm(x, rm, rv, w, b, use_input_stats=False, eps=1e-3),
                     {"x": x, "w": w, "b": b}, 10)
    # float32 modules: GroupNorm and InstanceNorm2d with non-trivial affine weights, two training
    # batches, then evaluation.
    gn = torch.nn.GroupNorm(2, 4)
    inorm = torch.nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
    with torch.no_grad():
        for m, seed in ((gn, 11), (inorm, 13)):
            m.weight.copy_(randn((4,), seed, torch.float32, False))
            m.bias.copy_(randn((4,), seed + 1, torch.float32, False))
            fx.add(f"module_{type(m).__name__}.weight", m.weight)
            fx.add(f"module_{type(m).__name__}.bias", m.bias)
    xm = randn((2, 4, 3, 3), 15, torch.float32, False) * 2 + 1
    fx.add("module.x", xm)
    fx.add("module_GroupNorm.y", gn(xm))
    for step in range(2):
        fx.add(f"module_InstanceNorm2d.y{step}", inorm(xm * (step + 1)))
    fx.add("module_InstanceNorm2d.running_mean", inorm.running_mean)
    fx.add("module_InstanceNorm2d.running_var", inorm.running_var)
    inorm.eval()
    fx.add("module_InstanceNorm2d.y_eval", inorm(xm))
    x1d = randn((3, 5), 16, torch.float32, False)
    fx.add("module_InstanceNorm1d.x", x1d)
    fx.add("module_InstanceNorm1d.y", torch.nn.InstanceNorm1d(3)(x1d))
    # distances: plain, broadcast, and vectors shorter than eps.
    a, c = randn((3, 4), 20), randn((3, 4), 21)
    a3, c1 = randn((2, 1, 4), 22), randn((4,), 23)
    for k, v in {"a": a, "c": c, "a3": a3, "c1": c1}.items():
        fx.add(k, v)
    forward_backward(fx, "cosine_dim1", lambda a, c: F.cosine_similarity(a, c), {"a": a, "c": c}, 24)
    forward_backward(fx, "cosine_broadcast", lambda a3, c: F.cosine_similarity(a3, c, dim=-1), {"a3": a3, "c": c}, 25)
    tiny = torch.tensor([[1e-5, 0.0], [3.0, 4.0]], dtype=torch.float64)
    fx.add("tiny", tiny)
    fx.add("cosine_tiny.y", F.cosine_similarity(tiny, tiny * 0.5, dim=1, eps=1e-3))
    forward_backward(fx, "pairwise_p2", lambda a, c: F.pairwise_distance(a, c), {"a": a, "c": c}, 26)
    forward_backward(fx, "pairwise_p1_keepdim_broadcast",
                     lambda a, c1: F.pairwise_distance(a, c1, p=1.0, eps=1e-3, keepdim=True), {"a": a, "c1": c1}, 27)
    # kl_div: log-probabilities against probabilities (or log-probabilities), each reduction.
    logp = torch.log_softmax(randn((3, 4), 30, requires_grad=False), 1).requires_grad_()
    q = torch.softmax(randn((3, 4), 31, requires_grad=False), 1).requires_grad_()
    fx.add("logp", logp)
    fx.add("q", q)
    for reduction in ("none", "mean", "sum", "batchmean"):
        forward_backward(fx, "kl_div_" + reduction, lambda logp, q: F.kl_div(logp, q, reduction=reduction),
                         {"logp": logp, "q": q}, 32)
    logq = torch.log(q.detach()).requires_grad_()
    fx.add("logq", logq)
    forward_backward(fx, "kl_div_log_target", lambda logp, logq: F.kl_div(logp, logq, reduction="batchmean",
                                                                          log_target=True),
                     {"logp": logp, "logq": logq}, 33)


# ---- recurrent modules and cells ----


def outputs_and_gradients(fx, name, module, outputs, leaves, seed0, dtype):
    """Adds each output (<name>.<output>) with a fixed random gradient for it (<name>.g<output>, seeds
    from seed0), then the gradients that backward gives the leaves and the module's parameters
    (<name>.grad.<leaf or parameter name>)."""
    loss = 0
    for seed, (k, v) in enumerate(outputs.items()):
        g = randn(v.shape, seed0 + seed, dtype, False)
        fx.add(f"{name}.{k}", v)
        fx.add(f"{name}.g{k}", g)
        loss = loss + (v * g).sum()
    loss.backward()
    for k, v in leaves.items():
        fx.add(f"{name}.grad.{k}", v.grad)
    for pname, p in module.named_parameters():
        fx.add(f"{name}.grad.{pname}", p.grad)


def recurrent_case(fx, name, module, x, states):
    """A recurrent module or cell with LibTorch's initial parameters (<name>.<parameter name>), its
    input and initial states, its outputs, and for fixed random output gradients (<name>.g<output>)
    the gradients of the input, the states and every parameter (<name>.grad.<name>)."""
    for pname, p in module.named_parameters():
        fx.add(f"{name}.{pname}", p)
    fx.add(f"{name}.x", x)
    x = x.clone().requires_grad_()
    leaves = {k: v.clone().requires_grad_() for k, v in states.items()}
    for k, v in leaves.items():
        fx.add(f"{name}.{k}", v)
    if isinstance(module, torch.nn.LSTM):
        y, (h, c) = module(x, (leaves["h0"], leaves["c0"])) if leaves else module(x)
        outputs = {"y": y, "h_n": h, "c_n": c}
    elif isinstance(module, (torch.nn.GRU, torch.nn.RNN)):
        y, h = module(x, leaves["h0"]) if leaves else module(x)
        outputs = {"y": y, "h_n": h}
    elif isinstance(module, torch.nn.LSTMCell):
        h, c = module(x, (leaves["hx"], leaves["cx"]))
        outputs = {"h": h, "c": c}
    else:
        outputs = {"h": module(x, leaves["hx"])}
    outputs_and_gradients(fx, name, module, outputs, {"x": x, **leaves}, 500, torch.float32)


@group
def rnn(fx):
    # float32, tiny: input_size 3, hidden_size 4, seq_len 4, batch 2. Each module once with two layers,
    # both directions, batch_first and given states, once in its plainest form (zero states).
    f32 = lambda shape, seed: randn(shape, seed, torch.float32, False)
    torch.manual_seed(0)
    deep = dict(num_layers=2, bidirectional=True, batch_first=True)
    recurrent_case(fx, "lstm_deep", torch.nn.LSTM(3, 4, **deep), f32((2, 4, 3), 1),
                   {"h0": f32((4, 2, 4), 2), "c0": f32((4, 2, 4), 3)})
    recurrent_case(fx, "lstm_plain", torch.nn.LSTM(3, 4, bias=False), f32((4, 2, 3), 4), {})
    recurrent_case(fx, "gru_deep", torch.nn.GRU(3, 4, **deep), f32((2, 4, 3), 5), {"h0": f32((4, 2, 4), 6)})
    recurrent_case(fx, "gru_plain", torch.nn.GRU(3, 4), f32((4, 2, 3), 7), {})
    recurrent_case(fx, "rnn_deep", torch.nn.RNN(3, 4, **deep), f32((2, 4, 3), 8), {"h0": f32((4, 2, 4), 9)})
    recurrent_case(fx, "rnn_relu", torch.nn.RNN(3, 4, nonlinearity="relu", num_layers=2), f32((4, 2, 3), 10),
                   {"h0": f32((2, 2, 4), 11)})
    recurrent_case(fx, "lstm_cell", torch.nn.LSTMCell(3, 4), f32((2, 3), 12),
                   {"hx": f32((2, 4), 13), "cx": f32((2, 4), 14)})
    recurrent_case(fx, "gru_cell", torch.nn.GRUCell(3, 4), f32((2, 3), 15), {"hx": f32((2, 4), 16)})
    recurrent_case(fx, "rnn_cell", torch.nn.RNNCell(3, 4, nonlinearity="relu"), f32((2, 3), 17),
                   {"hx": f32((2, 4), 18)})


# ---- attention and transformer encoders ----


def attention_case(fx, name, module, inputs, masks, run):
    """A module in float64 with dropout 0 and LibTorch's initial parameters (<name>.<parameter name>),
    its inputs and masks (Bool masks as int64 0/1), its outputs for run(module, leaves, masks) (a dict),
    and for fixed random output gradients (<name>.g<output>) the gradients of the inputs and of every
    parameter (<name>.grad.<name>)."""
    module.double()
    for pname, p in module.named_parameters():
        fx.add(f"{name}.{pname}", p)
    leaves = {}
    for k, v in inputs.items():
        fx.add(f"{name}.{k}", v)
        leaves[k] = v.detach().clone().requires_grad_()
    for k, m in masks.items():
        fx.add(f"{name}.{k}", m.long() if m.dtype == torch.bool else m)
    outputs_and_gradients(fx, name, module, run(module, leaves, masks), leaves, 700, torch.float64)


@group
def multihead_attention(fx):
    # float64, embed_dim 6, 2 heads, target length 3, source length 4, batch 2; training mode with
    # dropout 0, so no fast path. Padding leaves every row at least one key.
    f64 = lambda shape, seed: randn(shape, seed, torch.float64, False)
    torch.manual_seed(0)
    qkv = lambda seed: {"query": f64((3, 2, 6), seed), "key": f64((4, 2, 6), seed + 1),
                        "value": f64((4, 2, 6), seed + 2)}
    padding = torch.tensor([[False, False, True, False], [False, False, False, True]])
    causal = torch.tensor([[False, True, True, True], [False, False, True, True], [False, False, False, True]])

    def run(m, x, masks):
        y, w = m(x["query"], x["key"], x["value"], key_padding_mask=masks.get("key_padding_mask"),
                 need_weights=True, attn_mask=masks.get("attn_mask"))
        return {"y": y, "w": w}

    attention_case(fx, "plain", torch.nn.MultiheadAttention(6, 2), qkv(1), {}, run)
    attention_case(fx, "bool_masks", torch.nn.MultiheadAttention(6, 2), qkv(4),
                   {"key_padding_mask": padding, "attn_mask": causal}, run)
    attention_case(fx, "float_mask", torch.nn.MultiheadAttention(6, 2), qkv(7),
                   {"key_padding_mask": padding, "attn_mask": f64((3, 4), 10)}, run)
    per_head = f64((6, 3, 4), 11) > 0.8  # (batch·heads, L, S); keep each row's first key allowed
    per_head[:, :, 0] = False
    attention_case(fx, "per_head_mask", torch.nn.MultiheadAttention(6, 3, bias=False), qkv(12),
                   {"attn_mask": per_head}, run)


@group
def transformer(fx):
    # float64, d_model 6, 2 heads, dim_feedforward 10, source length 4, batch 2, dropout 0.
    f64 = lambda shape, seed: randn(shape, seed, torch.float64, False)
    torch.manual_seed(0)
    padding = torch.tensor([[False, False, True, False], [False, False, False, True]])
    causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)

    def run(m, x, masks):
        # positional: the layer names its mask src_mask, the encoder mask
        return {"y": m(x["src"], masks.get("src_mask"), masks.get("src_key_padding_mask"))}

    layer = lambda activation: torch.nn.TransformerEncoderLayer(6, 2, dim_feedforward=10, dropout=0.0,
                                                                activation=activation)
    attention_case(fx, "layer_relu", layer("relu"), {"src": f64((4, 2, 6), 1)},
                   {"src_mask": causal, "src_key_padding_mask": padding}, run)
    attention_case(fx, "layer_gelu", layer("gelu"), {"src": f64((4, 2, 6), 2)}, {}, run)
    encoder = torch.nn.TransformerEncoder(layer("relu"), 2, norm=torch.nn.LayerNorm(6))
    with torch.no_grad():  # the deep copies start equal: make the layers differ
        for p in encoder.layers[1].parameters():
            p.add_(0.1 * torch.randn(p.shape, dtype=p.dtype))
    attention_case(fx, "encoder", encoder, {"src": f64((4, 2, 6), 3)},
                   {"src_mask": f64((4, 4), 4), "src_key_padding_mask": padding}, run)


@group
def pixel_shuffle_unflatten(fx):
    # The modules on float64 inputs with their gradients: 4-D, and 5-D (a leading dim more).
    x4, x5 = randn((2, 8, 3, 2), 1), randn((2, 2, 9, 2, 3), 2)
    xu = randn((2, 3, 4, 6), 3)
    for k, v in {"x4": x4, "x5": x5, "xu": xu}.items():
        fx.add(k, v)
    forward_backward(fx, "shuffle2", lambda x4: torch.nn.PixelShuffle(2)(x4), {"x4": x4}, 4)
    forward_backward(fx, "shuffle3_5d", lambda x5: torch.nn.PixelShuffle(3)(x5), {"x5": x5}, 5)
    forward_backward(fx, "unshuffle2", lambda xu: torch.nn.PixelUnshuffle(2)(xu), {"xu": xu}, 6)
    forward_backward(fx, "unflatten", lambda x4: torch.nn.Unflatten(1, (2, -1, 2))(x4), {"x4": x4}, 7)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help="groups to write (default: all): " + " ".join(GROUPS))
    args = parser.parse_args()
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error("unknown group(s): " + " ".join(unknown))
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    torch.set_num_threads(1)
    for name in args.groups or GROUPS:
        fx = Fixture(name)
        GROUPS[name](fx)
        print("wrote", os.path.relpath(fx.write()))


if __name__ == "__main__":
    sys.exit(main())
