"""Bad input raises haqsim.InputError (a ValueError) with the CLI's message: the file, the line
or key, what was expected and what was found -- the very text `haqsim` prints after
"haqsim: error: " for the same input, because the same C++ check raises it."""

import os

import pytest

import haqsim
from conftest import cli_error

EDGE = "arch-configs/bismo-edge.yaml"


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_malformed_config_raises_the_cli_message(tmp_path, haqsim_cli):
    text = open(EDGE).read()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("dm: 8 ", "dm: eight "))
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.simulate(bad, "mobilenet_v1", resolution=32, out=tmp_path / "run")
    e = raised.value
    assert isinstance(e, ValueError)
    assert e.file == str(bad)
    assert e.line == line_of(text, "dm: 8 ")
    assert e.key == "bismo.dm"
    assert "eight" in e.found and e.expected
    assert str(e).startswith(f"{bad}:{e.line}: key 'bismo.dm': expected ")
    cli = haqsim_cli("simulate", "--arch", bad, "--model", "mobilenet_v1", "--out",
                     tmp_path / "cli", check=False)
    assert cli.returncode == 2
    assert str(e) == cli_error(cli)
    assert not (tmp_path / "run").exists()  # no partial output, as the CLI


def test_malformed_policy_and_grid_raise_the_cli_messages(tmp_path, haqsim_cli):
    policy = tmp_path / "p.yaml"
    policy.write_text("model: mobilenet_v1\nlayers:\n  - {layer: 0, wbits: 9, abits: 8}\n")
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.simulate(EDGE, "mobilenet_v1", policy=policy)
    cli = haqsim_cli("simulate", "--arch", EDGE, "--model", "mobilenet_v1", "--policy", policy,
                     "--out", tmp_path / "cli", check=False)
    assert str(raised.value) == cli_error(cli)
    assert raised.value.file == str(policy) and raised.value.key == "layers"
    with pytest.raises(haqsim.InputError) as loaded:
        haqsim.Policy.load(policy)
    assert str(loaded.value) == str(raised.value)

    grid = tmp_path / "grid.yaml"
    grid.write_text(f"base: {os.path.abspath(EDGE)}\ngrid:\n  bismo:\n    dk: [64, 100]\n")
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.sweep(grid, "mobilenet_v1", resolution=32)
    cli = haqsim_cli("sweep", "--grid", grid, "--model", "mobilenet_v1", "--out",
                     tmp_path / "cli-sweep", check=False)
    assert cli.returncode == 2
    assert str(raised.value) == cli_error(cli)
    assert raised.value.line == 4 and raised.value.key == "grid.bismo.dk"


def test_unknown_model_and_unbuilt_rtl_shape(tmp_path, haqsim_cli):
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.simulate(EDGE, "lenet")
    cli = haqsim_cli("simulate", "--arch", EDGE, "--model", "lenet", "--out", tmp_path / "x",
                     check=False)
    assert str(raised.value).replace("argument", "command line", 1) == cli_error(cli)
    assert "mobilenet_v1" in str(raised.value)
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.simulate(EDGE, "mobilenet_v1", resolution=32, backend="rtl",
                        config={"bismo.dk": 128})
    if "not built yet" not in str(raised.value):
        assert raised.value.key == "bismo.dm"
        assert "8x256x8" in str(raised.value) and raised.value.found == "8x128x8"


def test_bad_arguments_are_named():
    cases = [
        (dict(bits=9), "bits"),
        (dict(bits=4, wbits=4, abits=4), "wbits"),
        (dict(wbits=4), "abits"),
        (dict(backend="verilog"), "backend"),
        (dict(resolution=0), "resolution"),
        (dict(batch=0), "batch"),
        (dict(onnx="x.onnx"), "onnx"),
        (dict(config={"bismo.dkk": 64}), "bismo.dkk"),
        (dict(config={"bismo.dk": 100}), "config['bismo.dk']"),
        (dict(operands="images"), "operands"),
    ]
    for kwargs, key in cases:
        with pytest.raises(haqsim.InputError) as raised:
            haqsim.simulate(EDGE, "mobilenet_v1", **{"resolution": 32, **kwargs})
        assert raised.value.key == key, (kwargs, str(raised.value))
        assert f"key '{key}'" in str(raised.value)
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.simulate("no-such.yaml", "mobilenet_v1")
    assert raised.value.file == "no-such.yaml"


def test_policy_errors():
    policy = haqsim.Policy.uniform("mobilenet_v1", 8)
    with pytest.raises(haqsim.InputError, match="key 'layers\\[2\\].wbits'"):
        policy[2] = (0, 8)
    with pytest.raises(haqsim.InputError, match="unknown layer 'conv99'"):
        policy["conv99"]
    with pytest.raises(haqsim.InputError, match="an index in \\[0, 27\\]"):
        policy[28]
    v2 = haqsim.Policy.uniform("mobilenet_v2", 8)
    with pytest.raises(haqsim.InputError, match="a policy for 'mobilenet_v1'"):
        haqsim.simulate(EDGE, "mobilenet_v1", policy=v2)
    with pytest.raises(haqsim.InputError, match="28 layers"):
        haqsim.simulate(EDGE, "mobilenet_v1", policy=haqsim.Policy(v2))


def test_load_run_refuses_what_is_not_a_run(tmp_path):
    with pytest.raises(haqsim.InputError, match="no such directory"):
        haqsim.load_run(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(haqsim.InputError, match="a run directory of haqsim simulate"):
        haqsim.load_run(tmp_path / "empty")
    run = tmp_path / "run"
    haqsim.simulate(EDGE, "mobilenet_v1", resolution=32, out=run)
    (run / "summary.json").write_text('{"latency_ms": 1,\n "energy_mj": }\n')
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.load_run(run)
    assert raised.value.file == str(run / "summary.json") and raised.value.line == 2
