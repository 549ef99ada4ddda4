"""haqsim.search streams the episodes of a real `haqsim search` as they are measured."""

import threading

import pytest

import haqsim

SMALL = dict(backend="analytic", method="ddpg,random", episodes=4, random_episodes=3, warmup=2,
             eval_images=40, rerank_images=0, test_images=50, calibration_images=32, jobs=1)


def test_episodes_stream_then_the_run(tmp_path):
    seen = []
    s = haqsim.search("arch-configs/bismo-edge.yaml", "mobilenet_v1", target=0.6,
                      out=tmp_path / "s", cache_dir=tmp_path / "cache", on_episode=seen.append,
                      **SMALL)
    running_while_streaming = []
    streamed = []
    for episode in s:
        streamed.append(episode)
        running_while_streaming.append(s.running)
    run = s.result()
    assert isinstance(run, haqsim.SearchRun)
    assert seen == streamed
    assert [e.episode for e in streamed] == [0, 1, 2, 3, 0, 1, 2]  # numbered per method
    assert [e.kind for e in streamed] == ["warmup", "warmup", "ddpg", "ddpg"] + ["random"] * 3
    # Each record is the row the CLI wrote, and its policy meets the enforced budget.
    assert len(run.episodes) == 7
    for e, (_, row) in zip(streamed, run.episodes.iterrows()):
        assert e.accuracy == row.accuracy and e.latency_ms == row.latency_ms
        assert e.policy.compact() == row.policy and len(e.policy) == 28
        assert e.cost <= e.budget
    assert any(running_while_streaming)  # the first records came before the search ended
    assert run.policy is not None and run.best["method"] in set(run.comparison.method)


def test_bad_input_raises_the_cli_message(tmp_path, haqsim_cli):
    args = dict(out=tmp_path / "s", cache_dir=tmp_path / "cache", **SMALL)
    with pytest.raises(haqsim.InputError) as raised:
        haqsim.search("arch-configs/bismo-edge.yaml", "mobilenet_v1", target="fast",
                      **args).result()
    cli = haqsim_cli("search", "--arch", "arch-configs/bismo-edge.yaml", "--model",
                     "mobilenet_v1", "--target", "fast", "--out", tmp_path / "c", check=False)
    assert cli.returncode == 2
    assert "--target" in str(raised.value) and "fast" in str(raised.value)
    assert str(raised.value) in cli.stderr
    with pytest.raises(haqsim.InputError, match="--no-such-option"):
        haqsim.search("arch-configs/bismo-edge.yaml", "mobilenet_v1", target=0.6,
                      no_such_option=3, **args).result()


def test_cancel_keeps_the_checkpoint_for_resume(tmp_path):
    args = dict(out=tmp_path / "s", cache_dir=tmp_path / "cache", **dict(SMALL, episodes=40))
    s = haqsim.search("arch-configs/bismo-edge.yaml", "mobilenet_v1", target=0.6, **args)
    first = next(iter(s))
    assert first.episode == 0
    s.cancel()
    with pytest.raises(haqsim.SearchFailed, match="resume=True"):
        s.result()
    assert (tmp_path / "s" / "checkpoint.bin").exists()
