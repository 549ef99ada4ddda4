"""Shared fixtures of the Python API's tests (run by CTest: `ctest -R python`).

They run from the repository root (arch-configs/... paths as in the README) with the build
tree's package on PYTHONPATH, and compare the API with the `haqsim` CLI of the same build
($HAQSIM_BIN), so that "the same as the CLI" is checked, not assumed. Analytic backend and
small resolutions keep the whole file within a minute.
"""

import json
import os
import subprocess

import pandas as pd
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.fixture
def haqsim_cli():
    """Runs the CLI; returns the CompletedProcess (text)."""
    binary = os.environ.get("HAQSIM_BIN", os.path.join(REPO, "build", "bin", "haqsim"))

    def run(*args, check=True):
        result = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


def read_run(directory):
    """layers.csv as a DataFrame and summary.json as a dict, as the CLI wrote them."""
    return (pd.read_csv(os.path.join(directory, "layers.csv")),
            json.load(open(os.path.join(directory, "summary.json"))))


def cli_error(result):
    """The message the CLI printed after 'haqsim: error: '."""
    prefix = "haqsim: error: "
    lines = [line[len(prefix):] for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert lines, result.stderr
    return lines[0]
