"""haqsim for Python: the simulators, sweeps, policies, searches and run directories of the
`haqsim` CLI as functions and DataFrames, for notebooks.

    import haqsim
    run = haqsim.simulate("arch-configs/bismo-edge.yaml", "mobilenet_v1", bits=4)
    run.layers[["name", "latency_ms", "energy_mj"]]     # layers.csv's columns
    run.summary["latency_ms"], run.summary["fits"]     # summary.json

    grid = haqsim.sweep("arch-configs/grids/bismo-edge-array.yaml", "mobilenet_v1", bits=8)
    grid.points.sort_values("energy_mj").head()        # sweep.csv's columns

    policy = haqsim.Policy.load("runs/search/policy.yaml")
    for episode in haqsim.search(..., target=0.6, out="runs/s"): ...

Bad input raises haqsim.InputError (a ValueError) with the CLI's message: the file, the line
or key, what was expected and what was found.
"""

from haqsim.errors import BackendUnavailable, InputError
from haqsim.policy import LayerBits, Policy
from haqsim.runs import CodesignRun, SearchRun, SimulateRun, SweepRun, load_run
from haqsim.search import Episode, Search, SearchFailed, search
from haqsim.simulation import merge, models, simulate, sweep

__all__ = [
    "BackendUnavailable", "CodesignRun", "Episode", "InputError", "LayerBits", "Policy",
    "Search", "SearchFailed", "SearchRun", "SimulateRun", "SweepRun", "load_run", "merge",
    "models", "search", "simulate", "sweep",
]
__version__ = "0.1.0"
