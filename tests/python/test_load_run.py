"""haqsim.load_run on every kind of run directory."""

import os

import haqsim

RECORDED = "results/search/v1-bismo-edge-latency-0.6"


def test_simulate_and_sweep_directories(tmp_path, haqsim_cli):
    haqsim_cli("simulate", "--arch", "arch-configs/bitfusion.yaml", "--model", "mobilenet_v1",
               "--resolution", 32, "--quiet", "--out", tmp_path / "sim")
    run = haqsim.load_run(tmp_path / "sim")
    assert isinstance(run, haqsim.SimulateRun) and run.kind == "simulate"
    assert len(run.array_layers) == 28 and run.summary["accelerator"] == "bitfusion"
    # The global pool runs on the host: its own row, no layer number, not in array_layers.
    host = run.layers[~run.layers.on_array]
    assert list(host.name) == ["avgpool"] and host.layer.isna().all()
    assert list(run.array_layers.index) == list(range(28))
    assert run.table is None
    haqsim_cli("sweep", "--grid", "arch-configs/grids/bismo-edge-array.yaml", "--model",
               "mobilenet_v1", "--resolution", 32, "--quiet", "--jobs", 1, "--shard", "1/9",
               "--out", tmp_path / "sweep")
    sweep = haqsim.load_run(tmp_path / "sweep")
    assert isinstance(sweep, haqsim.SweepRun)
    assert list(sweep.points.point) == [1, 10, 19] and sweep.info["shard"] == "1/9"


def test_a_recorded_search_directory():
    run = haqsim.load_run(RECORDED)
    assert isinstance(run, haqsim.SearchRun)
    assert run.info["model"] == "mobilenet_v1" and run.info["constraint"] == "latency"
    assert len(run.episodes) > 0 and {"episode", "kind", "accuracy", "policy"} <= set(run.episodes)
    assert run.comparison.method.iloc[0] == "8-bit"
    assert run.policy == haqsim.Policy.load(RECORDED + "/policy.yaml")
    assert len(run.found.array_layers) == 28 and len(run.reference_8bit.array_layers) == 28
    assert set(run.reference_8bit.array_layers.wbits) == {8}
    assert run.found.latency_ms < run.reference_8bit.latency_ms


def test_a_codesign_directory(tmp_path, haqsim_cli):
    # `codesign` needs the trained model (haqsim-learn); the smallest run that is still a run:
    # two points, analytic costs, the uniform policies as the searcher, few images.
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"base: {os.path.abspath('arch-configs/bismo-edge.yaml')}\n"
                    "grid:\n  bismo:\n    dk: [64, 256]\n")
    haqsim_cli("codesign", "--grid", grid, "--model", "mobilenet_v1", "--constraint", "latency",
               "--target", 0.8, "--min-bits", 6, "--method", "uniform", "--eval-images", 20,
               "--rerank-images", 0, "--test-images", 20, "--calibration-images", 32, "--quiet",
               "--cache-dir", tmp_path / "cache", "--out", tmp_path / "codesign")
    run = haqsim.load_run(tmp_path / "codesign")
    assert isinstance(run, haqsim.CodesignRun)
    assert list(run.points.point) == [0, 1] and run.front is not None
    assert set(run.points.status) <= {"searched", "does-not-fit", "budget-below-cheapest"}
