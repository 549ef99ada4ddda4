"""haqsim.simulate, haqsim.sweep and haqsim.merge: the CLI's commands as functions returning
DataFrames. They run in this process through haqsim's C++ core (no libtorch), with the CLI's
checks and error messages, and write the CLI's files when given `out`.
"""

import os
import tempfile

from haqsim import _arguments as arguments
from haqsim._core_loader import core
from haqsim.errors import argument_error
from haqsim.runs import SimulateRun, SweepRun, load_run


def simulate(arch, model=None, *, onnx=None, policy=None, bits=None, wbits=None, abits=None,
             backend="analytic", resolution=None, classes=None, width=None, batch=None,
             config=None, operands="random", seed=1, out=None):
    """`haqsim simulate`: every quantizable layer of a network on one accelerator instance.

    arch:      the instance's YAML (arch-configs/...)
    model:     a zoo network (haqsim.models()), or onnx= a float ONNX model (its input shape
               sets resolution, channels and classes; given ones bind its symbolic dims, as
               `simulate --onnx` does)
    policy:    a haqsim.Policy or a policy file; or bits= (uniform), or wbits= with abits=;
               8/8 on every layer when none is given
    backend:   "analytic" (closed form), "systemc" (cycle-accurate) or "rtl" (verilated core)
    resolution, classes, width, batch: the network instance (None: 224, 1000, 1.0 and the
               config's batch for a zoo network; the graph's own for an ONNX one)
    config:    {"bismo.dk": 128, ...}: config keys with other values, as a sweep point has them
    operands:  with systemc/rtl, "random" (seeded operands per layer) or "network" (the whole
               quantized network end to end, checked against the integer reference)
    out:       also write OUT/layers.csv and OUT/summary.json

    Returns a SimulateRun: .layers (DataFrame, the columns of layers.csv), .summary (dict,
    summary.json), .table (the terminal table). Raises haqsim.InputError on bad input.
    """
    network = arguments.network(model, onnx, resolution, classes, width, batch)
    policy_argument = arguments.policy(policy, bits, wbits, abits, model)
    overrides = []
    for key, value in (config or {}).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        overrides.append((str(key), str(value)))
    texts = core.simulate(arch=os.fspath(arch), overrides=overrides, network=network,
                          policy=policy_argument, backend=arguments.backend(backend),
                          operands=operands, seed=seed, out=arguments.path_or_empty(out))
    return SimulateRun.from_texts(texts["csv"], texts["summary"],
                                  directory=os.fspath(out) if out else None, table=texts["table"])


def sweep(grid, model, *, policy=None, bits=None, wbits=None, abits=None, backend="analytic",
          resolution=None, classes=None, width=None, batch=None, jobs=1, shard=None, out=None,
          progress=False):
    """`haqsim sweep`: one network at one policy over every point of a grid file.

    grid:   a grid YAML (arch-configs/grids/...): a base config and values for some of its keys
    jobs:   worker processes running points at once (forked; SystemC has one context per process)
    shard:  "I/N" or (I, N): only the points p with p % N == I (join shards with haqsim.merge)
    out:    the directory for sweep.csv and sweep.json (None: a temporary one, removed after)
    progress: print the CLI's progress line to stderr
    The other arguments are simulate()'s. Returns a SweepRun (.points, .info).
    """
    if not isinstance(model, str):
        raise argument_error("model", "a zoo network name (sweeps take no ONNX model)", repr(model))
    network = arguments.network(model, None, resolution, classes, width, batch)
    policy_argument = arguments.policy(policy, bits, wbits, abits, model)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise argument_error("jobs", "an integer >= 1", repr(jobs))

    def run(directory):
        core.sweep(grid=os.fspath(grid), network=network, policy=policy_argument,
                   backend=arguments.backend(backend), jobs=jobs, shard=arguments.shard(shard),
                   out=directory, progress=progress)
        return SweepRun.load(directory)

    if out is not None:
        return run(os.fspath(out))
    with tempfile.TemporaryDirectory(prefix="haqsim-sweep-") as directory:
        result = run(directory)
        result.directory = None
        return result


def merge(dirs, out=None):
    """`haqsim merge`: joins shard directories of one sweep (or codesign run) into OUT (default:
    their common parent directory), byte for byte what the unsharded run writes; returns the
    merged run."""
    dirs = [os.fspath(d) for d in dirs]
    if out is None:
        parents = {os.path.dirname(os.path.abspath(d)) for d in dirs}
        if len(parents) != 1:
            raise argument_error("out", "out=, as the shard directories have no common parent",
                                 "none")
        out = parents.pop()
    core.merge(dirs=dirs, out=os.fspath(out))
    return load_run(out)


def models():
    """The model zoo: a list of {"name", "description"}."""
    return core.zoo()
