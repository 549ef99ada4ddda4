#!/usr/bin/python3
"""Trains a small CNN on Fashion-MNIST with PyTorch, exports it to ONNX and writes the dataset as
NumPy arrays, for `haqsim search --onnx MODEL --dataset DIR`: a user's own model and data, as
haqsim sees them (nothing of it is the zoo's).

The network -- conv + BatchNorm + ReLU, a residual block, max pooling, two branches joined by a
channel Concat, a strided conv, global average pooling and a linear classifier -- uses only layers
the integer reference runs, so the search measures accuracy on the quantized model. Inputs are
pixel / 255 (haqsim feeds an imported model its images that way: normalization mean 0, std 1).

usage: tools/onnx/train_fashion_mnist.py OUT_DIR [--epochs 1] [--threads 1]
writes OUT_DIR/small_cnn.onnx (opset 13, symbolic batch), OUT_DIR/data/{train,test}_{images,
labels}.npy and OUT_DIR/training.json (accuracy per epoch, time)."""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU())
        self.res = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16))
        self.branch_a = nn.Sequential(nn.Conv2d(16, 16, 1, bias=False), nn.BatchNorm2d(16),
                                      nn.ReLU())
        self.branch_b = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(16), nn.ReLU())
        self.down = nn.Sequential(nn.Conv2d(32, 48, 3, stride=2, padding=1, bias=False),
                                  nn.BatchNorm2d(48), nn.ReLU())
        self.head = nn.Linear(48, 10)

    def forward(self, x):
        x = self.stem(x)
        x = F.relu(x + self.res(x))
        x = F.max_pool2d(x, 2)
        x = torch.cat([self.branch_a(x), self.branch_b(x)], dim=1)
        x = self.down(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(x)


def accuracy(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(images), 1000):
            x = torch.from_numpy(images[i:i + 1000]).float().unsqueeze(1) / 255.0
            correct += (model(x).argmax(1).numpy() == labels[i:i + 1000]).sum()
    return float(correct) / len(images)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    train_x = read_idx(f"{FASHION_MNIST}/train-images-idx3-ubyte.gz")
    train_y = read_idx(f"{FASHION_MNIST}/train-labels-idx1-ubyte.gz").astype(np.int64)
    test_x = read_idx(f"{FASHION_MNIST}/t10k-images-idx3-ubyte.gz")
    test_y = read_idx(f"{FASHION_MNIST}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    os.makedirs(os.path.join(a.out_dir, "data"), exist_ok=True)
    model = SmallCnn()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = a.epochs * (len(train_x) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    started = time.monotonic()
    history = []
    for epoch in range(a.epochs):
        model.train()
        order = np.random.default_rng(epoch).permutation(len(train_x))
        for i in range(0, len(order) - 127, 128):
            idx = order[i:i + 128]
            x = torch.from_numpy(train_x[idx]).float().unsqueeze(1) / 255.0
            y = torch.from_numpy(train_y[idx])
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
            sched.step()
        history.append({"epoch": epoch + 1, "test_top1": accuracy(model, test_x, test_y),
                        "seconds": time.monotonic() - started})
        print(json.dumps(history[-1]), flush=True)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), os.path.join(a.out_dir, "small_cnn.onnx"),
                      opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    for split, (x, y) in {"train": (train_x, train_y), "test": (test_x, test_y)}.items():
        np.save(os.path.join(a.out_dir, "data", f"{split}_images.npy"), x)
        np.save(os.path.join(a.out_dir, "data", f"{split}_labels.npy"), y)
    with open(os.path.join(a.out_dir, "training.json"), "w") as f:
        json.dump({"model": "small_cnn", "dataset": FASHION_MNIST, "input": "pixel / 255, 28x28x1",
                   "epochs": a.epochs, "history": history, "torch": torch.__version__}, f,
                  indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
