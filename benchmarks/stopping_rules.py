"""Stopping rules compared in the ranking benchmark, on litsieve's own screening orders.

* **hypergeometric** (shipped: :mod:`litsieve.ranking.stopping`, Callaghan & Müller-Hansen
  2020): distribution-free; its only assumption is that the recent screening is no richer
  in relevant records than the unscreened rest, which ranking makes conservative.
* **point process** (Sneyd & Stevenson 2021, *Modelling stopping criteria for search
  results using Poisson processes*): relevant records found along the screening order are
  an inhomogeneous Poisson process; its rate is fitted by maximum likelihood (power-law
  ``a x^-b`` or exponential ``a e^-bx``, the two priors left out), the relevant records
  still to come are Poisson with the fitted rate's integral over the unscreened records,
  and screening may stop once the found ones are at least the recall target of found +
  that count's ``confidence`` quantile. The guarantee holds only as far as the rate model does.
* **target method** (Cormack & Grossman 2016): screen a uniform random sample until it
  holds ``T`` relevant records, then screen in ranked order until every one of them has
  been found. P(recall < target) <= target^T, so 95% recall with 95% confidence needs
  ``T`` = 59: a review with fewer relevant records can only be screened in full. Its
  sample is drawn with the run's seed and does not train the ranker here.

Every rule is checked where the real queue checks, after each retrain (the order file's
``trained_on`` changes), and the first "you may stop" counts.
"""

from __future__ import annotations

import math
import statistics
from typing import Callable, Sequence

import numpy as np
from scipy import optimize, stats

from litsieve.ranking.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL_TARGET, first_stop, shortfall_p_value

TARGET, CONFIDENCE = DEFAULT_RECALL_TARGET, DEFAULT_CONFIDENCE
PRIORS = 2


def hypergeometric(prefix: np.ndarray, total: int) -> bool:
    return shortfall_p_value(prefix, total, TARGET) < 1 - CONFIDENCE


def _rate_integral(family: str, a: float, b: float, start: float, end: float) -> float:
    if family == "exponential":
        return a / b * (math.exp(-b * start) - math.exp(-b * end))
    if abs(1 - b) < 1e-9:
        return a * math.log(end / start)
    return a * (end ** (1 - b) - start ** (1 - b)) / (1 - b)


def _fit(family: str, positions: np.ndarray, screened: int) -> tuple[float, float]:
    """Maximum-likelihood rate ``a, b`` of a Poisson process observed on [1, screened + 1)."""
    k = positions.size
    statistic = positions.sum() if family == "exponential" else np.log(positions).sum()
    start = 0.0 if family == "exponential" else 1.0

    def negative_log_likelihood(b: float) -> float:
        integral = _rate_integral(family, 1.0, b, start, screened + 1.0)
        return -(k * math.log(k / integral) - b * statistic - k)

    bounds = (1e-9, 1.0) if family == "exponential" else (0.0, 6.0)
    b = optimize.minimize_scalar(negative_log_likelihood, bounds=bounds, method="bounded").x
    return k / _rate_integral(family, 1.0, b, start, screened + 1.0), b


def point_process(family: str) -> Callable[[np.ndarray, int], bool]:
    def rule(prefix: np.ndarray, total: int) -> bool:
        found = int(prefix.sum())
        after_priors = prefix[PRIORS:]
        positions = np.flatnonzero(after_priors) + 1.0
        if positions.size == 0:
            return False
        a, b = _fit(family, positions, after_priors.size)
        expected = _rate_integral(family, a, b, after_priors.size + 1.0, total - PRIORS + 1.0)
        return found >= TARGET * (found + stats.poisson.ppf(CONFIDENCE, expected))
    return rule


RULES: dict[str, Callable[[np.ndarray, int], bool] | None] = {
    "hypergeometric (shipped)": hypergeometric,
    "point process, power law": point_process("power"),
    "point process, exponential": point_process("exponential"),
    "target method, T = 59": None,  # needs the random sample: see target_method
}
TARGET_SIZE = math.ceil(math.log(1 - CONFIDENCE) / math.log(TARGET))  # 59


def target_method(labels: Sequence[int], seed: int) -> np.ndarray | None:
    """Which records the target method has screened when it stops (None: it cannot stop).

    A uniform random sample drawn with ``seed`` until it holds ``TARGET_SIZE`` relevant
    records, then the ranked order up to the last of them.
    """
    y = np.asarray(labels)
    sample = np.random.default_rng(seed).permutation(y.size)
    hits = np.flatnonzero(np.cumsum(y[sample]) >= TARGET_SIZE)
    if hits.size == 0:
        return None
    drawn = sample[: hits[0] + 1]
    seen = np.zeros(y.size, dtype=bool)
    seen[drawn] = True
    seen[: int(drawn[y[drawn] == 1].max()) + 1] = True  # ranked order: row i was screened i-th
    return seen


def stopping_runs(review: str, seed: int, labels: Sequence[int], trained_on: Sequence[int]) -> list[dict[str, object]]:
    """One row per rule: where it first said stop on this order, and the recall there."""
    y = np.asarray(labels, dtype=np.int64)
    relevant = int(y.sum())
    rows: list[dict[str, object]] = []
    for name, rule in RULES.items():
        if rule is None:
            seen = target_method(y, seed)
            stop = None if seen is None else int(seen.sum())
            recall = 1.0 if seen is None else float(y[seen].sum()) / relevant
        else:
            stop = first_stop(y, trained_on, rule)
            recall = 1.0 if stop is None else float(y[:stop].sum()) / relevant
        screened = y.size if stop is None else stop
        rows.append({"rule": name, "review": review, "seed": seed, "stop": stop, "recall": recall,
                     "screened": screened / y.size})
    return rows


def print_stopping_table(rows: list[dict[str, object]], rules: Sequence[str]) -> None:
    print(f"\n## Stopping ({TARGET:.0%} recall with {CONFIDENCE:.0%} confidence; checked at every retrain)")
    print("| rule | runs | recall >= target | lowest recall | median recall at stop | median share screened | never said stop |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for rule in rules:
        mine = [r for r in rows if r["rule"] == rule]
        if not mine:
            continue
        met = sum(float(r["recall"]) >= TARGET - 1e-12 for r in mine)  # type: ignore[arg-type]
        never = sum(r["stop"] is None for r in mine)
        print(f"| {rule} | {len(mine)} | {met} ({100 * met / len(mine):.0f}%) | "
              f"{100 * min(float(r['recall']) for r in mine):.1f}% | "  # type: ignore[arg-type]
              f"{100 * statistics.median(float(r['recall']) for r in mine):.1f}% | "  # type: ignore[arg-type]
              f"{100 * statistics.median(float(r['screened']) for r in mine):.1f}% | {never} |")  # type: ignore[arg-type]
    shipped = next(iter(rules))
    print(f"\nPer review ({shipped}): share screened at the first stop (recall there), per seed")
    for review in dict.fromkeys(str(r["review"]) for r in rows):
        mine = [r for r in rows if r["review"] == review and r["rule"] == shipped]
        cells = ", ".join("never" if r["stop"] is None else
                          f"{100 * float(r['screened']):.0f}% ({100 * float(r['recall']):.0f}%)"  # type: ignore[arg-type]
                          for r in mine)
        print(f"  {review}: {cells}")
