"""The relevance model: which unscreened records are most likely to be included?

Two linear text classifiers over the same TF-IDF features, each good where the other is
weak, combined by averaging their standardised scores:

* multinomial naive Bayes with the positive class up-weighted: learns from a handful of
  includes (it needs no optimisation, so one include already moves every record
  that shares its words), and is strong on topic-driven reviews;
* a linear support vector machine with balanced sample weights: sharper once a few
  dozen decisions exist, strong where inclusion turns on fine distinctions.

Both see very few includes among many excludes, so both weight the classes (the class
weights of ASReview's tuned models, which were tuned on 24 labelled reviews of the
SYNERGY collection and so suit the general case). Every part is deterministic: the
same decisions always give the same scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

RANDOM_STATE = 0


@dataclass(frozen=True)
class ModelSettings:
    """Hyperparameters; the defaults are the ones the benchmark figures were made with."""

    nb_alpha: float = 3.822
    nb_ratio: float = 1.2
    svm_c: float = 0.11
    svm_ratio: float = 9.8


def balanced_weights(labels: np.ndarray, ratio: float) -> np.ndarray:
    """Sample weights that make excludes count ``ratio`` times as much as includes in total."""
    positives = float(labels.sum())
    negatives = float(labels.size - positives)
    weights = np.where(labels == 1, 1.0, positives / (ratio * negatives))
    return weights * (labels.size / weights.sum())


def _standardise(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores)


def relevance_scores(
    features: sparse.csr_matrix,
    labelled: Sequence[int],
    labels: Sequence[int],
    settings: ModelSettings = ModelSettings(),
) -> np.ndarray:
    """A relevance score for every row of ``features``, learnt from the labelled rows.

    ``labelled`` are row indices, ``labels`` their decisions (1 include, 0 exclude); both
    classes must be present. Higher is more likely relevant; only the order means
    anything.
    """
    rows = np.asarray(labelled, dtype=np.int64)
    y = np.asarray(labels, dtype=np.int64)
    if y.min() == y.max():
        raise ValueError("the model needs at least one include and one exclude")
    train = features[rows]

    nb = MultinomialNB(alpha=settings.nb_alpha)
    nb.fit(train, y, sample_weight=balanced_weights(y, settings.nb_ratio))
    nb_scores = np.asarray(features @ (nb.feature_log_prob_[1] - nb.feature_log_prob_[0])).ravel()

    svm = LinearSVC(C=settings.svm_c, random_state=RANDOM_STATE)
    svm.fit(train, y, sample_weight=balanced_weights(y, settings.svm_ratio))
    svm_scores = np.asarray(svm.decision_function(features)).ravel()

    return _standardise(nb_scores) + _standardise(svm_scores)
