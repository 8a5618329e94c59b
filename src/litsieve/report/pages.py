"""Pages for ``snakemake --report``: the search documentation, the screening progress, and
the records in the screening pool with their suggestions and highlighted words.

Snakemake's HTML report embeds files marked with ``report()``; HTML pages show best. The
search documentation is Markdown written by the search stage; it is rendered here with
the few constructs that file uses (headings, paragraphs, lists, tables, code blocks),
rather than adding a Markdown dependency for one page. The screening page is built from
``status.json`` and ``agreement.json`` (the same numbers ``litsieve status`` prints), and
ends with the studies included from ``results/prisma/counts.json``: a retracted included
study is a red warning at the top of the page.
"""

from __future__ import annotations

import html
import json
import os
import re
from typing import Any, Mapping, Sequence

from litsieve.fileio import atomic_write_text
from litsieve.protocol import CriterionSpec, Search
from litsieve.record import Record
from litsieve.screening.criteria import compile_criteria, evaluate_all
from litsieve.screening.highlight import (Highlight, criterion_highlights, marked_html, search_highlights,
                                          search_matcher)
from litsieve.screening.suggest import Suggestion, suggestion_of
from litsieve.studies import retracted_warning

STYLE = """body{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left}
pre{background:#f4f4f4;padding:.5em;overflow-x:auto}code{background:#f4f4f4}
mark.criterion{background:#ffe58a}mark.search{background:none;border-bottom:2px solid #2a6fdb}
mark.criterion.search{background:#ffe58a;border-bottom:2px solid #2a6fdb}
section.record{border-top:1px solid #ddd;padding:.3em 0}.suggestion{font-weight:bold}
p.retracted{background:#b00020;color:#fff;padding:.5em .8em;font-weight:bold}"""


def page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n{body}</body></html>\n")


def _inline(text: str) -> str:
    text = html.escape(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', text)


def markdown_html(text: str) -> str:
    """Headings, paragraphs, ``-`` lists, ``|`` tables and fenced code blocks."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            out.append("<pre>" + html.escape("\n".join(block)) + "</pre>")
        elif re.match(r"#{1,6} ", line):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                    rows.append(cells)
                i += 1
            i -= 1
            head, *body = rows or [[]]
            out.append("<table><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr>"
                       + "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>" for r in body)
                       + "</table>")
        elif re.match(r"\s*[-*] ", line):
            items = []
            while i < len(lines) and re.match(r"\s*[-*] ", lines[i]):
                items.append(re.sub(r"^\s*[-*] ", "", lines[i]))
                i += 1
            i -= 1
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
        elif line.strip():
            paragraph = [line]
            while i + 1 < len(lines) and lines[i + 1].strip() and not re.match(r"(#{1,6} |```|\||\s*[-*] )", lines[i + 1]):
                i += 1
                paragraph.append(lines[i])
            out.append("<p>" + _inline(" ".join(paragraph)) + "</p>")
        i += 1
    return "\n".join(out) + "\n"


STAGE_TITLES = {"title_abstract": "Title and abstract", "full_text": "Full text"}


def _table(head: list[str], rows: list[list[Any]]) -> str:
    return ("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
            + "</table>")


def screening_html(status: Mapping[str, Any], agreement: Mapping[str, Any],
                   prisma: Mapping[str, Any] | None = None) -> str:
    parts = ["<h1>Screening progress and agreement</h1>"]
    retracted = (prisma or {}).get("retracted_included") or []
    if retracted:
        parts.append(f'<p class="retracted" id="retracted">{html.escape(retracted_warning(retracted))}</p>')
    for stage, title in STAGE_TITLES.items():
        item = status.get(stage) or {}
        parts.append(f"<h2>{title}: {item.get('records', 0)} records</h2>")
        decisions = item.get("decisions") or {}
        parts.append(_table(["decision", "records"], [[k.replace("_", " "), v] for k, v in decisions.items()]))
        people = [[name, p.get("done", 0), p.get("waiting", 0), p.get("file", ""),
                   (p.get("stopping") or {}).get("message", "")]
                  for name, p in (item.get("screeners") or {}).items()]
        parts.append(_table(["screener", "done", "waiting", "file", "stopping estimate"], people))
        if item.get("stopping"):
            parts.append(f"<p>Stopping ({title.lower()}): {html.escape(str(item['stopping']['message']))}.</p>")
        conflicts = item.get("conflicts") or {}
        parts.append(f"<p>Conflicts: {conflicts.get('open', 0)} open, {conflicts.get('resolved', 0)} resolved "
                     f"({html.escape(str(conflicts.get('file', '')))}).</p>")
        figures = agreement.get(stage) or {}
        if figures.get("both_decided"):
            kappa = figures.get("kappa")
            parts.append(f"<p>Agreement between screeners on {figures['both_decided']} records decided by both: "
                         f"{figures['raw_agreement']:.0%} raw, Cohen's kappa "
                         f"{'undefined' if kappa is None else f'{kappa:.2f}'}.</p>")
        elif figures.get("note"):
            parts.append(f"<p>Agreement: {html.escape(str(figures['note']))}.</p>")
    waiting = status.get("waiting_for_people") or []
    parts.append("<h2>Waiting for people</h2>")
    parts.append(_table(["file", "who", "records"], [[w["file"], w["who"], w["records"]] for w in waiting])
                 if waiting else "<p>Nothing is waiting for people.</p>")
    if prisma is not None:
        parts.append("<h2>Included</h2>")
        parts.append(f"<p>{prisma.get('studies_included', 0)} studies included in the review, from "
                     f"{prisma.get('reports_included', 0)} reports (PRISMA 2020 counts studies and their reports "
                     "apart: an erratum, a conference abstract or a preprint is a further report of its study).</p>")
    return page("Screening progress", "\n".join(parts) + "\n")


SUGGESTION_ORDER = {"exclude": 0, "unsure": 1, "include": 2}


def suggestions_html(rows: Sequence[tuple[Record, Suggestion, Sequence[Highlight]]]) -> str:
    """Every record of the pool with its suggestion, the criteria's words highlighted and the
    search string's terms underlined (hover a word for why), suggested exclusions first."""
    counts = {k: sum(1 for _, s, _ in rows if s.suggestion == k) for k in SUGGESTION_ORDER}
    parts = ["<h1>Screening suggestions</h1>",
             f"<p>{len(rows)} records: {counts['exclude']} suggested exclude, {counts['unsure']} unsure, "
             f"{counts['include']} include. A suggestion never decides anything; the screeners do. "
             '<mark class="criterion">Highlighted</mark> words are the evidence of a criterion, '
             '<mark class="search">underlined</mark> ones the search string\'s terms; hover over a word '
             "to see which.</p>"]
    for record, suggestion, spans in sorted(rows, key=lambda r: (SUGGESTION_ORDER.get(r[1].suggestion, 3),
                                                                  r[0].record_id)):
        head = suggestion.suggestion + (f": {suggestion.reason}" if suggestion.reason else "")
        title = [h for h in spans if h.field == "title"]
        abstract = [h for h in spans if h.field == "abstract"]
        parts.append(f'<section class="record" id="{html.escape(record.record_id, quote=True)}">'
                     f"<h3>{marked_html(record.title, title)}</h3>"
                     f"<p><code>{html.escape(record.record_id)}</code> <span class=\"suggestion\">{html.escape(head)}"
                     f"</span> ({html.escape(suggestion.why)})</p>"
                     f"<p>{marked_html(record.abstract, abstract) or '<em>no abstract</em>'}</p></section>")
    return page("Screening suggestions", "\n".join(parts) + "\n")


def write_suggestions_page(pool_csv: str | os.PathLike[str], out_html: str | os.PathLike[str], *,
                           search: Search, criteria: tuple[CriterionSpec, ...]) -> int:
    """The ``report_suggestions`` rule: the pool's records, suggestions and highlights."""
    from litsieve.records_io import read_records

    compiled = compile_criteria(criteria)
    matcher = search_matcher(search.without_limits())
    rows = []
    for record in read_records(pool_csv):
        outcomes = evaluate_all(record, compiled)
        spans = criterion_highlights(outcomes) + search_highlights(record, matcher)
        rows.append((record, suggestion_of(record, outcomes), spans))
    atomic_write_text(out_html, suggestions_html(rows))
    return len(rows)


def write_pages(search_md: str | os.PathLike[str], status_json: str | os.PathLike[str],
                agreement_json: str | os.PathLike[str], search_html: str | os.PathLike[str],
                screening_page: str | os.PathLike[str], prisma_json: str | os.PathLike[str] | None = None) -> None:
    """The ``report_pages`` rule (``prisma_json``: the PRISMA counts, for the studies included)."""
    with open(search_md, encoding="utf-8") as handle:
        atomic_write_text(search_html, page("Search strategy", markdown_html(handle.read())))
    with open(status_json, encoding="utf-8") as handle:
        status = json.load(handle)
    with open(agreement_json, encoding="utf-8") as handle:
        agreement = json.load(handle)
    prisma = None
    if prisma_json is not None:
        with open(prisma_json, encoding="utf-8") as handle:
            prisma = json.load(handle)
    atomic_write_text(screening_page, screening_html(status, agreement, prisma))
