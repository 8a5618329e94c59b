"""Europe PMC REST ``resultType=core`` JSON results as litsieve records.

Europe PMC returns titles and abstracts as HTML fragments (``<h4>Methods</h4>``, ``<i>``,
``<sup>``), so text is taken with the standard library's HTML parser, which keeps every
character of content, turns section headings into ``Heading: `` and drops the markup.
The Europe PMC id with its source (``MED:12345``, ``PPR:PPR123``) is the record's own
identifier; what the record model has no field for (MeSH headings, dates, the Europe PMC
source) is kept in ``extra``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any, Mapping

from litsieve.importers.links import LINKS_KEY, link_from_citation, links_value
from litsieve.record import Record, normalize_author, normalize_doi, parse_year

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({"p", "br", "div", "li", "tr", "sec", "title"})


class _TextOnly(HTMLParser):
    """Collect the text of an HTML fragment; headings end with a colon."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HEADINGS or tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.parts.append(": ")
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str | None) -> str:
    """Plain text of a Europe PMC HTML fragment, whitespace collapsed."""
    if not fragment:
        return ""
    parser = _TextOnly()
    parser.feed(str(fragment))
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([:.,;])", r"\1", text).replace("::", ":")


def _list(container: Any, key: str) -> list[Any]:
    if isinstance(container, Mapping):
        value = container.get(key, [])
        return value if isinstance(value, list) else [value]
    return []


def _authors(result: Mapping[str, Any]) -> list[str]:
    authors: list[str] = []
    for author in _list(result.get("authorList"), "author"):
        if not isinstance(author, Mapping):
            continue
        last = str(author.get("lastName") or "").strip()
        given = str(author.get("firstName") or author.get("initials") or "").strip()
        if last:
            authors.append(f"{last}, {given}" if given else last)
        elif author.get("collectiveName"):
            authors.append(str(author["collectiveName"]).strip())
        elif author.get("fullName"):
            authors.append(normalize_author(str(author["fullName"])))
    if not authors and result.get("authorString"):
        authors = [normalize_author(a) for a in str(result["authorString"]).rstrip(".").split(",")]
    return [a for a in authors if a]


def result_to_record(result: Mapping[str, Any], source_file: str = "") -> Record:
    """One Europe PMC ``core`` result as a :class:`Record` (id ``SRC:ID``, not yet prefixed)."""
    journal_info = result.get("journalInfo") or {}
    journal = journal_info.get("journal") or {}
    epmc_source = str(result.get("source") or "").strip()
    epmc_id = str(result.get("id") or "").strip()
    extra: dict[str, Any] = {"europepmc_source": epmc_source, "europepmc_id": epmc_id}
    for key in ("firstPublicationDate", "pubModel", "publicationStatus", "isOpenAccess", "citedByCount"):
        if result.get(key) not in (None, ""):
            extra[key] = str(result[key])
    mesh = [str(m.get("descriptorName")) for m in _list(result.get("meshHeadingList"), "meshHeading")
            if isinstance(m, Mapping) and m.get("descriptorName")]
    if mesh:
        extra["mesh_headings"] = mesh
    links = [link for item in _list(result.get("commentCorrectionList"), "commentCorrection")
             if isinstance(item, Mapping)
             and (link := link_from_citation(str(item.get("type") or ""), str(item.get("reference") or ""),
                                             str(item.get("id") or "") if item.get("source") == "MED" else ""))]
    if links:
        extra[LINKS_KEY] = links_value(links)
    return Record(
        record_id=f"{epmc_source}:{epmc_id}" if epmc_source and epmc_id else "",
        source_file=source_file,
        title=html_text(result.get("title")),
        abstract=html_text(result.get("abstractText")),
        authors=_authors(result),
        year=parse_year(result.get("pubYear") or journal_info.get("yearOfPublication")),
        journal=str(journal.get("title") or ""),
        volume=str(journal_info.get("volume") or ""),
        issue=str(journal_info.get("issue") or ""),
        pages=str(result.get("pageInfo") or ""),
        doi=normalize_doi(result.get("doi")),
        pmid=str(result.get("pmid") or ""),
        pmcid=str(result.get("pmcid") or ""),
        issn=str(journal.get("issn") or journal.get("essn") or ""),
        language=str(result.get("language") or ""),
        keywords=[str(k) for k in _list(result.get("keywordList"), "keyword") if k],
        publication_types=[str(p) for p in _list(result.get("pubTypeList"), "pubType") if p],
        url=f"https://europepmc.org/abstract/{epmc_source}/{epmc_id}" if epmc_source and epmc_id else "",
        extra=extra,
    )
