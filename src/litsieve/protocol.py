"""The review protocol as one typed, frozen model.

The YAML file stays the user's interface (``config/config.yaml``, or any file passed with
``snakemake --configfile`` / ``litsieve ... --config``). It is read once:

1. :func:`litsieve.config.load_config` parses it and validates it against
   ``workflow/schemas/config.schema.yaml``, filling the schema's defaults: **the schema is
   the one place defaults live** (``config/README.md`` lists them);
2. :meth:`Protocol.from_mapping` turns the validated mapping into the sections below,
   deriving once what the rest of litsieve used to work out in several places (a source's
   PRISMA ``kind`` and its label in the diagram, a criterion's reason).

The Snakefile builds ``PROTOCOL`` this way and rules pass sections as ``params``
(``params: search=PROTOCOL.search``); the command line uses :func:`load_protocol`; the
package's functions take the sections they need, never the raw mapping.

Sections are ``NamedTuple`` classes: typed and immutable like frozen dataclasses, and
unlike dataclasses they are tuples, which Snakemake's params change detection hashes (it
keys on the ``repr`` of built-in types and silently ignores any other object, which
would leave stale outputs after a protocol edit). Optional values are ``None``, never an
empty section: a tuple with fields is always true.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Sequence

from litsieve.config import find_schema, load_config, validate_config, validate_fragment
from litsieve.concepts import Concept, concepts, resolve_entry
from litsieve.text import language_name

# --------------------------------------------------------------------------- sources

#: PRISMA 2020's other methods (the diagram's second column) and how each is named there.
OTHER_METHODS: dict[str, str] = {
    "website": "Websites", "organisation": "Organisations", "citation_search": "Citation searching",
}
SOURCE_KINDS: tuple[str, ...] = ("database", "register", *OTHER_METHODS)
# Trial and study registers are counted apart from bibliographic databases in PRISMA 2020.
REGISTER_WORDS: tuple[str, ...] = ("clinicaltrials", "ictrp", "isrctn", "anzctr", "register", "registry",
                                   "trials_gov")
#: A database's usual name, for the diagram when a source has no ``label``.
DATABASE_LABELS: dict[str, str] = {
    "pubmed": "PubMed", "medline": "MEDLINE", "psycinfo": "APA PsycInfo", "embase": "Embase",
    "europepmc": "Europe PMC", "cinahl": "CINAHL", "scopus": "Scopus", "web_of_science": "Web of Science",
    "wos": "Web of Science", "cochrane": "Cochrane Library", "central": "Cochrane CENTRAL",
    "assia": "ASSIA", "ssci": "Social Sciences Citation Index", "proquest": "ProQuest",
    "clinicaltrials": "ClinicalTrials.gov", "clinicaltrials_gov": "ClinicalTrials.gov",
    "ictrp": "WHO ICTRP", "isrctn": "ISRCTN registry", "anzctr": "ANZCTR",
}


def source_kind(name: str, database: str, kind: str | None = None) -> str:
    """The ``kind`` the protocol gives; else ``register`` for trial and study registers
    and ``database`` for the rest."""
    if kind:
        return kind
    text = f"{name} {database}".casefold().replace(".", "_")
    return "register" if any(word in text for word in REGISTER_WORDS) else "database"


def source_label(name: str, database: str, kind: str, label: str | None = None) -> str:
    """How the diagram names a source: its ``label``, else the method or the database's usual name."""
    if label:
        return label
    if kind in OTHER_METHODS:
        return OTHER_METHODS[kind]
    database = database or name
    return DATABASE_LABELS.get(database.casefold(), database)


class StringAsRun(NamedTuple):
    """The string a source was searched with, and the interface that read it (all that the
    export check needs, so that editing another key of the source does not rerun it)."""

    source: str
    platform: str
    text: str


class Source(NamedTuple):
    """One entry of ``sources:``, with its ``kind`` and ``label`` decided."""

    name: str
    database: str
    platform: str
    method: str  # "export" or "live"
    files: tuple[str, ...]
    format: str | None
    searched_on: str | None
    snapshot: str | None
    base_url: str | None
    kind: str  # one of SOURCE_KINDS
    label: str
    string_as_run: str | None = None  # the string exactly as typed in the database

    @classmethod
    def from_mapping(cls, entry: Mapping[str, Any]) -> "Source":
        name, database = str(entry["name"]), str(entry["database"])
        kind = source_kind(name, database, entry.get("kind"))
        return cls(
            name=name, database=database, platform=str(entry["platform"]), method=str(entry["method"]),
            files=tuple(str(f) for f in entry["files"]), format=entry.get("format"),
            searched_on=entry.get("searched_on"), snapshot=entry.get("snapshot"),
            base_url=entry.get("base_url"), kind=kind,
            label=source_label(name, database, kind, entry.get("label")),
            string_as_run=entry.get("string_as_run"),
        )

    @classmethod
    def unlisted(cls, name: str) -> "Source":
        """A source that records name but the protocol does not list (its name is its database)."""
        return cls.from_mapping({"name": name, "database": name, "platform": "other", "method": "export",
                                 "files": []})

    @property
    def live(self) -> bool:
        return self.method == "live"

    @property
    def as_run(self) -> StringAsRun | None:
        """``sources[].string_as_run`` with what reading it needs, or ``None``."""
        return StringAsRun(self.name, self.platform, self.string_as_run) if self.string_as_run else None

    @property
    def other_method(self) -> bool:
        """Found by a PRISMA 2020 "other method" (website, organisation, citation search)."""
        return self.kind in OTHER_METHODS

    @property
    def checked_against_query(self) -> bool:
        """A hand-made export of a database or register search: checked against the query."""
        return self.method == "export" and not self.other_method


# --------------------------------------------------------------------------- sections

class Review(NamedTuple):
    title: str
    id: str


class YearRange(NamedTuple):
    """A range of publication years, inclusive; either end may be open (``None``)."""

    start: int | None
    end: int | None

    @classmethod
    def from_mapping(cls, value: Mapping[str, Any] | None) -> "YearRange | None":
        if not value or (value.get("start") is None and value.get("end") is None):
            return None
        start, end = value.get("start"), value.get("end")
        return cls(int(start) if start is not None else None, int(end) if end is not None else None)

    def closed(self) -> tuple[int, int]:
        """Both ends, an open one closed with 1800 or 3000 (the convention PubMed and
        Europe PMC accept)."""
        return (self.start if self.start is not None else 1800, self.end if self.end is not None else 3000)

    def text(self) -> str:
        return f"{self.start if self.start is not None else ''}-{self.end if self.end is not None else ''}"


class LiveSettings(NamedTuple):
    """``search.live``: how ``litsieve search refresh`` pages and retries (docs/search.md)."""

    batch_size: int
    page_size: int
    slice_limit: int
    attempts: int
    backoff: float
    backoff_max: float
    jitter: float
    timeout: float


class Search(NamedTuple):
    """``search``: the string as written, the reading intended, and the limits
    (``search.live`` is :class:`LiveSettings`, ``Protocol.live``: only a live search uses it)."""

    query: str
    intended_query: str  # "" when the protocol gives none
    fields: str  # tiab, ti, ab or all
    years: YearRange | None
    languages: tuple[str, ...]  # lower-case English names

    @classmethod
    def from_mapping(cls, search: Mapping[str, Any]) -> "Search":
        return cls(
            query=str(search["query"]),
            intended_query=str(search.get("intended_query") or ""),
            fields=str(search["fields"]),
            years=YearRange.from_mapping(search.get("years")),
            languages=tuple(language_name(str(lang)) for lang in search["languages"] if str(lang).strip()),
        )

    def without_limits(self) -> "Search":
        """The string and its reading only: for a rule that does not apply the limits, so
        that editing them does not rerun it."""
        return self._replace(years=None, languages=())


class Screeners(NamedTuple):
    """``screeners``: who screens each stage, and what a title/abstract "maybe" does."""

    title_abstract: tuple[str, ...]
    full_text: tuple[str, ...]
    maybe: str  # "include" or "conflict"

    def of(self, stage: str) -> tuple[str, ...]:
        """The screeners of ``title_abstract`` or ``full_text``."""
        return tuple(getattr(self, stage))


class Paths(NamedTuple):
    people: str  # files people edit
    snapshots: str  # frozen search snapshots


class DedupSettings(NamedTuple):
    review: bool  # list uncertain pairs in <people>/duplicates.csv


class RankingSettings(NamedTuple):
    enabled: bool
    recall_target: float
    confidence: float


class CriterionSpec(NamedTuple):
    """One entry of ``criteria:`` with its concepts applied (compiled by
    :mod:`litsieve.screening.criteria`; concepts: :mod:`litsieve.concepts`)."""

    id: str
    label: str  # default: the concept's label, else the id
    kind: str  # inclusion, exclusion or flag
    fields: tuple[str, ...]
    any: tuple[str, ...]
    all: tuple[str, ...]
    none: tuple[str, ...]
    ignore: tuple[str, ...]
    near: tuple[str, ...]
    none_near: tuple[str, ...]
    age_below: float | None
    age_at_least: float | None
    year_outside: YearRange | None
    language_not: tuple[str, ...]  # lower-case English names
    automatic: bool
    reason: str  # the exclusion reason screeners pick; a flag has one only when given
    note: str
    concept: str = ""  # the terms concept named, if any
    participants_any: tuple[str, ...] = ()  # roles the participants must include
    participants_only: tuple[str, ...] = ()  # roles the participants must all be in
    delivery: str = ""  # a delivery concept: fires when that is the only mode
    publication: tuple[str, ...] = ()  # publication kinds
    uses: tuple[Concept, ...] = ()  # the concepts its reader reads, resolved

    @classmethod
    def from_mapping(cls, entry: Mapping[str, Any]) -> "CriterionSpec":
        """From an entry validated against the schema and resolved by
        :func:`~litsieve.concepts.resolve_entry`."""
        cid, kind = str(entry["id"]), str(entry["kind"])
        label = str(entry.get("label") or cid)
        age = entry.get("age") or {}
        participants = entry.get("participants") or {}
        return cls(
            id=cid, label=label, kind=kind, fields=tuple(entry["fields"]),
            **{key: tuple(str(t) for t in entry.get(key) or ()) for key in ("any", "all", "none", "ignore",
                                                                           "near", "none_near")},
            age_below=float(age["below"]) if "below" in age else None,
            age_at_least=float(age["at_least"]) if "at_least" in age else None,
            year_outside=YearRange.from_mapping(entry.get("year_outside")),
            language_not=tuple(language_name(str(v)) for v in entry.get("language_not") or ()),
            automatic=bool(entry["automatic"]),
            reason=str(entry.get("reason") or ("" if kind == "flag" else label)),
            note=str(entry.get("note") or ""),
            concept=str(entry.get("concept") or ""),
            participants_any=tuple(participants.get("any") or ()),
            participants_only=tuple(participants.get("only") or ()),
            delivery=str(entry.get("delivery") or ""),
            publication=tuple(str(p) for p in entry.get("publication") or ()),
            uses=tuple(entry.get("uses") or ()),
        )


def search_limits(search: "Search", ids: set[str]) -> list[dict[str, Any]]:
    """The search's year and language limits as automatic criteria (``year``, ``language``),
    so that the protocol states them once, in ``search:``. A criterion the protocol gives
    with the same id is kept instead."""
    limits: list[dict[str, Any]] = []
    if search.years and "year" not in ids:
        span = search.years.text()
        limits.append({"id": "year", "label": f"Published {span}", "kind": "exclusion", "fields": ["year"],
                       "automatic": True, "reason": f"Published outside {span}",
                       "year_outside": {"start": search.years.start, "end": search.years.end}})
    if search.languages and "language" not in ids:
        names = " or ".join(lang.title() for lang in search.languages)
        limits.append({"id": "language", "label": f"Published in {names}", "kind": "exclusion",
                       "fields": ["language"], "automatic": True, "reason": f"Not published in {names}",
                       "language_not": list(search.languages)})
    return limits


def criteria_specs(entries: Sequence[Mapping[str, Any]], search: "Search | None" = None,
                   overrides: Mapping[str, Any] | None = None) -> tuple[CriterionSpec, ...]:
    """Validated ``criteria:`` entries resolved against the concepts (the package's with the
    protocol's ``concepts:`` applied), followed by the search's limits."""
    library = concepts(overrides)
    entries = list(entries)
    if search is not None:
        entries += search_limits(search, {str(e["id"]) for e in entries})
    return tuple(CriterionSpec.from_mapping(resolve_entry(entry, library, f"criteria.{i}"))
                 for i, entry in enumerate(entries))


class ExtractionField(NamedTuple):
    """One column of the extraction table (``extraction.fields``).

    ``builtin``: pre-filled by the named extractor of :mod:`litsieve.report.prefill`;
    ``values``: pre-filled with each tag whose terms occur (text-layer terms, in order);
    neither: a column the reviewers fill by hand.
    """

    name: str
    label: str
    builtin: bool
    values: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_item(cls, item: str | Mapping[str, Any]) -> "ExtractionField":
        if isinstance(item, str):
            return cls(item, item.replace("_", " "), True, ())
        values = tuple((str(tag), tuple(str(t) for t in terms)) for tag, terms in (item.get("values") or {}).items())
        name = str(item["name"])
        return cls(name, str(item.get("label") or name.replace("_", " ")), False, values)


class Extraction(NamedTuple):
    fields: tuple[ExtractionField, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# --------------------------------------------------------------------------- the protocol

class Protocol(NamedTuple):
    """The whole protocol. Build it with :func:`load_protocol` or :func:`parse_protocol`."""

    review: Review
    search: Search
    live: LiveSettings
    sources: tuple[Source, ...]
    screeners: Screeners
    paths: Paths
    dedup: DedupSettings
    ranking: RankingSettings
    criteria: tuple[CriterionSpec, ...]
    extraction: Extraction

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> "Protocol":
        """From a mapping already validated against the schema with its defaults filled."""
        return cls(
            review=Review(title=str(config["review"]["title"]), id=str(config["review"]["id"])),
            search=Search.from_mapping(config["search"]),
            live=LiveSettings(**{name: config["search"]["live"][name] for name in LiveSettings._fields}),
            sources=tuple(Source.from_mapping(s) for s in config["sources"]),
            screeners=Screeners(tuple(config["screeners"]["title_abstract"]),
                                tuple(config["screeners"]["full_text"]), str(config["screeners"]["maybe"])),
            paths=Paths(**{name: str(config["paths"][name]) for name in Paths._fields}),
            dedup=DedupSettings(review=bool(config["dedup"]["review"])),
            ranking=RankingSettings(**{name: config["ranking"][name] for name in RankingSettings._fields}),
            criteria=criteria_specs(config["criteria"], Search.from_mapping(config["search"]),
                                    config.get("concepts")),
            extraction=Extraction(tuple(ExtractionField.from_item(f) for f in config["extraction"]["fields"])),
        )

    def source(self, name: str) -> Source:
        """The source named ``name``, or :meth:`Source.unlisted` when the protocol has none."""
        return next((s for s in self.sources if s.name == name), None) or Source.unlisted(name)


def parse_protocol(config: Mapping[str, Any], *, source: str = "config") -> Protocol:
    """Validate a protocol mapping (a copy: ``config`` is not changed) and build the model."""
    return Protocol.from_mapping(validate_config(copy.deepcopy(dict(config)), find_schema(), source=source))


def load_protocol(path: str | os.PathLike[str]) -> Protocol:
    """Read, validate and build the protocol in a YAML file."""
    return Protocol.from_mapping(load_config(Path(path)))


def criterion_spec(entry: Mapping[str, Any], index: int = 0) -> CriterionSpec:
    """One ``criteria:`` entry validated and resolved on its own, against the packaged
    concepts (for tests)."""
    where = f"criteria.{index}"
    checked = validate_fragment(copy.deepcopy(dict(entry)), find_schema(), ("criteria", "items"), where=where)
    return CriterionSpec.from_mapping(resolve_entry(checked, concepts(), where))


def sources_by_name(sources: Sequence[Source]) -> dict[str, Source]:
    return {s.name: s for s in sources}
