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
from litsieve.importers import wos
from litsieve.importers.author_lists import split_author_cell
from litsieve.importers.encoding import ExportFile
from litsieve.importers.markup import strip_markup
from litsieve.importers.row_alignment import Profiles, align
from litsieve.logs import get_logger
from litsieve.record import EXTRA_COLUMN, RECORD_FIELDS, Record, parse_year

LOG = get_logger("importers.csv")

# Accepted column names per field, in order of preference (compared case-folded).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "document title", "ti", "primary title", "t1",
              "item title"),
    "abstract": ("abstract", "ab", "n2", "abstract note"),
    "authors": ("authors", "author", "au", "author names", "author full names", "a1",
                "author(s)", "author/s"),
    "year": ("year", "publication year", "py", "pubyear", "pub year", "publication date",
             "date of publication", "date", "y1", "date published"),
    "journal": ("journal", "source title", "secondary_title", "secondary title",
                "journal title", "journal/book", "journal name", "publication title",
                "publication", "so", "t2", "jf", "jo", "journal_title"),
    "volume": ("volume", "vl", "vol", "journal volume"),
    "issue": ("issue", "number", "is", "no", "issue number", "journal issue"),
    "pages": ("pages", "page", "pg", "page range"),
    "page_start": ("page start", "first page", "start page", "sp", "bp"),
    "page_end": ("page end", "last page", "end page", "ep"),
    "doi": ("doi", "do", "di", "item doi"),
    "pmid": ("pmid", "pubmed id", "pubmed_id", "medline pmid", "pm"),
    "pmcid": ("pmcid", "pmc"),
    "issn": ("issn", "sn", "eissn", "e-issn", "issns"),
    "isbn": ("isbn", "bn"),
    "language": ("language", "la", "language of original document", "article language"),
    "keywords": ("keywords", "author keywords", "index keywords", "kw", "de", "subjects",
                 "keyword", "emtree medical index terms", "emtree drug index terms",
                 "mesh terms"),
    "publication_types": ("publication type", "publication types", "document type", "doctype",
                          "pt", "type", "publication_type", "publication_types",
                          "type of work", "content type"),
    "url": ("url", "link", "plink", "full text link", "ur", "links", "external url",
            "source urls"),
    "accession": ("eid", "accession number", "embase accession id", "pui", "an", "accession",
                  "ut", "unique-id", "unique id", "lens id"),
}
# Columns read only for what they carry: a citation to take journal, year, volume,
# issue and pages from when their own columns are missing (the Embase.com "Source" cell),
# and links to find a DOI or PMID in (Embase's OpenURL link).
CITATION_COLUMNS = ("source",)
LINK_COLUMNS = ("open url link", "embase link", "full text link", "external url",
                "source urls", "url", "link", "links")
ID_COLUMNS = ("id", "record_id")
_READ_ONLY = frozenset({"citation", "links"})
_TITLE_NAMES = frozenset(COLUMNS["title"])
_KNOWN = frozenset(name for names in COLUMNS.values() for name in names) | set(ID_COLUMNS)
_DELIMITERS = (",", ";", "\t")
HEADER_SCAN = 30
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)
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
    if header is None or is_wos_tab_delimited(header):
        return None  # Web of Science's "ID" column is Keywords Plus, not an id
    return next((n for n in header.names if _key(n) in ID_COLUMNS), None)


def is_record_file(export: ExportFile) -> bool:
    """True for a file litsieve wrote itself (every record-model column present)."""
    header = find_header(export.head_lines(HEADER_SCAN))
    return header is not None and all(f in map(_key, header.names) for f in RECORD_FIELDS)


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per non-empty data row.

    A row with more cells than the header is fitted back under its columns (see
    :mod:`~litsieve.importers.row_alignment`) and a row with fewer is read with the
    missing cells empty; both are warned about, naming the row's line.
    """
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
    wos = is_wos_tab_delimited(header)
    columns = _column_map(keys)
    width = len(header.names)
    reader = csv.reader(_lines(export.text, export.offset_after_line(header.line)),
                        delimiter=header.delimiter, strict=True)
    profiles = Profiles(width)
    rows: list[tuple[int, list[str]]] = []
    long_rows: list[int] = []
    short_rows: list[int] = []
    read = 0
    try:
        for row in reader:
            line = header.line + read + 1
            read = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            while len(row) > width and not row[-1].strip():
                row.pop()  # a trailing delimiter: nothing is shifted
            if len(row) > width:
                long_rows.append(len(rows))
            else:
                if len(row) < width:
                    short_rows.append(line)
                profiles.add(row)
            rows.append((line, row))
    except csv.Error as exc:
        raise ImportFormatError(
            f"the table cannot be read ({exc})", file=export.path,
            line=header.line + reader.line_num,
            hint="a quoted cell that is never closed means the file was cut off: export the "
            "table again, or open and re-save it as CSV",
        ) from None
    unaligned: dict[int, list[str]] = {}
    for index in long_rows:
        line, row = rows[index]
        fitted = align(row, profiles, header.delimiter)
        rows[index] = (line, fitted.cells)
        if fitted.joined_at is not None:
            LOG.warning("%s line %d: the row has %d cells for %d columns; read with cells "
                        "joined under '%s' (a value with an unquoted '%s'): check this record",
                        export.path, line, len(row), width,
                        header.names[fitted.joined_at].strip(), header.delimiter)
        else:
            unaligned[index] = fitted.unaligned
            LOG.warning("%s line %d: the row has %d cells for %d columns and where they shifted "
                        "cannot be told; the cells that may be misplaced are kept as "
                        "'unaligned cells' in its extra fields: check this record",
                        export.path, line, len(row), width)
    if short_rows:
        LOG.warning("%s: %d row(s) have fewer cells than the %d columns (first at line %d); "
                    "the missing cells are read as empty", export.path, len(short_rows),
                    width, short_rows[0])
    for index, (_line, row) in enumerate(rows):
        if own_records:
            record = _own_record(keys, row, export.path)
        elif wos:
            record = wos_row_record(header.names, row, export.path)
        else:
            record = _to_record(header.names, columns, row, export.path)
        if index in unaligned:
            record.extra["unaligned cells"] = unaligned[index]
        yield record


_WOS_TAG = re.compile(r"^[A-Z][A-Z0-9]$")


def is_wos_tab_delimited(header: Header) -> bool:
    """A Web of Science tab-delimited export: the header is the two-letter field tags."""
    names = [n.strip().lstrip("\ufeff") for n in header.names if n.strip()]
    tags = [n for n in names if _WOS_TAG.match(n)]
    return (header.delimiter == "\t" and len(tags) >= 0.8 * len(names)
            and {"PT", "TI", "UT"} <= set(tags))


def wos_row_record(names: Sequence[str], row: list[str], path: str) -> Record:
    """One tab-delimited row read with the tagged reader's mapping, so both agree."""
    tags: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        tag = name.strip().lstrip("\ufeff")
        value = row[index].strip() if index < len(row) else ""
        if not tag or not value:
            continue
        if tag in wos.LIST_TAGS:
            tags[tag] = F.split_outside_parentheses(value, ";") if tag in {"C1", "C3"} \
                else [v.strip() for v in value.split(";") if v.strip()]
        else:
            tags[tag] = [value]
    tags.setdefault("PT", [""])
    return wos.to_record(tags, path)


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
    for field_name, wanted in (("citation", CITATION_COLUMNS), ("links", LINK_COLUMNS)):
        indexes = [i for name in wanted for i, k in enumerate(keys) if k == name]
        if indexes:
            result[field_name] = indexes
    return result


def _cell(row: list[str], index: int) -> str:
    value = row[index] if index < len(row) else ""
    excel = _EXCEL_TEXT.match(value.strip())
    return excel.group(1) if excel else value.strip()


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

    used = {i for field_name, indexes in columns.items() if field_name not in _READ_ONLY
            for i in indexes}
    citation: dict[str, str] = {}
    for index in columns.get("citation", []):
        citation = F.parse_citation(_cell(row, index))
        if citation.get("journal") and citation.get("year"):
            used.add(index)
            break
        citation = {}
    extra: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        if index not in used and index < len(row) and _cell(row, index):
            extra[name.strip().lstrip("\ufeff")] = [_cell(row, index)]
    url = get("url")
    links = [u for v in every("links") for u in v.split()]
    issn, isbn = F.split_identifiers(every("issn") + every("isbn"))
    record_id = get("id") or get("accession") or F.accession_from_url([url])
    if get("accession") and get("id"):
        extra["accession"] = [get("accession")]
    pmid = F.digits_only(get("pmid")) or F.pmid_from_url(links)
    return Record(
        record_id=record_id or pmid,
        source_file=path,
        title=F.clean(strip_markup(get("title"))),
        abstract=F.clean(strip_markup(get("abstract"))),
        authors=F.authors(split_author_cell(get("authors"))),
        year=parse_year(get("year") or citation.get("year")),
        journal=F.clean(get("journal") or citation.get("journal", "")),
        volume=F.clean(get("volume") or citation.get("volume", "")),
        issue=F.issue(get("issue") or citation.get("issue", "")),
        pages=F.pages(get("pages")) or F.pages(get("page_start"), get("page_end"))
        or F.pages(citation.get("pages", "")),
        doi=F.first_doi([get("doi")], [url] + links),
        pmid=pmid,
        pmcid=F.clean(get("pmcid")) or F.pmcid_from_url(links),
        issn=issn,
        isbn=isbn,
        language=F.normalize_language(get("language")),
        keywords=_keywords(every("keywords")),
        publication_types=F.split_keywords([get("publication_types")]),
        url=F.clean(url),
        extra=F.compact(extra),
    )


def _keywords(cells: list[str]) -> list[str]:
    """Keywords from ``;``-separated cells, or comma-separated ones (never splitting inside
    parentheses: "Investment (military)", "Reduction (mathematics, applied)")."""
    parts: list[str] = []
    for cell in cells:
        parts.extend(cell.split(";") if ";" in cell else F.split_outside_parentheses(cell))
    return F.split_keywords(parts)


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
