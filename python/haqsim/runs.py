"""Run directories as Python objects: what `haqsim simulate`, `sweep`/`merge`, `search` and
`codesign` write, read back with pandas (CSV) and json, column for column as the files hold them
(the README's "Report columns" and the commands' sections describe them).

    run = haqsim.load_run("runs/v1-edge")     # whichever command wrote it
    run.layers.sort_values("energy_mj").tail()
"""

import io
import json
import os

from haqsim.errors import file_error

__all__ = ["SimulateRun", "SweepRun", "SearchRun", "CodesignRun", "load_run"]


def _read_csv_text(text, name):
    import pandas as pd
    try:
        return pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise file_error(name, "a CSV file as haqsim writes it", str(error).strip()) from None


def _read_csv(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise file_error(path, "a file written by haqsim", "no such file") from None
    return _read_csv_text(text, path)


def _parse_json(text, name):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise file_error(name, "JSON as haqsim writes it", error.msg, line=error.lineno) from None


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return _parse_json(f.read(), path)
    except FileNotFoundError:
        raise file_error(path, "a file written by haqsim", "no such file") from None


class SimulateRun:
    """One network on one accelerator instance (`haqsim simulate`, or a search's report).

    layers:  DataFrame, layers.csv: one row per layer in network order, the array's and the
             host's (pooling, element-wise, ...; on_array False, no layer number or bits)
    array_layers: the rows the array computes, indexed by the policy's layer number
    summary: dict, summary.json (totals, energy breakdown, network instance, policy, resources
             and fits, images_per_s, per_layer details)
    table:   the terminal table the CLI prints (fresh results only; None when loaded)
    """

    kind = "simulate"

    def __init__(self, layers, summary, directory=None, table=None):
        self.layers = layers
        self.summary = summary
        self.directory = directory
        self.table = table

    @classmethod
    def from_texts(cls, csv_text, summary_text, directory=None, table=None):
        return cls(_read_csv_text(csv_text, "layers.csv"),
                   _parse_json(summary_text, "summary.json"), directory, table)

    @classmethod
    def load(cls, directory, summary_required=True):
        """layers.csv and summary.json of `directory`; with summary_required=False a missing
        summary.json leaves .summary None (results/search/ keeps only layers.csv)."""
        directory = os.fspath(directory)
        summary = os.path.join(directory, "summary.json")
        return cls(_read_csv(os.path.join(directory, "layers.csv")),
                   _read_json(summary) if summary_required or os.path.exists(summary) else None,
                   directory)

    @property
    def array_layers(self):
        """The quantizable layers' rows (all rows of a layers.csv written before host layers had
        rows), with integer layer numbers and bits, indexed by the layer number."""
        rows = self.layers
        if "on_array" in rows:
            rows = rows[rows.on_array.astype(str).str.lower().isin(("true", "1"))]
        rows = rows.astype({c: "int64" for c in ("layer", "wbits", "abits") if c in rows})
        return rows.set_index("layer", drop=False).rename_axis(None)

    @property
    def latency_ms(self):
        """The whole run's latency (summary.json, else the sum of the layers')."""
        return self.summary["latency_ms"] if self.summary else float(self.layers.latency_ms.sum())

    @property
    def energy_mj(self):
        return self.summary["energy_mj"] if self.summary else float(self.layers.energy_mj.sum())

    @property
    def fits(self):
        return self.summary.get("fits") if self.summary else None

    def __repr__(self):
        s = self.summary or {}
        return (f"SimulateRun({s.get('model', '?')} on {s.get('arch', '?')}, "
                f"{s.get('backend', '?')}: {self.latency_ms:.4f} ms, {self.energy_mj:.4f} mJ, "
                f"{len(self.layers)} layers)")


class SweepRun:
    """A grid of configurations (`haqsim sweep` or `merge`).

    points: DataFrame of sweep.csv (point, the grid's keys, totals, resources, fits)
    info:   dict, sweep.json (grid, base config, model, policy, backend, points held)
    """

    kind = "sweep"

    def __init__(self, points, info, directory=None):
        self.points = points
        self.info = info
        self.directory = directory

    @classmethod
    def load(cls, directory):
        directory = os.fspath(directory)
        return cls(_read_csv(os.path.join(directory, "sweep.csv")),
                   _read_json(os.path.join(directory, "sweep.json")), directory)

    @property
    def parameters(self):
        """The grid's config keys, in enumeration order (the last varies fastest)."""
        return [p["key"] for p in self.info.get("parameters", [])]

    def __repr__(self):
        return (f"SweepRun({self.info.get('model')} over {len(self.points)} of "
                f"{self.info.get('total_points')} points of {self.info.get('grid')})")


class SearchRun:
    """A quantization search (`haqsim search`).

    info:           dict, search.json (setup, budget, each method's winner, best)
    episodes:       DataFrame of episodes.csv (one row per evaluated policy)
    comparison:     DataFrame of comparison.csv (8-bit, each method's winner, uniform policies)
    finalists:      DataFrame of finalists.csv, or None
    ilp_front:      DataFrame of ilp_front.csv (with --method ilp), or None
    policy:         the best policy within the budget (policy.yaml) as a haqsim.Policy, or None
    found:          SimulateRun of that policy (layers.csv, summary.json), or None
    reference_8bit: SimulateRun of 8-bit (reference_8bit/), or None
                    (their .summary is None where only layers.csv was kept, as in results/)
    """

    kind = "search"

    def __init__(self, directory):
        from haqsim.policy import Policy
        self.directory = directory = os.fspath(directory)
        path = lambda name: os.path.join(directory, name)  # noqa: E731
        optional_csv = lambda name: _read_csv(path(name)) if os.path.exists(path(name)) else None  # noqa: E731,E501
        self.info = _read_json(path("search.json"))
        self.episodes = _read_csv(path("episodes.csv"))
        self.comparison = _read_csv(path("comparison.csv"))
        self.finalists = optional_csv("finalists.csv")
        self.ilp_front = optional_csv("ilp_front.csv")
        self.policy = Policy.load(path("policy.yaml")) if os.path.exists(path("policy.yaml")) else None
        report = lambda d: (SimulateRun.load(d, summary_required=False)  # noqa: E731
                            if os.path.exists(os.path.join(d, "layers.csv")) else None)
        self.found = report(directory)
        self.reference_8bit = report(path("reference_8bit"))

    @classmethod
    def load(cls, directory):
        return cls(directory)

    @property
    def best(self):
        """search.json's `best`: the most accurate policy within the budget, or None."""
        return self.info.get("best")

    def __repr__(self):
        best = self.best
        what = f"best {best['method']} {best['accuracy']:.2f}%" if best else "no policy met the budget"
        return (f"SearchRun({self.info.get('model')} on {self.info.get('arch')}, "
                f"{self.info.get('constraint')} {self.info.get('target')}: {len(self.episodes)} "
                f"episodes, {what})")


class CodesignRun:
    """A co-design run (`haqsim codesign`, or its shards merged).

    points: DataFrame of codesign.csv (one row per array configuration)
    front:  DataFrame of front.csv (the Pareto front), or None before every point is done
    info:   dict, codesign.json
    """

    kind = "codesign"

    def __init__(self, points, front, info, directory=None):
        self.points = points
        self.front = front
        self.info = info
        self.directory = directory

    @classmethod
    def load(cls, directory):
        directory = os.fspath(directory)
        front = os.path.join(directory, "front.csv")
        return cls(_read_csv(os.path.join(directory, "codesign.csv")),
                   _read_csv(front) if os.path.exists(front) else None,
                   _read_json(os.path.join(directory, "codesign.json")), directory)

    def __repr__(self):
        return f"CodesignRun({len(self.points)} points of {self.info.get('grid')})"


def load_run(directory):
    """The run in `directory`, as the command that wrote it: SearchRun (search.json),
    CodesignRun (codesign.json), SweepRun (sweep.json) or SimulateRun (summary.json)."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise file_error(directory, "a run directory", "no such directory")
    has = lambda name: os.path.exists(os.path.join(directory, name))  # noqa: E731
    if has("search.json"):
        return SearchRun.load(directory)
    if has("codesign.json"):
        return CodesignRun.load(directory)
    if has("sweep.json"):
        return SweepRun.load(directory)
    if has("summary.json"):
        return SimulateRun.load(directory)
    found = ", ".join(sorted(os.listdir(directory))) or "an empty directory"
    raise file_error(directory,
                     "a run directory of haqsim simulate, sweep, merge, search or codesign "
                     "(summary.json, sweep.json, search.json or codesign.json)", found)
