"""How far the criteria can be trusted: suggestions scored against a labelled set.

A validation set is a YAML list of records, each with the decision a careful reviewer
makes at title/abstract and, for an exclusion, the criterion that excludes it
(tests/data/validation/README.md). The figure that matters for a screener is the
**precision of** ``exclude`` per criterion: of the records a criterion suggests excluding,
the share a person would exclude for that reason. A wrong ``exclude`` can lose a study if a
tired screener trusts it; a wrong ``unsure`` costs a minute. Recall (of the records a
person would exclude for a reason, the share suggested ``exclude`` for it) says how much
reading the suggestions save.

``litsieve criteria validate`` prints these figures (docs/criteria.md quotes them).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from litsieve.errors import ConfigError
from litsieve.protocol import CriterionSpec
from litsieve.record import Record
from litsieve.screening.criteria import compile_criteria
from litsieve.screening.suggest import EXCLUDE, INCLUDE, UNSURE, Suggestion, suggest_records

DECISIONS = ("include", "exclude", "maybe")
SUGGESTIONS = (INCLUDE, EXCLUDE, UNSURE)
DEFAULT_YEAR = 2012
FORMAT = "see tests/data/validation/README.md for the keys of a case"


@dataclass(frozen=True)
class Case:
    """One labelled record."""

    record: Record
    decision: str
    reasons: tuple[str, ...]  # criterion ids a person would exclude it for
    expect: tuple[str, ...]  # acceptable suggestions
    why: str
    source: str  # the file it came from


def _listed(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def load_cases(paths: Iterable[str | os.PathLike[str]]) -> list[Case]:
    """Every case of the files, in order; a malformed one is a :class:`ConfigError`."""
    cases: list[Case] = []
    seen: set[str] = set()
    for path in paths:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        for index, entry in enumerate(entries):
            file, row = str(path), index + 1
            for key in ("id", "title", "decision", "expect"):
                if key not in entry:
                    raise ConfigError(f"a case without {key!r}", file=file, row=row, field=key, hint=FORMAT)
            if entry["decision"] not in DECISIONS:
                raise ConfigError(f"decision must be one of {', '.join(DECISIONS)}", file=file, row=row,
                                  field="decision")
            expect = _listed(entry["expect"])
            if not expect or set(expect) - set(SUGGESTIONS):
                raise ConfigError(f"expect must be {', '.join(SUGGESTIONS)} or a list of them", file=file, row=row,
                                  field="expect")
            if entry["id"] in seen:
                raise ConfigError(f"the id {entry['id']!r} is used twice", file=file, row=row, field="id")
            seen.add(entry["id"])
            notes = entry.get("notes")
            record = Record(
                record_id=str(entry["id"]), title=str(entry["title"]), abstract=str(entry.get("abstract") or ""),
                year=int(entry.get("year", DEFAULT_YEAR)), language=str(entry.get("language", "English")),
                publication_types=list(_listed(entry.get("publication_types"))),
                keywords=list(_listed(entry.get("keywords"))),
                extra={"N1": notes} if notes else {},
            )
            cases.append(Case(record, entry["decision"], _listed(entry.get("reason")), expect,
                              str(entry.get("why", "")), Path(path).name))
    return cases


@dataclass(frozen=True)
class CriterionFigures:
    criterion: str
    suggested: int  # records suggested exclude for this criterion
    correct: int  # ... that a person excludes for it
    meant: int  # records a person excludes for it
    caught: int  # ... suggested exclude for it

    @property
    def precision(self) -> float | None:
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self) -> float | None:
        return self.caught / self.meant if self.meant else None


@dataclass(frozen=True)
class Scored:
    case: Case
    suggestion: Suggestion

    @property
    def as_expected(self) -> bool:
        return self.suggestion.suggestion in self.case.expect

    @property
    def wrong_exclude(self) -> bool:
        """Suggested exclude for a criterion a person would not exclude it for."""
        return self.suggestion.suggestion == EXCLUDE and self.suggestion.excluded_by not in self.case.reasons


@dataclass(frozen=True)
class Validation:
    scored: tuple[Scored, ...]
    criteria: tuple[CriterionFigures, ...]

    @property
    def includes_excluded(self) -> list[Scored]:
        return [s for s in self.scored if s.case.decision == "include" and s.suggestion.suggestion == EXCLUDE]

    def table(self) -> Counter[tuple[str, str]]:
        return Counter((s.case.decision, s.suggestion.suggestion) for s in self.scored)

    def report(self) -> str:
        """The figures as Markdown (what docs/criteria.md quotes)."""
        lines = ["| criterion | suggested exclude | right | precision | person excludes | caught | recall |",
                 "|---|---|---|---|---|---|---|"]
        for f in self.criteria:
            lines.append(f"| `{f.criterion}` | {f.suggested} | {f.correct} | {_ratio(f.precision)} | "
                         f"{f.meant} | {f.caught} | {_ratio(f.recall)} |")
        table = self.table()
        lines += ["", "| decision | records | suggested include | exclude | unsure |", "|---|---|---|---|---|"]
        for decision in DECISIONS:
            row = [table[(decision, s)] for s in SUGGESTIONS]
            lines.append(f"| {decision} | {sum(row)} | " + " | ".join(str(n) for n in row) + " |")
        expected = sum(s.as_expected for s in self.scored)
        lines += ["", f"{len(self.scored)} records; {expected} get the expected suggestion; "
                      f"{len(self.includes_excluded)} that a person includes are suggested exclude."]
        return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def validate(cases: Sequence[Case], specs: tuple[CriterionSpec, ...]) -> Validation:
    """Score the protocol's suggestions on ``cases``."""
    suggestions = suggest_records([c.record for c in cases], specs)
    scored = tuple(Scored(c, s) for c, s in zip(cases, suggestions))
    figures = []
    for criterion in compile_criteria(specs):
        if criterion.kind != "exclusion" or criterion.automatic:
            continue
        cid = criterion.id
        suggested = [s for s in scored if s.suggestion.suggestion == EXCLUDE and s.suggestion.excluded_by == cid]
        meant = [s for s in scored if s.case.decision == "exclude" and cid in s.case.reasons]
        figures.append(CriterionFigures(
            cid, len(suggested), sum(1 for s in suggested if s.case.decision == "exclude" and cid in s.case.reasons),
            len(meant), sum(1 for s in meant if s.suggestion.suggestion == EXCLUDE and s.suggestion.excluded_by == cid)))
    return Validation(scored, tuple(figures))
