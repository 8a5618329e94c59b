"""What a record says about other records: errata, retractions, comments, updates.

MEDLINE links a report to its notices in both directions: an article carries ``EIN``
(erratum in) and the erratum ``EFR`` (erratum for) back, each with the other record's
citation and PMID. The pairs are listed in PubMed's help ("PubMed format") and, as
``CommentsCorrections RefType`` values, in the PubMed XML DTD:

==========  ==========  =================================================
MEDLINE     XML         meaning (from the record that carries it)
==========  ==========  =================================================
CIN / CON   CommentIn / CommentOn                 commented on in / comments on
EIN / EFR   ErratumIn / ErratumFor                has an erratum / is the erratum
ECI / ECF   ExpressionOfConcernIn / ...For        has an expression of concern / is it
RIN / ROF   RetractionIn / RetractionOf           is retracted in / is the notice
PRIN/PROF   PartialRetractionIn / ...Of           (errata since 2016, NLM says)
UIN / UOF   UpdateIn / UpdateOf                   is updated in / updates
RPI / RPF   RepublishedIn / RepublishedFrom       republished in / from
CRI / CRF   CorrectedandRepublishedIn / ...From   corrected and republished in / from
RRI / RRF   RetractedandRepublishedIn / ...From   retracted and republished in / from
SPIN / ORI  SummaryForPatientsIn / OriginalReportIn   patient summary in / summary of
==========  ==========  =================================================

Europe PMC's ``commentCorrectionList`` carries the same relations in words (``"Erratum
for"``). Importers keep them in :attr:`Record.extra` under :data:`LINKS_KEY` as a list of
``{"relation", "pmid", "doi", "text"}`` (``relation`` in the lower-case words of the table,
``"erratum for"``), which survives the records CSV as JSON; :func:`record_links` reads
them back typed. Reference lists (``Cites``) and dataset links are not links between
reports of a study and are not kept here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from litsieve.record import Record, normalize_doi

LINKS_KEY = "links"

# MEDLINE tag -> relation, as the record carrying the tag states it.
MEDLINE_TAGS: dict[str, str] = {
    "CIN": "comment in", "CON": "comment on",
    "EIN": "erratum in", "EFR": "erratum for",
    "ECI": "expression of concern in", "ECF": "expression of concern for",
    "RIN": "retraction in", "ROF": "retraction of",
    "PRIN": "partial retraction in", "PROF": "partial retraction of",
    "UIN": "update in", "UOF": "update of",
    "RPI": "republished in", "RPF": "republished from",
    "CRI": "corrected and republished in", "CRF": "corrected and republished from",
    "RRI": "retracted and republished in", "RRF": "retracted and republished from",
    "SPIN": "summary for patients in", "ORI": "original report in",
}
RELATIONS = frozenset(MEDLINE_TAGS.values())

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PMID_IN_TEXT = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RecordLink:
    """One link a record states: its ``relation`` to another record (PMID and/or DOI)."""

    relation: str
    pmid: str = ""
    doi: str = ""
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in (("relation", self.relation), ("pmid", self.pmid), ("doi", self.doi),
                                  ("text", self.text)) if v}


def relation_name(value: str) -> str:
    """``"erratum for"`` from ``ErratumFor``, ``"Erratum for"`` or ``"ExpressionOfConcernFor"``;
    ``""`` for a kind of link that is not between reports of a study (``Cites``)."""
    words = " ".join(_CAMEL.sub(" ", value.strip()).split()).casefold()
    words = words.replace("correctedand", "corrected and").replace("retractedand", "retracted and")
    return words if words in RELATIONS else ""


def link_from_citation(relation: str, citation: str, pmid: str = "") -> RecordLink | None:
    """A link from a relation and the other record's citation (``"... PMID: 28884800"``)."""
    name = relation_name(relation)
    if not name:
        return None
    text = " ".join(citation.split())
    if not pmid:
        found = _PMID_IN_TEXT.search(text)
        pmid = found.group(1) if found else ""
    doi = normalize_doi(text) if "10." in text else ""
    if not (pmid or doi or text):
        return None
    return RecordLink(name, pmid.strip().lstrip("0"), doi, text)


def links_value(links: Iterable[RecordLink]) -> list[dict[str, str]]:
    """The ``extra`` value for ``links``: each link once, in the order given."""
    seen: set[RecordLink] = set()
    value = []
    for link in links:
        if link not in seen:
            seen.add(link)
            value.append(link.as_dict())
    return value


def record_links(record: Record) -> list[RecordLink]:
    """The links ``record`` states (empty when its source had none)."""
    return parse_links(record.extra.get(LINKS_KEY))


def parse_links(value: Any) -> list[RecordLink]:
    """Links from the stored ``extra`` value (a list of mappings); anything else is ignored."""
    if not isinstance(value, list):
        return []
    links = []
    for item in value:
        if isinstance(item, Mapping):
            name = relation_name(str(item.get("relation", "")))
            if name:
                links.append(RecordLink(name, str(item.get("pmid", "") or "").strip().lstrip("0"),
                                        normalize_doi(str(item.get("doi", "") or "")), str(item.get("text", "") or "")))
    return links
