"""Where a screener can read more: the record's own links and the other reports of its study.

Links are built from identifiers, never copied from an export: a record's ``url`` is shown
only when it is ``http`` or ``https`` (an export could hold ``javascript:``), and DOIs,
PMIDs and PMCIDs become links to their resolvers with the identifier quoted.

Deduplication links reports of one study (an erratum, a conference abstract, a preprint
of the same trial) with a ``study_id`` and, for each linked report, its ``relation`` and
``related_to`` in ``results/dedup/clusters.csv``. :class:`StudyLinks` reads them through
:mod:`litsieve.studies` (the reading the queues and the report share) and gives the page
the other reports of the shown record's study and its flags: a retracted study is said at
the top of the page, in capitals, before anything else about the record.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import quote, urlsplit

from litsieve.fileio import iter_csv
from litsieve.record import Record
from litsieve.studies import read_studies

_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"^PMC\d{1,9}$", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def safe_url(url: str) -> str:
    """``url`` when it is an absolute http(s) address, else ``""``."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def record_links(record: Record | None, doi: str = "", fallback: str = "") -> list[Link]:
    """DOI, PubMed, PubMed Central and the source's own page, each once.

    ``doi`` and ``fallback`` (the queue's ``link`` column) are used when the record itself
    is not at hand."""
    links: list[Link] = []
    doi = (record.doi if record else "") or doi
    if doi:
        links.append(Link(f"doi:{doi}", f"https://doi.org/{quote(doi, safe='/:;()._-')}"))
    if record is not None:
        if _PMID.match(record.pmid or ""):
            links.append(Link(f"PubMed {record.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/"))
        if _PMCID.match(record.pmcid or ""):
            links.append(Link(record.pmcid.upper(), f"https://www.ncbi.nlm.nih.gov/pmc/articles/{record.pmcid.upper()}/"))
    own = safe_url(record.url if record is not None else "") or safe_url(fallback)
    if own and all(own != link.url for link in links):
        links.append(Link("source page", own))
    return links


@dataclass(frozen=True)
class LinkedReport:
    """Another report of the shown record's study, and how the two are linked."""

    record_id: str
    title: str
    relation: str  # e.g. "erratum of", "conference abstract of"; "" for the study's main report
    related_to: str


class StudyLinks:
    """The study links of ``results/dedup/clusters.csv`` (none when it has no ``study_id``)."""

    def __init__(self, clusters: str | os.PathLike[str] | None, titles: Callable[[str], str]) -> None:
        self._titles = titles
        self.studies = read_studies(clusters)

    def __bool__(self) -> bool:
        return self.studies.with_study_columns

    def reports(self, record_id: str) -> list[LinkedReport]:
        """The other reports of ``record_id``'s study, by record id."""
        study = self.studies.study_of(record_id)
        return [LinkedReport(report.record_id, self._titles(report.record_id), report.relation, report.related_to)
                for report in study.reports if report.record_id != record_id]

    def flags(self, record_id: str) -> str:
        """``RETRACTED``, ``EXPRESSION OF CONCERN`` (``""`` for a study without flags)."""
        return self.studies.study_of(record_id).flag_text


def titles_from(records: Mapping[str, Record], *more: str | os.PathLike[str]) -> Callable[[str], str]:
    """A title lookup: the stage's records first, then record files (``results/dedup/records.csv``)
    read only when a title is asked for that the records lack."""
    cache: dict[str, str] = {}
    loaded = False

    def title(record_id: str) -> str:
        nonlocal loaded
        if record_id in records:
            return records[record_id].title
        if not loaded:
            loaded = True
            for path in more:
                if Path(path).exists():
                    for row in iter_csv(path, required=("record_id",)):
                        cache.setdefault(row["record_id"], row.get("title", ""))
        return cache.get(record_id, "")

    return title
