"""MEDLINE / PubMed text format (PubMed's "PubMed format" export and ``.nbib`` files).

A record is a run of ``TAG - value`` lines (the tag padded to four characters) with
long values continued on lines indented by six spaces; a blank line ends it. Tags
changed over the years (pre-2010 files have ``DA`` and no ``FAU``; newer ones add
``FAU``, ``AUID``, ``LID ... [doi]``, ``PHST``), so the mapping prefers the richer tag
and falls back to the older one. Like ``Bio.Medline``, a record is first read into a
mapping of tag to values, then mapped onto the record model.
"""

from __future__ import annotations

import re
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.record import Record, parse_year

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
_CONTINUATION = re.compile(r"^ {2,}\S")
# Tags mapped onto record fields; every other tag is kept in `extra`.
_MAPPED = frozenset({
    "PMID", "TI", "BTI", "AB", "FAU", "AU", "DP", "DA", "JT", "TA", "VI", "IP", "PG",
    "LID", "AID", "PMC", "IS", "ISBN", "LA", "OT", "MH", "PT",
})


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per blank-line-separated block that starts with ``PMID-``."""
    for tags, line in iter_blocks(export):
        if "PMID" not in tags:
            raise ImportFormatError(
                "a MEDLINE record without a PMID line", file=export.path, line=line,
                field="PMID", hint="the file may be truncated or edited; export it again",
            )
        yield to_record(tags, export.path)


def iter_blocks(export: ExportFile) -> Iterator[tuple[dict[str, list[str]], int]]:
    """Yield ``(tags, first line)`` per record."""
    tags: dict[str, list[str]] = {}
    start = 0
    last: list[str] | None = None
    for number, raw in enumerate(export.lines(), start=1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line.strip():
            if tags:
                yield tags, start
            tags, last = {}, None
            continue
        if _CONTINUATION.match(line) and last is not None:
            last[-1] = f"{last[-1]} {line.strip()}"
            continue
        match = _TAG.match(line)
        if not match:
            raise ImportFormatError(
                f"not a MEDLINE line: {line[:60]!r}", file=export.path, line=number,
                hint="each line should start with a tag such as 'TI  - '",
            )
        tag, value = match.group(1), match.group(2).strip()
        if tag == "PMID" and tags:
            # A new record without the usual blank line in between.
            yield tags, start
            tags = {}
        if not tags:
            start = number
        last = tags.setdefault(tag, [])
        last.append(value)
    if tags:
        yield tags, start


def _doi(tags: dict[str, list[str]]) -> str:
    for tag in ("LID", "AID"):
        for value in tags.get(tag, ()):
            if value.endswith("[doi]"):
                doi = F.normalize_doi(value[: -len("[doi]")])
                if doi:
                    return doi
    return ""


def to_record(tags: dict[str, list[str]], path: str) -> Record:
    """Map one MEDLINE block onto the record model; other tags go to ``extra``."""
    first = {tag: F.clean(values[0]) for tag, values in tags.items() if values}
    names = tags.get("FAU") or tags.get("AU", [])
    pmcid = next((v for v in map(F.clean, tags.get("PMC", [])) if v), "")
    issn, _ = F.split_identifiers(tags.get("IS", []))
    extra_tags = {tag: values for tag, values in tags.items() if tag not in _MAPPED}
    for tag in ("AU", "TA", "DA", "LID", "AID", "BTI"):
        if tag in tags and (tag != "AU" or "FAU" in tags):
            extra_tags[tag] = tags[tag]
    return Record(
        record_id=first.get("PMID", ""),
        source_file=path,
        title=first.get("TI") or first.get("BTI", ""),
        abstract=first.get("AB", ""),
        authors=F.authors(names),
        year=parse_year(first.get("DP") or first.get("DA") or first.get("EDAT", "")),
        journal=first.get("JT") or first.get("TA", ""),
        volume=first.get("VI", ""),
        issue=first.get("IP", ""),
        pages=F.pages(first.get("PG", "")),
        doi=_doi(tags),
        pmid=F.digits_only(first.get("PMID", "")),
        pmcid=pmcid,
        issn=issn,
        isbn="; ".join(F.clean(v) for v in tags.get("ISBN", [])),
        language=F.normalize_language("; ".join(tags.get("LA", []))),
        keywords=F.split_keywords(tags.get("OT", []) + tags.get("MH", [])),
        publication_types=[F.clean(v) for v in tags.get("PT", []) if F.clean(v)],
        extra=F.compact({k: [F.clean(v) for v in vs] for k, vs in extra_tags.items()}),
    )
