"""Order records for screening: the one ranker the queue, ``litsieve simulate`` and the benchmark share.

A :class:`Ranker` holds the features of one set of records, built once (the slow part:
the TF-IDF vocabulary), and ranks them for any set of decisions (a model fit: a fraction
of a second). The queue builds one per workflow run; a long-running process (a screening
page) can keep one and call :meth:`Ranker.order` after every decision.

Before the first include *and* the first exclude exist nothing can be learnt, so the
order is stable and a screener can rely on it: criteria suggestion ``include`` first, then
``unsure``, then records without a suggestion, then ``exclude``; within each, by
``record_id``. Once both classes exist, undecided records are ordered by the model's
relevance score (highest first), ties by ``record_id``. Decided records follow in the
stable order. The result depends only on the records, suggestions and decisions, never
on the order they are passed in.

The criteria suggestions enter the model as three extra features (suggested include,
unsure, exclude), weighted like one ordinary word: the model learns from the screeners'
decisions how far to trust them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Mapping, Sequence

import numpy as np
from scipy import sparse

from litsieve.ranking.features import record_text, tfidf_matrix
from litsieve.ranking.model import DEFAULT_SETTINGS, ModelSettings, relevance_scores
from litsieve.record import Record

SUGGESTION_RANK: dict[str | None, int] = {"include": 0, "unsure": 1, None: 2, "exclude": 3}
SUGGESTION_COLUMNS = ("include", "unsure", "exclude")
SUGGESTION_WEIGHT = 0.1  # about the TF-IDF weight of one word in a typical abstract


def can_learn(labels: Sequence[int]) -> bool:
    """True once at least one include and one exclude exist."""
    return 0 in labels and 1 in labels


class Ranker:
    """The ranking of one set of records, for whatever has been decided so far.

    ``texts`` are what the model reads (:func:`record_text`), one per record id;
    ``suggestions`` maps record ids to ``include``/``unsure``/``exclude`` (or nothing).
    Features are built on first use, so a queue that cannot learn yet never pays for them.
    """

    def __init__(self, record_ids: Sequence[str], texts: Sequence[str],
                 suggestions: Mapping[str, str | None] | None = None,
                 settings: ModelSettings = DEFAULT_SETTINGS) -> None:
        if len(set(record_ids)) != len(record_ids):
            raise ValueError("record ids must be unique")
        if len(texts) != len(record_ids):
            raise ValueError("one text per record id")
        self.record_ids = list(record_ids)
        self.texts = list(texts)
        self.suggestions = dict(suggestions or {})
        self.settings = settings
        self.row_of = {record_id: row for row, record_id in enumerate(self.record_ids)}
        order = sorted(range(len(self.record_ids)), key=lambda i: self.record_ids[i])
        self.id_position = np.empty(len(order), dtype=np.int64)
        self.id_position[np.asarray(order, dtype=np.int64)] = np.arange(len(order))

    @classmethod
    def from_records(cls, records: Sequence[Record], suggestions: Mapping[str, str | None] | None = None) -> Ranker:
        return cls([r.record_id for r in records], [record_text(r.title, r.abstract) for r in records], suggestions)

    @cached_property
    def stable(self) -> list[int]:
        """Row indices in the order used before anything can be learnt: by suggestion, then record_id."""
        def key(row: int) -> tuple[int, int]:
            suggestion = self.suggestions.get(self.record_ids[row])
            return SUGGESTION_RANK.get(suggestion, SUGGESTION_RANK[None]), int(self.id_position[row])

        return sorted(range(len(self.record_ids)), key=key)

    @property
    def prepared(self) -> bool:
        """Whether the features are built, so that retraining takes milliseconds."""
        return "features" in self.__dict__

    def prepare(self) -> None:
        """Build the features now (a long-running screening page does it in a background thread)."""
        _ = self.features

    @cached_property
    def features(self) -> sparse.csr_matrix:
        """TF-IDF of the texts, plus the suggestion columns when any record has a suggestion."""
        text = tfidf_matrix(self.texts)
        rows, columns = [], []
        for row, record_id in enumerate(self.record_ids):
            suggestion = self.suggestions.get(record_id)
            if suggestion in SUGGESTION_COLUMNS:
                rows.append(row)
                columns.append(SUGGESTION_COLUMNS.index(suggestion))
        if not rows:
            return text
        marks = sparse.csr_matrix((np.full(len(rows), SUGGESTION_WEIGHT), (rows, columns)),
                                  shape=(len(self.record_ids), len(SUGGESTION_COLUMNS)))
        return sparse.hstack([text, marks]).tocsr()

    def rank(self, decided_rows: Sequence[int], decided_labels: Sequence[int]) -> np.ndarray:
        """Undecided row indices, most likely relevant first, ties by ``record_id``.

        Needs an include and an exclude among ``decided_labels`` (see :func:`can_learn`).
        """
        scores = relevance_scores(self.features, decided_rows, decided_labels, self.settings)
        undecided = np.ones(len(self.record_ids), dtype=bool)
        undecided[np.asarray(decided_rows, dtype=np.int64)] = False
        rows = np.flatnonzero(undecided)
        return rows[np.lexsort((self.id_position[rows], -scores[rows]))]  # last key is primary

    def order(self, labels: Mapping[str, int], *, ranked: bool = True) -> list[str]:
        """Every record id once, in screening priority order, for the decisions in ``labels``.

        ``labels`` maps record ids to 1 (included at this stage) or 0 (excluded); ids of
        records not in this ranker are ignored. ``ranked=False`` keeps the stable order whatever the
        labels say (the protocol's ``ranking.enabled: false``), decided records still last.
        """
        decided = [(row, int(labels[self.record_ids[row]])) for row in self.stable if self.record_ids[row] in labels]
        decided_rows = [row for row, _ in decided]
        decided_labels = [label for _, label in decided]
        if ranked and can_learn(decided_labels):
            undecided = [int(row) for row in self.rank(decided_rows, decided_labels)]
        else:
            undecided = [row for row in self.stable if self.record_ids[row] not in labels]
        return [self.record_ids[row] for row in undecided + decided_rows]
