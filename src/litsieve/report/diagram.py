"""The PRISMA 2020 flow diagram (new systematic review, databases and registers, and other
methods when the protocol has such sources), drawn with matplotlib to SVG, PDF and PNG from
one layout.

Why draw it ourselves rather than use the ``prisma-flow`` package (docs/report.md): the
boxes must grow with their text (six-digit counts, ten exclusion reasons, five databases)
and the interim state (records awaiting screening, open conflicts) must be shown, and both
need the layout to be computed from text metrics; matplotlib, already a dependency, gives
those metrics for the very font it draws with (DejaVu Sans, shipped with matplotlib, so the
same on every machine) and writes SVG with text kept as text (``svg.fonttype: none``),
PDF with the font embedded, and PNG, all deterministically (``svg.hashsalt``, no dates).

The layout (:func:`layout`) is plain data in points, so tests can check that no text
overflows its box without rendering anything.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence, cast

from litsieve.report.counts import FlowCounts, OtherMethodsCounts

FONT = "DejaVu Sans"
FONT_SIZE = 9.0
LINE_HEIGHT = FONT_SIZE * 1.4
PAD = 7.0                 # inside a box, around the text
MARGIN = 12.0             # around the whole diagram
PHASE_WIDTH = 26.0        # the blue phase bars on the left
PHASE_GAP = 10.0
COLUMN_GAP = 42.0         # room for the horizontal arrows
ROW_GAP = 26.0            # room for the vertical arrows
MIN_MAIN_WIDTH = 200.0
MIN_SIDE_WIDTH = 200.0
MAX_TEXT_WIDTH = 330.0    # longer lines wrap
INDENT = 12.0
# Slack for fonts a viewer substitutes (SVG text is rendered with the viewer's fonts; the
# usual substitutes, Arial and Helvetica, are narrower than DejaVu Sans).
WIDTH_SLACK = 1.04

BOX_FILL = "#ffffff"
EDGE = "#333333"
HEADER_FILL = "#fdd96a"
OTHER_HEADER_FILL = "#d9d9d9"   # the template's grey title box for other methods
PHASE_FILL = "#a7c5e6"
NOTE_COLOUR = "#a33a00"
DPI_PNG = 300


@dataclass(frozen=True)
class Line:
    text: str
    indent: int = 0
    bold: bool = False


@dataclass
class Box:
    """A box of the diagram, placed in points from the top-left corner."""

    key: str
    lines: list[Line]
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    fill: str = BOX_FILL
    rotated: bool = False
    edge: bool = True

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass
class Arrow:
    start: tuple[float, float]
    end: tuple[float, float]
    # Corners of an elbow arrow, between start and end (the other-methods column's arrow
    # down and across into "studies included").
    via: tuple[tuple[float, float], ...] = ()


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)

    def box(self, key: str) -> Box:
        return next(b for b in self.boxes if b.key == key)


# --------------------------------------------------------------------------- text

def n(value: int) -> str:
    """A count as printed in the diagram: ``(n = 123,456)``."""
    return f"(n = {value:,})"


@lru_cache(maxsize=4096)
def text_width(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """Width in points of ``text`` in the diagram's font (matplotlib's own metrics)."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    width, _, _ = _renderer().get_text_width_height_descent(text, prop, ismath=False)
    return float(width) * WIDTH_SLACK


@lru_cache(maxsize=1)
def _renderer():  # type: ignore[no-untyped-def]
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)  # 72 dpi: one pixel is one point


def line_width(line: Line) -> float:
    return line.indent * INDENT + text_width(line.text, line.bold)


def wrap(line: Line, max_width: float = MAX_TEXT_WIDTH) -> list[Line]:
    """Split a line at spaces so each piece fits ``max_width``; continuations are indented."""
    if line_width(line) <= max_width:
        return [line]
    words = re.findall(r"\(n = [^)]*\)|\S+", line.text)  # a count is never split from its "(n ="
    pieces: list[Line] = []
    current = ""
    indent = line.indent
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and indent * INDENT + text_width(candidate, line.bold) > max_width:
            pieces.append(Line(current, indent, line.bold))
            current, indent = word, line.indent + 1
        else:
            current = candidate
    pieces.append(Line(current, indent, line.bold))
    return pieces


def wrapped(lines: Iterable[Line], max_width: float = MAX_TEXT_WIDTH) -> list[Line]:
    return [piece for line in lines for piece in wrap(line, max_width)]


# --------------------------------------------------------------------------- content

def box_texts(counts: FlowCounts) -> dict[str, list[Line]]:
    """What each box says (the PRISMA 2020 wording; interim lines only while people work)."""
    databases = [s for s in counts.sources if s.kind == "database"]
    registers = [s for s in counts.sources if s.kind == "register"]
    identified = [Line("Records identified from:"), Line(f"Databases {n(counts.databases)}", 1)]
    identified += [Line(f"{s.label} {n(s.records)}", 2) for s in databases]
    identified.append(Line(f"Registers {n(counts.registers)}", 1))
    identified += [Line(f"{s.label} {n(s.records)}", 2) for s in registers]

    removed = [
        Line("Records removed before screening:"),
        Line(f"Duplicate records removed {n(counts.duplicates)}", 1),
        Line(f"Records marked as ineligible by automation tools {n(counts.automation)}", 1),
        Line(f"Records removed for other reasons {n(counts.other_reasons)}", 1),
    ]
    if counts.duplicate_pairs_awaiting_review:
        removed.append(Line(f"Possible duplicate pairs awaiting review {n(counts.duplicate_pairs_awaiting_review)}", 1))

    screened = [Line(f"Records screened {n(counts.screened)}")]
    if counts.screening_awaiting:
        screened.append(Line(f"Awaiting screening {n(counts.screening_awaiting)}", 1))
    if counts.screening_conflicts:
        screened.append(Line(f"Conflicts awaiting resolution {n(counts.screening_conflicts)}", 1))

    texts = {
        "identified": identified,
        "removed": removed,
        "screened": screened,
        "records_excluded": [Line(f"Records excluded {n(counts.records_excluded)}")],
        **retrieval_box_texts(counts),
        "included": [Line(f"Studies included in review {n(counts.studies_included)}"),
                     Line(f"Reports of included studies {n(counts.reports_included)}")],
    }
    if counts.other is not None:
        texts.update(other_box_texts(counts.other))
    return texts


def other_box_texts(other: OtherMethodsCounts) -> dict[str, list[Line]]:
    """The second column's boxes (PRISMA 2020: identification of studies via other methods)."""
    identified = [Line("Records identified from:")]
    identified += [Line(f"{s.label} {n(s.records)}", 1) for s in other.sources]
    if other.duplicates:
        identified.append(Line(f"Duplicates of records already identified {n(other.duplicates)}"))
    boxes = {"other_identified": identified}
    boxes.update({f"other_{name}": lines for name, lines in retrieval_box_texts(other).items()})
    return boxes


def retrieval_box_texts(counts: FlowCounts | OtherMethodsCounts) -> dict[str, list[Line]]:
    """The retrieval and eligibility boxes, the same in both columns of the diagram."""
    sought = [Line(f"Reports sought for retrieval {n(counts.sought)}")]
    if counts.retrieval_awaiting:
        sought.append(Line(f"Awaiting retrieval {n(counts.retrieval_awaiting)}", 1))
    assessed = [Line(f"Reports assessed for eligibility {n(counts.assessed)}")]
    if counts.assessment_awaiting:
        assessed.append(Line(f"Awaiting a decision {n(counts.assessment_awaiting)}", 1))
    if counts.assessment_conflicts:
        assessed.append(Line(f"Conflicts awaiting resolution {n(counts.assessment_conflicts)}", 1))
    excluded = [Line(f"Reports excluded {n(counts.reports_excluded)}" + (":" if counts.exclusion_reasons else ""))]
    excluded += [Line(f"{reason} {n(count)}", 1) for reason, count in counts.exclusion_reasons.items()]
    return {
        "sought": sought,
        "not_retrieved": [Line(f"Reports not retrieved {n(counts.not_retrieved)}")],
        "assessed": assessed,
        "reports_excluded": excluded,
    }


def singular(phrase: str) -> str:
    """``records awaiting screening`` -> ``record awaiting screening`` (for a count of one)."""
    head, _, rest = phrase.partition(" awaiting")
    words = head.split(" ")
    words[-1] = words[-1][:-1] if words[-1].endswith("s") else words[-1]
    return " ".join(words) + (" awaiting" + rest if rest else "")


def status_lines(counts: FlowCounts) -> list[Line]:
    """The interim notice: what still waits for people (none when the review is complete)."""
    if not counts.in_progress:
        return []
    waiting = "; ".join(f"{value:,} {singular(what) if value == 1 else what}" for what, value in counts.waiting.items())
    return [Line("Interim diagram, review in progress:", bold=True), Line(waiting)]


# --------------------------------------------------------------------------- layout

ROWS: tuple[tuple[str, str | None], ...] = (
    ("identified", "removed"),
    ("screened", "records_excluded"),
    ("sought", "not_retrieved"),
    ("assessed", "reports_excluded"),
    ("included", None),
)
PHASES: tuple[tuple[str, int, int], ...] = (("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4))
HEADER = "Identification of studies via databases and registers"
OTHER_HEADER = "Identification of studies via other methods"
# The second column's boxes, by row of ROWS (the screening row has none: PRISMA 2020 does
# not screen titles and abstracts of records found by other methods).
OTHER_ROWS: tuple[tuple[str | None, str | None], ...] = (
    ("other_identified", None),
    (None, None),
    ("other_sought", "other_not_retrieved"),
    ("other_assessed", "other_reports_excluded"),
    (None, None),
)


def _content_width(lines: Sequence[Line]) -> float:
    return max((line_width(line) for line in lines), default=0.0) + 2 * PAD


def _content_height(lines: Sequence[Line]) -> float:
    return len(lines) * LINE_HEIGHT + 2 * PAD - (LINE_HEIGHT - FONT_SIZE * 1.2)


def layout(counts: FlowCounts, title: str = "") -> Layout:
    """Place every box and arrow; sizes come from the measured text.

    With other methods the databases-and-registers half is placed exactly as without them,
    and the second column (its own header, main and side boxes) is added to its right.
    """
    texts = {key: wrapped(lines) for key, lines in box_texts(counts).items()}
    other = counts.other is not None
    main_width = max(MIN_MAIN_WIDTH, *(_content_width(texts[m]) for m, _ in ROWS))
    side_width = max(MIN_SIDE_WIDTH, *(_content_width(texts[s]) for _, s in ROWS if s))
    main_x = MARGIN + PHASE_WIDTH + PHASE_GAP
    side_x = main_x + main_width + COLUMN_GAP
    half_width = side_x + side_width - main_x
    full_width = half_width
    if other:
        other_main_width = max(MIN_MAIN_WIDTH, *(_content_width(texts[m]) for m, _ in OTHER_ROWS if m))
        other_side_width = max(MIN_SIDE_WIDTH, *(_content_width(texts[s]) for _, s in OTHER_ROWS if s))
        other_main_x = side_x + side_width + COLUMN_GAP
        other_side_x = other_main_x + other_main_width + COLUMN_GAP
        other_width = other_side_x + other_side_width - other_main_x
        full_width = other_side_x + other_side_width - main_x

    boxes: list[Box] = []
    y = MARGIN
    if title:
        title_lines = wrapped([Line(title, bold=True)], full_width)
        boxes.append(Box("title", title_lines, main_x, y, full_width, _content_height(title_lines), edge=False))
        y += boxes[-1].height + 4
    header_lines = wrapped([Line(HEADER, bold=True)], half_width - 2 * PAD)
    header_height = _content_height(header_lines)
    if other:
        other_header_lines = wrapped([Line(OTHER_HEADER, bold=True)], other_width - 2 * PAD)
        header_height = max(header_height, _content_height(other_header_lines))
    header = Box("header", header_lines, main_x, y, half_width, header_height, fill=HEADER_FILL)
    boxes.append(header)
    if other:
        boxes.append(Box("other_header", other_header_lines, other_main_x, y, other_width, header_height,
                         fill=OTHER_HEADER_FILL))
    y = header.bottom + 10
    notice = status_lines(counts)
    if notice:
        note_lines = wrapped(notice, full_width - 2 * PAD)
        boxes.append(Box("status", note_lines, main_x, y, full_width, _content_height(note_lines), edge=False))
        y += boxes[-1].height + 6
    y += 4

    arrows: list[Arrow] = []
    row_spans: list[tuple[float, float]] = []
    previous: Box | None = None
    previous_other: Box | None = None
    other_rows = OTHER_ROWS if other else tuple((None, None) for _ in ROWS)
    # A phase bar spanning one row needs the row at least as tall as its rotated label.
    phase_need = {first: _content_width([Line(name, bold=True)]) for name, first, last in PHASES if first == last}
    included_row = len(ROWS) - 1
    for index, ((main_key, side_key), (other_key, other_side_key)) in enumerate(zip(ROWS, other_rows)):
        heights = [_content_height(texts[key]) if key else 0.0
                   for key in (main_key, side_key, other_key, other_side_key)]
        row_h = max(*heights, phase_need.get(index, 0.0))
        main_h, side_h, other_h, other_side_h = heights
        main = Box(main_key, texts[main_key], main_x, y + (row_h - main_h) / 2, main_width, main_h)
        boxes.append(main)
        if side_key:
            side = Box(side_key, texts[side_key], side_x, y + (row_h - side_h) / 2, side_width, side_h)
            boxes.append(side)
            arrows.append(Arrow((main.right, y + row_h / 2), (side.x, y + row_h / 2)))
        if previous is not None:
            arrows.append(Arrow((main_x + main_width / 2, previous.bottom), (main_x + main_width / 2, main.y)))
        if other_key:
            box = Box(other_key, texts[other_key], other_main_x, y + (row_h - other_h) / 2, other_main_width, other_h)
            boxes.append(box)
            if other_side_key:
                side = Box(other_side_key, texts[other_side_key], other_side_x, y + (row_h - other_side_h) / 2,
                           other_side_width, other_side_h)
                boxes.append(side)
                arrows.append(Arrow((box.right, y + row_h / 2), (side.x, y + row_h / 2)))
            if previous_other is not None:
                centre = other_main_x + other_main_width / 2
                arrows.append(Arrow((centre, previous_other.bottom), (centre, box.y)))
            previous_other = box
        if index == included_row and previous_other is not None:
            # Down from the other column's last box, then across into "studies included".
            centre, middle = other_main_x + other_main_width / 2, y + row_h / 2
            arrows.append(Arrow((centre, previous_other.bottom), (main.right, middle), via=((centre, middle),)))
        row_spans.append((y, y + row_h))
        previous = main
        y += row_h + ROW_GAP
    height = y - ROW_GAP + MARGIN
    for name, first, last in PHASES:
        top, bottom = row_spans[first][0], row_spans[last][1]
        boxes.append(Box(f"phase_{name.lower()}", [Line(name, bold=True)], MARGIN, top, PHASE_WIDTH,
                         bottom - top, fill=PHASE_FILL, rotated=True))
    right = other_side_x + other_side_width if other else side_x + side_width
    return Layout(width=right + MARGIN, height=height, boxes=boxes, arrows=arrows)


def overflows(result: Layout) -> list[str]:
    """Boxes whose text does not fit (empty for a correct layout; used by the tests)."""
    problems = []
    for box in result.boxes:
        if box.rotated:
            need_w, need_h = _content_height(box.lines), _content_width(box.lines)
        else:
            need_w, need_h = _content_width(box.lines), _content_height(box.lines)
        if need_w > box.width + 0.01 or need_h > box.height + 0.01:
            problems.append(f"{box.key}: needs {need_w:.1f} x {need_h:.1f}, has {box.width:.1f} x {box.height:.1f}")
    return problems


# --------------------------------------------------------------------------- drawing

RC = {
    "svg.fonttype": "none",        # text stays text in the SVG
    "svg.hashsalt": "litsieve",    # deterministic ids
    "pdf.fonttype": 42,            # TrueType embedded: text selectable in the PDF
    # DejaVu Sans (shipped with matplotlib) draws the PDF and PNG; the SVG also names the
    # usual substitutes, so a viewer without DejaVu Sans falls back to a sans-serif font.
    "font.family": ["sans-serif"],
    "font.sans-serif": [FONT, "Arial", "Helvetica", "Liberation Sans"],
    "path.simplify": False,
}
SAVE_METADATA = {
    "svg": {"Date": None, "Creator": "litsieve"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "litsieve"},
    "png": {"Software": "litsieve"},
}


def render(result: Layout, fmt: str) -> bytes:
    """The diagram as ``svg``, ``pdf`` or ``png`` bytes (identical for identical layouts)."""
    import matplotlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    with matplotlib.rc_context(cast(Any, RC)):  # its stubs list every key; these are valid ones
        figure = Figure(figsize=(result.width / 72, result.height / 72), dpi=72)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, result.width)
        axes.set_ylim(result.height, 0)
        axes.set_axis_off()
        for box in result.boxes:
            if box.edge or box.fill != BOX_FILL:
                axes.add_patch(FancyBboxPatch(
                    (box.x, box.y), box.width, box.height, boxstyle="round,pad=0,rounding_size=3",
                    facecolor=box.fill, edgecolor=EDGE if box.edge else "none", linewidth=0.8,
                ))
            _draw_text(axes, box)
        for arrow in result.arrows:
            start = arrow.start
            if arrow.via:
                corners = [arrow.start, *arrow.via]
                axes.plot([p[0] for p in corners], [p[1] for p in corners], color=EDGE, linewidth=0.8,
                          solid_capstyle="butt")
                start = arrow.via[-1]
            axes.add_patch(FancyArrowPatch(start, arrow.end, arrowstyle="-|>", mutation_scale=10,
                                           color=EDGE, linewidth=0.8, shrinkA=0, shrinkB=0))
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=DPI_PNG if fmt == "png" else 72,
                       metadata=SAVE_METADATA[fmt])
    return buffer.getvalue()


def _draw_text(axes, box: Box) -> None:  # type: ignore[no-untyped-def]
    if box.rotated:
        axes.text(box.x + box.width / 2, box.y + box.height / 2, box.lines[0].text, rotation=90,
                  ha="center", va="center", fontsize=FONT_SIZE, fontweight="bold", parse_math=False)
        return
    colour = NOTE_COLOUR if box.key == "status" else "black"
    centred = box.key in ("header", "other_header", "title")
    for index, line in enumerate(box.lines):
        baseline = box.y + PAD + index * LINE_HEIGHT + FONT_SIZE * 0.95
        x = box.x + box.width / 2 if centred else box.x + PAD + line.indent * INDENT
        axes.text(x, baseline, line.text, ha="center" if centred else "left", va="baseline",
                  fontsize=FONT_SIZE, fontweight="bold" if line.bold else "normal", color=colour,
                  parse_math=False)
