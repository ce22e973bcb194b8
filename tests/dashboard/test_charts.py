"""The SVG charts: well-formed, labelled for assistive technology, drawn to scale."""

import xml.etree.ElementTree as ET

import pytest

from notify.web.charts import (
    GREEN,
    RED,
    Bar,
    Series,
    columns,
    horizontal_bars,
    tone_for_percent,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_horizontal_bars_are_proportional_and_escape_their_labels():
    svg = _parse(
        horizontal_bars(
            [
                Bar("Brighton & Hove", 100.0, "100%"),
                Bar("Leeds", 25.0, "25%", tone="poor"),
                Bar("Nowhere", None, "nothing due yet", tone="none"),
            ],
            title="Acknowledged in time",
            description="By authority",
        )
    )
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Acknowledged in time"
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 2  # no bar where there is nothing to measure
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == pytest.approx(4 * widths[1], rel=0.01)
    assert bars[1].get("fill") == RED
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Brighton & Hove" in texts and "nothing due yet" in texts


def test_stacked_columns_stack_each_series_and_label_the_totals():
    svg = _parse(
        columns(
            ["Jan", "Feb\n2026"],
            [Series("On time", GREEN, [3, 0]), Series("Late", RED, [1, 2])],
            title="Sent",
            description="By month",
        )
    )
    rects = [r for r in svg.findall(f"{SVG}rect") if r.get("width") != "14"]  # not the legend
    heights = [float(r.get("height")) for r in rects]
    assert len(rects) == 3  # a zero draws nothing
    assert heights[0] == pytest.approx(3 * heights[1])  # January: 3 on time, 1 late
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert {"4", "2", "Jan", "Feb", "2026", "On time", "Late"} <= set(texts)


@pytest.mark.parametrize(
    ("percent", "tone"),
    [(None, "none"), (0.0, "poor"), (49.9, "poor"), (50.0, "fair"), (79.9, "fair"), (80.0, "good")],
)
def test_tones_follow_the_thresholds(percent, tone):
    assert tone_for_percent(percent) == tone
