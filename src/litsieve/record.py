"""The record model shared by every stage (see ../shared/DESIGN.md).

One :class:`Record` is one item found in one source. Field names are a contract with
the benchmarks and other tools; list fields are joined with ``"; "`` in CSV. Anything
else a format carries is kept in :attr:`Record.extra` rather than dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

RECORD_FIELDS: tuple[str, ...] = (
    "record_id",
    "source",
    "source_file",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "issn",
    "isbn",
    "language",
    "keywords",
    "publication_types",
    "url",
)
LIST_FIELDS: frozenset[str] = frozenset({"authors", "keywords", "publication_types"})
LIST_SEPARATOR = "; "
EXTRA_COLUMN = "extra"


@dataclass
class Record:
    """One bibliographic record from one source, in litsieve's common model."""

    record_id: str = ""
    source: str = ""
    source_file: str = ""
    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    issn: str = ""
    isbn: str = ""
    language: str = ""
    keywords: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_row(self, *, with_extra: bool = True) -> dict[str, str]:
        """Flatten to CSV cells: lists joined with ``"; "``, year as text, extra as JSON."""
        row: dict[str, str] = {}
        for name in RECORD_FIELDS:
            value = getattr(self, name)
            if name in LIST_FIELDS:
                row[name] = LIST_SEPARATOR.join(v for v in value if v)
            elif value is None:
                row[name] = ""
            else:
                row[name] = str(value)
        if with_extra:
            row[EXTRA_COLUMN] = (
                json.dumps(self.extra, ensure_ascii=False, sort_keys=True) if self.extra else ""
            )
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "Record":
        """Inverse of :meth:`to_row`; unknown columns go to ``extra``."""
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in row.items():
            value = "" if raw is None else raw
            if isinstance(value, float) and value != value:  # pandas NaN
                value = ""
            if key in LIST_FIELDS:
                kwargs[key] = split_list(str(value))
            elif key == "year":
                kwargs[key] = parse_year(value)
            elif key == EXTRA_COLUMN:  # before the field names: `extra` is one of them
                if value:
                    extra.update(json.loads(value))
            elif key in _FIELD_NAMES:
                kwargs[key] = str(value)
            elif value != "":
                extra[key] = value
        record = cls(**kwargs)
        record.extra = extra
        return record


_FIELD_NAMES = frozenset(f.name for f in fields(Record))


def split_list(value: str) -> list[str]:
    """Split a ``"; "``-joined CSV cell back into a list, dropping empty items."""
    return [part.strip() for part in value.split(";") if part.strip()]


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
# A compact date, YYYYMMDD (Dimensions' "Start date: 20170812", MEDLINE's DA/DCOM lines).
_COMPACT_DATE = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")


def parse_year(value: Any) -> int | None:
    """The first plausible four-digit year in ``value`` (``"2017/05/01"`` gives 2017)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if value != value else int(value)
    match = _YEAR.search(str(value)) or _COMPACT_DATE.search(str(value))
    return int(match.group(1)) if match else None


_DOI_PREFIX = re.compile(
    r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/|https?://[^/]*/doi/(?:abs/|full/|pdf/)?)",
    re.IGNORECASE,
)
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# MEDLINE-style type tags glued to a DOI ("10.1000/x[doi]"), never part of one.
_DOI_TAG = re.compile(r"\[(?:doi|pii|pmid|pmc|pmcid|doi\s*link)\]$", re.IGNORECASE)
_CLOSERS = {")": "(", "]": "[", ">": "<", "}": "{"}
_HTML_ESCAPES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&#60;": "<", "&#62;": ">"}


def normalize_doi(value: str | None) -> str:
    """Lower-case DOI without URL or ``doi:`` prefix and without trailing punctuation.

    Returns ``""`` when ``value`` holds no DOI, so a URL field can be passed in blindly.
    Brackets belong to the DOI when they are balanced inside it: SICI DOIs such as
    ``10.1641/0006-3568(2002)052[0044:PTLBTR]2.0.CO;2`` or ``...<167::AID-CNE1>3.0.CO;2-Z``
    are kept whole; only an unbalanced closer (the end of a sentence in parentheses)
    and a glued ``[doi]`` tag are cut.
    """
    if not value:
        return ""
    text = str(value).strip()
    if "&" in text:
        for escaped, char in _HTML_ESCAPES.items():
            text = text.replace(escaped, char)
    text = _DOI_PREFIX.sub("", text)
    match = _DOI_IN_TEXT.search(text)
    if not match:
        return ""
    doi = match.group(0)
    doi = _DOI_TAG.sub("", unquote(doi) if "%" in doi else doi)
    end = len(doi)
    balance: dict[str, int] = {}
    while end:
        last = doi[end - 1]
        if last in ".,;:'\"":
            end -= 1
        elif last in _CLOSERS:
            if last not in balance:
                balance[last] = doi.count(last) - doi.count(_CLOSERS[last])
            if balance[last] <= 0:
                break
            balance[last] -= 1  # a closer with no opener: not part of the DOI
            end -= 1
        else:
            break
    return doi[:end].lower()


def normalize_author(name: str) -> str:
    """``Surname, Given`` from the shapes exports use (``Given Surname``, ``Surname GI``)."""
    name = " ".join(str(name).replace("\u00a0", " ").split()).strip(" ;,")
    if not name:
        return ""
    if "," in name:
        surname, given = name.split(",", 1)
        given = given.strip()
        return f"{surname.strip()}, {given}" if given else surname.strip()
    parts = name.split(" ")
    if len(parts) == 1:
        return name
    last = parts[-1]
    # MEDLINE "Smith JA": trailing initials in capitals.
    initials = last.replace(".", "").replace("-", "")
    if initials.isupper() and len(initials) <= 3 and initials.isalpha():
        return f"{' '.join(parts[:-1])}, {last}"
    # Particles belong to the surname: "Markus von Detten", "Felicita Di Giandomenico".
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].casefold() in _PARTICLES:
        cut -= 1
    return f"{' '.join(parts[cut:])}, {' '.join(parts[:cut])}"


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "di", "da", "du", "la", "le", "del",
                        "della", "dos", "das", "do", "ter", "ten", "zu", "af", "al", "el"})


def content_hash_id(prefix: str, parts: Iterable[str]) -> str:
    """A stable id from normalised content, for sources with no identifier of their own."""
    normalised = "\x1f".join(
        unicodedata.normalize("NFKC", p or "").casefold().strip() for p in parts
    )
    digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}:h{digest}"


def assign_ids(records: list[Record], source: str, *, verbatim: bool = False) -> list[Record]:
    """Give every record a stable id unique within ``source``.

    A record keeps its own identifier (PMID, accession number) where it has one, else a
    content hash. Ids are prefixed with the source name so they are unique across the
    review, except with ``verbatim`` (a CSV ``id``/``ID``/``record_id`` column, which
    DESIGN.md says is kept as it is). Repeated ids within one file (the same item
    exported twice) get ``~2``, ``~3`` suffixes in file order, stable for the same file.
    """
    seen: dict[str, int] = {}
    for record in records:
        base = record.record_id or content_hash_id(
            source,
            [record.title, "; ".join(record.authors), str(record.year or ""), record.doi,
             record.journal, record.pages],
        )
        if not verbatim and not base.startswith(f"{source}:"):
            base = f"{source}:{base}"
        count = seen.get(base, 0) + 1
        seen[base] = count
        record.record_id = base if count == 1 else f"{base}~{count}"
        record.source = source
    return records
