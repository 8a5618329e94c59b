"""CSV and TSV tables: Scopus, Embase, CINAHL, PubMed and hand-made spreadsheets.

Column names differ per database and per person, so each record field has a list of
accepted column names, matched case-insensitively (``TI``, ``Article Title``, ``Source
title``, ``number`` for issue ...). The header is the first of the opening lines with a
recognised column, which skips Embase's search-query preamble; the delimiter (comma,
semicolon as Excel writes in many locales, or tab) is the one that makes that line split
into the most recognised columns. An ``id``/``ID``/``record_id`` column is the record's
id verbatim. Columns that map to no field are kept in ``extra``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from litsieve.errors import ImportFormatError
from litsieve.fileio import unneutralise_cell
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.record import EXTRA_COLUMN, RECORD_FIELDS, Record, parse_year

# Accepted column names per field, in order of preference (compared case-folded).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "ti", "primary title", "t1"),
    "abstract": ("abstract", "ab", "n2", "abstract note"),
    "authors": ("authors", "author", "au", "author names", "author full names", "a1",
                "author(s)"),
    "year": ("year", "publication year", "py", "pubyear", "pub year", "publication date",
             "date of publication", "date", "y1"),
    "journal": ("journal", "source title", "secondary_title", "secondary title",
                "journal title", "journal/book", "journal name", "publication title",
                "publication", "so", "t2", "jf", "jo", "journal_title"),
    "volume": ("volume", "vl", "vol"),
    "issue": ("issue", "number", "is", "no", "issue number"),
    "pages": ("pages", "page", "pg", "page range"),
    "page_start": ("page start", "first page", "start page", "sp", "bp"),
    "page_end": ("page end", "last page", "end page", "ep"),
    "doi": ("doi", "do", "di"),
    "pmid": ("pmid", "pubmed id", "pubmed_id", "medline pmid", "pm"),
    "pmcid": ("pmcid", "pmc"),
    "issn": ("issn", "sn", "eissn", "e-issn"),
    "isbn": ("isbn", "bn"),
    "language": ("language", "la", "language of original document", "article language"),
    "keywords": ("keywords", "author keywords", "index keywords", "kw", "de", "subjects",
                 "keyword", "emtree medical index terms", "emtree drug index terms"),
    "publication_types": ("publication type", "publication types", "document type", "doctype",
                          "pt", "type", "publication_type", "publication_types",
                          "type of work"),
    "url": ("url", "link", "plink", "full text link", "ur", "links"),
    "accession": ("eid", "accession number", "embase accession id", "pui", "an", "accession",
                  "ut", "unique-id", "unique id"),
}
ID_COLUMNS = ("id", "record_id")
_TITLE_NAMES = frozenset(COLUMNS["title"])
_KNOWN = frozenset(name for names in COLUMNS.values() for name in names) | set(ID_COLUMNS)
_DELIMITERS = (",", ";", "\t")
HEADER_SCAN = 30
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
_INITIALS = r"(?:[A-Z]\.?-?){1,4}"
# "Griffin DK, Larkin DM" (PubMed CSV) and "Yang Z., Jiang B." (Embase CSV).
_INITIALS_AUTHORS = re.compile(rf"^[^,;]+ {_INITIALS}(?:, [^,;]+ {_INITIALS})*$")
# "Chen R.Wang J. Y.Yan C." (ASySD, some EndNote CSV exports): dotted initials run straight
# into the next surname. A surname never holds a dot, so each initials run ends where a
# dot is followed by a letter that does not start another initial ("McDonald J.R." is one).
_RUN_INITIALS = r"[A-Z]\.(?:[ -]?-?[A-Z]\.)*"
_RUN_SURNAME = r"[^\W\d_][^.,;]*?"
_RUN_AUTHOR = re.compile(rf"({_RUN_SURNAME}) ({_RUN_INITIALS})")
_RUN_TOGETHER = re.compile(rf"(?:{_RUN_SURNAME} {_RUN_INITIALS}){{2,}}")
# What spreadsheet and R/pandas exports write into an empty bibliographic cell. Only these
# fields are cleared: in a title or abstract "NA" may be text.
_MISSING = frozenset({"na", "n/a", "nan"})
_MISSING_FIELDS = frozenset({"volume", "issue", "pages", "page_start", "page_end", "doi",
                             "year", "journal"})


@dataclass(frozen=True)
class Header:
    """Where the header row is, how the table is delimited, and its column names."""

    line: int
    delimiter: str
    names: tuple[str, ...]


def _key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').casefold().split())


def find_header(lines: Sequence[str]) -> Header | None:
    """The first line among ``lines`` that reads as a header with a title column."""
    for index, line in enumerate(lines[:HEADER_SCAN]):
        best: Header | None = None
        best_known = 0
        for delimiter in _DELIMITERS:
            if delimiter not in line:
                continue
            try:
                names = next(csv.reader([line], delimiter=delimiter))
            except csv.Error:
                continue
            keys = [_key(n) for n in names]
            known = sum(1 for k in keys if k in _KNOWN)
            if known > best_known and any(k in _TITLE_NAMES for k in keys):
                best, best_known = Header(index + 1, delimiter, tuple(names)), known
        if best is not None and best_known >= 2:
            return best
    return None


def id_column(export: ExportFile) -> str | None:
    """The name of the table's own id column (``id``/``ID``/``record_id``), if it has one."""
    header = find_header(export.head_lines(HEADER_SCAN))
    if header is None:
        return None
    return next((n for n in header.names if _key(n) in ID_COLUMNS), None)


def is_record_file(export: ExportFile) -> bool:
    """True for a file litsieve wrote itself (every record-model column present)."""
    header = find_header(export.head_lines(HEADER_SCAN))
    return header is not None and all(f in map(_key, header.names) for f in RECORD_FIELDS)


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per non-empty data row."""
    lines = export.head_lines(HEADER_SCAN)
    header = find_header(lines)
    if header is None:
        raise ImportFormatError(
            "no header row with a title column and another known column in the first "
            f"{HEADER_SCAN} lines", file=export.path, line=1,
            hint="the first row should name the columns, e.g. Title, Authors, Year, DOI",
        )
    keys = [_key(n) for n in header.names]
    own_records = all(f in keys for f in RECORD_FIELDS)
    columns = _column_map(keys)
    reader = csv.reader(_lines(export.text, export.offset_after_line(header.line)),
                        delimiter=header.delimiter, strict=True)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if own_records:
                yield _own_record(keys, row, export.path)
            else:
                yield _to_record(header.names, columns, row, export.path)
    except csv.Error as exc:
        raise ImportFormatError(
            f"the table cannot be read ({exc})", file=export.path,
            line=header.line + reader.line_num,
            hint="a quoted cell that is never closed means the file was cut off: export the "
            "table again, or open and re-save it as CSV",
        ) from None


def _lines(text: str, start: int) -> Iterator[str]:
    """Lines from ``start`` with their ``\\n`` kept, as ``csv.reader`` needs for quoted
    line breaks (one at a time: a large table is never split into a list)."""
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _column_map(keys: list[str]) -> dict[str, list[int]]:
    """Field -> indexes of the columns that feed it, best first (the first non-empty cell
    wins; for keywords and ISSNs every column adds up)."""
    result: dict[str, list[int]] = {}
    taken: set[int] = set()
    for field_name, names in COLUMNS.items():
        indexes = []
        for name in names:
            for index, key in enumerate(keys):
                if key == name and index not in taken:
                    indexes.append(index)
        if indexes:
            result[field_name] = indexes
            taken.update(indexes)
    ids = [i for i, k in enumerate(keys) if k in ID_COLUMNS]
    if ids:
        result["id"] = ids[:1]
    return result


def _cell(row: list[str], index: int) -> str:
    value = row[index] if index < len(row) else ""
    excel = _EXCEL_TEXT.match(value.strip())
    return excel.group(1) if excel else value.strip()


def _split_authors(value: str) -> list[str]:
    if ";" in value:
        return [v for v in value.split(";") if v.strip()]
    if re.search(r"\s+and\s+", value):
        return re.split(r"\s+and\s+", value)
    if _RUN_TOGETHER.fullmatch(value.strip()):
        return [f"{m.group(1)}, {m.group(2)}" for m in _RUN_AUTHOR.finditer(value.strip())]
    if "," in value and _INITIALS_AUTHORS.match(value.strip()):
        names = [v.strip() for v in value.split(",") if v.strip()]
        # PubMed's "Repper J, Carter T." ends the list with a full stop, not an initial's dot.
        if len(names) > 1 and names[-1].endswith(".") and not any(n.endswith(".") for n in names[:-1]):
            names[-1] = names[-1].rstrip(".")
        return names
    return [value]


def _to_record(
    names: Sequence[str], columns: dict[str, list[int]], row: list[str], path: str
) -> Record:
    def value(field_name: str, index: int) -> str:
        text = _cell(row, index)
        return "" if field_name in _MISSING_FIELDS and text.casefold() in _MISSING else text

    def get(field_name: str) -> str:
        return next((v for i in columns.get(field_name, []) if (v := value(field_name, i))), "")

    def every(field_name: str) -> list[str]:
        return [v for i in columns.get(field_name, []) if (v := value(field_name, i))]

    used = {i for indexes in columns.values() for i in indexes}
    extra: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        if index not in used and index < len(row) and _cell(row, index):
            extra[name.strip().lstrip("\ufeff")] = [_cell(row, index)]
    if len(row) > len(names):
        extra["unnamed columns"] = [c for c in row[len(names):] if c.strip()]
    url = get("url")
    issn, isbn = F.split_identifiers(every("issn") + every("isbn"))
    record_id = get("id") or get("accession") or F.accession_from_url([url])
    if get("accession") and get("id"):
        extra["accession"] = [get("accession")]
    pmid = F.digits_only(get("pmid"))
    return Record(
        record_id=record_id or pmid,
        source_file=path,
        title=F.clean(get("title")),
        abstract=F.clean(get("abstract")),
        authors=F.authors(_split_authors(get("authors"))),
        year=parse_year(get("year")),
        journal=F.clean(get("journal")),
        volume=F.clean(get("volume")),
        issue=F.clean(get("issue")),
        pages=F.pages(get("pages")) or F.pages(get("page_start"), get("page_end")),
        doi=F.first_doi([get("doi")], [url]),
        pmid=pmid,
        pmcid=F.clean(get("pmcid")),
        issn=issn,
        isbn=isbn,
        language=F.normalize_language(get("language")),
        keywords=F.split_keywords(v if ";" in v else v.replace(", ", "; ")
                                  for v in every("keywords")),
        publication_types=F.split_keywords([get("publication_types")]),
        url=F.clean(url),
        extra=F.compact(extra),
    )


def _own_record(keys: list[str], row: list[str], path: str) -> Record:
    """A row of a file litsieve wrote itself (``litsieve import`` output): read back as is."""
    values = {key: unneutralise_cell(row[i]) if i < len(row) else "" for i, key in enumerate(keys)}
    extra_text = values.pop(EXTRA_COLUMN, "")
    try:
        extra = json.loads(extra_text) if extra_text else {}
    except json.JSONDecodeError:
        extra = {EXTRA_COLUMN: extra_text}
    record = Record.from_row({k: v for k, v in values.items() if k in RECORD_FIELDS})
    record.extra = extra if isinstance(extra, dict) else {EXTRA_COLUMN: extra_text}
    record.extra.update({k: v for k, v in values.items() if k not in RECORD_FIELDS and v})
    record.source_file = record.source_file or path
    return record
