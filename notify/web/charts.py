"""Server-rendered SVG charts: horizontal bars, stacked columns and plain columns.

Each chart is an `<svg role="img">` with a title and a description, drawn to a viewBox so it
scales with the page; the page puts a table of the same figures beside it. Colours are from
the GOV.UK palette. Pure: no Flask, no database.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

GREEN = "#00703c"
BLUE = "#1d70b8"
LIGHT_BLUE = "#5694ca"
ORANGE = "#f47738"
RED = "#d4351c"
GREY = "#b1b4b6"
TEXT = "#0b0c0c"
SECONDARY = "#505a5f"
GRID = "#e5e5e5"
TONES = {"good": GREEN, "fair": ORANGE, "poor": RED, "none": GREY}

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to measure (drawn as a note, not a zero bar)
    text: str  # what the end of the bar says
    tone: str = "good"  # a key of TONES


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float]


def tone_for_percent(percent: float | None, good: float = 80.0, fair: float = 50.0) -> str:
    """Green at or above `good`, orange at or above `fair`, red below; grey for no figure."""
    if percent is None:
        return "none"
    return "good" if percent >= good else "fair" if percent >= fair else "poor"


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="app-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _truncate(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    maximum: float = 100.0,
    tick_suffix: str = "%",
    ticks: Sequence[float] = (0, 50, 100),
    width: int = 640,
    label_width: int = 190,
    row_height: int = 24,
    text_room: int = 175,
) -> Markup:
    """One bar per row, labelled on the left, its value written at its end."""
    top = 24
    plot = width - label_width - text_room
    height = top + row_height * max(len(bars), 1) + 6
    body = []
    for tick in ticks:
        x = label_width + plot * tick / maximum
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(x, top - 10, f"{tick:g}{tick_suffix}", "middle", fill=SECONDARY, font_size="13")
        )
    for i, bar in enumerate(bars):
        y = top + i * row_height
        middle = y + row_height / 2 + 5
        body.append(_text(label_width - 8, middle, _truncate(bar.label, 25), "end", fill=TEXT))
        if bar.value is None:
            body.append(_text(label_width + 4, middle, bar.text, fill=SECONDARY, font_size="14"))
            continue
        length = max(plot * min(bar.value, maximum) / maximum, 2.0)
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{TONES.get(bar.tone, BLUE)}"/>'
        )
        body.append(_text(label_width + length + 6, middle, bar.text, fill=TEXT, font_size="14"))
    return _svg(width, height, title, description, body)


def _nice_maximum(value: float) -> tuple[float, float]:
    """A round top for an axis at or above `value`, and the step between its gridlines."""
    if value <= 0:
        return 1.0, 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        size = step * magnitude
        if value / size <= 5:
            return size * math.ceil(value / size), size
    return value, value


def columns(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    value_format: str = "{:g}",
    show_totals: bool = True,
    width: int = 620,
    height: int = 260,
) -> Markup:
    """Columns per category, the series stacked in order from the bottom, with a legend."""
    left, right, top, bottom = 44, 8, 34 if len(series) > 1 else 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value, step = _nice_maximum(max(totals, default=0))
    body = []
    if len(series) > 1:
        x: float = left
        for s in series:
            body.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{s.colour}"/>')
            body.append(_text(x + 19, 16, s.name, fill=TEXT, font_size="13"))
            x += 26 + 7.2 * len(s.name)
    tick = 0.0
    while tick <= top_value + 1e-9:
        y = top + plot_h - plot_h * tick / top_value
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(
            _text(left - 6, y + 4, value_format.format(tick), "end", fill=SECONDARY, font_size="12")
        )
        tick += step
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.66
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar_w) / 2
        base: float = top + plot_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top_value
            base -= h
            body.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"/>'
            )
        if show_totals and totals[i] > 0:
            body.append(
                _text(
                    x + bar_w / 2,
                    base - 4,
                    value_format.format(totals[i]),
                    "middle",
                    fill=TEXT,
                    font_size="12",
                )
            )
        for line, part in enumerate(category.split("\n")):
            body.append(
                _text(
                    x + bar_w / 2,
                    top + plot_h + 16 + 14 * line,
                    part,
                    "middle",
                    fill=TEXT if line == 0 else SECONDARY,
                    font_size="12",
                )
            )
    return _svg(width, height, title, description, body)
