"""The protocol's eligibility criteria as data, and what each one finds in a record.

A criterion (one entry of ``criteria:`` in config/config.yaml, documented in
docs/criteria.md) is named, says whether it is an inclusion criterion, an exclusion
criterion or a flag (something a person should look at), and when it fires. Its
conditions are combined with AND:

- term lists: ``any`` of a list present, ``all`` of one present, ``none`` of one present
  (how "the record is ONLY about X" is said), with ``ignore`` (phrases whose words do not
  count), ``near`` and ``none_near`` (the words must share a sentence with one of these);
- readers of what a screener reads for: who took part (``participants``, and the ages of
  ``age``: :mod:`.participants`), how the intervention was delivered (``delivery``:
  :mod:`.delivery`), what kind of publication it is (``publication``: :mod:`.publication`);
- a year range or a language list (the search's limits, applied without a person).

Concepts (:mod:`litsieve.concepts`) supply the words the readers and term lists use; by the time a
criterion is compiled here its :class:`~litsieve.protocol.CriterionSpec` carries them.
Database indexing in the record's notes (PsycINFO's document type, methodology and age
groups in EBSCOhost exports) is read too: it was assigned from the full paper.

:func:`evaluate_all` returns an :class:`Outcome` per criterion with the evidence (the
words and where they were), so every suggestion can be explained and highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal, Mapping, Sequence

from litsieve.errors import ConfigError
from litsieve.protocol import CriterionSpec, criterion_spec
from litsieve.importers.psycinfo import database_indexing
from litsieve.record import Record
from litsieve.screening import delivery as delivery_reader
from litsieve.screening import participants as participant_reader
from litsieve.screening import publication as publication_reader
from litsieve.screening.age import AgeSignal, age_signals, all_below, none_below
from litsieve.concepts import PRIMARY_DATA, SERVICE_USERS, Concept
from litsieve.screening.terms import Hit, compile_terms, find_hits, sentence_spans, snippet
from litsieve.text import FieldText, Term, language_names

TEXT_FIELDS: tuple[str, ...] = ("title", "abstract", "keywords", "publication_types", "language")
# Fields that describe a record rather than its content: criteria reading only these may
# be automatic, and their evidence is decisive even when the abstract is missing.
METADATA_FIELDS: frozenset[str] = frozenset({"year", "language", "publication_types"})
# The age groups a database's indexers assigned (litsieve.importers.psycinfo), read as a field.
INDEXED_AGE = "age_groups"
Kind = Literal["inclusion", "exclusion", "flag"]

@dataclass(frozen=True)
class Evidence:
    """One reason a criterion fired: a snippet with the matched words in brackets."""

    field: str
    text: str
    decisive: bool  # from a metadata field, so valid even without an abstract
    start: int = -1  # the words' span in the field (-1: not a span of the record's text)
    end: int = -1

    def render(self) -> str:
        return f"({self.field}) {self.text}"


@dataclass(frozen=True)
class Outcome:
    """What one criterion found in one record."""

    criterion: "Criterion"
    fired: bool  # exclusion: it applies; inclusion: the record meets it
    evidence: tuple[Evidence, ...]
    blocked_by: tuple[Evidence, ...] = ()  # counter-evidence from ``none`` or the age check

    @property
    def decisive(self) -> bool:
        return any(e.decisive for e in self.evidence)

    @property
    def countered(self) -> bool:
        """Its words were there, but so were words against it (blended delivery, mixed ages)."""
        return not self.fired and bool(self.evidence) and bool(self.blocked_by)


@dataclass(frozen=True)
class Criterion:
    """One eligibility criterion of the protocol, compiled."""

    id: str
    label: str
    kind: Kind
    fields: tuple[str, ...]
    any: tuple[Term, ...] = ()
    all: tuple[Term, ...] = ()
    none: tuple[Term, ...] = ()
    ignore: tuple[Term, ...] = ()
    near: tuple[Term, ...] = ()
    none_near: tuple[Term, ...] = ()
    age_below: float | None = None
    age_at_least: float | None = None
    years: tuple[int | None, int | None] | None = None
    languages: tuple[str, ...] = ()
    automatic: bool = False
    reason: str = ""
    participants_any: tuple[str, ...] = ()
    participants_only: tuple[str, ...] = ()
    roles: tuple[Concept, ...] = ()  # every role, for reading who took part
    delivery: Concept | None = None
    publication: tuple[Concept, ...] = ()
    primary: Concept | None = None  # what shows data of a study's own

    @property
    def has_text_conditions(self) -> bool:
        return bool(self.any or self.all or self.none or self.age_below is not None
                    or self.age_at_least is not None or self.reads)

    @property
    def reads(self) -> bool:
        """Whether a reader (participants, delivery, publication kind) decides it."""
        return bool(self.participants_any or self.participants_only or self.delivery or self.publication)

    def evaluate(self, record: Record, text: "RecordText | None" = None) -> Outcome:
        """Apply this criterion to one record (``text``: its fields, read once for all criteria)."""
        text = text or RecordText.of(record)
        texts = text.texts
        evidence: list[Evidence] = []
        if self.years is not None:
            start, end = self.years
            if record.year is None:
                return Outcome(self, False, ())
            outside = (start is not None and record.year < start) or (end is not None and record.year > end)
            span = f"{start or ''}-{end or ''}"
            if not outside:
                return Outcome(self, False, ())
            evidence.append(Evidence("year", f"[{record.year}] is outside {span}", True))
        if self.languages:
            stated = language_names(record.language)
            if not stated or any(lang in self.languages for lang in stated):
                return Outcome(self, False, ())
            evidence.append(Evidence("language", f"[{record.language}]", True))
        if not self.has_text_conditions:
            return Outcome(self, bool(evidence), tuple(evidence))
        read = {f for f in self.fields if f in TEXT_FIELDS}
        for term in (*self.any, *self.all, *self.none):
            if term.fields:
                read.update(term.fields)
        if self.reads:
            read.update(("title", "abstract"))
        if self.publication:
            read.add("publication_types")
        if not any(texts.get(f) for f in read):
            return Outcome(self, False, ())

        ignored = self._ignored_spans(text)
        if self.any:
            hits = [h for term in self.any for h in self._hits(term, text, ignored) if not h.negated]
            if self.near:
                hits = [h for h in hits if self._near(h, self.near, text, ignored)]
            if not hits:
                return Outcome(self, False, ())
            evidence.extend(_evidence(hits, texts))
        for term in self.all:
            hits = [h for h in self._hits(term, text, ignored) if not h.negated]
            if not hits:
                return Outcome(self, False, ())
            evidence.extend(_evidence(hits[:1], texts))
        if self.none:
            # Only whether words against it occur matters (and two of them to show): stop there.
            against: list[Hit] = []
            for term in self.none:
                found = [h for h in self._hits(term, text, ignored) if not h.negated]
                if self.none_near:
                    found = [h for h in found if self._near(h, self.none_near, text, ignored)]
                against += found
                if len({texts[h.field][h.start:h.end].lower() for h in against}) >= 2:
                    break
            if against:
                return Outcome(self, False, tuple(evidence), tuple(_evidence(against, texts)))
        if self.participants_any or self.participants_only:
            outcome = self._participants(text, evidence)
            if outcome is not None:
                return outcome
        if self.delivery is not None:
            reading = text.delivery(self.delivery)
            online = [_span_evidence(texts, m.field, m.start, m.end) for m in reading.online[:2]]
            other = [_span_evidence(texts, m.field, m.start, m.end) for m in reading.other[:2]]
            if not reading.only:
                return Outcome(self, False, (*evidence, *online), tuple(other))
            evidence.extend(online)
        if self.publication:
            kinds = text.publication(self.publication, self.primary)
            signs = [_span_evidence(texts, s.field, s.start, s.end) for s in kinds.signs[:2]]
            if not kinds.fires:
                data = [_span_evidence(texts, s.field, s.start, s.end) for s in kinds.against[:2]]
                return Outcome(self, False, (*evidence, *signs), tuple(data) if signs else ())
            evidence.extend(signs)
        if self.age_below is not None or self.age_at_least is not None:
            # Age groups a database's indexers assigned from the full paper outrank the
            # abstract's wording; then the participants' ages as the sample sentences state
            # them (numbers before words).
            indexed = text.age_signals(INDEXED_AGE)
            signals = indexed or (text.participants(self.roles).ages if self.roles else [])
            if self.age_below is not None:
                if not all_below(signals, self.age_below):
                    younger = [s for s in signals if s.low < self.age_below]
                    older = [s for s in signals if s.high >= self.age_below]
                    return Outcome(self, False, (*evidence, *_age_evidence(younger, texts)),
                                   tuple(_age_evidence(older, texts)))
                evidence.extend(_age_evidence(signals, texts))
            if self.age_at_least is not None:
                if not signals:
                    # No participant's age stated: no age under the limit anywhere.
                    signals = [s for f in ("title", "abstract", "keywords") if f in read for s in text.age_signals(f)]
                if not none_below(signals, self.age_at_least):
                    younger = [s for s in signals if s.low < self.age_at_least]
                    return Outcome(self, False, tuple(evidence), tuple(_age_evidence(younger, texts)))
                if signals:
                    evidence.extend(_age_evidence(signals, texts))
                else:
                    evidence.append(Evidence("abstract", f"no age under {self.age_at_least:g} stated", False))
        return Outcome(self, True, tuple(evidence))

    def _participants(self, text: "RecordText", evidence: list[Evidence]) -> Outcome | None:
        """Who took part: ``None`` when the condition holds (evidence added), else the outcome."""
        reading = text.participants(self.roles)
        texts = text.texts
        if self.participants_only:
            found = [_span_evidence(texts, g.mention.field, *g.phrase) for g in reading.groups if g.role is not None][:2]
            if not reading.only(self.participants_only):
                against = [_span_evidence(texts, g.mention.field, *g.phrase)
                           for g in reading.groups if g.service_users or g in reading.unknown]
                against += [_span_evidence(texts, e.field, e.start, e.end) for e in reading.service_user_evidence]
                return Outcome(self, False, (*evidence, *found) if against else (), tuple(against[:2]))
            evidence.extend(found)
        if self.participants_any:
            wanted = set(self.participants_any)
            groups = [g for g in reading.groups if g.role in wanted or (SERVICE_USERS in wanted and g.own)]
            found = [_span_evidence(texts, g.mention.field, *g.phrase) for g in groups]
            if SERVICE_USERS in wanted:
                found += [_span_evidence(texts, e.field, e.start, e.end) for e in reading.service_user_evidence]
                if not found and reading.groups and not reading.other_roles:
                    # People took part whom no phrase calls service users, and none calls
                    # anything else: a mental health condition or service users named will
                    # do for an inclusion (its failing only sends the record to a person).
                    found = [_span_evidence(texts, e.field, e.start, e.end) for e in reading.conditions]
            if not found:
                return Outcome(self, False, ())
            evidence.extend(found[:2])
        return None

    def _fields_for(self, term: Term) -> tuple[str, ...]:
        return term.fields if term.fields is not None else self._text_fields

    @cached_property
    def _text_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if f in TEXT_FIELDS)

    def _hits(self, term: Term, text: "RecordText", ignored: dict[str, list[tuple[int, int]]]) -> list[Hit]:
        hits: list[Hit] = []
        may_occur = term.pattern.may_occur
        for field in self._fields_for(term):
            value = text.present.get(field)
            if value is not None and may_occur(value):
                hits.extend(find_hits(term, field, value, blocked=ignored.get(field, [])))
        return hits

    def _ignored_spans(self, text: "RecordText") -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        for term in self.ignore:
            for field in TEXT_FIELDS:
                value = text.present.get(field)
                if value is not None and term.pattern.may_occur(value):
                    spans.setdefault(field, []).extend(term.pattern.spans(value))
        return spans

    def _near(self, hit: Hit, near: tuple[Term, ...], text: "RecordText",
              ignored: dict[str, list[tuple[int, int]]]) -> bool:
        """Whether one of ``near`` shares the hit's sentence (the whole field for a title)."""
        value = text.texts[hit.field]
        begin, end = 0, len(value)
        if hit.field == "abstract":
            begin, end = next((b, e) for b, e in sentence_spans(value) if b <= hit.start <= e)
        skip = [(hit.start, hit.end), *ignored.get(hit.field, [])]
        for term in near:
            for s, e in term.pattern.spans(text.fields[hit.field], begin, end):
                if not any(s < b_end and b_start < e for b_start, b_end in skip):
                    return True
        return False


def evaluate_all(record: Record, criteria: Sequence[Criterion]) -> list[Outcome]:
    """Every criterion's outcome for one record (its text read once for all of them)."""
    text = RecordText.of(record)
    return [c.evaluate(record, text) for c in criteria]


class RecordText:
    """A record's searchable fields, folded once (:class:`~litsieve.text.FieldText`), and
    their age statements, computed once for all criteria."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.fields = {field: FieldText(value) for field, value in texts.items()}
        self.present = {field: value for field, value in self.fields.items() if value.text}
        self._ages: dict[str, list[AgeSignal]] = {}
        self._readings: dict[object, object] = {}

    def participants(self, roles: tuple[Concept, ...]) -> participant_reader.Reading:
        """Who took part (read once per record for every criterion that asks)."""
        key = ("participants", roles)
        if key not in self._readings:
            self._readings[key] = participant_reader.reader(roles).read(self.texts, self.fields)
        return self._readings[key]  # type: ignore[return-value]

    def delivery(self, concept: Concept) -> delivery_reader.DeliveryReading:
        key = ("delivery", concept)
        if key not in self._readings:
            self._readings[key] = delivery_reader.reader(concept).read(self.texts, self.fields)
        return self._readings[key]  # type: ignore[return-value]

    def publication(self, kinds: tuple[Concept, ...], primary: Concept | None) -> publication_reader.PublicationReading:
        key = ("publication", kinds, primary)
        if key not in self._readings:
            self._readings[key] = publication_reader.reader(kinds, primary).read(self.texts, self.fields)
        return self._readings[key]  # type: ignore[return-value]

    @classmethod
    def of(cls, record: Record) -> "RecordText":
        indexing = database_indexing(record)
        types = list(record.publication_types)
        for value in (*indexing.get("Document Type", []), *indexing.get("Methodology", [])):
            if value.casefold() not in {t.casefold() for t in types}:
                types.append(value)
        return cls({
            "title": record.title or "",
            "abstract": record.abstract or "",
            "keywords": "; ".join(record.keywords),
            "publication_types": "; ".join(types),
            "language": record.language or "",
            INDEXED_AGE: "; ".join(indexing.get("Age Group", [])),
        })

    def age_signals(self, field: str) -> list[AgeSignal]:
        if field not in self._ages:
            self._ages[field] = age_signals(self.texts.get(field, ""), field)
        return self._ages[field]


def _evidence(hits: list[Hit], texts: dict[str, str], limit: int = 2) -> list[Evidence]:
    """At most ``limit`` snippets, one per distinct word, title before abstract."""
    order = {f: i for i, f in enumerate(TEXT_FIELDS)}
    seen: set[str] = set()
    out: list[Evidence] = []
    for hit in sorted(hits, key=lambda h: (order[h.field], h.start)):
        word = texts[hit.field][hit.start:hit.end].lower()
        if word in seen:
            continue
        seen.add(word)
        out.append(Evidence(hit.field, snippet(texts[hit.field], hit.start, hit.end),
                            hit.field in METADATA_FIELDS, hit.start, hit.end))
        if len(out) == limit:
            break
    return out


def _age_evidence(signals: list[AgeSignal], texts: dict[str, str], limit: int = 2) -> list[Evidence]:
    return [_span_evidence(texts, s.field, s.start, s.end) for s in signals[:limit]]


def _span_evidence(texts: dict[str, str], field: str, start: int, end: int) -> Evidence:
    """The words at ``start:end`` of a field, bracketed in a snippet."""
    return Evidence(field, snippet(texts[field], start, end), field in METADATA_FIELDS or field == INDEXED_AGE,
                    start, end)


def parse_criterion(entry: Mapping[str, Any], index: int) -> Criterion:
    """Compile one ``criteria:`` entry as written (validated against the schema first)."""
    return compile_criterion(criterion_spec(entry, index), index)


def compile_criterion(spec: CriterionSpec, index: int) -> Criterion:
    """Compile one criterion of the protocol; anything unusable is a :class:`ConfigError`."""
    where = f"criteria.{index} ({spec.id})"
    criterion = Criterion(
        id=spec.id,
        label=spec.label,
        kind=spec.kind,  # type: ignore[arg-type]  # the schema allows only the three kinds
        fields=spec.fields,
        **{key: compile_terms(getattr(spec, key), where=f"{where}.{key}")
           for key in ("any", "all", "none", "ignore", "near", "none_near")},
        age_below=spec.age_below,
        age_at_least=spec.age_at_least,
        years=(spec.year_outside.start, spec.year_outside.end) if spec.year_outside else None,
        languages=spec.language_not,
        automatic=spec.automatic,
        reason=spec.reason,
        participants_any=spec.participants_any,
        participants_only=spec.participants_only,
        roles=tuple(c for c in spec.uses if c.type == "role"),
        delivery=next((c for c in spec.uses if c.type == "delivery"), None),
        publication=tuple(c for c in spec.uses if c.type == "publication" and c.name in spec.publication),
        primary=next((c for c in spec.uses if c.name == PRIMARY_DATA and c.name not in spec.publication), None),
    )
    if not (criterion.has_text_conditions or criterion.years or criterion.languages):
        raise ConfigError("criterion has no condition", field=where,
                          hint="give any/all/none terms, age, year_outside or language_not")
    if criterion.near and not criterion.any:
        raise ConfigError("near needs an any list to apply to", field=f"{where}.near")
    if criterion.none_near and not criterion.none:
        raise ConfigError("none_near needs a none list to apply to", field=f"{where}.none_near")
    if criterion.automatic:
        reads_text = criterion.has_text_conditions and (
            set(criterion.fields) - METADATA_FIELDS
            or any(set(t.fields if t.fields is not None else criterion.fields) - METADATA_FIELDS
                   for t in (*criterion.any, *criterion.all, *criterion.none))
            or criterion.age_below is not None or criterion.age_at_least is not None
        )
        if criterion.kind != "exclusion" or reads_text:
            raise ConfigError(
                "only exclusion limits on year, language or publication type can be automatic",
                field=f"{where}.automatic",
                hint="records removed without a person are reported as removed by automation; "
                     "set automatic: false so a screener decides",
            )
    return criterion


@lru_cache(maxsize=8)
def compile_criteria(specs: tuple[CriterionSpec, ...]) -> tuple[Criterion, ...]:
    """The protocol's criteria compiled, in protocol order (compiled once per list: the
    Snakefile and every stage ask for the same one)."""
    criteria = tuple(compile_criterion(spec, i) for i, spec in enumerate(specs))
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.id in seen:
            raise ConfigError(f"criterion id {criterion.id!r} is used twice", field="criteria",
                              hint="give every criterion its own id")
        seen.add(criterion.id)
    return criteria


def exclusion_reasons(specs: tuple[CriterionSpec, ...]) -> list[str]:
    """The exclusion reasons a screener picks from, in protocol order, without repeats."""
    reasons: list[str] = []
    for criterion in compile_criteria(specs):
        if criterion.kind != "inclusion" and criterion.reason and criterion.reason not in reasons:
            reasons.append(criterion.reason)
    return reasons
