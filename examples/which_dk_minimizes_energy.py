#!/usr/bin/env python3
"""Which Dk minimizes energy for my policy?  A notebook-style script (each "# %%" is a cell).

BISMO's dot-product units AND and popcount Dk-bit words. A wide Dk means fewer words per dot
product, but every word of a short product (a depthwise layer's K is 9 taps; a pointwise layer's
K is its input channels) pads the rest of the word with zeros that are still fetched, stored and
popcounted -- so the Dk that minimizes energy depends on the network and on the policy's bits.
This takes a mixed-precision policy (by default the one `haqsim search` found for MobileNet-V1 on
bismo-edge at 0.6 x the 8-bit latency, results/search/), sweeps Dk with the analytic model at
224 x 224, keeps the arrays that fit the Zynq-7020 and shows where the energy goes per layer.

    PYTHONPATH=build/python python3 examples/which_dk_minimizes_energy.py [policy.yaml]
"""

# %% The policy and the hardware
import os
import sys
import tempfile

import pandas as pd

import haqsim

pd.set_option("display.width", 120)
ARCH = "arch-configs/bismo-edge.yaml"
policy_file = sys.argv[1] if len(sys.argv) > 1 else "results/search/v1-bismo-edge-latency-0.6/policy.yaml"
policy = haqsim.Policy.load(policy_file)
print(f"policy: {policy_file} ({policy.model}, {len(policy)} layers)")
print(policy.to_frame().groupby("kind")[["wbits", "abits"]].mean().round(2).to_string(), "\n")

# %% Sweep Dk (8 x 8 array, HAQ's edge shape): one grid file, five points
with tempfile.TemporaryDirectory() as tmp:
    grid = os.path.join(tmp, "dk.yaml")
    with open(grid, "w") as f:
        f.write(f"base: {os.path.abspath(ARCH)}\ngrid:\n  bismo:\n    dk: [32, 64, 128, 256, 512]\n")
    dk = haqsim.sweep(grid, policy.model, policy=policy, backend="analytic", jobs=2).points
columns = ["bismo.dk", "latency_ms", "energy_mj", "luts", "bram36", "fits"]
print("Dk sweep of an 8 x 8 array:")
print(dk[columns].to_string(index=False), "\n")

# %% The answer among the arrays that fit the device
fitting = dk[dk.fits]
best = fitting.loc[fitting.energy_mj.idxmin()]
base = dk[dk["bismo.dk"] == 256].iloc[0]
print(f"lowest energy that fits: Dk = {best['bismo.dk']:.0f}: {best.energy_mj:.3f} mJ, "
      f"{best.latency_ms:.3f} ms (Dk = 256: {base.energy_mj:.3f} mJ, {base.latency_ms:.3f} ms; "
      f"{base.energy_mj / best.energy_mj:.2f}x the energy)\n")

# %% Does the answer hold when the array's rows and columns may change too?
array = haqsim.sweep("arch-configs/grids/bismo-edge-array.yaml", policy.model, policy=policy,
                     backend="analytic", jobs=2).points
per_dk = (array[array.fits].sort_values("energy_mj").groupby("bismo.dk").head(1)
          .sort_values("bismo.dk"))
print("best fitting Dm x Dn per Dk (27-point grid):")
print(per_dk[["bismo.dm", "bismo.dn", "bismo.dk", "latency_ms", "energy_mj", "lut_fraction",
              "bram_fraction"]].to_string(index=False), "\n")

# %% Where the energy goes: per layer kind, at the best Dk against Dk = 256
rows = []
for value in (int(best["bismo.dk"]), 256):
    run = haqsim.simulate(ARCH, policy.model, policy=policy, config={"bismo.dk": value})
    by_kind = run.layers.groupby("kind")[["energy_compute_mj", "energy_buffer_mj",
                                          "energy_dram_mj", "energy_static_mj", "energy_mj"]].sum()
    by_kind.insert(0, "dk", value)
    rows.append(by_kind)
print("energy (mJ) per layer kind:")
print(pd.concat(rows).round(3).to_string())
