"""The one look of every haqsim plot: fonts and grid, the colours of layer kinds and search methods,
layer names shortened for axes (the tables keep the full names), axes that stay readable whatever
the spread of the values, and point labels that do not collide."""

import math

import matplotlib

matplotlib.use("Agg")  # files only: no display on build machines and clusters

import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, ScalarFormatter

matplotlib.rcParams.update({
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "savefig.dpi": 110,
})

# A kind of layer, a search method or an energy part looks the same on every page.
KIND_COLORS = {"dwconv": "tab:orange", "pwconv": "tab:blue", "conv": "tab:green", "fc": "tab:purple",
               "matmul": "tab:brown"}
METHOD_COLORS = {"ddpg": "tab:blue", "warmup": "tab:gray", "random": "tab:orange", "evolution": "tab:green",
                 "ilp": "tab:purple"}
HOST_COLOR = "tab:gray"
BUDGET_COLOR = "tab:red"
FRONT_COLOR = "tab:green"
REFERENCE_COLOR = "black"


def method_of(kind):
    """The method an episode belongs to (DDPG's warm-up episodes are DDPG's)."""
    return "ddpg" if kind == "warmup" else kind


def method_color(method):
    if method.startswith("uniform"):
        return "tab:gray"
    return METHOD_COLORS.get(method_of(method), "black")


def short_name(name, width=24):
    """A layer name that fits an axis: ONNX exports repeat each scope in the next one
    (`/layer1/layer1.0/conv1/Conv`), so a path component that the following one starts with is
    dropped (`layer1.0/conv1/Conv`); what is still too long keeps its tail, the most specific part."""
    parts = [p for p in name.split("/") if p]
    kept = [p for i, p in enumerate(parts) if not (i + 1 < len(parts) and parts[i + 1].startswith(p))]
    short = "/".join(kept) or name
    return short if len(short) <= width else "\u2026" + short[-(width - 1):]


def resource_label(column, unit):
    """`area_mm2` in mm2 reads `area (mm2)`, `luts` in LUTs `luts (LUTs)`: the unit once."""
    suffix = "_" + unit.lower().replace(" ", "_")
    name = column[:-len(suffix)] if unit and column.lower().endswith(suffix) else column
    return f"{name} ({unit})" if unit else name


def layer_ticks(ax, names, axis="x"):
    """Layer names on a per-layer axis, shortened, and thinned so that they stay legible."""
    positions = list(range(len(names)))
    step = max(1, math.ceil(len(names) / 80))
    shown = positions[::step]
    if axis == "x":
        ax.set_xticks(shown)
        ax.set_xticklabels([short_name(names[i]) for i in shown], rotation=90, fontsize=7)
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.grid(axis="x", visible=False)
    else:
        ax.set_yticks(shown)
        ax.set_yticklabels([short_name(names[i]) for i in shown], fontsize=7)


def per_layer_width(count):
    """Figure width in inches for `count` bars: readable bars, never a strip nor a poster."""
    return min(24.0, max(9.0, 0.22 * count + 2.0))


def plain_number(value, _pos=None):
    """Tick text without exponents: 0.05, 1.7, 250, 12k."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 10:
        return f"{value:.0f}"
    decimals = max(0, min(6, 1 - math.floor(math.log10(magnitude))))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure(value):
    """A number in a plot's text (legend, title): four significant digits, no exponent."""
    if value == 0 or not math.isfinite(value):
        return str(value)
    decimals = max(0, min(6, 3 - math.floor(math.log10(abs(value)))))
    return f"{value:.{decimals}f}"


def readable_axis(ax, values, axis="y"):
    """Linear when the values span less than a factor of 20, else log with several labelled ticks
    (plain numbers at 1, 2 and 5 of every decade), so an axis never shows a lone `1.7x10^0`."""
    positive = [v for v in values if v is not None and v > 0]
    log = bool(positive) and max(positive) / min(positive) > 20
    target = ax.yaxis if axis == "y" else ax.xaxis
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log" if log else "linear")
    if log:
        target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        target.set_minor_locator(LogLocator(base=10, subs="auto"))
        target.set_minor_formatter(FuncFormatter(lambda v, p: ""))
        target.set_major_formatter(FuncFormatter(plain_number))
    else:
        # Decimals follow the tick spacing (74.8, 75.0, 75.2), no offset, no exponent.
        target.set_major_locator(MaxNLocator(nbins=7))
        linear = ScalarFormatter(useOffset=False)
        linear.set_scientific(False)
        target.set_major_formatter(linear)
    return log


def place_labels(ax, points, texts, color="black"):
    """Short labels (point numbers) next to points, each put left or right, above or below, where it
    is furthest (in display space) from the labels already placed, so neighbours do not overprint.
    Call after the axes' scales and limits are final."""
    placed = []
    offsets = [(4, 3), (4, -10), (-14, 3), (-14, -10), (4, 12), (-14, 12), (4, -18), (-14, -18)]
    ax.figure.canvas.draw()  # the transforms below need the final layout
    transform = ax.transData
    for (x, y), text in zip(points, texts):
        px, py = transform.transform((x, y))
        best, best_distance = offsets[0], -1.0
        for dx, dy in offsets:
            cx, cy = px + dx, py + dy
            distance = min((math.hypot(cx - ox, cy - oy) for ox, oy in placed), default=1e9)
            if distance > best_distance + 1e-6:
                best, best_distance = (dx, dy), distance
            if distance > 14:
                break  # first free spot in the preferred order
        placed.append((px + best[0], py + best[1]))
        ax.annotate(text, (x, y), xytext=best, textcoords="offset points", fontsize=7, color=color,
                    fontweight="bold")


def end_labels(ax, items, gap_points=9):
    """Names lines at their ends, `items` = (x, y, text, colour): labels of ends at nearly the same
    height are moved apart vertically (the lines of a search's methods converge). Call last."""
    if not items:
        return
    ax.figure.canvas.draw()
    to_points = 72.0 / ax.figure.dpi
    ends = sorted(((ax.transData.transform((x, y))[1] * to_points, x, y, text, color)
                   for x, y, text, color in items), key=lambda e: e[0])
    placed = []
    for height, x, y, text, color in ends:
        target = height if not placed else max(height, placed[-1] + gap_points)
        placed.append(target)
        ax.annotate(text, (x, y), xytext=(4, target - height), textcoords="offset points", color=color,
                    fontsize=7, fontweight="bold", va="center",
                    arrowprops={"arrowstyle": "-", "color": color, "linewidth": 0.5} if target != height else None)


def legend_box(ax, lines, title=None):
    """`n: text` lines explaining numbered points, as a text box right of the axes."""
    if not lines:
        return
    shown = lines if len(lines) <= 30 else lines[:29] + [f"... {len(lines) - 29} more in the table"]
    ax.text(1.02, 1.0, ((title + "\n") if title else "") + "\n".join(shown), transform=ax.transAxes,
            fontsize=7, va="top", ha="left", family="monospace",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#ccc"})


def budget_line(ax, value, label="budget", axis="x"):
    if value is None or not math.isfinite(value):
        return
    (ax.axvline if axis == "x" else ax.axhline)(value, color=BUDGET_COLOR, linestyle="--", linewidth=1,
                                                label=label)


def save(fig, out_png):
    fig.tight_layout()
    fig.savefig(out_png, bbox_inches="tight")  # keeps boxes placed right of the axes
    plt.close(fig)
