"""Trial registration numbers: the one identifier every report of a trial shares.

A trial's registry entries, its protocol, its conference abstracts and its papers all
cite the same registration (ICMJE requires it since 2005), so a shared number says "one
study" more surely than any title. Numbers are read from structured fields where a
format has them (MEDLINE ``SI - ClinicalTrials.gov/NCT00000419``, PubMed XML
``DataBankList``) and kept in :attr:`Record.extra` under :data:`REGISTRY_KEY`; they are
also found in a record's title, abstract, keywords and URL (``Trial registration:
ISRCTN12345678``). The formats are those of the WHO ICTRP primary registries.

EudraCT numbers (``2004-000123-45``) look like other numbers, so in free text they count
only right after the word ``EudraCT``/``EUCTR``/``CTIS``.
"""

from __future__ import annotations

import re
from typing import Iterable

from litsieve.record import Record

REGISTRY_KEY = "registry_ids"

_PATTERNS = (
    r"NCT\s?\d{8}",
    r"ISRCTN\s?\d{8}",
    r"ACTRN\s?\d{14}",
    r"DRKS\s?\d{8}",
    r"ChiCTR(?:-[A-Z]{2,4}-)?\d{8,10}",
    r"CTRI/\d{4}/\d{2,3}/\d{6}",
    r"(?:JPRN-)?UMIN\d{9}",
    r"(?:JPRN-)?jRCT[a-z]?\d{9,10}",
    r"(?:JPRN-)?JapicCTI-?\d{6}",
    r"IRCT\d{6,14}N\d{1,3}",
    r"KCT\d{7}",
    r"PACTR\d{15}",
    r"TCTR\d{11}",
    r"SLCTR/\d{4}/\d{3}",
    r"RBR-\w{6,8}",
    r"NTR\d{3,5}",
    r"NL-OMON\d{5}",
)
_ANY = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_PATTERNS) + r")(?![0-9])", re.IGNORECASE)
_EUDRACT = re.compile(r"\b(?:EudraCT|EUCTR|CTIS)\b[\s:#./-]*(?:(?:number|no)\.?\s*:?\s*)?(\d{4}-\d{6}-\d{2}(?:-\d{2})?)",
                      re.IGNORECASE)
_EUDRACT_ONLY = re.compile(r"^\s*(?:EUCTR|EudraCT)?[\s/-]*(\d{4}-\d{6}-\d{2}(?:-\d{2})?)(?:-[A-Z]{2})?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_REGISTRY_HOST = re.compile(r"clinicaltrials\.gov|isrctn\.com|anzctr\.org\.au|trialsearch\.who\.int|drks\.de|chictr\.org"
                            r"|ctri\.nic\.in|umin\.ac\.jp|clinicaltrialsregister\.eu|trialregister\.nl", re.IGNORECASE)
_REGISTRY_VENUE = re.compile(
    r"^\W*(?:clinicaltrials\W*gov|isrctn|anzctr|(?:who\W+)?ictrp|trials?\W+regist(?:er|ry)|eu\W+clinical\W+trials\W+register"
    r"|clinicaltrialsregister|drks|chictr|ctri|umin\W*ctr|euctr|netherlands\W+trial\W+register)\b", re.IGNORECASE)


def normalize_registry_id(value: str) -> str:
    """One spelling per number: upper case, no spaces, ``JPRN-`` dropped (``UMIN000012345``)."""
    text = _SPACES.sub("", value).upper()
    if text.startswith("JPRN-"):
        text = text[len("JPRN-"):]
    if text.startswith("JRCT"):
        text = "jRCT" + text[4:]
    return text


def registry_ids_in(text: str) -> list[str]:
    """Registration numbers in free text, each once, in order of appearance."""
    if not text:
        return []
    found = [normalize_registry_id(m.group(0)) for m in _ANY.finditer(text)]
    found += [f"EUDRACT{m.group(1)}" for m in _EUDRACT.finditer(text)]
    return list(dict.fromkeys(found))


def registry_ids_from_field(values: Iterable[str]) -> list[str]:
    """Numbers from a structured field (``ClinicalTrials.gov/NCT00000419``, a bare EudraCT number)."""
    found: list[str] = []
    for value in values:
        ids = registry_ids_in(value)
        if not ids:
            bare = _EUDRACT_ONLY.match(value.split("/", 1)[-1])
            ids = [f"EUDRACT{bare.group(1)}"] if bare else []
        found.extend(ids)
    return list(dict.fromkeys(found))


def record_registry_ids(record: Record) -> list[str]:
    """Every registration number ``record`` names: its stored ones, then its title, abstract,
    keywords and URL."""
    stored = record.extra.get(REGISTRY_KEY)
    ids = list(stored) if isinstance(stored, list) else [stored] if isinstance(stored, str) and stored else []
    texts = (record.title, record.abstract, " ".join(record.keywords), record.url)
    if any(_looks_like_ids(text) for text in texts if text):
        for text in texts:
            ids.extend(registry_ids_in(text))
    return list(dict.fromkeys(normalize_registry_id(str(i)) for i in ids if str(i).strip()))


# Registries write their prefixes in capitals (jRCT aside); "control" must not look like "NTR".
_CHEAP = re.compile(r"NCT ?\d|ISRCTN|ACTRN|DRKS|ChiCTR|CTRI/|UMIN|jRCT|JRCT|Japic|IRCT|KCT\d|PACTR|TCTR|SLCTR|RBR-|NTR\d"
                    r"|OMON|EudraCT|EUDRACT|EUCTR|CTIS")


# Every match of _CHEAP holds one of these letter pairs; this shorter pattern scans a third faster.
_CHEAP_PAIRS = re.compile(r"CT|DR|UM|Ja|RB|NT|OM")


def _looks_like_ids(text: str) -> bool:
    """A cheap look first: most abstracts name no registry at all."""
    return bool(_CHEAP_PAIRS.search(text)) and bool(_CHEAP.search(text))


def is_registry_entry(record: Record) -> bool:
    """A trial registry's record (ClinicalTrials.gov, ICTRP...), not a publication."""
    if record.journal:
        return bool(_REGISTRY_VENUE.match(record.journal))
    return bool(record.url) and bool(_REGISTRY_HOST.search(record.url))


def entry_number(record: Record) -> str:
    """The number of the registry entry a record *is*: the one its own URL names on a registry's site.

    Only the URL says which entry the record is; the numbers in its text may be the same
    trial's entries in other registries (secondary ids), which are other records.
    """
    if not record.url or not _REGISTRY_HOST.search(record.url):
        return ""
    numbers = registry_ids_in(record.url)
    return numbers[0] if len(numbers) == 1 else ""
