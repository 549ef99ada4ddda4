"""Reading haqsim's CSV/JSON outputs for the plot scripts, with errors that name the file, line and
column, so a malformed or truncated file fails clearly instead of producing a wrong picture."""

import argparse
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display on build machines and clusters


class PlotInputError(Exception):
    """A run output the plots cannot use; the message names file, line and column."""


def read_csv(path, numeric=(), text=(), keep=None, optional=()):
    """Rows of `path` as dicts; `numeric` columns converted to float, every listed column required;
    `optional` numeric columns may be empty in a row (None then).
    `keep(row)`, when given, selects the rows before the numbers are read (e.g. array layers only)."""
    if not os.path.isfile(path):
        raise PlotInputError(f"{path}: file not found")
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        for column in list(numeric) + list(text) + list(optional):
            if column not in header:
                raise PlotInputError(
                    f"{path}: line 1: missing column '{column}' (header: {','.join(header) or 'empty'})")
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise PlotInputError(
                    f"{path}: line {line}: expected {len(header)} fields, found a row of a different length")
            if keep is not None and not keep(row):
                continue
            for column in list(numeric) + list(optional):
                value = row[column]
                if value == "" and column in optional:
                    row[column] = None
                    continue
                try:
                    row[column] = float(value)
                except ValueError:
                    raise PlotInputError(
                        f"{path}: line {line}: column '{column}': expected a number, found '{value}'") from None
            rows.append(row)
    if not rows:
        raise PlotInputError(f"{path}: no data rows")
    return rows


def read_json(path):
    if not os.path.isfile(path):
        raise PlotInputError(f"{path}: file not found")
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise PlotInputError(f"{path}: line {e.lineno}: malformed JSON: {e.msg}") from None


def fail(message):
    """Bad input: the message as haqsim prints its own errors (not the script's name), exit code 2."""
    print(f"haqsim: error: {message}", file=sys.stderr)
    sys.exit(2)


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose usage errors read like haqsim's (argparse would name the script)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        fail(f"{self.prog}: {message}")


def run_main(main):
    """Runs a script's main(); bad input exits 2 with the message, like haqsim itself."""
    try:
        main()
    except PlotInputError as e:
        fail(str(e))
    except OSError as e:
        fail(f"{e.filename}: {e.strerror}" if e.filename else str(e))
    except (KeyError, IndexError, TypeError, ValueError) as e:
        # A file the checks above let through (e.g. a JSON key of another type): still haqsim's
        # error and exit code, with what was found, instead of a traceback naming the script.
        fail(f"{sys.argv[1] if len(sys.argv) > 1 else '.'}: unexpected content ({type(e).__name__}: {e}); "
             f"a file there is malformed or from another haqsim version")


def on_array(row):
    """Whether a layers.csv row ran on the array (files before host rows existed have no column)."""
    return row.get("on_array", "true") != "false"

