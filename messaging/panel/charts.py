"""Geometry of the server-rendered SVG bar chart (no JavaScript chart library). Pure (the day
labels follow the active language, as the panel's dates do)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.formats import date_format


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: dt.date
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int
    top_pct: float  # for the HTML label beside the (stretched) SVG


@dataclass(frozen=True)
class Label:
    x: float
    text: str
    left_pct: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]
    total: int
    peak: int


def _nice_step(peak: int, steps: int = 4) -> int:
    """The gridline step: the smallest of 1, 2, 5, 10, 20, 25, 50... with steps x step >= peak."""
    raw = max(peak / steps, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw and step == int(step):
            return int(step)
    return int(10 * magnitude)


def bar_chart(points: list[tuple[dt.date, int]], *, width: int = 720, height: int = 220) -> BarChart:
    # The SVG stretches to its box (preserveAspectRatio="none"); labels are HTML, placed in percent.
    left, right, top, bottom = 36, 4, 10, height - 4
    plot_width = width - left - right
    peak = max((value for _, value in points), default=0)
    step = _nice_step(peak)
    ceiling = step * 4
    slot = plot_width / max(len(points), 1)
    bar_width = max(slot * 0.68, 1.0)
    bars = []
    for index, (day, value) in enumerate(points):
        bar_height = (bottom - top) * value / ceiling if ceiling else 0
        bars.append(Bar(
            x=round(left + index * slot + (slot - bar_width) / 2, 2), y=round(bottom - bar_height, 2),
            width=round(bar_width, 2), height=round(bar_height, 2), day=day, value=value,
        ))
    ticks = []
    for i in range(5):
        y = bottom - (bottom - top) * i / 4
        ticks.append(Tick(y=round(y, 2), value=step * i, top_pct=round(100 * y / height, 2)))
    every = max(1, len(points) // 6)
    labels = []
    for index, (day, _) in enumerate(points):
        if (len(points) - 1 - index) % every == 0:
            x = left + index * slot + slot / 2
            labels.append(Label(x=round(x, 2), text=date_format(day, "j M"), left_pct=round(100 * x / width, 2)))
    return BarChart(width, height, top, bottom, left, bars, ticks, labels, sum(v for _, v in points), peak)
