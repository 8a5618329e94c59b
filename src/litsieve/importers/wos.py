"""Web of Science tagged plain text (the "Plain text file" export, also Derwent/ISI).

Not RIS: two-letter tags followed by one space, values continued on lines indented by
three spaces, ``PT`` opens a record, ``ER`` closes it, and the file opens with ``FN`` /
``VR`` and ends with ``EF``. In list tags (``AU``, ``AF``, ``CR``) each continuation
line is a new item; in text tags (``TI``, ``AB``, ``DE``) it continues the value.
"""

from __future__ import annotations

import re
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.markup import strip_markup
from litsieve.record import Record, parse_year

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
# Tags whose continuation lines are new items; in all others (RP, EM, RI, OI, FU, text
# fields) a continuation line continues the value.
LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "C3"})
_TYPES = {"J": "Journal Article", "B": "Book", "S": "Book in Series", "C": "Conference Paper",
          "P": "Patent"}
_MAPPED = frozenset({"PT", "TI", "AB", "AU", "AF", "PY", "SO", "VL", "IS", "BP", "EP", "AR",
                     "DI", "PM", "UT", "SN", "EI", "BN", "LA", "DE", "ID", "DT"})


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per ``PT`` ... ``ER`` block."""
    for tags in iter_blocks(export):
        yield to_record(tags, export.path)


def iter_blocks(export: ExportFile) -> Iterator[dict[str, list[str]]]:
    """Yield each record as tag -> values (list tags: one value per item)."""
    tags: dict[str, list[str]] | None = None
    start = 0
    last_tag = ""
    ended = False
    folded: list[str] = []  # continuation lines of a text tag, joined once (never +=)

    def fold() -> None:
        nonlocal folded
        if folded and tags is not None and last_tag:
            tags[last_tag][-1] = " ".join([tags[last_tag][-1]] + folded)
        folded = []

    for number, raw in enumerate(export.lines(), start=1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line.strip():
            continue
        if line.startswith("   ") and tags is not None and last_tag:
            value = line.strip()
            if last_tag in LIST_TAGS:
                tags[last_tag].append(value)
            else:
                folded.append(value)
            continue
        fold()
        match = _TAG.match(line)
        if not match:
            raise ImportFormatError(f"not a Web of Science line: {line[:60]!r}",
                                    file=export.path, line=number,
                                    hint="each line should start with a two-letter tag")
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tags is None:
            if tag == "PT":
                tags, start, last_tag = {"PT": [value]}, number, "PT"
            elif tag == "EF":
                ended = True
            elif tag not in {"FN", "VR"}:
                raise ImportFormatError(f"tag {tag} outside a record (no 'PT' line before it)",
                                        file=export.path, line=number, field=tag)
            continue
        if tag == "ER":
            yield tags
            tags, last_tag = None, ""
            continue
        if tag in {"PT", "EF"}:
            raise ImportFormatError(
                f"the record from line {start} has no 'ER' line before this {tag}",
                file=export.path, line=number, hint="the file was cut or edited; export it again",
            )
        tags.setdefault(tag, []).append(value)
        last_tag = tag
    if tags is not None:
        raise ImportFormatError(
            f"the record starting at line {start} has no 'ER' line; the file is truncated",
            file=export.path, line=start, hint="download the export again",
        )
    if not ended and start:
        raise ImportFormatError("no 'EF' line at the end; the file is truncated",
                                file=export.path, line=export.text.count("\n") + 1,
                                hint="download the export again")


def to_record(tags: dict[str, list[str]], path: str) -> Record:
    """Map one WoS record onto the record model; other tags go to ``extra``."""
    first = {tag: F.clean(values[0]) for tag, values in tags.items() if values}
    issn, isbn = F.split_identifiers(tags.get("SN", []) + tags.get("EI", []) + tags.get("BN", []))
    extra = {tag: values for tag, values in tags.items() if tag not in _MAPPED}
    if "AF" in tags and "AU" in tags:
        extra["AU"] = tags["AU"]
    extra["PT"] = tags["PT"]
    return Record(
        record_id=first.get("UT", ""),
        source_file=path,
        title=strip_markup(first.get("TI", "")),
        abstract=strip_markup(first.get("AB", "")),
        authors=F.authors(tags.get("AF") or tags.get("AU", [])),
        year=parse_year(first.get("PY") or first.get("PD", "")),
        journal=first.get("SO", ""),
        volume=first.get("VL", ""),
        issue=first.get("IS", ""),
        pages=F.pages(first.get("BP", ""), first.get("EP", "")) or first.get("AR", ""),
        doi=F.first_doi([first.get("DI", "")]),
        pmid=F.digits_only(first.get("PM", "")),
        issn=issn,
        isbn=isbn,
        language=F.normalize_language(first.get("LA", "")),
        keywords=F.split_keywords([first.get("DE", ""), first.get("ID", "")]),
        publication_types=F.split_keywords([first.get("DT", "")])
        or [_TYPES.get(first.get("PT", ""), first.get("PT", ""))],
        extra=F.compact({k: [F.clean(v) for v in vs] for k, vs in extra.items()}),
    )
