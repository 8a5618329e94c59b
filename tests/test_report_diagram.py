"""The flow diagram: boxes fit their text at realistic sizes, text stays text, output is stable."""

from __future__ import annotations

import re
import struct
from html import unescape

from litsieve.report.counts import FlowCounts, SourceCount
from litsieve.report.diagram import layout, overflows, render, text_width
from litsieve.report.prisma_csv import COLUMNS, prisma2020_rows

LONG_REASONS = [
    "Peer support not about mental health", "Peer support not involving service users",
    "Children and young people", "Delivered by computer, online or social media only",
    "Not an empirical quantitative or qualitative study", "Published outside 1990-2017",
    "Not published in English", "Not met: Peer support is the intervention or topic",
    "Not met: Participants are (past or present) mental health service users, as the protocol defines them",
    "other",
]


def big_counts() -> FlowCounts:
    """Six-digit counts, five databases, ten exclusion reasons, everything still waiting somewhere."""
    sources = [SourceCount(n, label, "database", 123_456) for n, label in (
        ("medline", "MEDLINE (Ovid)"), ("embase", "Embase (Ovid)"), ("psycinfo", "APA PsycInfo (EBSCOhost)"),
        ("cinahl", "CINAHL Plus with Full Text (EBSCOhost)"), ("wos", "Web of Science Core Collection"))]
    reasons = {reason: 100_000 + i for i, reason in enumerate(LONG_REASONS)}
    return FlowCounts(
        sources=sources, identified=617_280, duplicates=211_111, automation=100_000, other_reasons=99_999,
        screened=206_170, records_excluded=150_000, screening_awaiting=40_000, screening_conflicts=1_170,
        sought=15_000, not_retrieved=1_000, retrieval_awaiting=2_000, assessed=12_000,
        reports_excluded=sum(reasons.values()), exclusion_reasons=reasons, assessment_awaiting=888,
        assessment_conflicts=77, studies_included=999_999, reports_included=999_999,
        duplicate_pairs_awaiting_review=12,
    )


def svg_texts(svg: bytes) -> list[str]:
    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


def test_boxes_fit_six_digit_counts_ten_reasons_five_databases() -> None:
    drawing = layout(big_counts(), "A review whose title is long enough to need wrapping across the diagram width")
    assert overflows(drawing) == []
    # A count is never split from its "(n =".
    assert not any(line.text.endswith("(n =") for box in drawing.boxes for line in box.lines)
    excluded = drawing.box("reports_excluded")
    texts = " ".join(line.text for line in excluded.lines)
    for reason in LONG_REASONS[:8]:
        assert reason in texts
    # A box is wider than every line it holds, measured in the font it is drawn with.
    for box in drawing.boxes:
        if not box.rotated:
            assert all(text_width(line.text, line.bold) < box.width for line in box.lines), box.key
    # Columns and rows do not overlap: the side column starts right of the main one.
    assert drawing.box("removed").x > drawing.box("identified").right
    assert drawing.box("screened").y > drawing.box("identified").bottom


def test_svg_keeps_text_as_text_with_every_number() -> None:
    counts = big_counts()
    texts = " ".join(svg_texts(render(layout(counts), "svg")))
    for value in (617_280, 211_111, 206_170, 150_000, 40_000, 15_000, 12_000, 999_999, 123_456):
        assert f"(n = {value:,})" in texts
    assert "Interim diagram, review in progress:" in texts


def test_png_is_at_least_300_dpi() -> None:
    png = render(layout(big_counts()), "png")
    assert png.startswith(b"\x89PNG")
    chunks, offset = {}, 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        chunks.setdefault(kind, png[offset + 8:offset + 8 + length])
        offset += 12 + length
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1 and per_metre_x >= 300 / 0.0254 - 1 and per_metre_y >= 300 / 0.0254 - 1
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    drawing = layout(big_counts())
    assert width >= drawing.width / 72 * 300 - 2 and height >= drawing.height / 72 * 300 - 2


def test_complete_review_has_no_interim_notice() -> None:
    counts = big_counts()
    for name in ("screening_awaiting", "screening_conflicts", "retrieval_awaiting", "assessment_awaiting",
                 "assessment_conflicts", "duplicate_pairs_awaiting_review"):
        setattr(counts, name, 0)
    texts = svg_texts(render(layout(counts), "svg"))
    assert not any("Interim" in t or "Awaiting" in t for t in texts)


def test_prisma2020_csv_follows_the_r_template() -> None:
    rows = prisma2020_rows(big_counts())
    assert list(rows[0]) == list(COLUMNS) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    by_data = {row["data"]: row for row in rows if row["data"] != "NA"}
    for node in ("database_results", "register_results", "duplicates", "excluded_automatic", "excluded_other",
                 "records_screened", "records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports",
                 "dbr_assessed", "dbr_excluded", "new_studies", "new_reports", "total_studies", "total_reports"):
        assert node in by_data, node
    assert by_data["database_results"]["n"] == "617280"
    assert by_data["duplicates"]["n"] == "211111"
    assert by_data["records_screened"]["n"] == "206170"
    assert by_data["dbr_excluded"]["n"].split("; ")[0] == "Peer support not about mental health, 100000"
    # A comma inside a reason would split it in R's reader.
    assert "Delivered by computer - online or social media only, 100003" in by_data["dbr_excluded"]["n"]
    assert by_data["database_specific_results"]["n"].startswith("MEDLINE (Ovid), 123456; Embase (Ovid), 123456")


def test_reason_text_is_drawn_literally() -> None:
    counts = big_counts()
    counts.exclusion_reasons = {"Costs in $ and % only, $x^2$": 3}
    texts = svg_texts(render(layout(counts), "svg"))
    assert "Costs in $ and % only, $x^2$ (n = 3)" in texts
