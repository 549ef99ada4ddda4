"""haqsim.search: the quantization search, streaming each episode's record as it is measured.

The search is `haqsim search` itself, run as a child process (the front end execs haqsim-learn,
the executable that links libtorch): one implementation with every output, checkpoint and
--resume of the CLI; libtorch never loads into the notebook's process; and the cost table's
forked workers fork the child, not a Python interpreter. The child rewrites DIR/episodes.csv
atomically after every episode (search/haq_search.h); this module watches that file and yields
each new row as an Episode.

    s = haqsim.search("arch-configs/bismo-edge.yaml", "mobilenet_v1", target=0.6,
                      out="runs/s", backend="analytic", method="ddpg,random", episodes=30)
    for episode in s:                 # as they are measured
        print(episode.episode, episode.kind, episode.accuracy, episode.latency_ms)
    run = s.result()                  # a haqsim.SearchRun of the finished directory
"""

import csv
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
import weakref

from haqsim._core_loader import core
from haqsim.errors import InputError
from haqsim.policy import Policy
from haqsim.runs import SearchRun

__all__ = ["search", "Search", "Episode", "SearchFailed"]


class SearchFailed(RuntimeError):
    """The search ended without a result: no policy met the budget, it was cancelled, or an
    internal error. `returncode` and `stderr` are the child's."""

    def __init__(self, message, returncode, stderr):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


@dataclasses.dataclass
class Episode:
    """One evaluated policy: a row of episodes.csv."""
    episode: int
    kind: str  # warmup | ddpg | random | evolution
    accuracy: float  # top-1 (%) on the search's validation images
    reward: float
    best_accuracy: float  # best so far of this kind within the budget (None before one)
    latency_ms: float
    energy_mj: float
    size_mb: float
    cost: float  # the constrained quantity, compared with budget
    budget: float
    sigma: float  # DDPG's exploration noise
    seconds: float
    policy: Policy

    @classmethod
    def from_row(cls, row, model):
        number = lambda key: float(row[key]) if row[key] != "" else None  # noqa: E731
        return cls(episode=int(row["episode"]), kind=row["kind"], accuracy=number("accuracy"),
                   reward=number("reward"), best_accuracy=number("best_accuracy"),
                   latency_ms=number("latency_ms"), energy_mj=number("energy_mj"),
                   size_mb=number("size_mb"), cost=number("cost"), budget=number("budget"),
                   sigma=number("sigma"), seconds=number("seconds"),
                   policy=Policy.from_compact(row["policy"], model,
                                              source=f"episode {row['episode']}"))


def haqsim_binary():
    """$HAQSIM_BIN, else the haqsim this module was built with."""
    return os.environ.get("HAQSIM_BIN") or os.path.join(core.bin_dir, "haqsim")


def _option_arguments(options):
    args = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            args += [flag, ",".join(str(v) for v in value)]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


def _error_from_stderr(text, returncode):
    """The child's error as the exception the in-process API raises for it."""
    prefix = "haqsim: error: "
    messages = [line[len(prefix):] for line in text.splitlines() if line.startswith(prefix)]
    if returncode == 2:
        # CLI11's own parse errors (an unknown option) have no prefix: take the first line.
        message = "\n".join(messages) or next((l for l in text.splitlines() if l.strip()), text)
        return InputError(message)
    if returncode < 0:
        return SearchFailed(f"the search was stopped by signal {-returncode}; search(..., "
                            "resume=True) with the same out= continues it", returncode, text)
    last = next((l for l in reversed(text.splitlines()) if l.strip()), "")
    return SearchFailed(last or f"haqsim search exited with code {returncode}", returncode, text)


class Search:
    """A running search. Iterate it for its Episodes as they are measured (iterating again
    continues where the last loop stopped); result() waits for the end and returns the
    SearchRun; cancel() stops the child (its checkpoint stays: resume=True continues)."""

    poll_seconds = 0.1

    def __init__(self, argv, out, model, on_episode=None, echo=False):
        self.argv = argv
        self.out = out
        self._model = model
        self._on_episode = on_episode
        self._echo = echo
        self._stderr = tempfile.TemporaryFile()
        self._stderr_echoed = 0
        self._proc = subprocess.Popen(argv, stdout=None if echo else subprocess.DEVNULL,
                                      stderr=self._stderr)
        # A Search dropped while running must not leave its child behind.
        self._finalizer = weakref.finalize(self, Search._stop, self._proc)
        self._episodes = []
        self._signature = None
        self._result = None

    @staticmethod
    def _stop(proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    @property
    def episodes(self):
        """The episodes read so far."""
        return list(self._episodes)

    @property
    def running(self):
        return self._proc.poll() is None

    def _new_rows(self):
        path = os.path.join(self.out, "episodes.csv")
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return []
        signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        if signature == self._signature:
            return []
        try:  # written by rename, so every version read is whole
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
        except FileNotFoundError:
            return []
        self._signature = signature
        return rows[len(self._episodes):]

    def _echo_stderr(self):
        if not self._echo:
            return
        self._stderr.seek(self._stderr_echoed)
        text = self._stderr.read()
        self._stderr_echoed += len(text)
        sys.stderr.write(text.decode(errors="replace"))
        sys.stderr.flush()

    def __iter__(self):
        while True:
            running = self._proc.poll() is None  # before reading: the last rows come after exit
            for row in self._new_rows():
                episode = Episode.from_row(row, self._model)
                self._episodes.append(episode)
                if self._on_episode is not None:
                    self._on_episode(episode)
                yield episode
            self._echo_stderr()
            if not running:
                return
            time.sleep(self.poll_seconds)

    def result(self):
        """Waits for the search to end (reading the remaining episodes) and returns its
        SearchRun; raises InputError for bad input and SearchFailed otherwise."""
        if self._result is None:
            for _ in self:
                pass
            self._proc.wait()
            self._stderr.seek(0)
            text = self._stderr.read().decode(errors="replace")
            if self._proc.returncode != 0:
                raise _error_from_stderr(text, self._proc.returncode)
            self._result = SearchRun.load(self.out)
        return self._result

    def cancel(self):
        """Stops the search; episodes.csv and checkpoint.bin stay for resume=True."""
        Search._stop(self._proc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cancel()
        return False


def search(arch, model=None, *, target, out, constraint="latency", on_episode=None,
           verbose=False, **options):
    """`haqsim search`: HAQ's search (and the other --method searchers) for a per-layer policy
    under a latency, energy or size budget, with the accelerator model in the loop.

    arch, model: the instance YAML and the zoo network (or weights= a trained weight file)
    target:      a ratio of the 8-bit cost (0.6), a value with unit ("12ms", "3mJ", "2MB") or a
                 fixed baseline's cost ("4bit": the comparison's uniform-4 policy)
    constraint:  "latency", "energy" or "size"
    out:         the run directory (episodes.csv, comparison.csv, policy.yaml, reports, ...)
    on_episode:  called with each Episode as it is read (besides iterating the Search)
    verbose:     show the CLI's progress and tables (stdout and stderr) instead of hiding them
    options:     every other option of `haqsim search --help`, by its name with underscores:
                 backend="analytic", method="ddpg,random" (or a list), episodes=30,
                 random_episodes=..., eval_images=200, rerank_images=0, test_images=500,
                 finetune_images=..., seed=..., jobs=..., threads=..., cache_dir=...,
                 resume=True, no_cache=True, free_first_last=True, the DDPG options
                 (warmup=..., hidden=...). An option the CLI does not have raises InputError.

    Returns a Search at once; the search runs in the background until it ends or is cancelled.
    """
    argv = [haqsim_binary(), "search", "--arch", os.fspath(arch), "--constraint", constraint,
            "--target", str(target), "--out", os.fspath(out)]
    if model is not None:
        argv += ["--model", model]
    if not verbose:
        argv.append("--quiet")
    argv += _option_arguments(options)
    return Search(argv, os.fspath(out), model, on_episode=on_episode, echo=verbose)
