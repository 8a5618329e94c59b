"""Concepts: the reusable parts of eligibility criteria, shipped with litsieve.

A review's criteria say what they mean in a few named concepts ("participants are only
staff, carers or students", "delivered online only", "a review or an editorial") instead of
long word lists tuned until known records come out right. The concepts live in
``concepts.yaml`` beside this module, documented one by one in docs/criteria.md; a
protocol adds words to any of them, or defines its own, under ``concepts:`` (the same keys;
lists are added to the packaged ones unless the entry says ``replace: true``).

:func:`resolve_entry` turns one ``criteria:`` entry into the self-contained
:class:`~litsieve.protocol.CriterionSpec` the criteria compile from: a ``terms`` concept's
lists are merged into the criterion's own, an age group becomes its limits, and the
concepts a reader needs (every role for ``participants``, the mode words for ``delivery``,
the publication kinds) travel with the criterion, so that editing a concept reruns what
depends on it. It sits in litsieve's core, below :mod:`litsieve.protocol`, which resolves
every criterion when the protocol is read.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, NamedTuple

import yaml

from litsieve.config import find_schema, validate_fragment
from litsieve.errors import ConfigError

CONCEPTS_FILE = Path(__file__).with_name("concepts.yaml")
TYPES = ("terms", "role", "age", "delivery", "publication")
LIST_KEYS = ("any", "none", "ignore", "people", "conditions", "problems", "services", "only", "modifiers",
             "unless", "publication_types", "title", "voice", "despite_data")
#: Roles every ``participants:`` reading classifies people into (a protocol may add more).
SERVICE_USERS = "service_users"
#: What shows a publication has data of its own (kept from a ``publication:`` criterion).
PRIMARY_DATA = "primary_data"


class Concept(NamedTuple):
    """One concept, with every list resolved (references to ``terms`` concepts expanded)."""

    name: str
    type: str
    about: str
    label: str
    reason: str
    lists: tuple[tuple[str, tuple[str, ...]], ...]
    below: float | None = None
    at_least: float | None = None

    def list(self, key: str) -> tuple[str, ...]:
        return next((terms for name, terms in self.lists if name == key), ())


Concepts = Mapping[str, Concept]


def _validated(entries: Mapping[str, Any], source: str) -> dict[str, dict[str, Any]]:
    checked = {}
    for name, entry in entries.items():
        checked[name] = validate_fragment(copy.deepcopy(dict(entry)), find_schema(), ("concepts", "additionalProperties"),
                                          where=f"{source}.{name}")
    return checked


@lru_cache(maxsize=1)
def _package_entries() -> tuple[tuple[str, Any], ...]:
    raw = yaml.safe_load(CONCEPTS_FILE.read_text(encoding="utf-8"))
    return tuple(_validated(raw, "concepts").items())


def concept_entries(overrides: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The packaged concepts with a protocol's ``concepts:`` section applied (not resolved)."""
    entries = {name: copy.deepcopy(entry) for name, entry in _package_entries()}
    for name, entry in _validated(overrides or {}, "concepts").items():
        base = entries.get(name)
        if base is None or entry.get("replace"):
            if "type" not in entry:
                raise ConfigError(f"the concept {name!r} needs a type", field=f"concepts.{name}",
                                  hint=f"one of {', '.join(TYPES)}; or extend a concept litsieve ships")
            entries[name] = entry
            continue
        if entry.get("type", base["type"]) != base["type"]:
            raise ConfigError(f"the concept {name!r} is a {base['type']} concept", field=f"concepts.{name}.type",
                              hint="leave type out to add to it, or say replace: true to redefine it")
        for key, value in entry.items():
            if key in LIST_KEYS:
                base[key] = [*base.get(key, []), *(v for v in value if v not in base.get(key, []))]
            elif key != "replace":
                base[key] = value
    return entries


def resolve_concepts(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, Concept]:
    """Every concept with the ``terms`` concepts its lists name expanded."""
    def expand(items: list[str], trail: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for item in items:
            ref = entries.get(item)
            if ref is not None and ref.get("type") == "terms":
                if item in trail:
                    raise ConfigError(f"the concept {item!r} names itself", field=f"concepts.{item}")
                out += [t for t in expand(list(ref.get("any", [])), (*trail, item)) if t not in out]
            elif item not in out:
                out.append(item)
        return out

    concepts = {}
    for name, entry in entries.items():
        lists = tuple((key, tuple(expand(list(entry[key]), (name,)))) for key in LIST_KEYS if entry.get(key))
        concepts[name] = Concept(
            name=name, type=str(entry["type"]), about=str(entry.get("about", "")),
            label=str(entry.get("label", "")), reason=str(entry.get("reason", "")), lists=lists,
            below=float(entry["below"]) if "below" in entry else None,
            at_least=float(entry["at_least"]) if "at_least" in entry else None,
        )
    return concepts


@lru_cache(maxsize=16)
def _resolved(overrides_key: str) -> dict[str, Concept]:
    overrides = yaml.safe_load(overrides_key) if overrides_key else {}
    return resolve_concepts(concept_entries(overrides))


def concepts(overrides: Mapping[str, Any] | None = None) -> dict[str, Concept]:
    """The concepts a protocol's criteria read: the package's, with ``overrides`` applied."""
    return _resolved(yaml.safe_dump(dict(overrides), sort_keys=True) if overrides else "")


def _named(library: Concepts, name: str, kind: str, where: str) -> Concept:
    concept = library.get(name)
    if concept is None:
        known = sorted(n for n, c in library.items() if c.type == kind)
        raise ConfigError(f"unknown {kind} concept {name!r}", field=where, hint=f"known: {', '.join(known)}")
    if concept.type != kind:
        raise ConfigError(f"{name!r} is a {concept.type} concept, not a {kind} concept", field=where)
    return concept


def resolve_entry(entry: Mapping[str, Any], library: Concepts, where: str) -> dict[str, Any]:
    """One validated ``criteria:`` entry with its concepts applied: term lists merged, an
    age group turned into limits, label and reason defaulted from the concept, and the
    concepts its reader needs listed under ``uses``."""
    out = dict(entry)
    uses: list[Concept] = []
    named: Concept | None = None
    if entry.get("concept"):
        named = _named(library, str(entry["concept"]), "terms", f"{where}.concept")
        for key in ("any", "none", "ignore"):
            merged = [*named.list(key), *(t for t in entry.get(key) or () if t not in named.list(key))]
            if merged:
                out[key] = merged
    age = entry.get("age")
    if isinstance(age, str):
        named = _named(library, age, "age", f"{where}.age")
        out["age"] = {k: v for k, v in (("below", named.below), ("at_least", named.at_least)) if v is not None}
    participants = entry.get("participants")
    for name in (*(participants or {}).get("any", ()), *(participants or {}).get("only", ())):
        _named(library, name, "role", f"{where}.participants")
    if participants or out.get("age"):
        # Who took part is read with every role (and gives the participants' ages).
        uses += [c for c in library.values() if c.type == "role"]
    if entry.get("delivery"):
        named = _named(library, str(entry["delivery"]), "delivery", f"{where}.delivery")
        uses.append(named)
    if entry.get("publication"):
        kinds = [_named(library, str(n), "publication", f"{where}.publication") for n in entry["publication"]]
        uses += kinds
        if PRIMARY_DATA in library and all(k.name != PRIMARY_DATA for k in kinds):
            uses.append(library[PRIMARY_DATA])
        named = named or (kinds[0] if len(kinds) == 1 else None)
    for key in ("any", "none", "ignore", "near", "none_near"):
        if out.get(key):
            out[key] = _expand_terms(list(out[key]), library)
    if named is not None:
        out.setdefault("label", named.label or entry["id"])
        if entry["kind"] != "flag" and named.reason:
            out.setdefault("reason", named.reason)
    out["uses"] = tuple(uses)
    return out


def _expand_terms(items: list[str], library: Concepts) -> list[str]:
    out: list[str] = []
    for item in items:
        ref = library.get(item)
        terms = ref.list("any") if ref is not None and ref.type == "terms" else (item,)
        out += [t for t in terms if t not in out]
    return out
