"""Language names and codes: one table for the importers, the query and the criteria.

Exports name a record's language as an ISO 639-1 code (``en``), an ISO 639-2
bibliographic (``ger``) or terminological (``deu``) code, or an English name, in any case.
litsieve stores and compares the lower-case English name (``german``), so a protocol's
``languages: [german]``, a criterion's ``language_not: [deu]`` and a record whose export
says ``DE`` agree. :data:`LANGUAGES` is the one table; its rows were checked against the
ISO 639-2 registration authority's code list (Library of Congress).
"""

from __future__ import annotations

import re

#: name -> (ISO 639-1, ISO 639-2/B, ISO 639-2/T); ``""`` where the standard has none.
LANGUAGES: dict[str, tuple[str, str, str]] = {
    "afrikaans": ("af", "afr", "afr"),
    "arabic": ("ar", "ara", "ara"),
    "bulgarian": ("bg", "bul", "bul"),
    "catalan": ("ca", "cat", "cat"),
    "chinese": ("zh", "chi", "zho"),
    "croatian": ("hr", "hrv", "hrv"),
    "czech": ("cs", "cze", "ces"),
    "danish": ("da", "dan", "dan"),
    "dutch": ("nl", "dut", "nld"),
    "english": ("en", "eng", "eng"),
    "estonian": ("et", "est", "est"),
    "finnish": ("fi", "fin", "fin"),
    "french": ("fr", "fre", "fra"),
    "german": ("de", "ger", "deu"),
    "greek": ("el", "gre", "ell"),
    "hebrew": ("he", "heb", "heb"),
    "hindi": ("hi", "hin", "hin"),
    "hungarian": ("hu", "hun", "hun"),
    "icelandic": ("is", "ice", "isl"),
    "indonesian": ("id", "ind", "ind"),
    "italian": ("it", "ita", "ita"),
    "japanese": ("ja", "jpn", "jpn"),
    "korean": ("ko", "kor", "kor"),
    "latin": ("la", "lat", "lat"),
    "latvian": ("lv", "lav", "lav"),
    "lithuanian": ("lt", "lit", "lit"),
    "malay": ("ms", "may", "msa"),
    "norwegian": ("no", "nor", "nor"),
    "persian": ("fa", "per", "fas"),
    "polish": ("pl", "pol", "pol"),
    "portuguese": ("pt", "por", "por"),
    "romanian": ("ro", "rum", "ron"),
    "russian": ("ru", "rus", "rus"),
    "serbian": ("sr", "srp", "srp"),
    "slovak": ("sk", "slo", "slk"),
    "slovenian": ("sl", "slv", "slv"),
    "spanish": ("es", "spa", "spa"),
    "swedish": ("sv", "swe", "swe"),
    "thai": ("th", "tha", "tha"),
    "turkish": ("tr", "tur", "tur"),
    "ukrainian": ("uk", "ukr", "ukr"),
    "vietnamese": ("vi", "vie", "vie"),
    # Codes for no single language (ISO 639-2 special codes).
    "multiple": ("", "mul", "mul"),
    "undetermined": ("", "und", "und"),
}
#: Other names exports use for a language in the table.
ALIASES: dict[str, str] = {
    "castilian": "spanish", "farsi": "persian", "flemish": "dutch", "mandarin": "chinese",
    "moldavian": "romanian", "slovene": "slovenian", "modern greek": "greek",
}
_BY_CODE: dict[str, str] = {
    code: name for name, codes in LANGUAGES.items() for code in codes if code
}
_SEPARATORS = re.compile(r"[;,/|]| and ")


def language_name(value: str) -> str:
    """One language as its lower-case English name: ``eng``, ``EN``, ``English`` -> ``english``.

    A value that is neither a known code nor a known name is returned folded to lower case
    with its spacing tidied (a language litsieve does not list still compares equal to itself).
    """
    key = " ".join(value.split()).casefold()
    return _BY_CODE.get(key) or ALIASES.get(key) or key


def language_names(value: str) -> list[str]:
    """Every language in a field (``"eng; fre"``, ``"English and French"``), named once each."""
    names: list[str] = []
    for part in _SEPARATORS.split(value or ""):
        name = language_name(part)
        if name and name not in names:
            names.append(name)
    return names


def bibliographic_code(name: str) -> str:
    """The ISO 639-2/B code of a language (what Europe PMC's ``LANG`` field takes), or ``""``."""
    codes = LANGUAGES.get(language_name(name))
    return codes[1] if codes else ""
