"""Decide whether two records are the same work, and say which rule decided.

The rules are written as a reviewer would reason, in this order:

1. **Hard conflicts keep records apart**, whatever else matches: different DOIs or PMIDs
   (unless every other field agrees, the mark of a mistyped identifier), different kinds
   of item (an erratum, a retraction notice, a reply or comment, a preprint, a conference
   abstract next to a full paper), different parts of a series, publication years two or
   more apart, different pages in a different volume. Such a pair is ``conflict=True``;
   clustering also uses this to refuse a chain of links that would put two conflicting
   records in one cluster.
2. **A shared identifier** (DOI, PMID, PMCID) merges, provided the titles do not say
   otherwise (a supplement's DOI is shared by every abstract in it).
3. **Matching metadata** merges when the title is near-identical and enough other fields
   agree (year, first author, journal, volume, pages, abstract); the less alike the titles,
   the more of the rest must agree. A record without a usable title merges only on full
   bibliographic identity (journal, volume, pages, year, first author).
4. Anything close but short of that is ``uncertain``: it goes to a person, never merged
   automatically.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from litsieve.dedup.features import CONFERENCE, PREPRINT, Features, conference_venue, preprint_venue
from litsieve.dedup.weights import DEFAULT, Weights

SAME = "same"
UNCERTAIN = "uncertain"
DIFFERENT = "different"


@dataclass(frozen=True, slots=True)
class PairResult:
    """The verdict on one pair: ``same``, ``uncertain`` or ``different``, the rule, a score."""

    verdict: str
    rule: str
    score: float
    conflict: bool = False


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """Normalised Indel similarity in [0, 1] (rapidfuzz, C++); 0 when below ``floor``, which
    lets the distance stop early and pairs of very different lengths skip it."""
    if floor and 2 * min(len(a), len(b)) < floor * (len(a) + len(b)):
        return 0.0  # the similarity cannot reach the floor: the length difference alone is too much
    return Indel.normalized_similarity(a, b, score_cutoff=floor or None)


def _subsequence(abbrev: str, word: str) -> bool:
    """``natl`` abbreviates ``national``: same first letter, letters in order."""
    if not abbrev or not word or abbrev[0] != word[0]:
        return False
    position = 0
    for ch in abbrev:
        position = word.find(ch, position)
        if position < 0:
            return False
        position += 1
    return True


def journals_compatible(a: Features, b: Features) -> bool | None:
    """Same journal, allowing ISO abbreviations (``J Am Heart Assoc``); None when unknown.

    A meeting printed in a journal is named with the journal first ("FASEB Journal.
    Conference: Experimental Biology", abbreviated "FASEB J Conf Exp Biol"): where the names
    differ, the words before the meeting word are compared too, when two or more are left.
    """
    if a.issn and b.issn and a.issn & b.issn:
        return True
    if not a.journal or not b.journal:
        return None
    if _same_name(a.journal, b.journal):
        return True
    cut_a, cut_b = _before_meeting(a.journal), _before_meeting(b.journal)
    if (cut_a != a.journal or cut_b != b.journal) and len(cut_a) >= 2 and len(cut_b) >= 2:
        return _same_name(cut_a, cut_b)
    return False


_MEETING_WORDS = frozenset({"conf", "conference", "congr", "congress"})


def _before_meeting(words: tuple[str, ...]) -> tuple[str, ...]:
    for n, word in enumerate(words):
        if word in _MEETING_WORDS:
            return words[:n]
    return words


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two journal names (normalised words) name one journal: equal, one the other's
    abbreviation word by word, its acronym, or its first three words or more (``Am J Med``
    abbreviates ``American Journal of Medicine``, not the start of ``... Medical Genetics``)."""
    if a == b:
        return True
    if len(a) == len(b):
        if all(_subsequence(x, y) or _subsequence(y, x) for x, y in zip(a, b)):
            return True
    if "".join(a) == "".join(b):
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) == 1 and len(long_) >= 3 and short[0] == "".join(w[0] for w in long_):
        return True  # an acronym: "ICIS" = "International Conference on Information Systems"
    if len(short) >= 3 and long_[: len(short)] == short:
        return True  # a parallel or alternative title after the name ("... Journal international du cancer")
    return similarity(" ".join(a), " ".join(b)) >= 0.9


def _authors(a: Features, b: Features) -> tuple[bool | None, float | None]:
    """(first authors agree, share of one list's surnames found in the other)."""
    if not a.authors or not b.authors:
        return None, None
    first = (a.authors[0] in b.first_author or b.authors[0] in a.first_author
             or (min(len(a.authors[0]), len(b.authors[0])) >= 5 and similarity(a.authors[0], b.authors[0]) >= 0.85))
    share_a = sum(map(b.author_tokens.__contains__, a.authors)) / len(a.authors)  # surnames found
    share_b = sum(map(a.author_tokens.__contains__, b.authors)) / len(b.authors)
    if not first and len(a.authors) >= 2 and len(b.authors) >= 2 and min(share_a, share_b) == 1.0:
        first = True  # the same people listed in another order
    return first, max(share_a, share_b)


def _article_number(page: str) -> bool:
    """``e12724``, ``c1804``: an article number, not a page (``S12`` is a supplement page)."""
    return page[:1].isalpha() and page[:1] != "s"


def _pages_compatible(a: Features, b: Features) -> bool:
    """Different first pages that still describe one article.

    An article number next to printed pages (BMJ ``c1804`` and ``1014``), or one database
    giving a single page that lies inside the other's range (``488`` and ``487-488``).
    """
    if _article_number(a.page_start) != _article_number(b.page_start):
        return not (a.page_start[:1] == "s" or b.page_start[:1] == "s")
    for one, other in ((a, b), (b, a)):
        if not one.page_end and other.page_end and one.page_start.isdigit() and other.page_start.isdigit() \
                and other.page_end.isdigit() and int(other.page_start) <= int(one.page_start) <= int(other.page_end):
            return True
    return False


def _shifted(one: Features, other: Features) -> bool:
    """``one``'s fields slipped a column: no volume, its issue is ``other``'s volume, its page ``other``'s issue.

    Some exports (Embase via a reference manager) put volume 26, issue 9 as issue 26,
    pages 9: the same record with its numbers in the wrong fields, not a different place.
    """
    return (not one.volume and bool(one.issue) and one.issue == other.volume and not one.page_end
            and bool(other.issue) and one.page_start == other.issue)


def _neighbouring_pages(a: Features, b: Features) -> bool:
    """Two single pages of like size (``51`` and ``52``): abstracts side by side in one issue.

    How a supplement's abstracts are cited when no supplement marker survived the export;
    a page count or an article number beside a page (``11`` and ``106482``) is not that.
    """
    if a.page_end or b.page_end or not (a.page_start.isdigit() and b.page_start.isdigit()):
        return False
    low, high = sorted((int(a.page_start), int(b.page_start)))
    return 2 * low >= high


_LONE = {"different issues": "issue", "different pages": "pages", "different volumes": "volume"}


def _lone_disagreement(a: Features, b: Features, soft: list[str], tsim: float | None, fields: Agreement) -> str:
    """The one field that disagrees when every other agrees (an issue typo, one abstract paged two ways).

    In Fellegi-Sunter terms: a near-identical title, the same year, first author, most
    authors, journal and the rest of the place agree, each a strong likelihood ratio for a
    match; one disagreeing field (``m`` close to 1, so rarely wrong, but not never) does
    not outweigh them. Kinds, parts and title numbers were checked before (hard and soft
    doubts); headings such as "Editorial" carry no title evidence and never qualify.
    """
    if len(soft) != 1 or soft[0] not in _LONE or tsim is None or tsim < 0.95:
        return ""
    if a.generic_title or b.generic_title or a.title_numbers != b.title_numbers:
        return ""
    if not (fields.year_gap == 0 and fields.first_author is True and (fields.author_share or 0.0) >= 0.8
            and fields.journal is True):
        return ""
    name = _LONE[soft[0]]
    if name == "pages" and (CONFERENCE not in a.kinds | b.kinds or _neighbouring_pages(a, b)):
        # Only a meeting supplement is paged two ways (abstract numbers, printed pages); in an
        # issue, another page under the same title is another item of the same study (a
        # one-page reply or note), and two single pages side by side are two abstracts.
        return ""
    others = {"issue": fields.issue, "pages": fields.page, "volume": fields.volume}
    del others[name]
    if all(value is True for value in others.values()) and (name == "pages" or fields.end_page is not False):
        return name
    return ""


def _placeless(f: Features) -> bool:
    """No venue, issue or pages: where a meeting abstract shows what it is, nothing is said."""
    return not (f.journal or f.issue or f.page_start or f.issn)


def _bare(f: Features) -> bool:
    """A record with no venue, place or identifier: it shows no kind, so it shows no other kind."""
    return not (f.journal or f.volume or f.issue or f.page_start or f.doi or f.pmid or f.pmcid or f.issn)


def _field(x: str, y: str) -> bool | None:
    if not x or not y:
        return None
    return x == y


def worth_comparing(a: Features, b: Features) -> bool:
    """Cheap first look: a pair with unlike titles and nothing exact in common is no match.

    Every rule that can merge or doubt such a pair needs a shared identifier, the same
    volume and page, the same page range or one title the start of the other, so skipping
    the rest changes no verdict that matters and saves the full comparison for most
    candidate pairs.
    """
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid) or (a.pmcid and a.pmcid == b.pmcid) or (
            a.registry and a.registry == b.registry):
        return True
    if a.volume and a.page_start and a.volume == b.volume and a.page_start == b.page_start:
        return True
    if a.page_end and a.page_start != a.page_end and (a.page_start, a.page_end) == (b.page_start, b.page_end):
        return True  # one multi-page range: a title given without its subtitle is still worth a look
    title_a, title_b = a.title, b.title
    if not title_a or not title_b:
        return False
    if Indel.normalized_similarity(title_a, title_b, score_cutoff=0.5) > 0:
        return True
    short, long_ = (title_a, title_b) if len(title_a) <= len(title_b) else (title_b, title_a)
    return long_.startswith(short + " ") and short.count(" ") >= 2  # a title given without its subtitle


@dataclass(slots=True)  # not frozen: one is built per compared pair (millions), four times as fast
class Agreement:
    """How each field of a pair compares, as the rules see it (None: cannot tell)."""

    same_doi: bool
    same_pmid: bool
    same_pmcid: bool
    same_registry: bool
    doi_differs: bool
    pmid_differs: bool
    registry_differs: bool
    year_gap: int | None
    first_author: bool | None
    author_share: float | None
    journal: bool | None
    volume: bool | None
    issue: bool | None
    page: bool | None
    end_page: bool | None
    discounted: tuple[str, ...]   # ignored fields that disagree on this pair

    def by_field(self) -> dict[str, bool | None]:
        """One verdict per field of :data:`litsieve.dedup.weights.FIELDS`."""
        return {
            "doi": True if self.same_doi else False if self.doi_differs else None,
            "pmid": True if self.same_pmid else False if self.pmid_differs else None,
            "year": None if self.year_gap is None else self.year_gap == 0,
            # What the year's veto reads: a year one off (online first, then print) is no disagreement.
            "year within one": None if self.year_gap is None else self.year_gap <= 1,
            "first author": self.first_author,
            "journal": self.journal,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.page if self.page is not True or self.end_page is not False else False,
        }


def _raw_disagreement(name: str, a: Features, b: Features) -> bool:
    """Whether the field's plain values differ on both records (for the explanation only)."""
    if name == "first author":
        x, y = a.authors[:1], b.authors[:1]
    elif name == "pages":
        x, y = (a.page_start,), (b.page_start,)
    else:
        x, y = getattr(a, name), getattr(b, name)
    return bool(x) and bool(y) and x != y


def agreement(a: Features, b: Features, weights: Weights = DEFAULT) -> Agreement:
    """Compare each field of ``a`` and ``b``; fields ``weights`` ignores count as absent."""
    ignored, weak = weights.ignored, weights.weak
    same_doi = bool(a.doi) and a.doi == b.doi and "doi" not in ignored
    same_pmid = bool(a.pmid) and a.pmid == b.pmid and "pmid" not in ignored
    same_pmcid = bool(a.pmcid) and a.pmcid == b.pmcid
    same_registry = bool(a.registry) and a.registry == b.registry
    registry_differs = bool(a.registry and b.registry) and not same_registry
    doi_differs = bool(a.doi and b.doi) and not same_doi and "doi" not in ignored
    pmid_differs = bool(a.pmid and b.pmid) and not same_pmid and "pmid" not in ignored
    year_gap = abs(a.year - b.year) if a.year is not None and b.year is not None and "year" not in ignored else None
    first_author, author_share = (None, None) if "first author" in ignored else _authors(a, b)
    journal = None if "journal" in ignored else journals_compatible(a, b)
    volume = None if "volume" in ignored else _field(a.volume, b.volume)
    if volume is False and (a.volume == str(a.year) or b.volume == str(b.year)):
        volume = None  # the year given as the volume (magazines): says nothing about the volume
    issue = None if "issue" in ignored else _field(a.issue, b.issue)
    pages_used = "pages" not in ignored
    page = _field(a.page_start, b.page_start) if pages_used else None
    shifted = "volume" not in ignored and (_shifted(a, b) or _shifted(b, a))
    if shifted:
        volume, issue, page = True, None, None
    if page is False and a.page_start.lstrip("abcdefghijklmnopqrtuvwxyz") == b.page_start.lstrip(
            "abcdefghijklmnopqrtuvwxyz"):
        page = True  # a section letter one database keeps ("c37" in Nephron Clinical Practice)
    end_page = None if shifted or not pages_used else _field(a.page_end, b.page_end)
    if page is False and journal is True and volume is not False and _pages_compatible(a, b):
        page = None
    if page is False and end_page is True and volume is True and issue is not False:
        page = None  # one mistyped start page ("2297-2108" for "2097-2108")
    if same_doi and page is False and (CONFERENCE in a.kinds | b.kinds or _neighbouring_pages(a, b)):
        # A supplement's DOI is shared by every abstract in it: at other pages, other abstracts.
        same_doi = False
    if weak:
        # Agreeing on a field most records share proves nothing; disagreeing still does.
        year_gap = None if "year" in weak and year_gap == 0 else year_gap
        journal = None if "journal" in weak and journal else journal
        volume = None if "volume" in weak and volume else volume
        issue = None if "issue" in weak and issue else issue
        if "pages" in weak and page:
            page = end_page = None
    discounted = tuple(n for n in sorted(ignored) if _raw_disagreement(n, a, b)) if ignored else ()
    return Agreement(same_doi, same_pmid, same_pmcid, same_registry, doi_differs, pmid_differs, registry_differs,
                     year_gap, first_author,
                     author_share, journal, volume, issue, page, end_page, discounted)


def compare(a: Features, b: Features, weights: Weights = DEFAULT) -> PairResult:
    """The verdict on ``a`` and ``b``; symmetric (the pair is put in id order first).

    ``weights`` (estimated per input, :mod:`litsieve.dedup.weights`) says which fields are
    noise in this file: they neither veto nor support a merge, and a rule that merged
    despite one of them disagreeing says so.
    """
    if b.record_id < a.record_id:
        a, b = b, a
    fields = agreement(a, b, weights)
    result = _judge(a, b, fields)
    if fields.discounted and result.verdict != DIFFERENT:
        notes = "; ".join(f"{name} not used ({weights.note(name)})" for name in fields.discounted)
        result = PairResult(result.verdict, f"{result.rule}; {notes}", result.score, result.conflict)
    return result


def _judge(a: Features, b: Features, fields: Agreement) -> PairResult:
    same_doi, same_pmid, same_pmcid = fields.same_doi, fields.same_pmid, fields.same_pmcid
    doi_differs, pmid_differs = fields.doi_differs, fields.pmid_differs
    titled = bool(a.title and b.title)
    tsim = similarity(a.title, b.title) if titled else None
    contained = prefix = main = False
    short_words = 0
    if titled and tsim is not None and tsim < 0.95:
        shorter, longer = sorted((a, b), key=lambda f: (len(f.title), f.record_id))
        short, long_ = shorter.title, longer.title
        contained = len(short) >= 40 and short in long_
        # A title given without its subtitle ("Infrastructure in the wild").
        prefix = long_.startswith(short + " ") and len(short.split()) >= 3
        # The other's main title, up to its ":" or " - " (a typo allowed): the subtitle left off.
        main = bool(longer.main_title) and not shorter.generic_title and Indel.normalized_similarity(
            short, long_[: longer.main_title], score_cutoff=0.9) > 0
        short_words = shorter.title_words
    year_gap, first_author, author_share = fields.year_gap, fields.first_author, fields.author_share
    journal, volume, issue = fields.journal, fields.volume, fields.issue
    page, end_page = fields.page, fields.end_page
    abstract = (similarity(a.abstract, b.abstract)
                if len(a.abstract) >= 100 and len(b.abstract) >= 100 else None)
    authors_clash = first_author is False and (author_share or 0.0) < 0.34
    # One multi-page range (not starting at page 1, where article-numbered journals start
    # every article) in one volume: one article, even under a series vs a proceedings title.
    same_range = (page is True and end_page is True and a.page_start != a.page_end and a.page_start != "1")
    biblio_same = volume is True and page is True and (year_gap or 0) <= 1 and (
        journal is not False or (same_range and tsim is not None and tsim >= 0.95))

    # 1. Hard conflicts.
    hard: list[str] = []
    supplement = CONFERENCE in a.kinds | b.kinds
    # One venue, named in full by one record ("Hawaii International Conference on System
    # Sciences") and abbreviated by the other ("Haw Int Con Sys Sci"): a conference's papers
    # both, whatever the abbreviation lets the kind rules see.
    # A record naming no venue, issue or pages shows no kind either (nothing says "full paper").
    conference_differs = CONFERENCE in (a.kinds ^ b.kinds) and not (
        journal is True and (conference_venue(a.journal) or conference_venue(b.journal))) and not _placeless(
        b if CONFERENCE in a.kinds else a)
    everything_agrees = (
        tsim is not None and tsim >= 0.95 and not (a.generic_title or b.generic_title)
        and year_gap == 0 and first_author is True
        and (author_share or 0.0) >= 0.8 and page is True and journal is not False
        and (volume is True or (journal is True and (supplement or volume is None))) and a.part == b.part
    )
    # A shared identifier and the same title outweigh a mangled page or supplement field.
    same_registry = fields.same_registry
    identified = (same_doi or same_pmid or same_pmcid or same_registry) and tsim is not None and (
        tsim >= 0.95 or main)
    if doi_differs and not everything_agrees:
        hard.append("different DOIs")
    if pmid_differs and not everything_agrees:
        hard.append("different PMIDs")
    if fields.registry_differs:
        hard.append("different registry entries")
    kinds = sorted((a.kinds ^ b.kinds) - {CONFERENCE})
    if kinds == [PREPRINT] and (
            (journal is True and (preprint_venue(a.journal) or preprint_venue(b.journal)))
            or _bare(b if PREPRINT in a.kinds else a)):
        # Both name one preprint server ("medRxiv", abbreviated "medR"), or the other record
        # names no venue, place or identifier at all: nothing says it is not the preprint.
        kinds = []
    if kinds and not biblio_same:
        hard.append(f"{kinds[0]} vs a different kind of record")
    if conference_differs and not biblio_same and not identified and (
            page is False or (year_gap or 0) >= 1):
        hard.append("conference abstract vs full paper")
    if a.part and b.part and a.part != b.part:
        hard.append(f"part {a.part} vs part {b.part}")
    if year_gap is not None and year_gap >= 2:
        hard.append(f"published {year_gap} years apart")
    if page is False and not identified and (volume is False or journal is False or (year_gap or 0) >= 1):
        hard.append("different volume or journal and pages")
    if authors_clash and (year_gap or 0) >= 1:
        hard.append("different authors and year")
    if titled and tsim is not None and tsim < 0.5 and not (
            same_doi or same_pmid or same_pmcid or same_registry or biblio_same or prefix or contained or main):
        hard.append("different titles")
    if hard:
        if (doi_differs or pmid_differs) and tsim is not None and tsim >= 0.9 and len(hard) == 1 and (
                first_author is not False):
            return PairResult(UNCERTAIN, f"{hard[0]}, titles alike", round(tsim, 4), conflict=True)
        return PairResult(DIFFERENT, f"kept apart: {hard[0]}", round(tsim or 0.0, 4), conflict=True)

    # Soft doubts: each stops an automatic fuzzy merge, none proves two works.
    soft: list[str] = []
    if conference_differs and not biblio_same and not (journal is True and year_gap == 0):
        soft.append("conference abstract vs other record")
    if bool(a.part) != bool(b.part):
        soft.append("only one is numbered as a part")
    if page is False:
        soft.append("different pages")
    # Supplements are numbered inconsistently: a volume alone does not separate one
    # abstract on the same page of the same journal and year by the same authors.
    same_place = page is True and journal is True and year_gap == 0 and first_author is True
    if volume is False and not same_place:
        soft.append("different volumes")
    if issue is False:
        soft.append("different issues")
    # A near-identical title at the same place in the same journal and year: author lists
    # that do not match are spelling (group authors, name order), not another work.
    placed = tsim is not None and tsim >= 0.95 and biblio_same and journal is True and year_gap == 0
    # The same page range of one volume a year apart (online first, then print): still one
    # place, so a typo in a title's number is a typo (a supplement's page holds several abstracts).
    ranged = (tsim is not None and tsim >= 0.95 and biblio_same and journal is True and end_page is not False
              and first_author is True and not supplement)
    if authors_clash and not placed:
        soft.append("different authors")
    numbers_a, numbers_b = set(a.title_numbers), set(b.title_numbers)
    # A title cut short (or given without its subtitle) loses the numbers of the part cut off.
    truncated = tsim is not None and (tsim >= 0.98 or prefix or contained or main) and (
        numbers_a <= numbers_b or numbers_b <= numbers_a)
    if titled and a.title_numbers != b.title_numbers and not truncated and not (
            (placed and first_author is True) or ranged):
        soft.append("different numbers in the titles")

    # 2. Shared identifiers.
    identifier = ("same DOI" if same_doi else "same PMID" if same_pmid else "same PMCID" if same_pmcid
                  else "same registry entry" if same_registry else "")
    if identifier:
        if tsim is None or tsim >= 0.6 or contained or prefix or main or a.generic_title or b.generic_title:
            return PairResult(SAME, identifier, 1.0)
        if tsim >= 0.4:
            return PairResult(UNCERTAIN, f"{identifier}, titles differ", round(tsim, 4))
        return PairResult(DIFFERENT, f"kept apart: {identifier} but different titles", round(tsim, 4))

    # 3. Metadata.
    support = sum((
        year_gap == 0,
        first_author is True,
        journal is True,
        volume is True,
        page is True,
        issue is True,
        abstract is not None and abstract >= 0.8,
    ))
    score = round(0.6 * (tsim or 0.0) + 0.4 * support / 7, 4)
    full_identity = (
        biblio_same and year_gap == 0 and first_author is True and journal is True
        and issue is not False and end_page is not False
    )
    # The same multi-page range of one issue holds one article, whatever language its title
    # is given in. Page 1 is excluded: article-numbered journals start every article there.
    span_identity = same_range and year_gap == 0 and first_author is True and journal is True and (
        biblio_same or (volume is None and issue is not False))
    # A heading ("Editorial") at one page range of one volume, a year apart: the issue, or a
    # range not starting at page 1 (where article-numbered journals start every item), says which.
    heading_placed = (biblio_same and year_gap == 1 and first_author is True and journal is True and end_page is True
                      and not supplement and (issue is True or (issue is None and same_range)))
    if tsim is None or a.generic_title or b.generic_title:
        if (full_identity or heading_placed) and not soft:
            return PairResult(SAME, "journal, volume, pages, year and first author agree (no usable title)", score)
        if biblio_same:
            return PairResult(UNCERTAIN, "bibliographic details agree, no usable title", score)
        return PairResult(DIFFERENT, "no usable title and details differ", score)

    lone = _lone_disagreement(a, b, soft, tsim, fields)
    if lone:
        return PairResult(SAME, f"every field but the {lone} agrees", score)
    if soft:
        if tsim >= 0.9:
            return PairResult(UNCERTAIN, f"titles alike but {soft[0]}", score)
        return PairResult(DIFFERENT, f"kept apart: {soft[0]}", score)

    # With nothing but year and authors besides the title (trial registrations, bare
    # exports), one other word ("adult" vs "adolescent" patients) may be another study.
    unplaced = not (journal is True or volume is True or page is True or issue is True
                    or (abstract is not None and abstract >= 0.8))
    # The same volume and page: the year of one record missing or one off (online first,
    # then the print issue) is no doubt about the article.
    located = (volume is True and page is True) or (
        journal is True and (page is True or (volume is True and issue is True)))
    # A main title of three words or more is as specific as a whole title; a shorter one
    # ("Eculizumab") needs the place and the first author to vouch for it.
    main_title = main and (short_words >= 3 or (located and first_author is True))
    if tsim >= 0.95 or main_title:
        if (year_gap is None and located and support >= 3 and first_author is not False) or (
                year_gap is not None and year_gap <= 1 and support >= 2 and (first_author is not False or placed)):
            if unplaced and tsim < 0.98:
                return PairResult(UNCERTAIN, "titles differ in a word, only year and authors agree", score)
            if tsim < 0.95:
                return PairResult(SAME, f"same main title (subtitle left off), {support} other fields agree", score)
            return PairResult(SAME, f"same title, {support} other fields agree", score)
        if (tsim >= 0.98 and a.title_words >= 6 and not (a.authors or b.authors) and year_gap is not None
                and (year_gap == 0 or (year_gap == 1 and journal is True)) and journal is not False):
            # Bare exports (registry entries: no authors, no place) of one title: nothing differs
            # but a registration's year against its update's.
            return PairResult(SAME, "same title and year, nothing else recorded", score)
        return PairResult(UNCERTAIN, f"same title, only {support} other field(s) agree", score)
    if tsim >= 0.85:
        # Typos leave room for another item by the same person: other last pages with no issue
        # to tell (two issues' front matter, each from page 5) are not the same place.
        ranges_differ = end_page is False and issue is not True
        if first_author is True and support >= 3 and (year_gap == 0 or (located and (year_gap or 0) <= 1)) \
                and not ranges_differ:
            return PairResult(SAME, f"similar title, {support} other fields agree", score)
        if (same_range and volume is True and journal is True and issue is not False and (year_gap or 0) <= 1
                and first_author is None and not supplement):
            # Typos in the title and no authors on one record: one page range of one volume of
            # one journal holds one article (page 1 excluded, where article numbering starts).
            return PairResult(SAME, "similar title, one page range in one volume of the journal", score)
        if support >= 1:
            return PairResult(UNCERTAIN, f"similar title, {support} other field(s) agree", score)
        return PairResult(DIFFERENT, "similar title, nothing else agrees", score)
    if tsim >= 0.7 or contained or prefix:
        # Conference abstracts share pages, so one page cannot vouch for reworded titles.
        if span_identity or (full_identity and abstract is not None and abstract >= 0.9):
            return PairResult(SAME, "titles differ in wording, journal, volume, pages and authors agree", score)
        if same_range and volume is True and first_author is True and journal is not False and (year_gap or 0) <= 1 \
                and (prefix or contained or tsim >= 0.8):
            return PairResult(SAME, "title shortened or misspelt, one page range in one volume, same first author", score)
        if support >= 2 and first_author is True:
            return PairResult(UNCERTAIN, f"titles partly alike, {support} other fields agree", score)
        return PairResult(DIFFERENT, "titles partly alike, other fields do not agree", score)
    # Unlike titles merge on the whole place, issue included: where the issue is missing or
    # noise, two articles of one author in one volume can share a page range.
    if issue is True and ((span_identity and biblio_same) or (full_identity and abstract is not None and abstract >= 0.9)):
        return PairResult(SAME, "titles differ (translation?), every other field agrees", score)
    if full_identity:
        return PairResult(UNCERTAIN, "titles differ, bibliographic details agree", score)
    return PairResult(DIFFERENT, "titles differ", score)
