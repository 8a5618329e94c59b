"""The relevance model: which unscreened records are most likely to be included?

A linear support vector machine over TF-IDF word 1-2-grams with class-balanced sample
weights: ASReview LAB's default model (ELAS u4), with its hyperparameters (``C`` 0.11,
squared hinge loss, include/exclude weight ratio 9.8), which its authors tuned on the 24
reviews of the SYNERGY collection. It was chosen over naive Bayes, embeddings, ensembles
and switching rules by one rule applied to all twelve benchmark reviews at once: the
largest worst-case margin over ASReview's default, checked by leaving each review out
(docs/ranking.md has the candidates and the figures). Naive Bayes, litsieve's earlier
model, fell up to ten points of WSS@95 behind on reviews with many includes.

liblinear's coordinate descent visits samples in a pseudo-random order; a fixed
``random_state`` makes every fit, and so every queue order, reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class ModelSettings:
    """Hyperparameters (ASReview's ELAS u4); the benchmark figures were made with these."""

    C: float = 0.11
    ratio: float = 9.8


DEFAULT_SETTINGS = ModelSettings()


def balanced_weights(labels: np.ndarray, ratio: float) -> np.ndarray:
    """Includes weigh ``ratio`` times as much, in total, as all excludes; mean weight 1.

    Includes are rare (often 1-5%): unweighted, the margin would be set by the excludes
    alone. Rescaling to a mean of 1 keeps the regularisation ``C`` meaning the same
    whatever the number of decisions (ASReview's "balanced" sampler).
    """
    positives = float(labels.sum())
    negatives = float(labels.size - positives)
    weights = np.where(labels == 1, 1.0, positives / (ratio * negatives))
    return weights * (labels.size / weights.sum())


def relevance_scores(
    features: sparse.csr_matrix,
    labelled: Sequence[int],
    labels: Sequence[int],
    settings: ModelSettings = DEFAULT_SETTINGS,
) -> np.ndarray:
    """A relevance score for every row of ``features``, learnt from the labelled rows.

    ``labelled`` are row indices, ``labels`` their decisions (1 include, 0 exclude); both
    classes must be present. The score is the signed distance from the separating
    hyperplane: higher is more likely relevant, and only the order means anything.
    """
    from sklearn.svm import LinearSVC  # scikit-learn takes a second to import

    rows = np.asarray(labelled, dtype=np.int64)
    y = np.asarray(labels, dtype=np.int64)
    if y.size == 0 or y.min() == y.max():
        raise ValueError("the model needs at least one include and one exclude")
    model = LinearSVC(C=settings.C, loss="squared_hinge", random_state=0)
    model.fit(features[rows], y, sample_weight=balanced_weights(y, settings.ratio))
    return np.asarray(model.decision_function(features), dtype=np.float64)
