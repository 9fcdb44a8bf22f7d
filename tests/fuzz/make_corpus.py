#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus: tests/fuzz/corpus/idx/ and tests/fuzz/corpus/npz/.

A few valid files and a few broken in one way each, small so that libFuzzer's mutations stay cheap.
Python's standard library only; deterministic (fixed zip timestamps, gzip mtime 0), so rerunning it
rewrites the same bytes.   usage: python3 tests/fuzz/make_corpus.py
"""
import gzip
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


# ---- IDX: 00 00 <type> <rank>, one big-endian uint32 per dimension, then the bytes ----
def idx(dims, data=None, type_byte=0x08):
    if data is None:
        n = 1
        for d in dims:
            n *= d
        data = bytes(i % 251 for i in range(n))
    return bytes([0, 0, type_byte, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


valid_images = idx([2, 3, 4])
write("idx", "labels_1d", idx([10]))
write("idx", "images_3d", valid_images)
write("idx", "rank4", idx([1, 2, 2, 2]))
write("idx", "images_3d.gz", gz(valid_images))
write("idx", "bad_magic", b"\x01" + valid_images[1:])
write("idx", "float_type", idx([4], bytes(16), type_byte=0x0D))
write("idx", "rank0", bytes([0, 0, 8, 0]))
write("idx", "rank5", idx([1, 1, 1, 1, 2]))
write("idx", "zero_dim", idx([3, 0], b""))
write("idx", "truncated_data", valid_images[:-5])
write("idx", "trailing_data", valid_images + b"extra")
write("idx", "truncated_header", valid_images[:9])
write("idx", "huge_dims", idx([65536, 65536, 65536], b""))
write("idx", "truncated.gz", gz(valid_images)[:-6])
write("idx", "trailing_garbage.gz", gz(valid_images) + b"garbage")
write("idx", "corrupt_crc.gz", gz(valid_images)[:-8] + b"\0\0\0\0" + gz(valid_images)[-4:])


# ---- .npz for the fuzz target's module: body.0 = Linear(3, 4), head = Linear(4, 2), buffer count (2, 2) ----
def npy(shape, descr="<f4", fortran=False, payload=None, header_tail=""):
    dims = "(" + "".join(f"{d}, " for d in shape).rstrip(", ") + ("," if len(shape) == 1 else "") + ")"
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {dims}, }}{header_tail}"
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    if payload is None:
        n = 1
        for d in shape:
            n *= d
        item = 8 if descr.endswith("8") else 4
        payload = bytes((i * 7) % 256 for i in range(n * item))
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def version_entry(version=1):
    return npy((), descr="<i4", payload=struct.pack("<i", version))


MODULE = {
    "body.0.weight": (4, 3),
    "body.0.bias": (4,),
    "head.weight": (2, 4),
    "head.bias": (2,),
    "count": (2, 2),
}


def entries(**changes):
    out = {name + ".npy": npy(shape) for name, shape in MODULE.items()}
    out["__tapegrad_format__.npy"] = version_entry()
    for name, data in changes.items():
        key = name.replace("__dot__", ".") + ".npy"
        if data is None:
            out.pop(key)
        else:
            out[key] = data
    return out


def npz(items):
    path = os.path.join(HERE, "corpus", ".tmp.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in items.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    with open(path, "rb") as f:
        data = f.read()
    os.remove(path)
    return data


valid = npz(entries())
write("npz", "valid.npz", valid)
write("npz", "valid_no_version.npz", npz(entries(__tapegrad_format__=None)))
write("npz", "version_2.npz", npz(entries(__tapegrad_format__=version_entry(2))))
write("npz", "wrong_shape.npz", npz(entries(head__dot__bias=npy((3,)))))
write("npz", "missing_entry.npz", npz(entries(count=None)))
write("npz", "extra_entry.npz", npz({**entries(), "extra.npy": npy((1,))}))
write("npz", "float64.npz", npz(entries(head__dot__bias=npy((2,), descr="<f8"))))
write("npz", "fortran_order.npz", npz(entries(head__dot__weight=npy((2, 4), fortran=True))))
write("npz", "short_payload.npz", npz(entries(count=npy((2, 2), payload=bytes(12)))))
write("npz", "header_trailing_text.npz", npz(entries(count=npy((2, 2), header_tail=" junk"))))
write("npz", "truncated.npz", valid[: len(valid) // 2])
write("npz", "corrupt_crc.npz", valid.replace(npy((2, 2))[-16:], bytes(16), 1))
local_name = valid.find(b"head.bias.npy")  # the first occurrence is the local header's copy of the name
write("npz", "local_name_differs.npz", valid[:local_name] + b"heaX" + valid[local_name + 4:])
write("npz", "not_a_zip", b"this is not a zip archive\n")
write("npz", "empty", b"")
