#!/usr/bin/python3
"""Writes the small ONNX models the regular test suite imports (tests/models/onnx/): tiny
PyTorch networks that use what real exports contain -- squeeze-excitation (GlobalAveragePool,
Conv, HardSigmoid, Mul), SiLU and HardSwish, ReLU6 as Clip with Constant bounds, channel shuffle
(Reshape, Transpose), Concat, MaxPool with ceil_mode, AveragePool with and without
count_include_pad, dilated, 1x7 / 7x1 and rectangular-stride convolutions, a non-square input,
BatchNormalization after a Concat, and an attention block (patch embedding, class token,
position embedding, LayerNorm, multi-head attention, GELU MLP) -- exported by torch.onnx at
opsets 11, 13 and 17 with random weights. Each model comes with PyTorch's output for one input
(input_0.pb / output_0.pb, ONNX's test-data format) and PyTorch's own count of MACs and conv /
matmul weights (counts.json), which the tests compare haqsim's import against.

usage: tools/onnx/make_test_models.py OUT_DIR   (the committed files: tests/models/onnx)"""

import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torchvision_zoo import count_macs_and_weights  # noqa: E402


class SqueezeExcite(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // r, 1)
        self.fc2 = nn.Conv2d(c // r, c, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.relu(self.fc1(s))
        return x * F.hardsigmoid(self.fc2(s))


class MixedCnn(nn.Module):
    """Convolutions of every geometry and the host layers of MobileNet-V3, EfficientNet,
    ShuffleNet, Inception and DenseNet, on a 28 x 36 input."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False),
                                  nn.BatchNorm2d(16), nn.Hardswish())
        self.dw = nn.Sequential(nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
                                nn.BatchNorm2d(16), nn.ReLU6())
        self.se = SqueezeExcite(16)
        self.dilated = nn.Conv2d(16, 16, 3, padding=2, dilation=2)
        self.row = nn.Conv2d(8, 8, (1, 7), padding=(0, 3))
        self.col = nn.Conv2d(8, 8, (7, 1), padding=(3, 0))
        self.rect = nn.Conv2d(16, 24, (3, 3), stride=(2, 1), padding=(1, 1))
        self.bn = nn.BatchNorm2d(48)
        self.head = nn.Linear(48, 10)

    def forward(self, x):
        x = self.stem(x)
        x = self.se(self.dw(x))
        x = self.dilated(x)
        x = x * torch.sigmoid(x)  # SiLU as exported
        # channel shuffle of two groups
        n, c, h, w = x.shape
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        a, b = x.chunk(2, dim=1)
        a = self.col(self.row(a))
        x = torch.cat([a, b], dim=1)
        x = F.max_pool2d(x, 3, stride=2, ceil_mode=True)
        y = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        z = F.avg_pool2d(x, 3, stride=1, padding=1)
        x = self.rect(x + y - z)
        x = torch.cat([x, F.relu(x)], dim=1)
        x = F.relu(self.bn(x))  # a BatchNorm after a Concat (DenseNet's)
        x = x.mean(dim=(2, 3))
        return self.head(x)


class TinyViT(nn.Module):
    """A one-block vision transformer on 16 x 16 inputs: patch embedding, class token,
    position embedding, pre-norm multi-head attention and a GELU MLP."""

    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 4, stride=4)
        self.cls = nn.Parameter(torch.randn(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, 17, dim))
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        x = x + self.mlp(self.norm2(x))
        return torch.softmax(self.head(x[:, 0]), dim=-1)


class DynamicCnn(nn.Module):
    """A small CNN exported with symbolic batch, height and width (for --resolution)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def tensor_file(array, path):
    import onnx.numpy_helper
    with open(path, "wb") as f:
        f.write(onnx.numpy_helper.from_array(array.detach().numpy()).SerializeToString())


def main():
    out_dir = sys.argv[1]
    torch.manual_seed(19)
    models = {
        "mixed_cnn": (MixedCnn(), (1, 3, 28, 36), {"input": {0: "batch"}, "logits": {0: "batch"}}),
        "tiny_vit": (TinyViT(), (1, 3, 16, 16), {"input": {0: "batch"}, "logits": {0: "batch"}}),
        "dynamic_cnn": (DynamicCnn(), (1, 1, 20, 20),
                        {"input": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}}),
    }
    counts = {}
    for name, (model, shape, axes) in models.items():
        model.eval()
        for m in model.modules():  # give the BatchNorms statistics other than the identity
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)
        x = torch.randn(*shape)
        with torch.no_grad():
            y = model(x)
        macs, weights, _ = count_macs_and_weights(torch, model, x)
        counts[name] = {"macs": macs, "weights": weights, "input": list(shape)}
        tensor_file(x, os.path.join(out_dir, f"{name}_input_0.pb"))
        tensor_file(y, os.path.join(out_dir, f"{name}_output_0.pb"))
        for opset in (11, 13, 17):
            torch.onnx.export(model, x, os.path.join(out_dir, f"{name}_op{opset}.onnx"),
                              opset_version=opset, input_names=["input"],
                              output_names=["logits"], dynamic_axes=axes)
    with open(os.path.join(out_dir, "counts.json"), "w") as f:
        json.dump(counts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
