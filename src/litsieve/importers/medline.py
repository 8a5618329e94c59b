"""MEDLINE-layout tagged text: PubMed's "PubMed format" / ``.nbib``, ERIC's ``.nbib`` and
Ovid's direct export.

A record is a run of ``TAG - value`` lines (the tag padded to four characters) with
long values continued on indented lines; a blank line ends it. Three dialects share the
layout and are told apart by their first record:

- **PubMed** starts each record with ``PMID-``. Tags changed over the years (pre-2010
  files have ``DA`` and no ``FAU``; newer ones add ``FAU``, ``AUID``, ``LID ... [doi]``),
  so the mapping prefers the richer tag and falls back to the older one. Group authors
  (``CN``) are authors.
- **ERIC** (``OWN - ERIC``) has no PMID: its own id is ``OID`` (``EJ...``/``ED...``), the
  DOI sits in a link (``AID - http://dx.doi.org/...``) and the ISSN reads ``ISSN-...``.
- **Ovid direct export** (``VN  - Ovid Technologies``) numbers its records with ``<1. >``
  lines, uses ``UI`` for the record number (the PMID in Ovid MEDLINE), puts journal,
  volume, issue, pages and year in one ``SO`` citation and ``IS`` for the ISSN, and
  continues an abstract on lines with no indent.

Like ``Bio.Medline``, a record is first read into a mapping of tag to values, then mapped
onto the record model; every tag not mapped is kept in ``extra``.
"""

from __future__ import annotations

import re
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.links import LINKS_KEY, MEDLINE_TAGS, link_from_citation, links_value
from litsieve.importers.markup import strip_markup
from litsieve.importers.registry import REGISTRY_KEY, registry_ids_from_field
from litsieve.logs import get_logger
from litsieve.record import Record, parse_year

LOG = get_logger("importers.medline")

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
_CONTINUATION = re.compile(r"^ {2,}\S")
_OVID_NUMBER = re.compile(r"^<\d+\.\s*>\s*$")
# Tags mapped onto record fields; every other tag is kept in `extra`.
_MAPPED = frozenset({
    "PMID", "TI", "BTI", "AB", "FAU", "AU", "CN", "DP", "DA", "JT", "TA", "VI", "IP", "PG",
    "LID", "AID", "PMC", "IS", "ISSN", "ISBN", "LA", "LG", "OT", "MH", "KW", "PT", "OID", "UI",
    "YR", "DO", "SO", *MEDLINE_TAGS,
})


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one record per blank-line-separated block (or ``<n. >`` numbered block)."""
    dialect = ""
    final_tags: set[str] = set()
    previous: tuple[dict[str, list[str]], int] | None = None
    for tags, line in iter_blocks(export):
        if not dialect:
            dialect = _dialect(tags, export, line)
        if "PMID" not in tags and dialect == "pubmed":
            LOG.warning("%s line %d: a MEDLINE record without a PMID line (the file may have "
                        "been edited); kept with an id made from its content",
                        export.path, line)
        if previous is not None:
            final_tags.add(next(reversed(previous[0])))
            yield to_record(previous[0], export.path, dialect)
        previous = (tags, line)
    if previous is None:
        return
    tags, line = previous
    # A cut-off download loses the end of the last record: every other record ends with
    # the same tag (PubMed's SO, Ovid's CR) and the last one does not have it at all.
    if len(final_tags) == 1 and not final_tags & set(tags):
        LOG.warning("%s line %d: the last record has no %s line, which ends every other "
                    "record; the file may be truncated (export it again if so)",
                    export.path, line, next(iter(final_tags)))
    yield to_record(tags, export.path, dialect)


def _dialect(tags: dict[str, list[str]], export: ExportFile, line: int) -> str:
    """``pubmed``, ``eric`` or ``ovid`` from the first record; refuse other layouts."""
    if "VN" in tags or "UI" in tags:
        return "ovid"
    owner = F.clean(next(iter(tags.get("OWN", [])), "")).upper()
    if owner == "ERIC" or "OID" in tags and "PMID" not in tags:
        return "eric"
    if "PMID" in tags:
        return "pubmed"
    if "TY" in tags and "ER" in tags:
        raise ImportFormatError("this is an RIS file, not MEDLINE", file=export.path, line=line,
                                hint="give --format ris (or leave --format out)")
    raise ImportFormatError(
        "a MEDLINE record without a PMID line", file=export.path, line=line, field="PMID",
        hint="the file may be truncated or edited; export it again",
    )


def iter_blocks(export: ExportFile) -> Iterator[tuple[dict[str, list[str]], int]]:
    """Yield ``(tags, first line)`` per record."""
    tags: dict[str, list[str]] = {}
    start = 0
    last: list[str] | None = None
    folded: list[str] = []  # continuation lines of last[-1], joined once (never +=)

    def fold() -> None:
        nonlocal folded
        if folded and last is not None:
            last[-1] = " ".join([last[-1]] + folded)
        folded = []

    for number, raw in enumerate(export.lines(), start=1):
        line = raw.lstrip("\ufeff").rstrip()
        if not line.strip() or _OVID_NUMBER.match(line):
            fold()
            if tags:
                yield tags, start
            tags, last = {}, None
            continue
        if _CONTINUATION.match(line) and last is not None:
            folded.append(line.strip())
            continue
        match = _TAG.match(line)
        if not match:
            if last is not None:
                # Ovid continues an abstract on lines with no indent ("Method(s): ...").
                folded.append(line.strip())
                continue
            raise ImportFormatError(
                f"not a MEDLINE line: {line[:60]!r}", file=export.path, line=number,
                hint="each line should start with a tag such as 'TI  - '",
            )
        fold()
        tag, value = match.group(1), match.group(2).strip()
        if tag == "PMID" and tags:
            # A new record without the usual blank line in between.
            yield tags, start
            tags = {}
        if not tags:
            start = number
        last = tags.setdefault(tag, [])
        last.append(value)
    fold()
    if tags:
        yield tags, start


def _doi(tags: dict[str, list[str]]) -> str:
    for tag in ("LID", "AID"):
        for value in tags.get(tag, ()):
            if value.endswith("[doi]"):
                doi = F.normalize_doi(value[: -len("[doi]")])
                if doi:
                    return doi
    return F.first_doi(tags.get("DO", []), tags.get("AID", []) + tags.get("LID", []))


def to_record(tags: dict[str, list[str]], path: str, dialect: str = "pubmed") -> Record:
    """Map one MEDLINE-layout block onto the record model; other tags go to ``extra``."""
    first = {tag: F.clean(values[0]) for tag, values in tags.items() if values}
    names = tags.get("FAU") or tags.get("AU", [])
    groups = [F.clean(v) for v in tags.get("CN", []) if F.clean(v)]
    pmcid = next((v for v in map(F.clean, tags.get("PMC", [])) if v), "")
    issn, _ = F.split_identifiers(tags.get("IS", []) + tags.get("ISSN", []))
    citation = F.parse_citation(first.get("SO", "")) if dialect != "pubmed" else {}
    extra_tags = {tag: values for tag, values in tags.items() if tag not in _MAPPED}
    for tag in ("AU", "TA", "DA", "LID", "AID", "BTI", "SO", "UI"):
        if tag in tags and (tag != "AU" or "FAU" in tags):
            extra_tags[tag] = tags[tag]
    own_id = first.get("PMID", "")
    pmid = F.digits_only(first.get("PMID", ""))
    database = " ".join(tags.get("DB", [])).casefold()
    if dialect == "ovid":
        own_id = first.get("UI") or first.get("AN", "")
        if not pmid and ("medline" in database or "pubmed" in database):
            pmid = F.digits_only(own_id)
    elif dialect == "eric":
        own_id = first.get("OID") or own_id
    locations = tags.get("LID", []) + tags.get("AID", []) + tags.get("UR", [])
    url = next((F.clean(v) for v in locations if re.match(r"https?://", F.clean(v))
                and not F.doi_from_url(v)), "")
    extra = F.compact({k: [F.clean(v) for v in vs] for k, vs in extra_tags.items()})
    links = [link for tag, relation in MEDLINE_TAGS.items() for value in tags.get(tag, ())
             if (link := link_from_citation(relation, F.clean(value)))]
    if links:
        extra[LINKS_KEY] = links_value(links)
    registry = registry_ids_from_field(F.clean(v) for v in tags.get("SI", []))
    if registry:
        extra[REGISTRY_KEY] = registry
    return Record(
        record_id=own_id,
        source_file=path,
        title=F.clean(strip_markup(first.get("TI") or first.get("BTI", ""))),
        abstract=F.clean(strip_markup(first.get("AB", ""))),
        authors=F.authors(names) + [g for g in groups if g not in names],
        year=parse_year(first.get("DP") or first.get("YR") or citation.get("year")
                        or first.get("DA") or first.get("EDAT", "")),
        journal=first.get("JT") or citation.get("journal") or first.get("TA", ""),
        volume=first.get("VI") or citation.get("volume", ""),
        issue=F.issue(first.get("IP") or citation.get("issue", "")),
        pages=F.pages(first.get("PG") or citation.get("pages", "")),
        doi=_doi(tags),
        pmid=pmid,
        pmcid=pmcid,
        issn=issn,
        isbn="; ".join(F.clean(v) for v in tags.get("ISBN", [])),
        language=F.normalize_language("; ".join(tags.get("LA", []) + tags.get("LG", []))),
        keywords=F.split_keywords(tags.get("OT", []) + tags.get("MH", []) + tags.get("KW", [])),
        publication_types=[F.clean(v) for v in tags.get("PT", []) if F.clean(v)],
        url=url,
        extra=extra,
    )
