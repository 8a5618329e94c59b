"""RIS, in the dialects the databases actually write.

There is no single RIS: EBSCOhost writes ``T1``/``JF``/``Y1`` and hides the PsycINFO
accession in ``AN``; Ovid numbers its records and puts *cited* authors in ``A2`` and cited
references in hundreds of ``M1`` lines; APA PsycNet puts header lines before the first
record and uses a four-letter ``PMID`` tag; Scopus and Web of Science write ``TI``/``T2``/
``PY``, Scopus hides the PMID in ``C2``, Embase in ``C5`` and its L-number in ``U2``;
Web of Science folds long values onto indented lines with no tag. ``ER  -`` comes with
and without its trailing space. The parser reads tags into an ordered mapping per record
(repeats kept), then :func:`to_record` maps that onto the record model, keeping every
tag it does not map in ``extra``.
"""

from __future__ import annotations

import re
from typing import Iterator

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile
from litsieve.importers.markup import strip_markup
from litsieve.logs import get_logger
from litsieve.record import Record, parse_year

LOG = get_logger("importers.ris")

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {1,2}-(?: (.*))?$")
_RECORD_NUMBER = re.compile(r"^\s*\d+\.\s*$")

# Tags mapped onto record fields, in order of preference.
_TITLE = ("TI", "T1", "CT", "BT")
_JOURNAL = ("JF", "T2", "JO", "JA", "J2", "J9", "JI")
_YEAR = ("PY", "Y1", "DA", "Y2")
_ABSTRACT = ("AB", "N2")
_LINKS = ("UR", "L2", "L1", "L3", "L4", "LK", "M3")
_TAGGED_ID_TAGS = ("U1", "U2", "U3", "U4", "U5", "M1", "M2", "N1", "AN", "C1", "C2", "C3", "C4")
REFERENCE_TYPES = {
    "JOUR": "Journal Article", "JFULL": "Journal Article", "EJOUR": "Journal Article",
    "BOOK": "Book", "EBOOK": "Book", "CHAP": "Book Chapter", "ECHAP": "Book Chapter",
    "CONF": "Conference Proceeding", "CPAPER": "Conference Paper", "THES": "Thesis",
    "RPRT": "Report", "GEN": "Generic", "NEWS": "Newspaper Article", "MGZN": "Magazine Article",
    "ELEC": "Web Page", "DATA": "Dataset", "SER": "Serial", "STAND": "Standard",
}


def parse(export: ExportFile) -> Iterator[Record]:
    """Yield one :class:`Record` per ``TY`` ... ``ER`` block."""
    for tags in iter_blocks(export):
        yield to_record(tags, export.path)


def iter_blocks(export: ExportFile) -> Iterator[dict[str, list[str]]]:
    """Yield each record's tags, mapped to their values in file order.

    A tagged line between records (Ovid writes ``NL  - <journal abbreviation>`` after
    each ``ER  -``) is kept with the record before it and warned about once, naming the
    line; untagged text between records (Ovid's "Link to the Ovid Full Text" lines) is
    skipped with a warning. Only damage that loses records is an error: a record that
    never ends, or a new ``TY`` inside a record.
    """
    tags: dict[str, list[str]] | None = None
    ended: dict[str, list[str]] | None = None
    start = 0
    last: list[str] | None = None
    folded: list[str] = []  # continuation lines of last[-1], joined once (never +=)
    warned_stray = warned_tag = False
    for number, raw in enumerate(export.lines(), start=1):
        line = raw.rstrip() if number > 1 else raw.lstrip("\ufeff").rstrip()
        if tags is None:
            # Between records an indented tag still counts; inside one it is a continuation.
            line = line.lstrip()
        match = _TAG.match(line) if line[:1].isalpha() else None
        if tags is None:
            if match and match.group(1) == "TY":
                if ended is not None:
                    yield ended
                    ended = None
                tags, start = {"TY": [(match.group(2) or "").strip()]}, number
                last = None
            elif match and match.group(1) != "ER":
                tag = match.group(1)
                if not warned_tag:
                    where = ("kept with the record before it" if ended is not None
                             else "ignored: no record before it")
                    LOG.warning("%s line %d: tag %s outside a record (after 'ER  -'); %s",
                                export.path, number, tag, where)
                    warned_tag = True
                if ended is not None:
                    # Kept apart from the record's own tags: it never changes a field.
                    ended.setdefault(f"after ER: {tag}", []).append((match.group(2) or "").strip())
            elif line.strip() and not _RECORD_NUMBER.match(line) and start and not warned_stray:
                LOG.warning("%s line %d: text between records ignored: %.60s",
                            export.path, number, line.strip())
                warned_stray = True
            continue
        if match:
            if folded and last is not None:
                last[-1] = "\n".join([last[-1]] + folded) if last[-1] else "\n".join(folded)
                folded = []
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "ER":
                ended, tags, last = tags, None, None
                continue
            if tag == "TY":
                raise ImportFormatError(
                    f"a new record starts before the record from line {start} ended "
                    "(missing 'ER  -')", file=export.path, line=number, field="TY",
                    hint="the file may have been cut or edited; export it again",
                )
            last = tags.setdefault(tag, [])
            last.append(value)
        elif line.strip() and last is not None:
            # Untagged continuation line (Web of Science folds long values this way).
            folded.append(line.strip())
    if tags is not None:
        raise ImportFormatError(
            f"the record starting at line {start} has no 'ER  -' end tag; the file is "
            "truncated", file=export.path, line=start, hint="download the export again",
        )
    if ended is not None:
        yield ended
    if start == 0:
        raise ImportFormatError("no RIS records (no 'TY  -' line) in this file",
                                file=export.path, line=1,
                                hint="check the file is an RIS export")


class _Remaining:
    """The tags of one record not yet mapped onto a field: what ends up in ``extra``."""

    def __init__(self, tags: dict[str, list[str]]) -> None:
        self.tags = {tag: list(values) for tag, values in tags.items()}

    def first(self, names: tuple[str, ...]) -> str:
        """Take the first non-blank value of the first of ``names`` that has one."""
        for name in names:
            for value in self.tags.get(name, ()):
                if F.clean(value):
                    self.take(name, value)
                    return value
        return ""

    def take(self, tag: str, value: str) -> None:
        values = self.tags.get(tag, [])
        if value in values:
            values.remove(value)

    def take_all(self, *names: str) -> list[str]:
        return [v for name in names for v in self.tags.pop(name, [])]


def to_record(tags: dict[str, list[str]], path: str) -> Record:
    """Map one RIS block onto the record model; unmapped tags go to ``extra``."""
    rest = _Remaining(tags)
    record_type = F.clean(rest.first(("TY",)))
    rest.take_all("ER")
    title = rest.first(_TITLE)
    journal = rest.first(_JOURNAL)
    year_text = rest.first(_YEAR)
    abstract = rest.first(_ABSTRACT)

    databases = " ".join(tags.get("DB", []) + tags.get("DP", [])).casefold()
    pmid = ""
    for tag in ("PMID", "C2", "C5"):
        pmid = pmid or next((F.digits_only(v) for v in tags.get(tag, ()) if F.digits_only(v)), "")
    if not pmid and any(name in databases for name in ("medline", "pubmed", "nlm")):
        # EBSCOhost MEDLINE, Ovid MEDLINE, EndNote's PubMed records (DP  - NLM).
        pmid = next((F.digits_only(v) for v in tags.get("AN", ()) if F.digits_only(v)), "")
    rest.take_all("PMID")
    # "34589295 [PMID]" / "PMC8434810 [PMCID]" (Dimensions puts them in U1).
    tagged = F.tagged_identifiers(v for tag in _TAGGED_ID_TAGS for v in tags.get(tag, ()))

    links = [v for tag in _LINKS for v in tags.get(tag, ())]
    pmid = pmid or tagged.get("pmid", "") or F.pmid_from_url(links)
    doi_values = rest.take_all("DO")
    doi = F.first_doi(doi_values + [tagged.get("doi", "")], links)
    rest.tags["DO"] = [v for v in doi_values if F.normalize_doi(v) != doi]
    url = ""
    for tag in ("UR", "L2"):
        for value in tags.get(tag, ()):
            if not url and re.match(r"https?://", F.clean(value)):
                url = F.clean(value)
                rest.take(tag, value)
    serials = rest.take_all("SN")
    issn, isbn = F.split_identifiers(serials)
    if serials and not issn and not isbn:
        rest.tags["SN"] = serials  # neither an ISSN nor an ISBN: kept as written

    pub_types = [F.clean(v) for v in rest.take_all("PT") if F.clean(v)]
    if not pub_types:
        pub_types = [F.clean(v) for v in tags.get("M3", []) if F.clean(v) and not F.normalize_doi(v)]
        for value in pub_types:
            rest.take("M3", value)
    if not pub_types and record_type:
        pub_types = [REFERENCE_TYPES.get(record_type, record_type)]

    own_id = ""
    for tag in ("AN", "U2", "ID"):
        value = F.clean(next(iter(tags.get(tag, [])), ""))
        if value and (tag != "U2" or re.fullmatch(r"L\d+", value)):
            own_id = value
            break
    own_id = own_id or F.accession_from_url(links)

    authors = F.authors(rest.take_all("AU", "A1"))
    volume = F.clean(rest.first(("VL",)))
    issue_text = F.clean(rest.first(("IS",)))
    issue = F.issue(issue_text)
    if issue_text and not issue:
        rest.tags.setdefault("IS", []).append(issue_text)
    pages = F.pages(rest.first(("SP",)), rest.first(("EP",)))
    language = F.normalize_language("; ".join(rest.take_all("LA")))
    keywords = F.split_keywords(rest.take_all("KW"))
    # Values are stripped already; only folded (multi-line) ones need their spaces joined.
    extra = {tag: [F.clean(v) if "\n" in v else v for v in values]
             for tag, values in rest.tags.items() if values}
    extra_fields = F.compact(extra)
    if record_type:
        extra_fields["TY"] = record_type
    return Record(
        record_id=own_id or pmid,
        source_file=path,
        title=F.clean(strip_markup(title)),
        abstract=F.clean(strip_markup(abstract)),
        authors=authors,
        year=parse_year(year_text),
        journal=F.clean(journal),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=doi,
        pmid=pmid,
        pmcid=tagged.get("pmcid", "") or F.pmcid_from_url(links),
        issn=issn,
        isbn=isbn,
        language=language,
        keywords=keywords,
        publication_types=pub_types,
        url=url,
        extra=extra_fields,
    )
