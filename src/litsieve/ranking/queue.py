"""``order_queue``: the title/abstract queue's priority order, retrained on every workflow run."""

from __future__ import annotations

from typing import Mapping, Sequence

from litsieve.ranking.ranker import Ranker
from litsieve.record import Record


def order_queue(
    records: Sequence[Record],
    suggestions: Mapping[str, str | None],
    labels: Mapping[str, int],
    *,
    ranked: bool = True,
) -> list[str]:
    """Every record id once, in screening priority order (:meth:`Ranker.order`).

    ``suggestions`` maps record_id to ``include``/``unsure``/``exclude`` or ``None``;
    ``labels`` maps record_id to 1 (included at this stage) or 0 (excluded) for the
    records already decided. ``ranked=False`` (the protocol's ``ranking.enabled: false``)
    keeps the stable order whatever the labels say, decided records still last.
    Deterministic: the same inputs give the same order.
    """
    return Ranker.from_records(records, suggestions).order(labels, ranked=ranked)
