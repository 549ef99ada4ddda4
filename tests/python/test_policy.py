"""haqsim.Policy: uniform constructors, per-layer access by index and name, YAML both ways."""

import haqsim

RECORDED = "results/search/v1-bismo-edge-latency-0.6/policy.yaml"


def test_uniform_and_per_layer_access():
    p = haqsim.Policy.uniform("mobilenet_v1", 4)
    assert len(p) == 28 and set(p.wbits) == {4} and set(p.abits) == {4}
    p[0] = p[-1] = (8, 8)
    p["conv2_dw"] = haqsim.LayerBits(wbits=3, abits=6)
    i = p.names.index("conv2_dw")
    assert p[i] == (3, 6) and p[i].abits == 6 and p["conv2_dw"].wbits == 3
    assert p[0] == p[27] == (8, 8)
    frame = p.to_frame()
    assert list(frame.columns) == ["layer", "name", "kind", "shape", "wbits", "abits"]
    assert frame.loc[i, "kind"] == "dwconv" and frame.loc[i, "abits"] == 6
    q = haqsim.Policy.uniform("mobilenet_v1", wbits=4, abits=4)
    assert q != p and q[5] == p[5]
    assert p.compact().split()[i] == "3/6"


def test_yaml_round_trip_is_the_cli_format(tmp_path, haqsim_cli):
    p = haqsim.Policy.uniform("mobilenet_v2", 6)
    p[10] = (2, 3)
    p.save(tmp_path / "p.yaml")
    text = (tmp_path / "p.yaml").read_text()
    assert text.startswith("# haqsim policy") and "model: mobilenet_v2" in text
    assert haqsim.Policy.load(tmp_path / "p.yaml") == p
    # The CLI reads it as the same per-layer bits.
    haqsim_cli("simulate", "--arch", "arch-configs/bitfusion.yaml", "--model", "mobilenet_v2",
               "--resolution", 32, "--policy", tmp_path / "p.yaml", "--quiet", "--out",
               tmp_path / "run")
    layers = haqsim.load_run(tmp_path / "run").array_layers
    assert list(zip(layers.wbits, layers.abits)) == [tuple(b) for b in p]


def test_a_searched_policy_loads_and_simulates():
    p = haqsim.Policy.load(RECORDED)  # written by `haqsim search`; its model: says which network
    assert p.model == "mobilenet_v1" and len(p) == 28 and p.source == RECORDED
    assert p[0] == (8, 8) and p[-1] == (8, 8)
    run = haqsim.simulate("arch-configs/bismo-edge.yaml", "mobilenet_v1", policy=p, resolution=32)
    assert list(run.array_layers.wbits) == p.wbits
    assert run.summary["policy"] == RECORDED


def test_compact_form_of_episodes():
    p = haqsim.Policy.from_compact("8/8 " + "4/5 " * 26 + "8/8", "mobilenet_v1")
    assert len(p) == 28 and p[1] == (4, 5)
