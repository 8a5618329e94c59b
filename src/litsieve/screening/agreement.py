"""Agreement between two screeners: raw agreement and Cohen's kappa.

Computed over the records both screeners have decided, on the categories that decide
what happens to a record (so with ``screeners.maybe: include`` a "maybe" and an include
agree). Kappa is undefined when chance agreement is 1 (both screeners used one single
category throughout); it is then reported as ``null`` with the reason, not as a number.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from litsieve.screening.decisions import Outcome, category


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of paired categorical ratings (``None`` when undefined)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def agreement_summary(outcomes: Sequence[Outcome], screeners: Sequence[str], policy: str) -> dict[str, Any]:
    """The stage's agreement figures for ``results/screening/agreement.json``."""
    summary: dict[str, Any] = {"screeners": list(screeners)}
    if len(screeners) != 2:
        summary.update(both_decided=None, raw_agreement=None, kappa=None,
                       note="one screener: agreement needs two")
        return summary
    a, b = screeners
    pairs = []
    for outcome in outcomes:
        first = category(outcome.by_screener[a].decision, policy)
        second = category(outcome.by_screener[b].decision, policy)
        if first and second:
            pairs.append((first, second))
    kappa = cohen_kappa(pairs)
    table = Counter(f"{x}|{y}" for x, y in pairs)
    summary.update(
        both_decided=len(pairs),
        agreed=sum(x == y for x, y in pairs),
        raw_agreement=round(sum(x == y for x, y in pairs) / len(pairs), 4) if pairs else None,
        kappa=round(kappa, 4) if kappa is not None else None,
        table={key: table[key] for key in sorted(table)},
        disagreements=sum(o.disagreement for o in outcomes),
        resolved=sum(o.disagreement and bool(o.resolution.decision) for o in outcomes),
    )
    if kappa is None:
        summary["note"] = ("no records decided by both screeners yet" if not pairs
                           else "kappa undefined: both screeners used a single category")
    return summary
