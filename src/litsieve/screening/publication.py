"""What kind of publication a record is: a study with data of its own, or something else.

A publication kind (:mod:`litsieve.concepts`: editorials, letters, commentaries,
reviews, theory, books, news, errata, descriptions, protocols, conference abstracts) is
recognised from the database's publication type, from the title ("...: a systematic
review", "Editorial: ...") or from the paper's own words ("This review...", "In this
commentary, I argue", "Reviews the book", "databases were searched"). A background mention
("a recent systematic review found...") is not the paper's own voice and does not count.

What the paper does with data of its own (``primary_data``: a study design the database
indexed, or "we interviewed", "were randomised", "participants completed...") keeps it
from any kind but a review, whose data are other studies'; an indexed study design
outranks even a review's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from litsieve.concepts import PRIMARY_DATA, Concept
from litsieve.screening.terms import is_negated
from litsieve.text import FieldText, compile_pattern

# Where each list of a publication concept is looked for.
PLACES = (("publication_types", "publication_types"), ("title", "title"), ("voice", "abstract"))


@dataclass(frozen=True)
class Sign:
    kind: str
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class PublicationReading:
    signs: tuple[Sign, ...]  # the record is of one of the kinds
    designs: tuple[Sign, ...]  # an indexed study design
    data: tuple[Sign, ...]  # the words of a study with data of its own
    holds: frozenset[tuple[str, str]]  # (kind, place) whose signs hold despite a design or data of its own

    @property
    def fires(self) -> bool:
        if any((s.kind, s.field) in self.holds for s in self.signs):
            return True
        return bool(self.signs) and not self.designs and not self.data

    @property
    def against(self) -> tuple[Sign, ...]:
        return self.designs or self.data


class PublicationReader:
    def __init__(self, kinds: tuple[Concept, ...], primary: Concept | None) -> None:
        self._kinds = [(k.name, field, compile_pattern(t)) for k in kinds for key, field in PLACES
                       for t in k.list(key)]
        self._ignore = {k.name: [compile_pattern(t) for t in k.list("ignore")] for k in kinds}
        places = dict(PLACES)
        self._holds = frozenset((k.name, places[p]) for k in kinds for p in k.list("despite_data"))
        self._designs = [compile_pattern(t) for t in (primary.list("publication_types") if primary else ())]
        self._data = [compile_pattern(t) for t in (primary.list("voice") if primary else ())]

    def read(self, texts: dict[str, str], fields: dict[str, FieldText]) -> PublicationReading:
        signs = []
        for kind, field, pattern in self._kinds:
            text = fields.get(field)
            if text is None or not pattern.may_occur(text):
                continue
            for start, end in pattern.spans(text):
                if field == "publication_types" and not _whole_type(texts[field], start, end):
                    continue
                if field != "publication_types" and is_negated(texts[field], start):
                    continue
                if any(s < end and start < e for p in self._ignore[kind] for s, e in p.spans(text)):
                    continue  # "a review of case records" is a study's own data
                signs.append(Sign(kind, field, start, end))
                break
        designs = tuple(Sign(PRIMARY_DATA, "publication_types", s, e) for p in self._designs
                        for s, e in p.spans(fields["publication_types"])[:1]
                        if _whole_type(texts["publication_types"], s, e))
        data = tuple(Sign(PRIMARY_DATA, "abstract", s, e) for p in self._data
                     for s, e in p.spans(fields["abstract"])[:1] if not is_negated(texts["abstract"], s))
        return PublicationReading(tuple(signs), designs, data, self._holds)


def _whole_type(types: str, start: int, end: int) -> bool:
    """A publication type term names a whole type ("Review", not the "Review" of "Peer Review")."""
    before = types[:start].rstrip()
    after = types[end:].lstrip()
    return (not before or before.endswith(";")) and (not after or after.startswith(";"))


@lru_cache(maxsize=16)
def reader(kinds: tuple[Concept, ...], primary: Concept | None) -> PublicationReader:
    return PublicationReader(kinds, primary)
