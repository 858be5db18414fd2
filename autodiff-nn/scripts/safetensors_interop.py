#!/usr/bin/env python3
"""Loads a safetensors checkpoint written by autodiff-nn into the same MLP in PyTorch.

Run with Debian's PyTorch 1.13 (apt-get install python3-torch):
    /usr/bin/python3 autodiff-nn/scripts/safetensors_interop.py

It reads src/test/resources/interop/mlp.safetensors (written by the Java test
dev.autodiff.nn.CheckpointInteropTest; after changing the model there, copy
autodiff-nn/target/interop/mlp.safetensors over it) with nothing but struct and json,
loads it with load_state_dict(strict=True) into the architecture below, runs the fixed
inputs in eval mode and writes the outputs to src/test/resources/interop/mlp_outputs.csv
(one row per input, repr() of each float32 value).
"""
import json
import os
import struct

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "src", "test", "resources", "interop")

INPUTS = [[0.5, -1.0, 2.0, 0.25],
          [-1.5, 0.75, 0.0, 1.0],
          [2.0, 2.0, -0.5, -1.25],
          [0.1, -0.2, 0.3, -0.4],
          [-3.0, 1.0, 1.5, 0.5]]

DTYPES = {"F32": ("f", 4, torch.float32), "F64": ("d", 8, torch.float64),
          "I64": ("q", 8, torch.int64), "I32": ("i", 4, torch.int32)}


def read_safetensors(path):
    """The tensors of a safetensors file by name, and its metadata, from the raw bytes."""
    with open(path, "rb") as f:
        raw = f.read()
    (header_len,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + header_len].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = raw[8 + header_len:]
    tensors = {}
    for name, info in header.items():
        code, size, dtype = DTYPES[info["dtype"]]
        start, end = info["data_offsets"]
        count = (end - start) // size
        values = struct.unpack_from("<%d%s" % (count, code), data, start)
        tensors[name] = torch.tensor(values, dtype=dtype).reshape(info["shape"])
    return tensors, metadata


def model():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 8), nn.LayerNorm(8), nn.GELU(),
                         nn.Linear(8, 3))


def main():
    tensors, metadata = read_safetensors(os.path.join(RESOURCES, "mlp.safetensors"))
    assert metadata.get("format") == "pt", metadata
    net = model()
    net.load_state_dict(tensors, strict=True)
    net.eval()
    with torch.no_grad():
        out = net(torch.tensor(INPUTS, dtype=torch.float32))
    path = os.path.join(RESOURCES, "mlp_outputs.csv")
    with open(path, "w") as f:
        f.write("# outputs of the interop MLP in torch " + torch.__version__ + " (scripts/safetensors_interop.py)\n")
        for row in out.tolist():
            f.write(",".join(repr(v) for v in row) + "\n")
    print("loaded", len(tensors), "tensors:", ", ".join(tensors), "; wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
