"""Recognising an export's format from its content.

File extensions lie (``.txt`` is MEDLINE, WoS or RIS; ``.xml`` is PubMed or EndNote;
``.ris`` downloads are sometimes CSV), so the format is read from the text itself: the
signature that appears earliest in the first lines wins, which copes with header lines
before the first record (APA PsycNet, Ovid record numbers, the Scopus BibTeX preamble,
Embase's CSV search-query lines).
"""

from __future__ import annotations

import re

from litsieve.errors import ImportFormatError
from litsieve.importers.csv_table import HEADER_SCAN, find_header
from litsieve.importers.encoding import ExportFile

FORMATS: tuple[str, ...] = ("ris", "medline", "pubmed-xml", "bibtex", "endnote-xml", "wos", "csv")
FORMAT_DESCRIPTIONS: dict[str, str] = {
    "ris": "RIS (EBSCOhost, Ovid, APA PsycNet, Scopus, Web of Science, Embase)",
    "medline": "MEDLINE layout: PubMed text or .nbib, ERIC .nbib, Ovid direct export",
    "pubmed-xml": "PubMed XML (EFetch PubmedArticleSet)",
    "bibtex": "BibTeX",
    "endnote-xml": "EndNote XML",
    "wos": "Web of Science tagged plain text",
    "csv": "CSV or TSV with a header row (also Web of Science tab-delimited)",
}
ALIASES: dict[str, str] = {
    "nbib": "medline", "pubmed": "medline", "txt": "medline",
    "xml": "pubmed-xml", "pubmedxml": "pubmed-xml", "pubmed_xml": "pubmed-xml",
    "bib": "bibtex", "endnote": "endnote-xml", "endnotexml": "endnote-xml",
    "endnote_xml": "endnote-xml", "wos-tagged": "wos", "wos_tagged": "wos",
    "isi": "wos", "tsv": "csv",
}
SUPPORTED = ", ".join(FORMATS)
_SCAN_LINES = 200
_XML_START = re.compile(r"<(?:\?xml|!|[A-Za-z_])")

_SIGNATURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ris", re.compile(r"^\s*TY {1,2}- ?\S")),
    ("wos", re.compile(r"^(?:FN (?:Clarivate|Thomson|ISI)|PT [A-Z]\s*$)")),
    ("medline", re.compile(r"^(?:PMID- ?\d|OWN - ERIC|<\d+\.\s*>\s*$|VN  - Ovid)")),
    ("bibtex", re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")),
)


def normalize_format(fmt: str) -> str:
    """The canonical name of a format given by a user (``nbib`` gives ``medline``)."""
    key = fmt.strip().lower()
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise ImportFormatError(f"unknown format '{fmt}'", field="format",
                                hint=f"use one of: {SUPPORTED}")
    return key


def detect_format(export: ExportFile) -> str:
    """The format of ``export`` from its first lines; :class:`ImportFormatError` if unknown."""
    head = export.text.lstrip("\ufeff \t\n")
    # XML starts with a declaration, a comment/doctype or an element name; Ovid's direct
    # export starts with a record number "<1. >", which is not XML.
    if _XML_START.match(head):
        return _detect_xml(export, head[:65536])
    lines = export.head_lines(_SCAN_LINES)
    for index, line in enumerate(lines):
        for fmt, pattern in _SIGNATURES:
            if pattern.match(line):
                return fmt
        if index < HEADER_SCAN and find_header([line]) is not None:
            return "csv"
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    raise ImportFormatError(
        "cannot tell the format of this file", file=export.path, line=first + 1,
        hint=f"supported formats: {SUPPORTED}; give --format (or `format:` in the source) "
        "if it is one of them",
    )


def _detect_xml(export: ExportFile, head: str) -> str:
    if re.search(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)\b", head):
        return "pubmed-xml"
    if re.search(r"<records?>", head) and re.search(r"<xml>|<record>", head):
        return "endnote-xml"
    root = re.search(r"<([A-Za-z_][\w.:-]*)", re.sub(r"<[?!][^>]*>", "", head))
    raise ImportFormatError(
        f"an XML file, but not one litsieve reads (root element "
        f"<{root.group(1) if root else '?'}>)",
        file=export.path, line=1,
        hint="supported XML: PubMed EFetch PubmedArticleSet and EndNote XML; "
        f"all formats: {SUPPORTED}",
    )
