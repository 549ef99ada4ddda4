"""haqsim.simulate against `haqsim simulate`: the same per-layer rows and summary."""

import os

import pandas as pd
import pytest

import haqsim
from conftest import read_run

EDGE = "arch-configs/bismo-edge.yaml"


def test_layers_and_summary_equal_the_cli_files(tmp_path, haqsim_cli):
    haqsim_cli("simulate", "--arch", EDGE, "--model", "mobilenet_v1", "--resolution", 32,
               "--bits", 4, "--quiet", "--out", tmp_path / "cli")
    run = haqsim.simulate(EDGE, "mobilenet_v1", bits=4, resolution=32)
    layers, summary = read_run(tmp_path / "cli")
    pd.testing.assert_frame_equal(run.layers, layers)
    assert run.summary == summary
    assert list(run.layers.columns) == list(layers.columns)
    assert len(run.array_layers) == 28 and run.summary["layers"] == 28
    assert run.latency_ms == summary["latency_ms"] and run.energy_mj == summary["energy_mj"]
    assert "latency" in run.table and run.directory is None


def test_out_writes_the_cli_files_byte_for_byte(tmp_path, haqsim_cli):
    args = ["--arch", "arch-configs/bitfusion.yaml", "--model", "mobilenet_v2", "--resolution",
            32, "--wbits", 4, "--abits", 6, "--backend", "systemc", "--quiet"]
    haqsim_cli("simulate", *args, "--out", tmp_path / "cli")
    run = haqsim.simulate("arch-configs/bitfusion.yaml", "mobilenet_v2", wbits=4, abits=6,
                          resolution=32, backend="systemc", out=tmp_path / "py")
    for name in ("layers.csv", "summary.json"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    assert run.summary["bit_exact"] is True  # the cycle-accurate model checked every layer
    assert run.directory == os.fspath(tmp_path / "py")


def test_policy_object_file_and_uniform_agree(tmp_path):
    policy = haqsim.Policy.uniform("mobilenet_v1", 5)
    policy[3] = (2, 7)
    policy.save(tmp_path / "p.yaml")
    from_object = haqsim.simulate(EDGE, "mobilenet_v1", policy=policy, resolution=32)
    from_file = haqsim.simulate(EDGE, "mobilenet_v1", policy=tmp_path / "p.yaml", resolution=32)
    pd.testing.assert_frame_equal(from_object.layers, from_file.layers)
    assert list(from_object.array_layers.wbits) == policy.wbits
    assert from_object.array_layers.loc[3, "abits"] == 7
    # No policy is 8/8 everywhere, as the CLI's default.
    default = haqsim.simulate(EDGE, "mobilenet_v1", resolution=32)
    assert set(default.array_layers.wbits) == {8} and set(default.array_layers.abits) == {8}


def test_config_overrides_equal_an_edited_config(tmp_path, haqsim_cli):
    text = open(EDGE).read()
    assert "dk: 256 " in text
    (tmp_path / "edge-dk64.yaml").write_text(text.replace("dk: 256 ", "dk: 64 "))
    haqsim_cli("simulate", "--arch", tmp_path / "edge-dk64.yaml", "--model", "mobilenet_v1",
               "--resolution", 32, "--quiet", "--out", tmp_path / "cli")
    run = haqsim.simulate(EDGE, "mobilenet_v1", resolution=32, config={"bismo.dk": 64})
    layers, summary = read_run(tmp_path / "cli")
    pd.testing.assert_frame_equal(run.layers, layers)
    assert run.summary["total_cycles"] == summary["total_cycles"]
    assert run.summary["resources"] == summary["resources"]
    assert run.summary["arch"] == "bismo-edge [bismo.dk=64]"


def test_batch_figures_and_fit(tmp_path):
    run = haqsim.simulate("arch-configs/bismo-cloud.yaml", "mobilenet_v1", resolution=32)
    s = run.summary
    assert s["batch"] == 16 and s["fits"] is True
    assert s["images_per_s"] == pytest.approx(16 * 1000 / s["latency_ms"], rel=1e-12)
    assert s["ms_per_image"] == pytest.approx(s["latency_ms"] / 16, rel=1e-12)
    big = haqsim.simulate(EDGE, "mobilenet_v1", resolution=32,
                          config={"bismo.dm": 16, "bismo.dn": 16})
    assert big.fits is False
    assert big.summary["resources"]["bram36"]["used"] > big.summary["resources"]["bram36"]["budget"]


ONNX = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d_depthwise/model.onnx"


@pytest.mark.skipif(not os.path.exists(ONNX), reason="libonnx-testdata missing")
def test_onnx_model_goes_the_cli_path(tmp_path, haqsim_cli):
    haqsim_cli("simulate", "--arch", EDGE, "--onnx", ONNX, "--quiet", "--out", tmp_path / "cli")
    run = haqsim.simulate(EDGE, onnx=ONNX)
    layers, summary = read_run(tmp_path / "cli")
    pd.testing.assert_frame_equal(run.layers, layers)
    assert run.summary == summary
    # The graph's own dims, as the CLI: width= is refused, a batch contradicting its fixed one
    # too.
    with pytest.raises(haqsim.InputError, match="width"):
        haqsim.simulate(EDGE, onnx=ONNX, width=0.5)
    with pytest.raises(haqsim.InputError, match="batch"):
        haqsim.simulate(EDGE, onnx=ONNX, batch=3)


def test_resnet50_from_the_zoo():
    names = [m["name"] for m in haqsim.models()]
    assert names == ["mobilenet_v1", "mobilenet_v2", "resnet50"]
    run = haqsim.simulate(EDGE, "resnet50", resolution=32)
    assert len(run.array_layers) == 54
