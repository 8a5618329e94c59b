"""Every real export in ../shared/fixtures imports, checked against an independent reading.

The reference readings use other code than litsieve's importers: rispy for RIS,
Bio.Medline for MEDLINE, xml.etree for PubMed and EndNote XML, bibtexparser (plus an
entry count) for BibTeX, a plain tag count for Web of Science, pandas for CSV. Record
counts must match exactly; titles, first authors' surnames, years and DOIs must agree
wherever the reference reading has them.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED, shared_path
from litsieve.importers import load
from litsieve.record import Record, normalize_doi

pytestmark = pytest.mark.external

FOLDERS = ("ris", "medline", "pubmed-xml", "bibtex", "endnote-xml", "wos-tagged", "csv")
FIXTURES = SHARED / "fixtures"  # LITSIEVE_SHARED, else ../shared


def _files() -> list[tuple[str, str]]:
    found = [(folder, p.name) for folder in FOLDERS
             for p in sorted((FIXTURES / folder).glob("*")) if p.is_file()]
    return found or [(folder, "*") for folder in FOLDERS]


_INLINE_MARKUP = re.compile(r"</?(?:i|b|u|em|strong|sub|sup|sc|jats:[a-z]+)>", re.IGNORECASE)


def norm(text: Any) -> str:
    """Words only, case-folded, accents, inline HTML tags and markup spacing ignored (the
    reference readers keep ``<i>``; litsieve turns markup into text)."""
    text = unicodedata.normalize("NFKD", _INLINE_MARKUP.sub("", str(text or "")))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).casefold().split())


def surname(name: Any) -> str:
    """The surname of ``Surname, Given``, ``Surname GI`` or ``Surname G.I.``."""
    name = str(name or "").strip()
    if "," in name:
        return norm(name.split(",")[0])
    tokens = name.split()
    if len(tokens) > 1 and re.fullmatch(r"(?:[A-Z]\.?-?){1,4}", tokens[-1]):
        return norm(" ".join(tokens[:-1]))
    return norm(name)


def year_of(value: Any) -> int | None:
    match = re.search(r"(1[5-9]\d\d|20\d\d)", str(value or ""))
    return int(match.group(1)) if match else None


# --- independent readings: one dict per record with title, first_author, year, doi ---

def read_ris(path: Path) -> list[dict[str, Any]]:
    import rispy

    entries = rispy.load(path, encoding="utf-8-sig")
    return [{
        "title": e.get("title") or e.get("primary_title"),
        "first_author": (e.get("authors") or e.get("first_authors") or [None])[0],
        "year": year_of(e.get("year") or e.get("publication_year")),
        "doi": normalize_doi(e.get("doi")),
    } for e in entries]


def read_medline(path: Path) -> list[dict[str, Any]]:
    from Bio import Medline

    with path.open(encoding="utf-8-sig", newline=None) as handle:
        entries = list(Medline.parse(handle))
    result = []
    for e in entries:
        dois = [v for v in (e.get("LID", "") if isinstance(e.get("LID"), list) else [e.get("LID", "")])
                + e.get("AID", []) if v.endswith("[doi]")]
        result.append({
            "title": e.get("TI"),
            "first_author": (e.get("FAU") or e.get("AU") or [None])[0],
            "year": year_of(e.get("DP")),
            "doi": normalize_doi(dois[0][:-5]) if dois else "",
        })
    return result


def read_pubmed_xml(path: Path) -> list[dict[str, Any]]:
    root = ET.parse(path).getroot()
    result = []
    for article in root.iter("PubmedArticle"):
        title = article.find(".//Article/ArticleTitle")
        author = article.find(".//Article/AuthorList/Author/LastName")
        dois = [e.text for e in article.findall("./PubmedData/ArticleIdList/ArticleId")
                if e.get("IdType") == "doi"]
        result.append({
            "title": "".join(title.itertext()) if title is not None else None,
            "first_author": author.text if author is not None else None,
            "year": year_of(article.findtext(".//Article/Journal/JournalIssue/PubDate/Year")
                            or article.findtext(".//Article/Journal/JournalIssue/PubDate/MedlineDate")),
            "doi": normalize_doi(dois[0]) if dois else None,
        })
    return result


def read_endnote_xml(path: Path) -> list[dict[str, Any]]:
    root = ET.parse(path).getroot()
    result = []
    for record in root.iter("record"):
        title = record.find("titles/title")
        author = record.find("contributors/authors/author")
        doi = record.find("electronic-resource-num")
        result.append({
            "title": "".join(title.itertext()) if title is not None else None,
            "first_author": "".join(author.itertext()) if author is not None else None,
            "year": year_of("".join(record.find("dates/year").itertext()))
            if record.find("dates/year") is not None else None,
            "doi": normalize_doi("".join(doi.itertext())) if doi is not None else None,
        })
    return result


def read_bibtex(path: Path) -> list[dict[str, Any]]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    text = path.read_text(encoding="utf-8-sig")
    heads = [m for m in re.findall(r"^\s*@\s*(\w+)\s*[{(]", text, re.MULTILINE)
             if m.lower() not in {"comment", "string", "preamble"}]
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    parsed = {e.key.strip(): {k.lower(): f.value for k, f in e.fields_dict.items()}
              for e in library.entries}
    keys = [k.strip() for k in
            re.findall(r"^\s*@\s*\w+\s*[{(]([^,\n]+),", text, re.MULTILINE)]
    assert len(keys) == len(heads)
    result = []
    for key in keys:
        fields = parsed.get(key)
        if fields is None:  # bibtexparser could not read this entry: count it only
            result.append({"key": key})
            continue
        result.append({
            "key": key,
            "title": fields.get("title"),
            "first_author": re.split(r"\s+and\s+", fields.get("author", ""))[0] or None,
            "year": year_of(fields.get("year")),
            "doi": normalize_doi(fields.get("doi")),
        })
    return result


def read_wos(path: Path) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    current: dict[str, list[str]] = {}
    tag = ""
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("   ") and tag:
            current[tag].append(line.strip())
        elif line[:2] == "ER":
            result.append({
                "title": " ".join(current.get("TI", [])),
                "first_author": (current.get("AF") or current.get("AU") or [None])[0],
                "year": year_of(" ".join(current.get("PY", []))),
                "doi": normalize_doi(" ".join(current.get("DI", []))),
            })
            current, tag = {}, ""
        elif re.match(r"^[A-Z][A-Z0-9] ", line):
            tag = line[:2]
            current[tag] = [line[3:].strip()]
    return result


def read_csv(path: Path) -> list[dict[str, Any]]:
    import pandas as pd

    lines = path.read_text(encoding="utf-8-sig").splitlines()
    skip = next(i for i, line in enumerate(lines) if re.search(r'(^|,)"?(Title|Article Title)"?,', line))
    table = pd.read_csv(path, skiprows=skip, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    columns = {c.casefold(): c for c in table.columns}

    def pick(row: Any, *names: str) -> str:
        for name in names:
            if name in columns and row[columns[name]]:
                return str(row[columns[name]])
        return ""

    result = []
    for _, row in table.iterrows():
        authors = pick(row, "authors", "author", "author names")
        result.append({
            "title": pick(row, "title", "article title"),
            "first_author": authors.split(";" if ";" in authors else ",")[0].strip() or None,
            "year": year_of(pick(row, "year", "publication year", "publication date")),
            "doi": normalize_doi(pick(row, "doi")),
        })
    return result


READERS = {
    "ris": read_ris, "medline": read_medline, "pubmed-xml": read_pubmed_xml,
    "bibtex": read_bibtex, "endnote-xml": read_endnote_xml, "wos-tagged": read_wos,
    "csv": read_csv,
}


def _check(records: list[Record], expected: list[dict[str, Any]], name: str) -> int:
    assert len(records) == len(expected), f"{name}: {len(records)} records, expected {len(expected)}"
    compared = 0
    for index, (record, reference) in enumerate(zip(records, expected, strict=True)):
        where = f"{name} record {index + 1}"
        if reference.get("title"):
            assert norm(record.title) == norm(reference["title"]), where
            compared += 1
        if reference.get("first_author"):
            assert record.authors, where
            assert surname(record.authors[0]) == surname(reference["first_author"]), where
        if reference.get("year"):
            assert record.year == reference["year"], where
        if reference.get("doi"):
            assert record.doi == reference["doi"], where
        assert record.doi == "" or record.doi == record.doi.lower(), where
    return compared


@pytest.mark.parametrize(("folder", "name"), _files())
def test_fixture_imports_and_agrees_with_independent_reading(folder: str, name: str) -> None:
    path = shared_path("fixtures", folder, name)
    records = load(path)
    assert records, f"{path}: no records"
    assert len({r.record_id for r in records}) == len(records)
    compared = _check(records, READERS[folder](path), name)
    assert compared >= len(records) // 2, f"{name}: too few records could be compared"
