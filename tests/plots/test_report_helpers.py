"""The report pages' helpers: layer names shortened for axes, tick labels without exponents, axes
that switch to log only for wide ranges, fixed precision per column, sortable tables."""

import re

import matplotlib.pyplot as plt

import html_page
import style


def test_short_name_drops_scopes_repeated_by_the_next_part():
    assert style.short_name("/layer1/layer1.0/conv1/Conv") == "layer1.0/conv1/Conv"
    assert style.short_name("conv2_dw") == "conv2_dw"
    # Too long after that: the tail (the most specific part) stays.
    long = "/features/features.10/block/block.0/block.0.0/Conv"
    short = style.short_name(long, width=20)
    assert len(short) == 20 and short.startswith("\u2026") and short.endswith("block.0.0/Conv")


def test_plain_numbers_have_no_exponent():
    assert [style.plain_number(v) for v in (0, 0.05, 1.7, 2.0, 250.0, 12000.0)] == \
        ["0", "0.05", "1.7", "2", "250", "12k"]


def tick_labels(values, axis="y"):
    fig, ax = plt.subplots()
    ax.plot(range(len(values)), values)
    log = style.readable_axis(ax, values, axis=axis)
    fig.canvas.draw()
    target = ax.yaxis if axis == "y" else ax.xaxis
    lo, hi = (ax.get_ylim() if axis == "y" else ax.get_xlim())
    labels = [t.get_text() for t, v in zip(target.get_ticklabels(), target.get_ticklocs())
              if lo <= v <= hi and t.get_text()]
    plt.close(fig)
    return log, labels


def test_narrow_range_is_linear_with_several_labels():
    # BitFusion's sweep latencies span 1.5..1.9 ms: a log axis showed a lone 1.7x10^0.
    log, labels = tick_labels([1.52, 1.61, 1.7, 1.83, 1.9])
    assert not log
    assert len(labels) >= 3
    assert not any("10^" in t or "e" in t or "\\times" in t for t in labels)


def test_close_values_get_the_decimals_that_tell_ticks_apart():
    # A co-design's latencies 74.7..75.1 ms: whole-number labels all read "75".
    log, labels = tick_labels([74.7, 74.9, 75.0, 75.1])
    assert not log
    assert len(set(labels)) == len(labels) >= 3, labels


def test_wide_range_is_log_with_plain_labels():
    log, labels = tick_labels([0.03, 0.4, 7.0, 90.0])
    assert log
    assert len(labels) >= 4
    assert all(re.fullmatch(r"[0-9.]+k?", t) for t in labels), labels


def test_columns_share_fixed_decimals():
    assert html_page.decimals_for([12.3456, 0.5]) == 2
    assert html_page.decimals_for([0.012345]) == 5
    assert html_page.number(33.860879999999995) == "33.86"
    assert html_page.number(None) == "n/a"
    assert html_page.yes_no(None, none="not checked") == "not checked"


def test_sortable_table_keeps_full_names_and_raw_values():
    columns = [html_page.Column("layer", "name", kind="text"),
               html_page.Column("latency (ms)", "latency_ms"),
               html_page.Column("cycles", "cycles", kind="int")]
    rows = [{"name": "/layer1/layer1.0/conv1/Conv", "latency_ms": "0.123456789", "cycles": "1234"},
            {"name": "fc", "latency_ms": "12.5", "cycles": "99"}]
    text = html_page.sortable_table(columns, rows, total={"name": "total", "latency_ms": 12.623456789,
                                                         "cycles": 1333})
    assert "/layer1/layer1.0/conv1/Conv" in text
    assert "<th>latency (ms)</th>" in text
    # One precision per column (4 digits of the largest), the exact value kept for sorting.
    assert ">0.12<" in text and ">12.50<" in text and ">12.62<" in text
    assert "data-v='0.123456789'" in text
    assert "<tfoot>" in text and "None" not in text
    page = html_page.Page("t", "/nonexistent").render()
    assert "table.sortable" in page and "http" not in page.split("<script>")[1]


def test_headers_sort_the_table_in_chromium(tmp_path):
    """The page's own script, run by a browser: two clicks on a numeric header sort descending by
    the exact values (not the text: 1,210 after 999), a text header sorts by name. Needs Debian's
    chromium (tools/setup.sh --optional); skipped without it."""
    import shutil
    import subprocess

    import pytest

    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("chromium not installed (tools/setup.sh --optional)")
    columns = [html_page.Column("layer", "name", kind="text"), html_page.Column("cycles", "cycles", kind="int")]
    rows = [{"name": "b", "cycles": "999"}, {"name": "c", "cycles": "1210"}, {"name": "a", "cycles": "5"}]
    page = html_page.Page("sort", str(tmp_path))
    page.html(html_page.sortable_table(columns, rows))
    text = page.render().replace(
        "</body>", "<script>var h = document.querySelector('table.sortable').tHead.rows[0].cells;"
                   "h[1].click(); h[1].click();"
                   "document.title = Array.prototype.map.call(document.querySelector('tbody').rows,"
                   " function (r) { return r.cells[0].textContent; }).join('');"
                   "h[0].click(); document.title += '|' + Array.prototype.map.call("
                   "document.querySelector('tbody').rows, function (r) { return r.cells[0].textContent; })"
                   ".join('');</script></body>")
    (tmp_path / "page.html").write_text(text)
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          (tmp_path / "page.html").as_uri()],
                         capture_output=True, text=True, timeout=90).stdout
    assert "<title>cba|abc</title>" in dom
