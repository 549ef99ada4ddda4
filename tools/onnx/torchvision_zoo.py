#!/usr/bin/python3
"""Exports torchvision's classification zoo to ONNX and checks haqsim's import of every file.

For every model torchvision lists (random weights, weights=None) and every opset asked for:
  1. PyTorch counts the model's multiply-accumulates and the weights of its conv and matmul
     operands itself, by running one image under a TorchDispatchMode that sees every aten
     convolution / mm / addmm / bmm / baddbmm the forward pass executes (module forward hooks
     would miss the functional linear layers inside attention), cached in WORK/<model>.json;
  2. torch.onnx.export writes WORK/<model>_op<N>.onnx (batch as a symbolic dimension, as
     exporting for deployment usually does);
  3. `haqsim simulate --onnx FILE --backend analytic` imports and costs it; its summary.json
     gives the layers, MACs and weights haqsim counted, and the wall time is measured;
  4. files above --keep-mb are deleted again (the whole zoo at three opsets is ~50 GB).

Rows are appended to OUT/torchvision.csv as they finish (a rerun skips rows already there,
unless --redo), and OUT/torchvision.md is rewritten from the CSV at the end.

Usage: tools/onnx/torchvision_zoo.py --haqsim build/bin/haqsim --work /tmp/tv --out results/onnx
       [--models resnet18,mobilenet_v2] [--opsets 11,13,17] [--keep-mb 200] [--redo]
Exit code: 0 when every row imported with exact MACs and weights, 1 otherwise, 2 on bad usage,
77 when python3-torch or python3-torchvision is not installed (CTest's skip code).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

COLUMNS = [
    "model", "opset", "imported", "reason", "layers", "array_layers", "host_layers",
    "haqsim_macs", "pytorch_macs", "macs_equal", "haqsim_weights", "pytorch_weights",
    "weights_equal", "pytorch_parameters", "analytic_seconds", "export_seconds", "onnx_mb",
]

# Input resolution per model: inception_v3 is defined for 299x299, everything else takes 224.
RESOLUTION = {"inception_v3": 299}


def count_macs_and_weights(torch, model, x):
    """MACs, weight elements and array operations of one forward pass, as PyTorch executes it:
    a TorchDispatchMode sees every aten convolution / mm / addmm / bmm / baddbmm (module forward
    hooks would miss the functional linear layers inside attention); a weight is an operand
    whose storage is one of the model's parameters, counted once."""
    from torch.utils._python_dispatch import TorchDispatchMode

    aten = torch.ops.aten

    def storage_of(t):
        try:
            return t.untyped_storage().data_ptr()
        except AttributeError:
            return t.storage().data_ptr()

    param_storages = {storage_of(p) for p in model.parameters()}

    class Counter(TorchDispatchMode):
        def __init__(self):
            super().__init__()
            self.macs = 0
            self.ops = 0
            self.weights = {}

        def weight(self, t):
            if storage_of(t) in param_storages:
                self.weights[(storage_of(t), t.storage_offset(), t.numel())] = t.numel()

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            packet = func.overloadpacket
            if packet == aten.convolution:
                w = args[1]
                taps = 1
                for d in w.shape[2:]:
                    taps *= d
                self.macs += out.numel() * w.shape[1] * taps
                self.weight(w)
                self.ops += 1
            elif packet in (aten.mm, aten.addmm):
                a, b = (args[0], args[1]) if packet == aten.mm else (args[1], args[2])
                self.macs += a.shape[0] * a.shape[1] * b.shape[1]
                self.weight(a)
                self.weight(b)
                self.ops += 1
            elif packet in (aten.bmm, aten.baddbmm):
                a, b = (args[0], args[1]) if packet == aten.bmm else (args[1], args[2])
                self.macs += a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]
                self.weight(a)
                self.weight(b)
                self.ops += 1
            return out

    counter = Counter()
    # Autograd on: with it off, nn.MultiheadAttention takes its fused fast path, one aten op
    # whose matrix products the dispatch mode would not see.
    with torch.enable_grad(), counter:
        model(x)
    return int(counter.macs), int(sum(counter.weights.values())), counter.ops


def pytorch_counts(torch, torchvision, name, resolution):
    """PyTorch's own counts for one image of a torchvision model, and the model."""
    model = torchvision.models.get_model(name, weights=None).eval()
    macs, weights, ops = count_macs_and_weights(torch, model,
                                                torch.randn(1, 3, resolution, resolution))
    return {
        "macs": macs,
        "weights": weights,
        "array_ops": ops,
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "resolution": resolution,
    }, model


def export(torch, model, path, opset, resolution):
    x = torch.randn(1, 3, resolution, resolution)
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"],
                      output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def run_haqsim(haqsim, arch, path):
    with tempfile.TemporaryDirectory(prefix="haqsim-onnx-") as out:
        started = time.monotonic()
        proc = subprocess.run(
            [haqsim, "simulate", "--onnx", path, "--arch", arch, "--bits", "8", "--backend",
             "analytic", "--quiet", "--out", out],
            capture_output=True, text=True)
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            reason = " ".join(proc.stderr.strip().split())
            return None, seconds, reason or f"exit code {proc.returncode}"
        with open(os.path.join(out, "summary.json")) as f:
            return json.load(f), seconds, ""


def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_markdown(rows, path, command):
    ok = [r for r in rows if r["imported"] == "yes"]
    exact = [r for r in ok if r["macs_equal"] == "yes" and r["weights_equal"] == "yes"]
    lines = [
        "# torchvision 0.14 classification models through haqsim's ONNX import",
        "",
        f"Generated by `{command}`.",
        "",
        f"{len(rows)} exports, {len(ok)} imported, {len(exact)} with MACs and weights equal to "
        "PyTorch's own count (one image; weights: elements of the conv/matmul weight operands, "
        "biases and normalization parameters excluded; parameters: every PyTorch parameter).",
        "",
        "| model | opset | imported | layers (array + host) | MACs haqsim | MACs PyTorch | "
        "weights haqsim | weights PyTorch | parameters PyTorch | analytic s | reason |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        layers = (f"{r['layers']} ({r['array_layers']} + {r['host_layers']})"
                  if r["imported"] == "yes" else "")
        mark = lambda equal: "" if r["imported"] != "yes" else ("" if equal == "yes" else " ≠")
        lines.append(
            f"| {r['model']} | {r['opset']} | {r['imported']} | {layers} | "
            f"{r['haqsim_macs']}{mark(r['macs_equal'])} | {r['pytorch_macs']} | "
            f"{r['haqsim_weights']}{mark(r['weights_equal'])} | {r['pytorch_weights']} | "
            f"{r['pytorch_parameters']} | {r['analytic_seconds']} | {r['reason']} |")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--haqsim", required=True)
    parser.add_argument("--arch", default="arch-configs/bismo-edge.yaml")
    parser.add_argument("--work", required=True, help="directory for exports and counts")
    parser.add_argument("--out", required=True, help="directory for torchvision.csv/.md")
    parser.add_argument("--models", default="", help="comma-separated (default: all)")
    parser.add_argument("--opsets", default="11,13,17")
    parser.add_argument("--keep-mb", type=float, default=200.0,
                        help="keep exports up to this size for reruns (MB)")
    parser.add_argument("--redo", action="store_true", help="recompute rows already in the CSV")
    parser.add_argument("--export-only", action="store_true",
                        help="only count and export (files up to --keep-mb), no haqsim, no rows")
    args = parser.parse_args()
    try:
        import torch
        import torchvision
    except ImportError as e:
        print(f"torchvision_zoo: skipped: needs python3-torch and python3-torchvision ({e}); "
              "tools/setup.sh --optional installs them", file=sys.stderr)
        return 77
    torch.set_num_threads(1)
    names = args.models.split(",") if args.models else torchvision.models.list_models(
        module=torchvision.models)
    opsets = [int(o) for o in args.opsets.split(",")]
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    csv_path = os.path.join(args.out, "torchvision.csv")
    rows = read_rows(csv_path)
    done = {(r["model"], r["opset"]) for r in rows}
    if args.redo:
        rows = [r for r in rows if not (r["model"] in names and int(r["opset"]) in opsets)]
        done = {(r["model"], r["opset"]) for r in rows}
    for name in names:
        todo = [o for o in opsets if (name, str(o)) not in done]
        if not todo:
            continue
        resolution = RESOLUTION.get(name, 224)
        counts_path = os.path.join(args.work, f"{name}.json")
        model = None
        if os.path.exists(counts_path):
            with open(counts_path) as f:
                counts = json.load(f)
        else:
            counts, model = pytorch_counts(torch, torchvision, name, resolution)
            with open(counts_path, "w") as f:
                json.dump(counts, f)
        for opset in todo:
            path = os.path.join(args.work, f"{name}_op{opset}.onnx")
            row = {c: "" for c in COLUMNS}
            row.update(model=name, opset=opset, pytorch_macs=counts["macs"],
                       pytorch_weights=counts["weights"],
                       pytorch_parameters=counts["parameters"])
            export_seconds = 0.0
            if not os.path.exists(path):
                if model is None:
                    model = torchvision.models.get_model(name, weights=None).eval()
                started = time.monotonic()
                try:
                    export(torch, model, path, opset, resolution)
                except Exception as e:  # the exporter's own refusal: recorded, not fatal
                    row.update(imported="no", reason="export failed: " + " ".join(
                        str(e).split())[:300])
                    rows.append(row)
                    print(f"{name} opset {opset}: export failed", flush=True)
                    continue
                export_seconds = time.monotonic() - started
            if args.export_only:
                size = sum(os.path.getsize(os.path.join(args.work, f))
                           for f in os.listdir(args.work) if f.startswith(os.path.basename(path)))
                if size / 1e6 > args.keep_mb:
                    for f in os.listdir(args.work):
                        if f.startswith(os.path.basename(path)):
                            os.remove(os.path.join(args.work, f))
                print(f"{name} opset {opset}: exported in {export_seconds:.1f} s", flush=True)
                continue
            size_mb = sum(os.path.getsize(os.path.join(args.work, f))
                          for f in os.listdir(args.work)
                          if f == os.path.basename(path) or f.startswith(
                              os.path.basename(path) + ".")) / 1e6
            summary, seconds, reason = run_haqsim(args.haqsim, args.arch, path)
            row.update(export_seconds=f"{export_seconds:.1f}", onnx_mb=f"{size_mb:.1f}",
                       analytic_seconds=f"{seconds:.2f}")
            if summary is None:
                row.update(imported="no", reason=reason[:400])
            else:
                macs = summary["total_macs"] // summary["batch"]
                weights = summary["weights"]
                row.update(imported="yes", layers=summary["layers"] + summary["host_layers"],
                           array_layers=summary["layers"], host_layers=summary["host_layers"],
                           haqsim_macs=macs, haqsim_weights=weights,
                           macs_equal="yes" if macs == counts["macs"] else "no",
                           weights_equal="yes" if weights == counts["weights"] else "no")
            rows.append(row)
            print(f"{name} opset {opset}: {row['imported']} {row['haqsim_macs']} vs "
                  f"{row['pytorch_macs']} MACs, {row['analytic_seconds']} s {row['reason'][:120]}",
                  flush=True)
            if size_mb > args.keep_mb:
                for f in os.listdir(args.work):
                    if f == os.path.basename(path) or f.startswith(os.path.basename(path) + "."):
                        os.remove(os.path.join(args.work, f))
            with open(csv_path + ".tmp", "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=COLUMNS)
                writer.writeheader()
                writer.writerows(rows)
            os.replace(csv_path + ".tmp", csv_path)
        model = None
    order = {n: i for i, n in enumerate(torchvision.models.list_models(module=torchvision.models))}
    rows.sort(key=lambda r: (order.get(r["model"], len(order)), int(r["opset"])))
    with open(csv_path + ".tmp", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(csv_path + ".tmp", csv_path)
    write_markdown(rows, os.path.join(args.out, "torchvision.md"),
                   "tools/onnx/torchvision_zoo.py " + " ".join(sys.argv[1:]))
    bad = [r for r in rows if r["imported"] != "yes" or r["macs_equal"] != "yes"
           or r["weights_equal"] != "yes"]
    print(f"{len(rows) - len(bad)} of {len(rows)} exports imported with exact MACs and weights")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
