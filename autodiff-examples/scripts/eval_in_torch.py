#!/usr/bin/python3
"""Evaluates a model file of `autodiff train --save` in PyTorch, as the README shows.

Applies the preprocessing stored under the metadata key autodiff.preprocessing,
x = (raw * scale - mean) / std with raw the pixel as stored in the IDX file (0-255), to the
test split of an IDX data set, rebuilds the torch.nn.Sequential of Linear layers from the
tensors and prints the test accuracy, which should equal the one `autodiff eval` prints.
Run it by hand (CI has no PyTorch):

    ./autodiff train --dataset fashion-mnist --hidden 256 --batch 128 --epochs 5 --save fashion.safetensors
    ./autodiff eval fashion.safetensors
    /usr/bin/python3 autodiff-examples/scripts/eval_in_torch.py fashion.safetensors

Install: apt-get install -y python3-torch python3-numpy libopenblas0-pthread dataset-fashion-mnist
Debian has no package of the safetensors library; without it the script reads the file with
the few lines of read_safetensors below, which return what safetensors.torch.load_file and
safe_open(...).metadata() return.
"""
import argparse
import gzip
import json
import os
import struct

import numpy
import torch

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "gelu": torch.nn.GELU,
               "silu": torch.nn.SiLU, "leaky_relu": torch.nn.LeakyReLU}
DTYPES = {"F32": numpy.float32, "F64": numpy.float64, "F16": numpy.float16, "I64": numpy.int64, "I32": numpy.int32}


def read_safetensors(path):
    """The tensors and the metadata of a safetensors file (8-byte header length, JSON header, data)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = numpy.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def load(path):
    try:
        from safetensors import safe_open
        from safetensors.torch import load_file
        with safe_open(path, "pt") as f:
            return load_file(path), f.metadata()
    except ImportError:
        return read_safetensors(path)


def idx(path, header_bytes):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        return numpy.frombuffer(f.read()[header_bytes:], dtype=numpy.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--folder", default="/usr/share/datasets/fashion-mnist", help="the IDX folder")
    args = parser.parse_args()
    torch.set_num_threads(1)

    state, metadata = load(args.model)
    layers = sorted({int(name.split(".")[0]) for name in state})
    activation = ACTIVATIONS[metadata.get("model.activation", "relu")]
    modules = []
    for i, index in enumerate(layers):
        out_features, in_features = state[f"{index}.weight"].shape
        modules.append(torch.nn.Linear(in_features, out_features))
        if i + 1 < len(layers):
            modules.append(activation())
    model = torch.nn.Sequential(*modules)
    model.load_state_dict({f"{2 * i}.{kind}": state[f"{index}.{kind}"]
                           for i, index in enumerate(layers) for kind in ("weight", "bias")})

    # What the README's snippet does.
    p = json.loads(metadata["autodiff.preprocessing"])
    images = os.path.join(args.folder, "t10k-images-idx3-ubyte.gz")
    labels = os.path.join(args.folder, "t10k-labels-idx1-ubyte.gz")
    raw = torch.from_numpy(idx(images, 16).reshape(-1, 784).copy())
    y = torch.from_numpy(idx(labels, 8).astype(numpy.int64))
    x = (raw.float() * p["scale"] - torch.tensor(p["mean"])) / torch.tensor(p["std"])
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"{model_name(layers, state, metadata)} in PyTorch {torch.__version__} on {len(y)} test images: "
          f"accuracy {100 * accuracy:.2f}%")


def model_name(layers, state, metadata):
    sizes = [state[f"{layers[0]}.weight"].shape[1]] + [state[f"{i}.weight"].shape[0] for i in layers]
    return "-".join(map(str, sizes)) + " " + metadata.get("model.activation", "relu")


if __name__ == "__main__":
    main()
