"""The HTML of a report page: a summary table of key figures in fixed precision with the unit in
each header, tables that sort when a header is clicked (plain JavaScript inside the page, which
stays self-contained: no network), and the plots embedded as base64 PNG."""

import base64
import html
import math
import os

# Units of every page (README, "Report columns"): time in ms, energy in mJ, data volumes in decimal
# units (kB = 10^3 bytes, MB = 10^6 bytes, as the search's size_mb), on-chip memories in KiB.

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1400px;margin:auto;padding:1em;color:#222}
h1{font-size:1.5em;margin-bottom:0.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
img{max-width:100%}figure{margin:0.8em 0}figcaption{font-size:11px;color:#666}
table{border-collapse:collapse;font-size:12px;margin:0.5em 0}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:right;white-space:nowrap}
td.t,th.t{text-align:left}th{background:#f4f4f4}
table.sortable th{cursor:pointer}table.sortable th[data-dir=asc]::after{content:" \\25B2"}
table.sortable th[data-dir=desc]::after{content:" \\25BC"}
table.kv th{text-align:left;font-weight:normal;color:#555}table.kv td{text-align:left;font-weight:600}
tr.total td{font-weight:600;border-top:2px solid #999}
.scroll{max-height:640px;overflow:auto;display:inline-block}
.warn{color:#b00;font-weight:600}p.note{font-size:12px;color:#555}
"""

# Sorts a table.sortable's body by the clicked column: numerically by each cell's data-v when
# every cell has one, else as text (numbers inside text in numeric order); a second click reverses.
_SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.title = 'click to sort';
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute('data-dir') !== 'asc';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', up ? 'asc' : 'desc');
      var numeric = rows.every(function (r) { return r.cells[col].hasAttribute('data-v'); });
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col];
        var c = numeric ? parseFloat(x.getAttribute('data-v')) - parseFloat(y.getAttribute('data-v'))
                        : x.textContent.localeCompare(y.textContent, undefined, {numeric: true});
        return up ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def decimals_for(values, significant=4, most=6):
    """Decimals that give the column's largest magnitude `significant` digits (all rows alike)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    if not finite:
        return 0
    return max(0, min(most, significant - 1 - math.floor(math.log10(max(finite)))))


def fixed(value, decimals):
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return f"{value:,.{decimals}f}"  # thousands separated alike in every row of a column


def number(value, significant=4):
    """One figure in fixed precision: `significant` digits, never an exponent."""
    if value is None:
        return "n/a"
    return fixed(float(value), decimals_for([float(value)], significant))


def yes_no(value, none="not checked"):
    if value is None:
        return none
    return "yes" if value else "no"


class Column:
    """A table column: header (with its unit), how to get the value from a row, and its kind:
    'text', 'int', or 'num' (fixed decimals over the column unless `decimals` is given)."""

    def __init__(self, header, get, kind="num", decimals=None, scale=1.0):
        self.header, self.get, self.kind, self.decimals, self.scale = header, get, kind, decimals, scale

    def value(self, row):
        v = self.get(row) if callable(self.get) else row.get(self.get)
        if self.kind == "text":
            return "" if v is None else str(v)
        if v in (None, ""):
            return None
        return float(v) * self.scale


def sortable_table(columns, rows, total=None, limit=None, note=None):
    """A table that sorts by any column; `total` is a row kept under the body (not sorted)."""
    values = [[c.value(r) for c in columns] for r in rows]
    decimals = []
    for j, c in enumerate(columns):
        if c.kind == "num":
            column = [v[j] for v in values] + ([c.value(total)] if total is not None else [])
            decimals.append(c.decimals if c.decimals is not None else decimals_for(column))
        else:
            decimals.append(0)

    def cells(row_values, tag="td"):
        out = []
        for c, v, d in zip(columns, row_values, decimals):
            if c.kind == "text":
                out.append(f"<{tag} class='t'>{html.escape(v)}</{tag}>")
            elif v is None:
                out.append(f"<{tag} data-v='-1e300'></{tag}>")
            else:
                out.append(f"<{tag} data-v='{v!r}'>{html.escape(fixed(v, d if c.kind == 'num' else 0))}</{tag}>")
        return "".join(out)

    shown = values if limit is None else values[:limit]
    head = "".join(f"<th class='t'>{html.escape(c.header)}</th>" if c.kind == "text"
                   else f"<th>{html.escape(c.header)}</th>" for c in columns)
    parts = [f"<div class='scroll'><table class='sortable'><thead><tr>{head}</tr></thead><tbody>"]
    parts += [f"<tr>{cells(v)}</tr>" for v in shown]
    parts.append("</tbody>")
    if total is not None:
        parts.append(f"<tfoot><tr class='total'>{cells([c.value(total) for c in columns])}</tr></tfoot>")
    parts.append("</table></div>")
    if limit is not None and len(values) > limit:
        parts.append(f"<p class='note'>{len(values) - limit} more rows in the CSV.</p>")
    if note:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    return "\n".join(parts)


def key_values(items):
    """The summary table: (label with unit, already formatted text) pairs; None values are left out."""
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in items
                   if v is not None)
    return f"<table class='kv'>{rows}</table>"


class Page:
    def __init__(self, title, plot_dir):
        self.title = title
        self.plot_dir = plot_dir
        self.parts = []

    def heading(self, text):
        self.parts.append(f"<h2>{html.escape(text)}</h2>")

    def html(self, text):
        self.parts.append(text)

    def note(self, text, warn=False):
        self.parts.append(f"<p class='{'warn' if warn else 'note'}'>{html.escape(text)}</p>")

    def plot(self, name, render, *args, caption=None, **kwargs):
        path = os.path.join(self.plot_dir, name)
        render(*args, path, **kwargs)
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        self.parts.append(f"<figure><img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>"
                          f"<figcaption>{html.escape(caption or name)} (plots/{html.escape(name)})"
                          f"</figcaption></figure>")

    def render(self):
        return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                f"<style>{_STYLE}</style></head><body><h1>{html.escape(self.title)}</h1>\n"
                + "\n".join(self.parts) + f"\n<script>{_SORT_JS}</script>\n</body></html>\n")
