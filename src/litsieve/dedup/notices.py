"""Notices about another report, as their titles and publication types say.

An erratum, a retraction notice, an expression of concern, a letter and its reply are
published under the title of the report they are about (``Erratum: <title>``,
``Correction to "<title>"``, ``<title> (vol 360, pg 542, 2009)``, ``<letter title> -
Reply``, ``Re: <title>``). :func:`target_title` takes those words off to get the title of
the report the notice is about; :func:`notice_relation` says which kind of notice it is.
A retracted report itself carries a banner instead (``RETRACTED: <title>``, ``<title>
[Retracted]``, publication type ``Retracted Publication``): :func:`retracted_banner`.
"""

from __future__ import annotations

import re

from litsieve import studies as vocabulary
from litsieve.dedup.features import CONFERENCE, ERRATUM, PREPRINT, REPLY, RETRACTION, normalize_title
from litsieve.record import Record

# The relation vocabulary is the study view's (``litsieve.studies``), which every later stage reads.
ERRATUM_OF, RETRACTION_OF, CONCERN_ABOUT, COMMENT_ON, REPLY_TO = vocabulary.NOTICES
UPDATE_OF, CONFERENCE_OF, PREPRINT_OF, REGISTRY_OF, SAME_STUDY = vocabulary.REPORTS
RELATIONS = vocabulary.NOTICES + vocabulary.REPORTS
NOTICES = frozenset(vocabulary.NOTICES)

_NOTICE_WORDS = (
    r"(?:(?:authors?'?s?'?|publisher'?s?'?|editorial|editor'?s?'?)\s+)?"
    r"(?:erratum|errata|corrigendum|corrigenda|correction|notice of retraction|retraction(?:\s+(?:notice|note|statement))?"
    r"|notice of concern|expression of concern|in reply|reply|response|rebuttal|commentary|comments?|letter(?: to the editor)?"
    r"|re|note)"
)
_PREFIX = re.compile(
    rf"^\W*{_NOTICE_WORDS}\b\s*(?:(?:to|for|of|on|in|regarding|about|concerning)\b\s*)?"
    r"(?:(?:the\s+)?(?:article|paper|letter|comment|study)\b\s*(?:(?:on|about|regarding)\b|by\b[^:\"“]{0,60})?\s*"
    r"(?:entitled|titled)?\s*)?[:.,\-\u2013\u2014]*\s*",
    re.IGNORECASE)
_SUFFIX = re.compile(
    r"(?:\s[-\u2013\u2014]|:|\()\s*(?:(?:the\s+)?authors?'?s?'?\s+)?(?:reply|response|replies)\)?\s*\.?\s*$", re.IGNORECASE)
# "[J Clin Oncol 27 (2009) 123-9]", "[Lancet 2009; 373: 1-2]": a citation of the report, not its title.
_CITED = re.compile(r"\s*(?:\[[^\[\]]*\d{4}[^\[\]]*\]|\((?:[^()]|\([^()]*\))*\d{4}(?:[^()]|\([^()]*\))*\))\s*\.?\s*$")
_QUOTES = "\"'“”‘’«»"
_EXPRESSION_OF_CONCERN = re.compile(r"\b(?:expression|notice) of concern\b", re.IGNORECASE)
_REPLY_WORDS = re.compile(r"^\W*(?:in\s+)?(?:authors?'?s?'?\s+)?(?:reply|response|replies|rebuttal)\b"
                          r"|(?:\s[-\u2013\u2014]|:|\()\s*(?:(?:the\s+)?authors?'?s?'?\s+)?(?:reply|response|replies)\)?\s*\.?\s*$",
                          re.IGNORECASE)
_BANNER = re.compile(r"^\W*(?:retracted)(?:\s+(?:article|paper|publication))?\b\s*[:.\]\-]|\[\s*retracted(?:\s+article)?\s*\]"
                     r"|\(\s*retracted(?:\s+article)?\s*\)\s*\.?\s*$", re.IGNORECASE)


def target_title(title: str) -> str:
    """The normalised title of the report a notice is about (``""`` when none is left)."""
    text = title.strip()
    for _ in range(3):
        stripped = _PREFIX.sub("", text, count=1).strip().strip(_QUOTES).strip()
        stripped = _SUFFIX.sub("", stripped).strip()
        stripped = _CITED.sub("", stripped).strip().strip(_QUOTES + " .").strip()
        if stripped == text:
            break
        text = stripped
    return normalize_title(text)


def notice_relation(record: Record, kinds: frozenset[str]) -> str:
    """What kind of notice ``record`` is (one of :data:`NOTICES`), or ``""``."""
    types = " | ".join(record.publication_types).casefold()
    if RETRACTION in kinds:
        concern = _EXPRESSION_OF_CONCERN.search(record.title) or "expression of concern" in types
        return CONCERN_ABOUT if concern else RETRACTION_OF
    if ERRATUM in kinds:
        return ERRATUM_OF
    if REPLY in kinds:
        return REPLY_TO if _REPLY_WORDS.search(record.title) else COMMENT_ON
    return ""


def report_relation(kinds: frozenset[str]) -> str:
    """A conference abstract or preprint is an early report of a study, not a notice."""
    if PREPRINT in kinds:
        return PREPRINT_OF
    if CONFERENCE in kinds:
        return CONFERENCE_OF
    return ""


def retracted_banner(record: Record) -> bool:
    """The record is itself a retracted report: a banner in its title or the publication type."""
    if any(t.strip().casefold() == "retracted publication" for t in record.publication_types):
        return True
    title = record.title
    if title.isascii() and "retracted" not in title.lower():
        return False  # every banner holds the word: most titles skip the pattern
    return bool(title) and bool(_BANNER.search(title))
