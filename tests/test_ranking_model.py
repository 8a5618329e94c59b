"""The hand-written naive Bayes gives scikit-learn's MultinomialNB ranking, and refuses one-class data."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.naive_bayes import MultinomialNB

from litsieve.ranking.features import record_text, tfidf_matrix
from litsieve.ranking.model import ModelSettings, balanced_weights, relevance_scores


def test_matches_scikit_learn_multinomial_nb() -> None:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(200)]
    texts = [record_text(" ".join(rng.choice(words, 5)), " ".join(rng.choice(words, 40))) for _ in range(300)]
    features = tfidf_matrix(texts)
    rows = list(range(0, 300, 3))
    labels = np.array([int(i % 7 == 0) for i in rows])
    ours = relevance_scores(features, rows, labels)
    settings = ModelSettings()
    reference = MultinomialNB(alpha=settings.alpha).fit(
        features[rows], labels, sample_weight=balanced_weights(labels, settings.ratio))
    log_odds = reference.predict_log_proba(features) @ np.array([-1.0, 1.0])
    # Equal up to the class-prior constant.
    assert np.allclose(ours - ours.mean(), log_odds - log_odds.mean(), atol=1e-8)


def test_weights_count_includes_and_balance_excludes() -> None:
    weights = balanced_weights(np.array([1, 1, 0, 0, 0, 0]), 1.2)
    assert weights[:2].tolist() == [1.0, 1.0]
    assert weights[2:].sum() == pytest.approx(2 / 1.2)


def test_needs_both_classes() -> None:
    features = tfidf_matrix(["a b", "c d", "e f"])
    with pytest.raises(ValueError):
        relevance_scores(features, [0, 1], [1, 1])
