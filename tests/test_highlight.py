"""Highlighting: the criteria's evidence and the search string's terms, by one term matcher."""

from __future__ import annotations

from pathlib import Path

from litsieve.record import Record
from litsieve.records_io import write_records
from litsieve.report.pages import write_suggestions_page
from litsieve.screening.highlight import CRITERION, SEARCH, Highlight, bracketed, highlights, marked_html
from litsieve.stagefiles import Suggestion, read_suggestions
from litsieve.screening.suggest import suggest_records, write_suggestions
from protocols import demo_protocol

RECORD = Record(
    record_id="r1", title="Peer support for nurses after assault by patients",
    abstract="Nurses on psychiatric wards are often assaulted. We surveyed 212 nurses about peer support; "
             "mental health outcomes improved.",
    year=2012, language="English")


def test_spans_name_their_kind_and_point_at_the_words() -> None:
    spans = highlights(RECORD, demo_protocol())
    for span in spans:
        text = getattr(RECORD, span.field)
        assert text[span.start:span.end].strip(), span
    search = {(RECORD.abstract[s.start:s.end].lower(), s.label) for s in spans
              if s.kind == SEARCH and s.field == "abstract"}
    assert ("peer support", "peer support") in search and ("mental health", "mental health") in search
    staff = [s for s in spans if s.kind == CRITERION and s.label == "not_service_users"]
    assert [RECORD.abstract[s.start:s.end] for s in staff] == ["212 nurses"]


def test_search_terms_are_matched_like_the_query() -> None:
    record = Record(record_id="r2", title="Peer-Support and Mental Well-being", abstract="")
    labels = [(s.label, record.title[s.start:s.end]) for s in highlights(record, demo_protocol()) if s.kind == SEARCH]
    assert labels == [("peer support", "Peer-Support"), ("mental well*", "Mental Well-being")]


def test_bracketed_marks_the_words_in_their_sentences() -> None:
    text = "First sentence. We met peers in person. Nothing here. Online too."
    spans = [Highlight("abstract", text.index("peers"), text.index("peers") + 5, SEARCH, "peer*"),
             Highlight("abstract", text.index("in person"), text.index("in person") + 9, CRITERION, "x"),
             Highlight("abstract", text.index("Online"), text.index("Online") + 6, CRITERION, "y")]
    assert bracketed(text, spans, field="abstract") == "(abstract) We met [peers] [in person]. … [Online] too."
    assert bracketed(text, spans, field="title") == ""


def test_marked_html_escapes_and_merges_overlaps() -> None:
    text = "a <b> peer support group"
    start = text.index("peer")
    spans = [Highlight("title", start, start + 12, SEARCH, "peer support"),
             Highlight("title", start, start + 18, CRITERION, "peer_support")]
    out = marked_html(text, spans)
    assert out.startswith("a &lt;b&gt; <mark class=\"criterion search\"")
    assert out.count("<mark") == 1 and "peer support group</mark>" in out


def test_the_queue_shows_criteria_words_then_search_terms(tmp_path: Path) -> None:
    protocol = demo_protocol()
    [suggestion] = suggest_records([RECORD], protocol.criteria, protocol.search)
    assert "[peer support]" in suggestion.search_terms.lower()
    path = tmp_path / "suggestions.csv"
    write_suggestions(path, [suggestion])
    cell = read_suggestions(path)["r1"].highlighted
    assert cell.startswith("not_service_users: ")
    assert " | search: (title) [Peer support] for nurses" in cell
    assert Suggestion("r", "unsure", (), ()).highlighted == ""


def test_report_page_highlights_every_pool_record(tmp_path: Path) -> None:
    pool = tmp_path / "pool.csv"
    write_records(pool, [RECORD])
    out = tmp_path / "suggestions.html"
    protocol = demo_protocol()
    assert write_suggestions_page(pool, out, search=protocol.search, criteria=protocol.criteria) == 1
    page = out.read_text(encoding="utf-8")
    assert 'id="r1"' in page and "exclude: Peer support not involving service users" in page
    assert '<mark class="search" title="search: peer support">' in page
    assert "criterion: not_service_users" in page
