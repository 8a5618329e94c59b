"""What deduplication compares: each record reduced once to normalised, comparable parts.

Databases export the same article differently: the DOI as a URL or with a ``doi:``
prefix, titles with HTML tags, Greek letters spelled out or not, a translated title in
brackets, authors as ``Smith JA`` or ``Smith, John A.``, journals abbreviated or in full,
pages as ``123-9`` or ``123-129``. Comparing those raw would miss duplicates; guessing
would merge different works. So every record is normalised exactly once, independent of
the other records and of their order, and the comparison rules (``compare.py``) only see
these :class:`Features`.

The record *kind* is kept too: an erratum, a retraction notice, a reply or comment, a
preprint, a conference abstract, or "Part 2" of a series shares most of its words with
another work and must not be merged with it.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from dataclasses import dataclass

from litsieve.importers.registry import entry_number
from litsieve.record import Record, normalize_doi

ABSTRACT_CHARS = 600  # enough to tell two abstracts apart; 65,000-character ones are cut here

_TAG = re.compile(r"<[^>]{1,40}>")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# ASCII letters lower-cased, digits kept, every other ASCII character a space (bytes.translate).
_ASCII_WORD_BYTES = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))
_ASCII_NON_WORD_CHARS = "".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "ω": "omega", "τ": "tau", "θ": "theta", "σ": "sigma",
}
_GREEK_RE = re.compile("|".join(_GREEK))
# Noise some databases put around a title: "RETRACTED:" banners, "[Article in German]".
_TITLE_NOISE = re.compile(
    r"^\s*(?:retracted(?: article)?\s*[:.-]\s*)|\[(?:article in|in)\s+[a-z ]+\]|\((?:author'?s? transl)\)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\[[^\[\]]*(?:\]|$)")
# "10 000", "10,000" and "10000" are one number; the space, comma or thin space is typography.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ ,\u00a0\u2009\u202f]\d{3})+(?![\d]|[.,]\d)")
_NOTE_START = re.compile(r"\s*(?:erratum|errata|comment|see |retract|correct|update|published|review|article|\d+ refs)", re.IGNORECASE)
# A citation appended to a title ("... N Engl J Med. 2009 Jan 29;360(5):544-6") or an erratum's
# reference to the corrected article ("(vol 360, pg 542, 2009)", "(New England Journal of
# Medicine (2009) 360 (542-544))"): about another record, not part of this one's title.
_CITATION = re.compile(
    r"(?:\.{1,3}\s*[A-Z][\w .&-]{2,60}\.?\s+\d{4}[\w ]*;\s*\d+\s*\(\s*[\w ]+\)\s*:\s*[\w-]+\.?"
    r"|\(vol\.? \d+,? (?:pg?|pp)\.? \w+,? (?:\d{4})?\)"
    r"|\([A-Z][^()]{2,80}\(\d{4}\)\s*\d+\s*\([\w -]+\)\))\s*\.?\s*$")
_DATABASE_NOTE = re.compile(
    r"\((?:provisional|structured) abstract\)|\(database of abstracts[^)]*\)|\(author'?s? transl\)", re.IGNORECASE)
_GENERIC_TITLES = frozenset({
    "editorial", "introduction", "preface", "foreword", "commentary", "comment", "letter",
    "reply", "response", "erratum", "correction", "corrigendum", "book review", "untitled",
    "abstracts", "news", "in brief", "conclusion", "conclusions", "summary", "abstract",
    "discussion", "obituary", "index", "contents", "announcement", "errata",
})

# Recurring section headings: the same words in every issue, so the title proves nothing.
_GENERIC_START = re.compile(
    r"^(?:editorial|editor s (?:comments?|note|introduction)|editors? (?:comments?|note)|from the editors?"
    r"|in this issue|letter from the editor|remarks from .{0,40}editor|issue information|book reviews?)\b")

# Where a journal's name ends: subtitles, places, "Conference: 53rd Annual Meeting ...".
# (An abbreviated "FASEB J Conf Exp Biol" keeps its words: the comparison reads the name
# before the meeting, compare.journals_compatible.)
_JOURNAL_TAIL = re.compile(
    r"\s*(?:[:=(\[]|\.\s*(?:conference|meeting|congress|symposium|abstracts?|supplement|suppl)\b)", re.IGNORECASE)
# R and pandas write a missing value as "NA" or "nan": no value, not a name or a journal.
_MISSING = frozenset({"na", "n a", "nan", "null", "none", "not available"})
_NO_AUTHOR = frozenset({"anonymous", "anon", "no authors listed", "no author", "et al", "unknown"}) | _MISSING
_PLAIN_VOLUME = re.compile(r"[\w\s./-]+")

# Articles, conjunctions and prepositions, which ISO 4 abbreviations leave out ("Int Conf
# Pervasive Technol Relat Assist Environ" for "... Related to Assistive Environments").
_JOURNAL_STOP = frozenset({
    "the", "of", "and", "for", "in", "on", "de", "la", "le", "und", "fur", "der", "et", "des", "du", "a", "an",
    "to", "at", "by", "with", "from", "into", "upon", "via", "di", "del", "della", "el", "los", "las", "les",
    "die", "das", "zur", "zum", "im", "och", "og"})

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_PAGE_TOKEN = re.compile(r"[A-Za-z]*\d+[A-Za-z]*|[A-Za-z]+")
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
_intern = sys.intern
_NO_SET: frozenset[str] = frozenset()
_SHARED_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(values: frozenset[str]) -> frozenset[str]:
    """One object per distinct small set (record kinds, ISSNs of a journal) instead of one per record."""
    if not values:
        return _NO_SET
    return _SHARED_SETS.setdefault(values, values) if len(_SHARED_SETS) < 100_000 else values
_NON_DIGIT = re.compile(r"\D+")
_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"(?i)pmc\s*(\d+)")

# Kinds of records that are separate items even when they share a title with another.
ERRATUM = "erratum"
RETRACTION = "retraction notice"
REPLY = "reply or comment"
PREPRINT = "preprint"
CONFERENCE = "conference abstract"

_ERRATUM_TITLE = re.compile(
    r"^(?:erratum|errata|corrigendum|corrigenda|correction|publisher'?s? (?:note|erratum)|author correction)"
    r"(?:\s*(?::|to\b|for\b|in\b|regarding\b|notice\b|$))|\b(?:erratum|corrigendum) (?:to|for|in|regarding)\b"
    r"|\(vol\.? \d+,? (?:pg?|pp)\.? \w+,? (?:\d{4})?\)\s*\.?$"  # Web of Science: "Title (vol 360, pg 542, 2009)"
    r"|\([A-Z][^()]{2,80}\(\d{4}\)\s*\d+\s*\([\w -]+\)\)\s*\.?$",  # Embase: "(N Engl J Med (2009) 360 (542-544))"
    re.IGNORECASE,
)
_RETRACTION_TITLE = re.compile(
    r"^(?:retraction|notice of retraction|retraction notice|retraction note|withdrawn|expression of concern)\b"
    r"|\bretraction (?:notice|of|note) (?:to|for)?\b",
    re.IGNORECASE,
)
_REPLY_TITLE = re.compile(
    r"^(?:re\s*:|reply\b|in reply\b|author'?s?'? reply\b|response\b|authors'? response\b|comment(?:ary)? on\b"
    r"|letter to the editor\b|a reply\b|rebuttal\b)"
    # Web of Science and Embase name the authors' reply after the letter's title: "... - Reply".
    r"|(?:\s[-\u2013\u2014]|:)\s*(?:(?:authors?'?s?'?\s+)?reply|authors?'?s?'?\s+response)\s*\.?\s*$",
    re.IGNORECASE,
)
_PREPRINT_JOURNAL = re.compile(
    r"biorxiv|medrxiv|arxiv|psyarxiv|socarxiv|ssrn|research ?square|preprints?\b|osf preprints|chemrxiv|europe pmc preprint",
    re.IGNORECASE,
)
_PREPRINT_DOI = re.compile(
    r"^10\.1101/(?:\d{4}\.\d\d\.\d\d\.|\d+$)|^10\.48550/|^10\.21203/rs\.|^10\.2139/ssrn|^10\.20944/preprints"
    r"|^10\.31234/|^10\.31219/|^10\.31235/|^10\.26434/chemrxiv",
)
_KIND_WORDS = re.compile(
    r"errat|corrig|correct|retract|withdraw|concern|re\s*:|repl|respon|comment|letter|rebuttal|\(vol|publisher|\(\d{4}\)",
    re.IGNORECASE)
# The plain words of _KIND_WORDS: an ASCII title holding none of them, no ":" and no "(" has none.
# The rest of it, on the lower-cased title: "re :" and "(2009)".
_RE_COLON = re.compile(r"re\s*:")
_BRACKETED_YEAR = re.compile(r"\(\d{4}\)")
_KIND_LITERALS = ("errat", "corrig", "correct", "retract", "withdraw", "concern", "repl", "respon", "comment",
                  "letter", "rebuttal", "publisher")
# Every match of _PREPRINT_JOURNAL holds one of these.
_PREPRINT_LITERALS = ("rxiv", "ssrn", "research", "preprint")
_COMMENT_TYPE = re.compile(r"\bcomment\b")
_SUPPLEMENT_PAGE = re.compile(r"\s*s\d", re.IGNORECASE)
_PAGE_PARTS = re.compile(r"([a-z]*)0*(\d+)([a-z]*)$")
_ISSN = re.compile(r"\d{4}-?\d{3}[\dxX]")
_CONFERENCE_TYPES = re.compile(
    r"conference|congress|meeting abstract|meeting report|proceedings|symposium|\bconf\b|\bcongr\b", re.IGNORECASE)
# Every match of _CONFERENCE_TYPES holds one of these.
_CONFERENCE_LITERALS = ("conf", "congr", "meeting", "proceedings", "symposium")
_SUPPLEMENT = re.compile(r"\bsuppl|\bsupplement|^s\d+$", re.IGNORECASE)
_PART = re.compile(
    r"\b(?:part|pt|teil|partie)\.?\s+([0-9]+|[ivx]{1,5}|one|two|three|four|five|six|[a-f])\b", re.IGNORECASE)
_TRAILING_ROMAN = re.compile(r"[\s:.,(-]((?:i{1,3}|iv|v|vi{1,3}|ix|x))\W*$", re.IGNORECASE)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
                 "viii": "8", "ix": "9", "x": "10", "a": "1", "b": "2", "c": "3", "d": "4",
                 "e": "5", "f": "6"}


@dataclass(frozen=True, slots=True)
class Features:
    """The normalised, comparable parts of one record (see the module docstring)."""

    index: int
    record_id: str
    title: str            # normalised words joined by single spaces
    title_words: int
    title_numbers: tuple[str, ...]
    generic_title: bool
    main_title: int       # length of the main title when a subtitle follows it (":", " - "), else 0
    authors: tuple[str, ...]          # normalised surnames, in order
    first_author: tuple[str, ...]     # name words of the first author (sorted, unique)
    author_tokens: tuple[str, ...]    # every name word of two letters or more (sorted, unique)
    year: int | None
    journal: tuple[str, ...]          # normalised journal words without stop words
    issn: frozenset[str]
    volume: str
    issue: str
    page_start: str
    page_end: str
    doi: str
    pmid: str
    pmcid: str
    registry: str         # the registry entry's number when the record is one (its own URL)
    abstract: str
    kinds: frozenset[str]
    part: str

    @property
    def title_key(self) -> str:
        """The title without spaces (blocking key); computed when asked, not stored."""
        return self.title.replace(" ", "")


def fold(text: str) -> str:
    """Case-fold, strip accents, spell out Greek letters, keep letters and digits of any script."""
    if "&" in text:
        text = html.unescape(text)  # "&amp;", "&#8211;", "&uuml;" as some exports leave them
    if text.isascii():
        # The same result as the general path below, without the Unicode regex (5x faster).
        return _ascii_words(text)
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = _GREEK_RE.sub(lambda m: _GREEK[m.group(0)], text)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.replace("&", " and ")
    if text.isascii():  # accents stripped, letters spelled out: most text is ASCII by now
        return _ascii_words(text)
    # What is left is often ASCII words between typographic quotes and dashes: those (never
    # word characters, which are alphanumerics and "_") become spaces, and the ASCII path
    # gives what the Unicode pattern would.
    spaced = text
    for char in {c for c in text if not c.isascii()}:
        if not char.isalnum():
            spaced = spaced.replace(char, " ")
    if spaced.isascii():
        return _ascii_words(spaced)
    return _NON_WORD.sub(" ", text).strip()


def _ascii_words(text: str) -> str:
    """``fold`` of ASCII text: lower case, ``&`` as "and", letters and digits in words.

    Done on bytes: ``bytes.translate`` with a full table is a plain lookup, where
    ``str.translate`` with a partial table pays for every character it does not map, and
    for ASCII ``lower`` is ``casefold``. A third of the time of the general calls.
    """
    data = text.encode("ascii")
    if b"&" in data:
        data = data.replace(b"&", b" and ")
    return b" ".join(data.translate(_ASCII_WORD_BYTES).split()).decode("ascii")


def _without_markup(text: str) -> str:
    """HTML entities and tags as some exports leave them (``&amp;``, ``<i>...</i>``) taken off."""
    if "&" in text:
        text = html.unescape(text)  # before the tags: "&lt;i&gt;" is a tag too
    if "<" in text:
        text = _TAG.sub(" ", text)
    return text


def normalize_title(title: str) -> str:
    """Title words for comparison: HTML tags, banners and database notes removed.

    MEDLINE puts a translated title in brackets (``[Effect of ...].``): the brackets go,
    the words stay. Notes databases append (``[Review] [43 refs]``, ``[Erratum appears in
    ...]``, ``(Provisional abstract)``) are not part of the title and go entirely.
    """
    title = _without_markup(title)
    if _ANY_DIGIT.search(title):
        title = _THOUSANDS.sub(lambda m: _NON_DIGIT.sub("", m.group(0)), title)
    if "[" in title or "(" in title or ":" in title or ";" in title:
        title = _CITATION.sub(" ", title)
        title = _TITLE_NOISE.sub(" ", title)
        for _ in range(3):  # inner brackets first: "[Erratum appears in ... [added]]"
            title, found = _BRACKETED.subn(_bracketed, title)
            if not found:
                break
        title = _DATABASE_NOTE.sub(" ", title)
    return fold(title)


# Where a main title ends and its subtitle begins; some databases export the main title only.
_SUBTITLE = re.compile(r"\s*:\s*|\s+(?:-{1,2}|\u2013|\u2014)\s+")


def main_title_length(title: str) -> int:
    """Length of the normalised main title before a subtitle (``Looking ahead: managing ...``
    gives 13); 0 without one.

    A record giving only ``Looking ahead`` has the same title with its subtitle left off,
    not a different shorter one; the comparison needs to know where that boundary is.
    """
    if ":" not in title and " -" not in title and "\u2013" not in title and "\u2014" not in title:
        return 0
    match = _SUBTITLE.search(_TITLE_NOISE.sub(" ", title))
    if not match or not fold(match.string[match.end():]):
        return 0
    return len(normalize_title(match.string[: match.start()]))


def _bracketed(match: re.Match[str]) -> str:
    """Unwrap a bracketed translated title; drop a bracketed note (``[Review]``, ``[Japanese]``)."""
    inner = match.group(0).strip("[]")
    if len(inner.split()) >= 4 and not _NOTE_START.match(inner):
        return inner
    return " "


_SEPARATOR = " zq0sep0qz "  # survives fold() as one word no name can be


def _author_parts(authors: list[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(surnames in order, every name word, the first author's name words; both sorted, unique).

    Names are folded in one call for the whole list rather than one per name: at
    100,000 records with a dozen authors each, per-name calls dominate the run time.
    Words are interned, and the word sets kept as sorted tuples (a tenth of a frozenset's
    size): at a million records the sets alone would take a gigabyte.
    """
    if not authors:
        return (), (), ()
    # The names, then their parts before the comma, folded in one call.
    folded = fold(_SEPARATOR.join([*authors, *(a.split(",", 1)[0] for a in authors)])).split("zq0sep0qz")
    names, heads = folded[:len(authors)], folded[len(authors):]
    surnames: list[str] = []
    tokens: set[str] = set()
    first: tuple[str, ...] = ()
    for name, head in zip(names, heads):
        name = name.strip()
        if not name or name in _NO_AUTHOR:
            continue
        words = [_intern(w) for w in name.split() if len(w) >= 2]
        surname = head.replace(" ", "")
        if surname:
            surname = _intern(surname)
            words.append(surname)
            surnames.append(surname)
        tokens.update(words)
        if not first:
            first = tuple(sorted(set(words)))
    return tuple(surnames), tuple(sorted(tokens)), first


def _numeric(text: str) -> str:
    match = _DIGITS.search(text)
    return match.group(0).lstrip("0") or "0" if match else ""


_PAGE_WORD = re.compile(r"^(?:pp?|pages?|pg)(?:\.\s*|\s+)(?=\d)")
_PAGE_COUNT = re.compile(r"^(?:[ivxlc]+\s*,\s*)?\d+\s*(?:p|pp|pages|leaves|l|s|seiten)\.?$")
_WHOLE_WORK = re.compile(r"thesis|dissertation|book(?! chapter| section)", re.IGNORECASE)


def _clean_page(token: str) -> str:
    match = _PAGE_PARTS.match(token)
    return f"{match.group(1)}{match.group(2)}{match.group(3)}" if match else token


def parse_pages(pages: str) -> tuple[str, str]:
    """Start and end page, with ``123-9`` read as 123-129 and Excel's ``01-Apr`` as 1-4.

    A leading ``pp.`` or ``p.`` is a word, not part of the page. Letters are kept (``S354``,
    ``e001469`` becomes ``e1469``) because a supplement page
    and a regular page with the same digits are different places. A page count (``180 p.``,
    ``xii, 245 pages``: a thesis or a book) is no place at all.
    """
    text = pages.strip().casefold()
    if not text or _PAGE_COUNT.match(text):
        return "", ""
    if text[0] == "p":
        text = _PAGE_WORD.sub("", text, count=1)  # "pp. 123-129", "p. 45", "pages 5-10": the pages
    tokens = _PAGE_TOKEN.findall(text)
    if not tokens:
        return "", ""
    if len(tokens) >= 2 and tokens[1][:3] in _MONTHS and tokens[0].isdigit():
        return tokens[0].lstrip("0") or "0", str(_MONTHS[tokens[1][:3]])
    if tokens[0][:3] in _MONTHS and len(tokens) >= 2 and tokens[1].isdigit():
        return str(_MONTHS[tokens[0][:3]]), tokens[1].lstrip("0") or "0"

    start = _clean_page(tokens[0])
    if not any(ch.isdigit() for ch in start):
        return "", ""
    end = _clean_page(tokens[1]) if len(tokens) >= 2 else ""
    if end.isdigit() and start.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return start, end


def _kind_words(title: str) -> bool:
    """``_KIND_WORDS.search(title)``, decided by substring tests for the ASCII titles most records have."""
    if not title.isascii():
        return bool(_KIND_WORDS.search(title))
    low = title.lower()
    for word in _KIND_LITERALS:
        if word in low:
            return True
    if "(" in low and ("(vol" in low or _BRACKETED_YEAR.search(low)):
        return True
    return ":" in low and bool(_RE_COLON.search(low))


def _search(pattern: re.Pattern[str], literals: tuple[str, ...], text: str) -> bool:
    """``pattern.search(text)``, skipped for ASCII text holding none of the ``literals`` that
    every match holds (most venues and types)."""
    if text.isascii():
        low = text.lower()
        if not any(word in low for word in literals):
            return False
    return bool(pattern.search(text))


def _preprint_venue(venue: str) -> bool:
    return _search(_PREPRINT_JOURNAL, _PREPRINT_LITERALS, venue)


def _conference_words(text: str) -> bool:
    return _search(_CONFERENCE_TYPES, _CONFERENCE_LITERALS, text)


def conference_venue(journal: tuple[str, ...]) -> bool:
    """Whether normalised journal words name a conference or proceedings."""
    return bool(journal) and _conference_words(" ".join(journal))


def preprint_venue(journal: tuple[str, ...]) -> bool:
    """Whether normalised journal words name a preprint server (``medrxiv``)."""
    return bool(journal) and _preprint_venue(" ".join(journal))


def _kinds(record: Record, doi: str) -> frozenset[str]:
    kinds: set[str] = set()
    raw_title = record.title.strip()
    if "&" in raw_title or "<" in raw_title:  # "<i>Erratum:</i> ...", "Comment <i>on:</i> ...": tags are no words
        raw_title = " ".join(_without_markup(raw_title).split())
    # Most titles hold none of the words these kinds are named by: skip the long patterns.
    if not _kind_words(raw_title):
        raw_title = ""
    types = " | ".join(record.publication_types).casefold()
    if _ERRATUM_TITLE.search(raw_title) or "erratum" in types or "correction" in types:
        kinds.add(ERRATUM)
    if _RETRACTION_TITLE.search(raw_title) or "retraction of publication" in types or "retraction notice" in types:
        kinds.add(RETRACTION)
    if _REPLY_TITLE.search(raw_title) or _COMMENT_TYPE.search(types):
        kinds.add(REPLY)
    # A preprint server's DOI on a record that names a journal or proceedings of its own is
    # that published record with a link to its preprint, not the preprint.
    venue = record.journal or _container(record)
    if (_preprint_venue(venue) or "preprint" in types
            or (_PREPRINT_DOI.search(doi) and not venue.strip())):
        kinds.add(PREPRINT)
    if (_conference_words(types) or _conference_words(record.journal)
            or _SUPPLEMENT.search(record.issue.strip()) or _SUPPLEMENT.search(record.volume.strip())
            or _SUPPLEMENT_PAGE.match(record.pages)):
        kinds.add(CONFERENCE)
    return frozenset(kinds)


def _part(title: str) -> str:
    ascii_title = title.isascii()
    low = title.lower()
    # An ASCII title without "part", "pt" or "teil" cannot match _PART, and one whose last
    # letter or digit is not i, v or x cannot match _TRAILING_ROMAN: most titles skip both.
    match = _PART.search(title) if not ascii_title or "pt" in low or "part" in low or "teil" in low else None
    if match:
        token = match.group(1).casefold()
        return _NUMBER_WORDS.get(token, token)
    if ascii_title and title.rstrip(_ASCII_NON_WORD_CHARS)[-1:] not in ("i", "v", "x", "I", "V", "X"):
        return ""
    match = _TRAILING_ROMAN.search(title)
    if match and len(title) > 20:
        return _NUMBER_WORDS.get(match.group(1).casefold(), "")
    return ""


_CONTAINER_KEYS = ("booktitle", "secondary_title", "book_title")


def _container(record: Record) -> str:
    """A proceedings' or book's title kept in ``extra`` (BibTeX ``booktitle``), for a record with no journal."""
    for key, value in sorted(record.extra.items()):
        if key.casefold() in _CONTAINER_KEYS and isinstance(value, str) and value.strip():
            return value
    return ""


def _identifiers(record: Record) -> tuple[str, str, str]:
    doi = normalize_doi(record.doi)
    if not doi:
        doi = normalize_doi(record.url) if "doi" in record.url.casefold() else ""
    pmid = record.pmid.strip()
    if not _PMID.match(pmid):
        pmid = ""
    match = _PMCID.search(record.pmcid)
    pmcid = f"pmc{match.group(1)}" if match else ""
    return doi, pmid.lstrip("0"), pmcid


_JOURNALS: dict[str, tuple[str, ...]] = {}


def _journal_words(venue: str) -> tuple[str, ...]:
    """The journal's name words without stop words, one tuple per distinct name.

    A review's records come from a few thousand journals, so each name is normalised once
    (and its tuple shared) rather than once per record.
    """
    found = _JOURNALS.get(venue)
    if found is None:
        # "Journal of X: official journal of Y" and "Front Endocrinol (Lausanne)": the title proper.
        folded = fold(_JOURNAL_TAIL.split(venue, maxsplit=1)[0])
        found = () if folded in _MISSING else tuple(_intern(w) for w in folded.split() if w not in _JOURNAL_STOP)
        if len(_JOURNALS) < 100_000:
            _JOURNALS[venue] = found
    return found


def features_of(index: int, record: Record) -> Features:
    """Normalise one record (pure: the result depends on this record alone)."""
    title = normalize_title(record.title)
    doi, pmid, pmcid = _identifiers(record)
    start, end = parse_pages(record.pages)
    if not end and start.isdigit() and any(_WHOLE_WORK.search(t) for t in record.publication_types):
        start = ""  # a thesis's or book's single number is its page count, not where it starts
    surnames, author_tokens, first_author = _author_parts(record.authors)
    journal = _journal_words(record.journal or _container(record))
    issn = frozenset(_ISSN.findall(record.issn.replace(" ", ""))) if record.issn else frozenset()
    return Features(
        index=index,
        record_id=record.record_id,
        title=title,
        title_words=len(title.split()),
        title_numbers=tuple(sorted(_DIGITS.findall(title))),
        generic_title=title in _GENERIC_TITLES or len(title) < 12 or bool(_GENERIC_START.match(title)),
        main_title=main_title_length(record.title),
        authors=surnames,
        first_author=first_author,
        author_tokens=author_tokens,
        year=record.year,
        journal=journal,
        issn=_shared(frozenset(i.replace("-", "").upper() for i in issn)),
        # "1)" and similar debris in some exports' volume fields is no volume at all.
        volume=_intern(_numeric(record.volume)) if _PLAIN_VOLUME.fullmatch(record.volume.strip() or "x") else "",
        issue=_intern(_numeric(record.issue)),
        page_start=_intern(start),
        page_end=_intern(end),
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        registry=_intern(entry_number(record)),
        abstract=fold(record.abstract[: ABSTRACT_CHARS + 60])[:ABSTRACT_CHARS],
        kinds=_shared(_kinds(record, doi)),
        part=_part(record.title),
    )
