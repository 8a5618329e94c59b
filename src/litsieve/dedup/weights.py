"""How much each field is worth in the file at hand: Fellegi-Sunter m and u, estimated per input.

A rule such as "different issues: not the same record" is right for a database that
exports issue numbers, and wrong for an export whose issue field holds something else (an
EndNote library put a running record number there: every value distinct, so every true
duplicate "disagreed" and nothing merged). So no field is trusted because of its name;
each earns its weight from the records being deduplicated, as in record linkage
(Fellegi and Sunter 1969):

- **u**, how often the field agrees on two records taken at random, comes from the value
  frequencies: ``sum c(c-1) / n(n-1)`` over the values' counts ``c`` among the ``n``
  records that have the field. It is exact and costs one pass.
- **m**, how often the field agrees on two records of one work, is measured on *anchor*
  pairs: records with the same normalised title (five words or more, not a heading such
  as "Editorial", same kind, same part) whose identity fields other than the one measured
  (year, first author, journal) agree. Such pairs are duplicates almost always, and the
  field is compared there exactly as the rules compare it (``compare.agreement``), so an
  article number beside printed pages or a missing issue is not counted as a disagreement.
  The identity fields are judged first, each on anchors made of the other two; the rest
  are judged on anchors made of the identity fields that passed.

A field **loses its veto and its weight** (``ignored``: the rules treat it as absent) when
a disagreement is not at least 2:1 evidence against a match, i.e. when the disagreement
likelihood ratio ``(1 - m) / (1 - u)`` exceeds one half, with agreement read as the veto
reads it (the year's veto is two years apart or more, so for it a year one off agrees: an
export whose every copy is one year later, online first against print, keeps its year
veto, while exact agreement on the year may still lose its weight); issue and volume also when every
one of at least 100 values is distinct (articles share issues and volumes by design). A
field **loses its weight** but keeps its veto (``weak``) when agreeing is not at least 2:1
evidence for a match (``m / u < 2``: one journal or one year in most of the file). A
field with fewer than 20 anchor pairs keeps the rules' defaults: too little to judge by.

Everything is deterministic and independent of input order: anchors come from groups of
identical titles, and when there are more than :data:`MAX_ANCHOR_PAIRS` pairs, the groups
are taken in the order of a hash of their title (content, not position), so a million
records cost a sort of their indices by title, one pass per field for the value counts and
a bounded number of pair comparisons.
"""

from __future__ import annotations

import hashlib
import heapq
import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable, Iterator, Sequence

from litsieve.dedup.features import Features

FIELDS = ("doi", "pmid", "year", "first author", "journal", "volume", "issue", "pages")
IDENTITY = ("year", "first author", "journal")
MAX_ANCHOR_PAIRS = 20_000
MAX_GROUP = 8          # a title shared by more records is a recurring heading or a series
MIN_EVIDENCE = 20      # anchor pairs (both values present) needed to judge a field
MIN_DISTINCT = 100     # issue/volume values needed before "every value distinct" means noise
_SHARED_BY_DESIGN = ("volume", "issue")
# Fields whose veto reads a looser agreement than their weight does (``compare.Agreement.by_field``).
_VETO = {"year": "year within one"}

_VALUES: dict[str, Callable[[Features], Hashable]] = {
    "doi": operator.attrgetter("doi"),
    "pmid": operator.attrgetter("pmid"),
    "year": operator.attrgetter("year"),
    "first author": lambda f: f.authors[0] if f.authors else "",
    "journal": operator.attrgetter("journal"),
    "volume": operator.attrgetter("volume"),
    "issue": operator.attrgetter("issue"),
    "pages": operator.attrgetter("page_start"),
}


@dataclass(frozen=True, slots=True)
class FieldWeight:
    """One field's estimate: m, u (None when unmeasured), the evidence and the verdict."""

    name: str
    m: float | None
    u: float | None
    anchors: int          # anchor pairs on which both records have the field
    records: int          # records that have the field
    distinct: int         # distinct values among them
    status: str           # "used", "weak" (no weight, keeps its veto) or "ignored"
    reason: str

    def describe(self) -> str:
        m = "–" if self.m is None else f"{self.m:.2f}"
        u = "–" if self.u is None else f"{self.u:.3g}"
        return f"{self.name}: m={m} ({self.anchors} pairs), u={u}, {self.status}" + (
            f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class Weights:
    """The estimate for one input; ``ignored`` and ``weak`` are what the rules consult."""

    fields: tuple[FieldWeight, ...] = ()
    ignored: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()
    notes: dict[str, str] = field(default_factory=dict)

    def note(self, name: str) -> str:
        """Why ``name`` was discounted (for a rule's explanation)."""
        return self.notes.get(name, "")

    def lines(self) -> list[str]:
        return [w.describe() for w in self.fields]


DEFAULT = Weights()


def _u(values: Iterable[Hashable]) -> tuple[float | None, int, int]:
    """Chance that two random records (both with a value) agree; records with a value; distinct values."""
    counts = Counter(values)
    for missing in ("", None, ()):  # no value (counted, then dropped: a million records in one C call)
        counts.pop(missing, None)
    n = sum(counts.values())
    if n < 2:
        return None, n, len(counts)
    return sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)), n, len(counts)


def _u_within_one(years: Sequence[int | None]) -> float | None:
    """Chance that two random records (both with a year) are at most one year apart."""
    counts = Counter(y for y in years if y is not None)
    n = sum(counts.values())
    if n < 2:
        return None
    close = sum(c * (c - 1 + counts.get(y - 1, 0) + counts.get(y + 1, 0)) for y, c in counts.items())
    return close / (n * (n - 1))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def anchor_pairs(features: Sequence[Features]) -> list[tuple[Features, Features]]:
    """Pairs of records with one normalised title, in content order, at most MAX_ANCHOR_PAIRS.

    Records are sorted by title (positions only, so a million records cost a list of ints)
    and runs of one title of 2-8 records are the groups; of those, the groups whose title
    hashes lowest are kept, enough for MAX_ANCHOR_PAIRS pairs.
    """
    order = sorted((n for n, f in enumerate(features) if f.title_words >= 5 and not f.generic_title),
                   key=lambda n: features[n].title)
    get = features.__getitem__

    def groups() -> Iterator[tuple[bytes, list[int]]]:
        start = 0
        while start < len(order):
            title = get(order[start]).title
            end = start + 1
            while end < len(order) and get(order[end]).title == title:
                end += 1
            if 2 <= end - start <= MAX_GROUP:
                yield _digest(title), order[start:end]
            start = end

    pairs: list[tuple[Features, Features]] = []
    for _, members in heapq.nsmallest(MAX_ANCHOR_PAIRS, groups(), key=lambda g: g[0]):
        ordered = sorted((get(i) for i in members), key=lambda f: f.record_id)
        for n, a in enumerate(ordered):
            for b in ordered[n + 1:]:
                if a.kinds == b.kinds and a.part == b.part:
                    pairs.append((a, b))
        if len(pairs) >= MAX_ANCHOR_PAIRS:
            break
    return pairs


def estimate(features: Sequence[Features],
             agreement: Callable[[Features, Features], dict[str, bool | None]]) -> Weights:
    """The weights of every field of :data:`FIELDS` for these records.

    ``agreement(a, b)`` says per field whether it agrees (True), disagrees (False) or cannot
    tell (None), as the rules see it (``compare.agreement``; passed in to keep the modules
    apart).
    """
    compared = [agreement(a, b) for a, b in anchor_pairs(features)]

    def m_of(name: str, identity: Sequence[str]) -> tuple[float | None, int]:
        agree = disagree = 0
        for fields in compared:
            others = [fields[_VETO.get(o, o)] for o in identity if o != name]
            if False in others or sum(1 for o in others if o) < min(2, len(others)):
                continue
            value = fields[name]
            if value is True:
                agree += 1
            elif value is False:
                disagree += 1
        total = agree + disagree
        return (agree / total if total else None), total

    results: dict[str, FieldWeight] = {}

    def judge(name: str, identity: Sequence[str]) -> FieldWeight:
        u, present, distinct = _u(map(_VALUES[name], features))
        m, anchors = m_of(name, identity)
        # The veto may read the field more loosely than agreement does (the year: one off is no
        # disagreement); whether the veto is reliable is measured as it reads.
        m_veto, u_veto = (m_of(_VETO[name], identity)[0], _u_within_one([f.year for f in features])) \
            if name in _VETO else (m, u)
        status, reason = "used", ""
        if name in _SHARED_BY_DESIGN and present >= MIN_DISTINCT and distinct == present:
            status, reason = "ignored", f"all {present} values distinct"
        elif m is not None and m_veto is not None and anchors >= MIN_EVIDENCE and u is not None and u_veto is not None:
            if (1 - m_veto) > (1 - u_veto) / 2:
                status, reason = "ignored", f"agrees on only {m_veto:.0%} of {anchors} pairs that agree otherwise"
            elif u > 0 and m < 2 * u:
                status, reason = "weak", f"agrees on {u:.0%} of random pairs"
        elif anchors < MIN_EVIDENCE:
            reason = "too few pairs to judge: rules' default"
        return FieldWeight(name, m, u, anchors, present, distinct, status, reason)

    for name in IDENTITY:
        results[name] = judge(name, IDENTITY)
    trusted = [n for n in IDENTITY if results[n].status != "ignored"]
    for name in FIELDS:
        if name not in results:
            results[name] = judge(name, trusted)
    ordered = tuple(results[n] for n in FIELDS)
    return Weights(
        fields=ordered,
        ignored=frozenset(w.name for w in ordered if w.status == "ignored"),
        weak=frozenset(w.name for w in ordered if w.status == "weak"),
        notes={w.name: w.reason for w in ordered if w.status != "used"},
    )
