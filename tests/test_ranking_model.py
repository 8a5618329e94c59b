"""The relevance model: ASReview's balanced weights, reproducible fits, and it refuses one-class data."""

from __future__ import annotations

import numpy as np
import pytest

from litsieve.ranking.features import record_text, tfidf_matrix
from litsieve.ranking.model import ModelSettings, balanced_weights, relevance_scores


def corpus(seed: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(200)]
    texts, labels = [], []
    for i in range(300):
        relevant = i % 7 == 0
        marker = " peer support" if relevant else ""
        texts.append(record_text(" ".join(rng.choice(words, 5)) + marker, " ".join(rng.choice(words, 40))))
        labels.append(int(relevant))
    return texts, np.array(labels)


def test_weights_balance_classes_with_mean_one() -> None:
    labels = np.array([1, 1, 0, 0, 0, 0, 0, 0])
    weights = balanced_weights(labels, 9.8)
    assert weights[labels == 1].sum() == pytest.approx(9.8 * weights[labels == 0].sum())
    assert weights.mean() == pytest.approx(1.0)


def test_scores_put_records_like_the_includes_first() -> None:
    texts, labels = corpus()
    features = tfidf_matrix(texts)
    rows = list(range(0, 150))
    scores = relevance_scores(features, rows, labels[rows])
    unseen = np.arange(150, 300)
    top = unseen[np.argsort(-scores[unseen])][: int(labels[unseen].sum())]
    assert labels[top].mean() > 0.8  # the marker words are learnt from 22 includes


def test_same_inputs_same_scores() -> None:
    texts, labels = corpus(1)
    features = tfidf_matrix(texts)
    rows = list(range(0, 300, 2))
    first = relevance_scores(features, rows, labels[rows])
    assert np.array_equal(first, relevance_scores(features, rows, labels[rows]))


def test_hyperparameters_are_asreview_elas_u4() -> None:
    assert ModelSettings() == ModelSettings(C=0.11, ratio=9.8)


def test_needs_both_classes() -> None:
    features = tfidf_matrix(["a b", "c d", "e f"])
    with pytest.raises(ValueError):
        relevance_scores(features, [0, 1], [1, 1])
