"""How much screening a ranking saves: the measures the active-learning literature reports.

All take the labels in screening order. The benchmark leaves out the two prior records
(they were chosen, not found), as ASReview and Ferdinands et al. (2023) do.

* WSS@r (work saved over sampling): ``r - n_r / N`` in percent, where ``n_r`` records
  had to be screened to find the fraction ``r`` of the relevant ones (rounded up).
* RRF@p (relevant records found): percent of the relevant records among the first
  ``p`` percent of records screened.
* ATD (average time to discovery): the mean, over relevant records, of the percent of
  records screened up to and including it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class RankingMetrics:
    records: int
    relevant: int
    wss95: float
    wss100: float
    rrf10: float
    atd: float
    screened_for_95: int


def screened_to_reach(labels: Sequence[int] | np.ndarray, recall: float) -> int:
    """Records screened until ``recall`` (a fraction) of the relevant records were found."""
    found = np.cumsum(np.asarray(labels, dtype=np.int64))
    needed = math.ceil(round(recall * int(found[-1]), 9))
    return int(np.argmax(found >= needed)) + 1 if needed > 0 else 0


def ranking_metrics(labels: Sequence[int]) -> RankingMetrics:
    """All measures for one screening order (pass it without the prior records)."""
    y = np.asarray(labels, dtype=np.int64)
    n, relevant = int(y.size), int(y.sum())
    if relevant == 0:
        raise ValueError("no relevant record in the order")
    n95 = screened_to_reach(y, 0.95)
    n100 = screened_to_reach(y, 1.0)
    first_tenth = math.ceil(0.10 * n)
    positions = np.flatnonzero(y) + 1
    return RankingMetrics(
        records=n,
        relevant=relevant,
        wss95=100 * (0.95 - n95 / n),
        wss100=100 * (1.0 - n100 / n),
        rrf10=100 * float(y[:first_tenth].sum()) / relevant,
        atd=100 * float(positions.mean()) / n,
        screened_for_95=n95,
    )
