"""EndNote XML (File > Export > XML), any EndNote version.

EndNote writes the whole library on one line, wraps every value in ``<style>`` elements
(so values are read with ``itertext``), separates several values in one field with
``&#xD;`` (ISSN lists, notes, addresses), stores ISSNs in ``<isbn>`` for journal
articles, and keeps the database's own accession number (the PMID for PubMed-derived
records) in ``<accession-num>``. Windows EndNote may write UTF-16; the encoding layer
hands every file over as UTF-8.
"""

from __future__ import annotations

import re
from typing import Iterator
from xml.etree.ElementTree import Element

from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.markup import strip_markup
from litsieve.importers.xmlstream import iter_elements, text
from litsieve.record import Record, parse_year

_ROOTS = frozenset({"xml", "records", "record"})
_PMID_NOTE = re.compile(r"\bPMID:?\s*(?:NLM)?(\d{1,9})\b")
_MAPPED = frozenset({
    "contributors", "titles", "periodical", "pages", "volume", "number", "dates", "isbn",
    "accession-num", "electronic-resource-num", "urls", "abstract", "keywords", "language",
    "issue",
    "ref-type", "rec-number",
})


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per ``<record>`` element."""
    for element in iter_elements(export, frozenset({"record"}), _ROOTS, "EndNote XML"):
        yield to_record(element, export.path)


def _values(element: Element | None) -> list[str]:
    """The one or several values of a field (EndNote separates them with ``&#xD;``)."""
    if element is None:
        return []
    parts = [child for child in element if child.tag != "style"]
    if parts:
        return [value for child in parts for value in _values(child)]
    raw = "".join(element.itertext())
    return [F.clean(part) for part in re.split(r"[\r\n]+", raw) if F.clean(part)]


def _is_pmid(accession: str, database: str) -> bool:
    """An accession number that is a PMID: said so by the database name, or (Mendeley,
    which names no database) a plain number of at most eight digits. Other databases'
    numbers are longer (CINAHL and Embase nine or more digits, WoS fifteen) or not plain
    numbers (PsycINFO ``2016-12345-001``)."""
    if not accession.isdigit():
        return False
    if any(name in database for name in ("pubmed", "medline", "nlm")):
        return True
    return not database.strip() and len(accession) <= 8


def to_record(element: Element, path: str) -> Record:
    """Map one ``<record>`` onto the record model; other fields go to ``extra``."""
    authors = [text(a) for a in element.findall("contributors/authors/author")]
    title = text(element.find("titles/title"))
    journal = (text(element.find("periodical/full-title"))
               or text(element.find("titles/secondary-title"))
               or text(element.find("alt-periodical/full-title")))
    database = " ".join(
        text(element.find(tag)) for tag in ("remote-database-name", "remote-database-provider")
    ).casefold()
    accession = text(element.find("accession-num"))
    pmid = F.digits_only(accession) if _is_pmid(accession, database) else ""
    if not pmid:
        noted = _PMID_NOTE.search(text(element.find("notes")))
        pmid = noted.group(1) if noted else ""
    urls = [text(u) for u in element.findall("urls/related-urls/url")]
    urls += [text(u) for u in element.findall("urls/web-urls/url")]
    doi = F.first_doi(_values(element.find("electronic-resource-num")), urls)
    issn, isbn = F.split_identifiers(_values(element.find("isbn")))
    ref_type = element.find("ref-type")
    pub_types = [ref_type.get("name", "")] if ref_type is not None and ref_type.get("name") else []
    work_type = text(element.find("work-type"))
    extra: dict[str, list[str]] = {}
    for child in element:
        if child.tag in _MAPPED or child.tag in {"database", "source-app", "foreign-keys"}:
            continue
        if child.tag == "work-type":
            continue
        extra[child.tag] = _values(child)
    for tag in ("titles/secondary-title", "titles/alt-title", "titles/short-title",
                "periodical/abbr-1", "contributors/secondary-authors/author"):
        found = [text(e) for e in element.findall(tag)]
        if found:
            extra[tag.rsplit("/", 1)[-1] if "author" not in tag else "secondary-authors"] = found
    pdfs = [text(u) for u in element.findall("urls/pdf-urls/url")]
    if pdfs:
        extra["pdf-urls"] = pdfs
    extra["rec-number"] = [text(element.find("rec-number"))]
    if accession:
        extra["accession-num"] = [accession]
    if len(urls) > 1:
        extra["urls"] = urls[1:]
    return Record(
        record_id=accession or F.accession_from_url(urls) or text(element.find("rec-number")),
        source_file=path,
        title=F.clean(strip_markup(title)),
        abstract=F.clean(strip_markup(text(element.find("abstract")))),
        authors=F.authors(authors),
        year=parse_year(text(element.find("dates/year"))
                        or text(element.find("dates/pub-dates/date"))),
        journal=journal,
        volume=text(element.find("volume")),
        issue=F.issue(text(element.find("number")) or text(element.find("issue"))),
        pages=F.pages(text(element.find("pages"))),
        doi=doi,
        pmid=pmid,
        issn=issn,
        isbn=isbn,
        language=F.normalize_language("; ".join(_values(element.find("language")))),
        keywords=F.split_keywords(text(k) for k in element.findall("keywords/keyword")),
        publication_types=[t for t in pub_types + [work_type] if t],
        url=urls[0] if urls else "",
        extra=F.compact(extra),
    )
