#!/usr/bin/env python3
"""Evaluates a model saved by MlpClassificationModel.save in PyTorch on Fashion-MNIST's test split.

    python3 autodiff-spark/scripts/torch_eval.py MODEL_DIR/data/model.safetensors [INPUT_SCALE [FOLDER]]

Rebuilds the torch.nn.Sequential from the file's metadata (model.inputs, model.hidden,
model.activation, model.classes), loads the state dict strictly, and prints the accuracy
on the test images of FOLDER (/usr/share/datasets/fashion-mnist). The model's input is
what the training DataFrame's features column held: INPUT_SCALE times the raw pixels
(0.00392156862745098 = 1/255 for the benchmark's DataFrame; default 1), then the stored
preprocessing x = (raw * scale - mean) / std (identity unless the model was trained with
standardization). Reads the file with the safetensors package when it is installed, otherwise
with the few lines below (the format is an 8-byte header length, a JSON header, raw data).
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])
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


ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
               "gelu": torch.nn.GELU, "silu": torch.nn.SiLU, "leaky_relu": torch.nn.LeakyReLU}


def build(meta):
    hidden = [int(h) for h in meta["model.hidden"].split(",") if h]
    sizes = [int(meta["model.inputs"])] + hidden + [int(meta["model.classes"])]
    layers = []
    for i in range(len(sizes) - 1):
        if i > 0:
            layers.append(ACTIVATIONS[meta["model.activation"]]())
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    return torch.nn.Sequential(*layers)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    model_file = sys.argv[1]
    input_scale = np.float32(sys.argv[2]) if len(sys.argv) > 2 else np.float32(1)
    folder = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    state, meta = load(model_file)
    model = build(meta)
    model.load_state_dict(state, strict=True)
    model.eval()
    p = json.loads(meta["autodiff.preprocessing"])
    raw = idx(folder + "/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) * input_scale
    labels = idx(folder + "/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    x = (raw * np.float32(p["scale"]) - np.asarray(p["mean"], np.float32)) / np.asarray(p["std"], np.float32)
    with torch.no_grad():
        predicted = model(torch.from_numpy(x)).argmax(1).numpy()
    print(f"{model_file}: {model}")
    print(f"PyTorch {torch.__version__}: test accuracy {100 * (predicted == labels).mean():.2f}% on {len(labels)} images")


if __name__ == "__main__":
    main()
