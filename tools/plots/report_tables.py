"""The tables of the report pages, built from a run's CSV/JSON: each page's summary (key figures in
fixed precision, the unit in each label) and its sortable tables (the full layer names are here;
the plots' axes shorten them). Units follow the README's "Report columns": ms, mJ, decimal kB/MB
for data volumes, % for fractions."""

import csv
import os

import style
from html_page import Column, decimals_for, key_values, number, sortable_table, yes_no
from plotio import PlotInputError, read_csv, read_json

# Known CSV columns: header with unit, kind, scale. Others are shown as found (numbers in fixed
# precision per column).
KNOWN = {
    "latency_ms": ("latency (ms)", "num", 1.0),
    "array_latency_ms": ("array latency (ms)", "num", 1.0),
    "energy_mj": ("energy (mJ)", "num", 1.0),
    "size_mb": ("weight size (MB)", "num", 1.0),
    "dram_bytes": ("DRAM traffic (MB)", "num", 1e-6),
    "utilization": ("utilization (%)", "num", 100.0),
    "total_cycles": ("cycles", "int", 1.0),
    "cycles": ("cycles", "int", 1.0),
    "point": ("point", "int", 1.0),
    "accuracy": ("accuracy (%)", "num", 1.0),
    "rerank_accuracy": ("re-ranked accuracy (%)", "num", 1.0),
    "test_accuracy": ("test accuracy (%)", "num", 1.0),
    "accuracy_test": ("test accuracy (%)", "num", 1.0),
    "finetuned_test_accuracy": ("fine-tuned test accuracy (%)", "num", 1.0),
    "search_seconds": ("search time (s)", "num", 1.0),
    "budget_fraction": ("budget (% of 8-bit)", "num", 100.0),
}


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _read_rows(path):
    if not os.path.isfile(path):
        raise PlotInputError(f"{path}: file not found")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise PlotInputError(f"{path}: empty file")
    header = rows[0]
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise PlotInputError(f"{path}: line {n}: expected {len(header)} fields, found {len(r)}")
    return header, [dict(zip(header, r)) for r in rows[1:]]


def _units_of(path):
    """{column: unit} of the resource columns, from sweep.json next to a sweep.csv."""
    meta = os.path.join(os.path.dirname(path) or ".", "sweep.json")
    units = {}
    if os.path.isfile(meta):
        try:
            for r in read_json(meta).get("resources", []):
                units[r["column"]] = r.get("unit", "")
                units[r["fraction_column"]] = "% of budget"
        except (KeyError, TypeError, AttributeError):
            pass  # units are cosmetic
    return units


def csv_table(path, limit=None):
    """Any haqsim CSV as a sortable table: known columns with their units, fractions in %, numbers
    in fixed precision per column."""
    header, rows = _read_rows(path)
    units = _units_of(path)
    columns = []
    for h in header:
        values = [r[h] for r in rows if r[h] != ""]
        if h in KNOWN:
            label, kind, scale = KNOWN[h]
            if not all(_is_number(v) for v in values):
                kind, scale = "text", 1.0
        elif h.endswith("_fraction"):
            label, kind, scale = f"{h[:-len('_fraction')]} (% of budget)", "num", 100.0
        elif values and all(_is_number(v) for v in values):
            integral = all(float(v).is_integer() and "." not in v for v in values)
            label, kind, scale = style.resource_label(h, units.get(h, "")), ("int" if integral else "num"), 1.0
        else:
            label, kind, scale = h, "text", 1.0
        columns.append(Column(label, h, kind=kind, scale=scale))
    return sortable_table(columns, rows, limit=limit, note="Click a header to sort.")


def _wa(row):
    if row.get("on_array", "true") == "false":
        return "host"
    return f"{row['wbits']}/{row['abits']}"


def layer_table(layers_csv):
    """Per-layer numbers of a run with a total row: the terminal table's columns, full names."""
    rows = read_csv(layers_csv, numeric=["macs", "cycles", "compute_cycles", "stall_cycles", "latency_ms",
                                         "energy_mj", "dram_read_bytes", "dram_write_bytes", "utilization"],
                    text=["name", "kind"])
    for r in rows:
        r["dram"] = r["dram_read_bytes"] + r["dram_write_bytes"]
        r["stall"] = 100.0 * r["stall_cycles"] / r["cycles"] if r["cycles"] else 0.0
    cycles = sum(r["cycles"] for r in rows)
    total = {"layer": "", "name": "total", "kind": "", "on_array": "true", "wbits": "", "abits": "",
             "shape": "", "bound": f"{sum(1 for r in rows if r.get('bound') == 'memory')} memory", "mapping": "",
             "macs": sum(r["macs"] for r in rows), "cycles": cycles,
             "stall": 100.0 * sum(r["stall_cycles"] for r in rows) / cycles if cycles else 0.0,
             "utilization": sum(r["utilization"] * r["cycles"] for r in rows) / cycles if cycles else 0.0,
             "latency_ms": sum(r["latency_ms"] for r in rows), "energy_mj": sum(r["energy_mj"] for r in rows),
             "dram": sum(r["dram"] for r in rows)}
    total_wa = dict(total, wa="")
    for r in rows:
        r["wa"] = _wa(r)
        r["index"] = r.get("layer") or "-"  # host rows have no quantizable-layer index
    total_wa["index"] = ""
    columns = [
        Column("#", "index", kind="text"),
        Column("layer", "name", kind="text"),
        Column("kind", "kind", kind="text"),
        Column("w/a", "wa", kind="text"),
        Column("shape", "shape", kind="text"),
        Column("MMACs", "macs", scale=1e-6, decimals=2),
        Column("cycles", "cycles", kind="int"),
        Column("stall (%)", "stall", decimals=1),
        Column("util (%)", "utilization", scale=100.0, decimals=1),
        Column("bound", "bound", kind="text"),
        Column("latency (ms)", "latency_ms"),
        Column("energy (mJ)", "energy_mj"),
        Column("DRAM (kB)", "dram", scale=1e-3, decimals=1),
        Column("mapping", "mapping", kind="text"),
    ]
    host = sum(1 for r in rows if r["wa"] == "host")
    note = "Click a header to sort. " + (f"{host} host rows (w/a 'host', # '-') run outside the array. "
                                         if host else "") + "kB = 10^3 bytes read plus written."
    return sortable_table(columns, rows, total=total_wa, note=note)


def _percent_of(part, whole):
    return f"{100.0 * part / whole:.1f}%" if whole else "n/a"


def simulate_summary(summary_json):
    s = read_json(summary_json)
    e = s.get("energy_breakdown_mj") or {}
    energy = s.get("energy_mj")
    items = [
        ("architecture", f"{s.get('arch', '?')} ({s.get('accelerator', '?')}, "
                         f"{number(s.get('clock_mhz'))} MHz)" if "arch" in s else None),
        ("model", s.get("model")),
        ("network instance", s.get("network_instance")),
        ("backend", s.get("backend")),
        ("policy", s.get("policy")),
        ("batch", str(s["batch"]) if "batch" in s else None),
        ("layers", f"{s.get('layers')} on the array" + (f", {s['host_layers']} on the host"
                                                         if s.get("host_layers") else "") if "layers" in s else None),
        ("MACs (10^6)", number(s["total_macs"] / 1e6) if "total_macs" in s else None),
        ("cycles", f"{int(s['total_cycles']):,}" if "total_cycles" in s else None),
        ("latency (ms)", number(s.get("latency_ms")) if "latency_ms" in s else None),
        ("host share of the latency", _percent_of(s["host_cycles"], s["total_cycles"])
         if s.get("host_cycles") and s.get("total_cycles") else None),
        ("energy (mJ)", number(energy) if energy is not None else None),
        ("energy breakdown", ", ".join(f"{label} {_percent_of(e[k], energy)}" for k, label in (
            ("compute", "compute"), ("buffers", "buffers"), ("dram", "DRAM"), ("static", "static")) if k in e)
         if e and energy else None),
        ("throughput (images/s)", number(s["images_per_s"]) if s.get("batch", 1) > 1 and "images_per_s" in s
         else None),
        ("latency per image (ms)", number(s["ms_per_image"]) if s.get("batch", 1) > 1 and "ms_per_image" in s
         else None),
        ("memory-bound layers", f"{s['memory_bound_layers']} of {s.get('layers', '?')}"
         if "memory_bound_layers" in s else None),
    ]
    resources = s.get("resources") or {}
    for name, r in resources.items():
        used = r.get("used")
        text = f"{number(used)} {r.get('unit', '')}".strip()
        if r.get("budget") is not None:
            text += f" = {100.0 * (r.get('fraction') or 0):.1f}% of {r.get('budget_key') or 'budget'} " \
                    f"{number(r['budget'])}"
        items.append((f"{name} (estimate)", text))
    if "fits" in s:
        items.append((f"fits {s.get('device') or 'the device'}", "yes" if s["fits"] else "NO: over budget"))
    items.append(("outputs bit-exact with the reference",
                  yes_no(s.get("bit_exact"), none="not checked (the analytic backend executes no data)")
                  if "bit_exact" in s else None))
    if s.get("logits_match_reference") is not None:
        items.append(("logits equal the integer reference's", yes_no(s["logits_match_reference"])))
    return key_values(items)


def _measured(d, key):
    """A candidate's figure from search.json or comparison.csv: a number, or None where it was not
    measured (empty, or negative as search.json marks it)."""
    v = d.get(key)
    if v in (None, ""):
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if v >= 0 else None


def _ratio(a, b):
    return f"{a / b:.2f}x" if b else "n/a"


def search_summary(search, comparison_csv):
    """search.json's key figures and the winner against 8-bit."""
    unit = search.get("budget_unit", "")
    items = [
        ("model", search.get("model")),
        ("architecture", search.get("arch")),
        ("backend", search.get("backend")),
        ("constraint", f"{search['constraint']} {search.get('target', '')}".strip() if "constraint" in search
         else None),
        (f"budget ({unit})" if unit else "budget", number(search["budget"]) if "budget" in search else None),
        ("methods", ", ".join(search["methods"]) if isinstance(search.get("methods"), list) else None),
        ("episodes per method", str(search["episodes"]) if "episodes" in search else None),
        ("accuracy evaluations", str(search["accuracy_evaluations"]) if "accuracy_evaluations" in search else None),
        ("cost simulations", str(search["cost_simulations"]) if "cost_simulations" in search else None),
        ("wall time (s)", number(search["seconds"], 3) if "seconds" in search else None),
    ]
    best, ref = search.get("best"), search.get("reference_8bit")
    if comparison_csv and (best is None or ref is None):
        rows = read_csv(comparison_csv, numeric=["accuracy", "latency_ms", "energy_mj", "size_mb"],
                        text=["method", "meets_budget"])
        refs = [r for r in rows if r["method"] in ("8-bit", "fixed 8-bit")]
        ok = [r for r in rows if r["meets_budget"] == "true" and r not in refs]
        ref = ref or (refs[0] if refs else None)
        best = best or (max(ok, key=lambda r: r["accuracy"]) if ok else None)
    if best:
        reranked = _measured(best, "rerank_accuracy")
        acc = reranked if reranked is not None else _measured(best, "accuracy")
        items.append(("best policy", f"{best.get('method')}: {number(acc)}% "
                                     f"{'re-ranked' if reranked is not None else 'search'} accuracy"))
        for key, label in (("test_accuracy", "test accuracy (%)"),
                           ("finetuned_test_accuracy", "fine-tuned test accuracy (%)")):
            if _measured(best, key) is not None:
                ref_value = _measured(ref, key) if ref else None
                items.append((f"best policy's {label}", number(_measured(best, key)) +
                              (f" (8-bit {number(ref_value)})" if ref_value is not None else "")))
        for key, label in (("latency_ms", "latency (ms)"), ("energy_mj", "energy (mJ)"),
                           ("size_mb", "weight size (MB)")):
            value = _measured(best, key)
            if value is not None:
                text = number(value)
                if ref and _measured(ref, key) is not None:
                    text += f" (8-bit {number(_measured(ref, key))}: {_ratio(value, _measured(ref, key))})"
                items.append((f"best policy's {label}", text))
    else:
        items.append(("best policy", "none met the budget"))
    return key_values(items)


def comparison_table(comparison_csv):
    return csv_table(comparison_csv)


def versus_8bit_table(best_csv, reference_csv):
    """The found policy against 8-bit, layer by layer: bits, latency, energy and their ratios."""
    best = read_csv(best_csv, numeric=["latency_ms", "energy_mj"], text=["name", "kind"])
    ref = read_csv(reference_csv, numeric=["latency_ms", "energy_mj"], text=["name", "kind"])
    if [r["name"] for r in best] != [r["name"] for r in ref]:
        raise PlotInputError(f"{reference_csv}: expected the layers of {best_csv} in the same order, "
                             f"found {len(ref)} rows against {len(best)} (or other names)")
    rows = []
    for b, r in zip(best, ref):
        rows.append({"layer": b.get("layer") or "-", "name": b["name"], "kind": b["kind"], "wa": _wa(b),
                     "lat": b["latency_ms"], "lat8": r["latency_ms"],
                     "latr": b["latency_ms"] / r["latency_ms"] if r["latency_ms"] else None,
                     "en": b["energy_mj"], "en8": r["energy_mj"],
                     "enr": b["energy_mj"] / r["energy_mj"] if r["energy_mj"] else None})
    lat, lat8 = sum(r["lat"] for r in rows), sum(r["lat8"] for r in rows)
    en, en8 = sum(r["en"] for r in rows), sum(r["en8"] for r in rows)
    total = {"layer": "", "name": "total", "kind": "", "wa": "", "lat": lat, "lat8": lat8,
             "latr": lat / lat8 if lat8 else None, "en": en, "en8": en8, "enr": en / en8 if en8 else None}
    lat_decimals = decimals_for([r["lat"] for r in rows] + [r["lat8"] for r in rows])
    en_decimals = decimals_for([r["en"] for r in rows] + [r["en8"] for r in rows])
    columns = [
        Column("#", "layer", kind="text"), Column("layer", "name", kind="text"), Column("kind", "kind", kind="text"),
        Column("w/a found", "wa", kind="text"),
        # Found and 8-bit side by side in the same decimals.
        Column("latency found (ms)", "lat", decimals=lat_decimals),
        Column("latency 8-bit (ms)", "lat8", decimals=lat_decimals),
        Column("latency found / 8-bit", "latr", decimals=2),
        Column("energy found (mJ)", "en", decimals=en_decimals),
        Column("energy 8-bit (mJ)", "en8", decimals=en_decimals),
        Column("energy found / 8-bit", "enr", decimals=2),
    ]
    return sortable_table(columns, rows, total=total,
                          note="Click a header to sort. A ratio below 1 is a saving of the found policy.")


def sweep_summary(sweep_csv, meta):
    header, rows = _read_rows(sweep_csv)
    for column in ("latency_ms", "energy_mj", "fits"):
        if column not in header:
            raise PlotInputError(f"{sweep_csv}: line 1: missing column '{column}'")
    fitting = [r for r in rows if r["fits"] == "true"]
    params = [p["key"] for p in meta.get("parameters", [])] if isinstance(meta.get("parameters"), list) else []

    def point(r):
        shape = " ".join(f"{k.split('.')[-1]}={r[k]}" for k in params if k in r)
        return f"point {r['point']}" + (f" ({shape})" if shape else "")

    items = [
        ("grid", meta.get("grid")), ("base configuration", meta.get("base")),
        ("accelerator", meta.get("accelerator")), ("model", meta.get("model")),
        ("backend", meta.get("backend")), ("policy", meta.get("policy")),
        ("resolution", str(meta["resolution"]) if "resolution" in meta else None),
        ("batch", ("the arch config's" if meta["batch"] == "config" else str(meta["batch"])) if "batch" in meta else None),
        ("shard", str(meta["shard"]) if meta.get("shard") not in (None, "all") else None),
        ("parameters", ", ".join(f"{p['key']} in {{{', '.join(str(v) for v in p['values'])}}}"
                                 for p in meta.get("parameters", [])) if params else None),
        ("points", f"{len(rows)}" + (f" of {meta['total_points']}" if meta.get("total_points") not in
                                     (None, len(rows)) else "")),
        ("points that fit the device", f"{len(fitting)} of {len(rows)}"),
    ]
    for column, label in (("latency_ms", "fastest fitting point: latency (ms)"),
                          ("energy_mj", "lowest-energy fitting point: energy (mJ)")):
        if fitting:
            try:
                r = min(fitting, key=lambda r: float(r[column]))
            except ValueError:
                raise PlotInputError(f"{sweep_csv}: column '{column}': expected numbers") from None
            items.append((label, f"{number(float(r[column]))} at {point(r)}"))
    for res in meta.get("resources", []) if isinstance(meta.get("resources"), list) else []:
        if res.get("budget"):
            items.append((f"budget: {res.get('column')} ({res.get('unit', '')})", number(res["budget"])))
    return key_values(items)


def codesign_summary(meta, codesign_csv):
    header, rows = _read_rows(codesign_csv)
    searched = [r for r in rows if r.get("status") == "searched"]
    unit = meta.get("budget_unit", "")
    base = meta.get("base_8bit") or {}
    items = [
        ("model", meta.get("model")), ("grid", meta.get("grid")), ("base configuration", meta.get("base")),
        ("backend", meta.get("backend")),
        ("constraint", f"{meta['constraint']} {meta.get('target', '')}".strip() if "constraint" in meta else None),
        (f"budget ({unit})" if unit else "budget", number(meta["budget"]) if "budget" in meta else None),
        ("methods", ", ".join(meta["methods"]) if isinstance(meta.get("methods"), list) else None),
        ("8-bit test accuracy (%)", number(meta["reference_8bit_test_accuracy"])
         if meta.get("reference_8bit_test_accuracy") is not None else None),
        ("base configuration at 8 bits", ", ".join(
            f"{label} {number(base[k])}" for k, label in (("latency_ms", "latency (ms)"), ("energy_mj", "energy (mJ)"),
                                                            ("size_mb", "size (MB)")) if k in base) or None),
        ("test images", str(meta["test_images"]) if "test_images" in meta else None),
        ("configurations", f"{len(rows)} ({len(searched)} searched)"),
    ]
    good = [r for r in searched if r.get("accuracy_test") not in (None, "")]
    if good:
        try:
            best = max(good, key=lambda r: float(r["accuracy_test"]))
        except ValueError:
            raise PlotInputError(f"{codesign_csv}: column 'accuracy_test': expected numbers") from None
        items.append(("most accurate configuration", f"{best.get('shape', '?')}: "
                                                      f"{number(float(best['accuracy_test']))}% test"))
    return key_values(items)
