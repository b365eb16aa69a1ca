"""Each office's small charts over the years (rules/indicators.yaml `charts`), drawn with
matplotlib as SVG for inlining in the overview page.

matplotlib rather than Vega-Lite (vl-convert), after trying both on these charts: the same
time per office (about 0.1–0.2 s for three panels) and size (30–40 kB), but a third of the
install (35 MB against 84 MB with its embedded JavaScript engine) and no JavaScript runtime to
start. Text stays SVG text (svg.fonttype "none"), so the page's own CJK font draws the labels;
matplotlib measures them with a CJK font found on this machine (Noto Sans CJK, Source Han Sans,
WenQuanYi …), or with its default font where there is none. Anomalies are marked on the
charts by a ring and a “!” (not by colour alone). No pyplot and no global settings: nothing
changes for other users of matplotlib in the process."""

from __future__ import annotations

import io
import math
import re
import warnings
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Droid Sans Fallback", "AR PL UMing CN")
COLORS = ("#1f5fa8", "#6aa84f", "#e69138", "#8e7cc3", "#c0504d", "#7f7f7f", "#3d85c6", "#b45f06")
MARK = "#c00000"
SIZE = (10.0, 2.2)  # inches: three panels across an A4 landscape page


@dataclass
class Series:
    """What one office's charts draw: per panel, per figure, a value per year (None: undefined
    or no report that year); and the anomalies as (figure code, year, code)."""

    office: str
    years: list[int]
    panels: list[tuple[str, str, list[tuple[str, str, list[float | None]]]]]  # (title, kind, [(code, label, values)])
    marks: list[tuple[str, int, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first CJK font of CJK_FONTS that matplotlib finds on this machine."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def _settings() -> dict:
    font = cjk_font()
    return {"svg.fonttype": "none", "svg.hashsalt": "govreport", "font.size": 7, "axes.titlesize": 8,
            "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.spines.top": False,
            "axes.spines.right": False, "axes.linewidth": 0.6, "xtick.major.width": 0.6,
            "ytick.major.width": 0.6, "legend.fontsize": 6, "legend.frameon": False, "svg.id": None}


def _axes_boxes(panels) -> list[tuple[float, float, float, float]]:
    """Panels side by side; a stacked panel leaves room for its legend at its right."""
    widths = [1.35 if kind == "stacked" else 1.0 for _, kind, _ in panels]
    unit = 0.98 / sum(widths)
    out, x = [], 0.02
    for (_, kind, series), w in zip(panels, widths):
        plot = w * unit - (0.105 if kind == "stacked" else 0.0) - 0.045
        out.append((x + 0.04, 0.14, plot, 0.70))
        x += w * unit
    return out


_TEMPLATES: dict[tuple, tuple] = {}  # per process: a figure and its panels per layout, reused office after office


def _template(panels):
    """The figure and its empty panels for this layout (making axes and ticks is half the time
    of a drawing, so they are made once)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    key = tuple((title, kind, len(lines)) for title, kind, lines in panels)
    if key not in _TEMPLATES:
        fig = Figure(figsize=SIZE)
        axes = []
        for (title, _, _), box in zip(panels, _axes_boxes(panels)):
            ax = fig.add_axes(box)
            ax.set_title(title, loc="left")
            ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
            ax.tick_params(length=2, pad=1.5)
            axes.append(ax)
        _TEMPLATES[key] = fig, axes
    fig, axes = _TEMPLATES[key]
    for ax in axes:  # the previous office's data
        for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections]:
            artist.remove()
        ax.containers.clear()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    return fig, axes


def draw(series: Series) -> str:
    """The office's charts as one <svg> element (no XML prolog, ids unique to this office)."""
    import matplotlib

    settings = {k: v for k, v in _settings().items() if k in matplotlib.rcParams}
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        # without a CJK font the labels are measured with another one; the page still draws them
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        fig, axes = _template(series.panels)
        years = series.years
        marks = {(code, year): mark for code, year, mark in series.marks}
        for (title, kind, lines), ax in zip(series.panels, axes):
            bottom = [0.0] * len(years)
            top = 0.0
            for k, (code, label, values) in enumerate(lines):
                color = COLORS[k % len(COLORS)]
                ys = [math.nan if v is None else v for v in values]
                if kind == "stacked":
                    heights = [0.0 if math.isnan(y) else y for y in ys]
                    ax.bar(years, heights, bottom=bottom, width=0.65, color=color, label=label, linewidth=0)
                    points = [(y, b + h) for y, b, h in zip(years, bottom, heights)]
                    bottom = [b + h for b, h in zip(bottom, heights)]
                else:
                    ax.plot(years, ys, marker="o", markersize=3, linewidth=1.4, color=color, label=label)
                    points = list(zip(years, ys))
                top = max([top, *bottom, *(y for y in ys if not math.isnan(y))])
                for year, y in points:
                    if (code, year) in marks and not math.isnan(y):
                        ax.plot([year], [y], marker="o", markersize=9, markerfacecolor="none",
                                markeredgecolor=MARK, markeredgewidth=1.3, linestyle="none")
                        ax.annotate("!", (year, y), xytext=(0, 6), textcoords="offset points", ha="center",
                                    color=MARK, fontsize=8, fontweight="bold")
            ax.set_ylim(0, max(1.0, top) * 1.25)
            ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
            step = max(1, math.ceil(len(years) / 8))
            ax.set_xticks(years[::step], [str(y) for y in years[::step]])
            if len(lines) > 1:
                if kind == "stacked":
                    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=1, handletextpad=0.4,
                              borderaxespad=0)
                else:
                    ax.legend(loc="upper left", handlelength=1.5, ncols=len(lines), borderaxespad=0)
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    return _inline(buf.getvalue())


_PROLOG = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_FONT = re.compile(r"\s*font-family:[^;\"]*;?")
_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(?:url\(#|href="#)([^)"]+)')


def _inline(svg: str) -> str:
    """matplotlib's SVG made an element of an HTML page: no prolog, no metadata, no namespace
    URLs (the HTML parser knows SVG), the page's CSS choosing the font, and only the ids that
    are referenced, made unique to this drawing."""
    svg = _XMLNS.sub("", _METADATA.sub("", _PROLOG.sub("", svg, count=1)))
    svg = _FONT.sub(" ", svg)
    used = set(_REF.findall(svg))
    tag = f"g{zlib.crc32(svg.encode()):08x}"  # the same drawing, the same ids, run after run
    svg = _ID.sub(lambda m: f' id="{tag}-{m.group(1)}"' if m.group(1) in used else "", svg)
    return _REF.sub(lambda m: m.group(0)[: -len(m.group(1))] + f"{tag}-{m.group(1)}", svg)


def draw_all(items: list[Series], jobs: int = 1) -> list[str]:
    """Every office's charts; many offices are drawn in `jobs` processes."""
    if jobs <= 1 or len(items) < 24:
        return [draw(s) for s in items]
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    import matplotlib.figure  # noqa: F401 - loaded once, before the workers fork

    cjk_font()
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(draw, items, chunksize=max(1, len(items) // (jobs * 4))))
