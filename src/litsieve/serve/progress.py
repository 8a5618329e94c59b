"""Progress a screener can see: counts, the includes-found curve, and the stopping estimate.

The curve plots relevant records found against records screened, in the order the
decisions were made: with a good ranking it rises steeply and then flattens, and the
flat tail is what the stopping test (:func:`litsieve.ranking.stopping_for_protocol`, the
one the workflow's status uses) reads. It is drawn as a small inline SVG from numbers
only, so nothing from a record reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup


@dataclass(frozen=True)
class Counts:
    total: int
    decided: int
    includes: int
    maybes: int = 0
    excludes: int = 0
    not_retrieved: int = 0

    @property
    def remaining(self) -> int:
        return self.total - self.decided


@dataclass(frozen=True)
class Stopping:
    """The stopping test over the screener's decisions as of ``screened`` of them."""

    screened: int
    may_stop: bool
    message: str


def cumulative(labels: Sequence[int]) -> list[int]:
    found, out = 0, []
    for label in labels:
        found += int(label)
        out.append(found)
    return out


def curve_svg(labels: Sequence[int], total: int, *, width: int = 260, height: int = 120) -> Markup:
    """Relevant found (y) against screened (x), with the x axis running to every record.

    At most ~``width`` points are drawn (the curve is thinned evenly), so a queue of
    10,000 records gives a small page. The dashed line is what screening in random order
    would find on average, given the relevant share seen so far.
    """
    pad_left, pad_bottom, pad = 34, 20, 6
    plot_w, plot_h = width - pad_left - pad, height - pad_bottom - pad
    found = cumulative(labels)
    top = max(found[-1] if found else 0, 1)
    span = max(total, len(labels), 1)

    def x(n: int) -> float:
        return pad_left + plot_w * n / span

    def y(k: int) -> float:
        return pad + plot_h * (1 - k / top)

    step = max(1, len(found) // plot_w)
    points = [(0, 0)] + [(i + 1, found[i]) for i in range(0, len(found), step)]
    if found and points[-1][0] != len(found):
        points.append((len(found), found[-1]))
    path = " ".join(f"{x(n):.1f},{y(k):.1f}" for n, k in points)
    parts = [
        f'<svg class="curve" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{found[-1] if found else 0} relevant found in {len(labels)} screened of {total}</title>",
        f'<line class="axis" x1="{pad_left}" y1="{pad + plot_h}" x2="{pad_left + plot_w}" y2="{pad + plot_h}"/>',
        f'<line class="axis" x1="{pad_left}" y1="{pad}" x2="{pad_left}" y2="{pad + plot_h}"/>',
    ]
    if labels and found[-1]:
        rate = found[-1] / len(labels)
        parts.append(f'<line class="random" x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(len(labels)):.1f}" '
                     f'y2="{y(round(rate * len(labels))):.1f}"/>')
    parts += [
        f'<polyline class="found" points="{path}"/>',
        f'<text x="{pad_left - 4}" y="{pad + 8}" text-anchor="end">{top}</text>',
        f'<text x="{pad_left - 4}" y="{pad + plot_h}" text-anchor="end">0</text>',
        f'<text x="{pad_left}" y="{height - 4}">0</text>',
        f'<text x="{pad_left + plot_w}" y="{height - 4}" text-anchor="end">{span} records</text>',
        "</svg>",
    ]
    return Markup("".join(parts))
