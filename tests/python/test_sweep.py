"""haqsim.sweep and haqsim.merge against `haqsim sweep` and `haqsim merge`."""

import os

import pandas as pd

import haqsim


def write_grid(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"base: {os.path.abspath('arch-configs/bismo-edge.yaml')}\n"
                    "grid:\n  bismo:\n    dm: [4, 16]\n    dk: [64, 128, 256]\n")
    return grid


def test_sweep_writes_what_the_cli_writes(tmp_path, haqsim_cli):
    grid = write_grid(tmp_path)
    haqsim_cli("sweep", "--grid", grid, "--model", "mobilenet_v1", "--resolution", 32, "--bits",
               4, "--jobs", 1, "--quiet", "--out", tmp_path / "cli")
    run = haqsim.sweep(grid, "mobilenet_v1", bits=4, resolution=32, jobs=2, out=tmp_path / "py")
    for name in ("sweep.csv", "sweep.json"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    assert len(run.points) == 6 and run.parameters == ["bismo.dm", "bismo.dk"]
    assert run.points.fits.dtype == bool
    # Without out= the result is the same, from a temporary directory.
    in_memory = haqsim.sweep(grid, "mobilenet_v1", bits=4, resolution=32)
    pd.testing.assert_frame_equal(in_memory.points, run.points)
    assert in_memory.directory is None


def test_shards_merge_to_the_unsharded_sweep(tmp_path):
    grid = write_grid(tmp_path)
    whole = haqsim.sweep(grid, "mobilenet_v1", resolution=32, out=tmp_path / "whole")
    for i in range(3):
        part = haqsim.sweep(grid, "mobilenet_v1", resolution=32, shard=(i, 3),
                            out=tmp_path / "s" / f"shard-{i}")
        assert list(part.points.point) == [p for p in range(6) if p % 3 == i]
    merged = haqsim.merge([tmp_path / "s" / f"shard-{i}" for i in range(3)])
    assert merged.directory == os.fspath(tmp_path / "s")
    assert (tmp_path / "s" / "sweep.csv").read_bytes() == (tmp_path / "whole" / "sweep.csv").read_bytes()
    pd.testing.assert_frame_equal(merged.points, whole.points)


def test_sweep_matches_simulate_at_each_point(tmp_path):
    grid = write_grid(tmp_path)
    points = haqsim.sweep(grid, "mobilenet_v1", resolution=32).points
    row = points[(points["bismo.dm"] == 16) & (points["bismo.dk"] == 64)].iloc[0]
    run = haqsim.simulate("arch-configs/bismo-edge.yaml", "mobilenet_v1", resolution=32,
                          config={"bismo.dm": 16, "bismo.dk": 64})
    assert row.total_cycles == run.summary["total_cycles"]
    assert row.luts == round(run.summary["resources"]["luts"]["used"], 1)
    assert row.fits == run.summary["fits"]
