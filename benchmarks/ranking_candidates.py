"""The model comparison behind docs/ranking.md: every candidate ranker on every review, seeds 1-3.

Usage (``make -C benchmarks candidates``; it takes about an hour on two idle cores)::

    python benchmarks/ranking_candidates.py [--datasets NAME ...] [--seeds 1 2 3] [--candidates NAME ...]

Each candidate replays a review as ``litsieve simulate`` does (the same priors, the same
retraining schedule, ties by record id), stopping once every relevant record is found,
and its mean WSS@95 over the seeds is compared with ASReview's orders cached by
``ranking.py`` (run that first). The table gives, per candidate, the mean and the worst
margin over the reviews; then the selection rules are checked by leaving one review out.
Candidates with WordLlama embeddings need ``pip install wordllama`` (its weights ship in
the wheel and are read from the package folder; nothing is downloaded); without it they
are skipped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from typing import Callable, Sequence

import numpy as np
from scipy import sparse

import ranking as bench
from litsieve.ranking.features import tfidf_matrix
from litsieve.ranking.metrics import ranking_metrics
from litsieve.ranking.model import balanced_weights
from litsieve.ranking.schedule import batch_size

Scorer = Callable[["Review", np.ndarray, np.ndarray], np.ndarray]


class Review:
    """One prepared review: texts, labels and the features the candidates read (built once)."""

    def __init__(self, name: str) -> None:
        import pandas as pd

        frame = pd.read_csv(bench.prepare(name), keep_default_na=False)
        self.name = name
        self.labels = frame[bench.LABEL].to_numpy().astype(int)
        join = lambda *parts: " ".join(p.strip() for p in parts if p and p.strip())  # noqa: E731
        keywords = frame["keywords"] if "keywords" in frame else [""] * len(frame)
        self.texts = [join(t, a) for t, a in zip(frame["title"], frame["abstract"])]
        self.texts_keywords = [join(t, a, k) for t, a, k in zip(frame["title"], frame["abstract"], keywords)]
        self._cache: dict[str, object] = {}

    def get(self, key: str, build: Callable[[], object]) -> object:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def tfidf(self, keywords: bool = False) -> sparse.csr_matrix:
        return self.get(f"tfidf{keywords}", lambda: tfidf_matrix(self.texts_keywords if keywords else self.texts))  # type: ignore[return-value]

    def embeddings(self) -> np.ndarray:
        return self.get("embeddings", lambda: wordllama_embeddings(self.texts_keywords))  # type: ignore[return-value]


def wordllama_embeddings(texts: Sequence[str]) -> np.ndarray:
    """WordLlama's 256-dimensional embeddings, loaded from the files inside its wheel (no network)."""
    import os

    import wordllama
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    folder = os.path.dirname(wordllama.__file__)
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizers", "l2_supercat_tokenizer_config.json"))
    with safe_open(os.path.join(folder, "weights", "l2_supercat_256.safetensors"), framework="np") as handle:
        weights = handle.get_tensor("embedding.weight")
    return WordLlamaInference(weights, tokenizer).embed(list(texts), norm=True).astype(np.float64)


def svm(keywords: bool = False, embedding: float = 0.0, presumed: int = 0, presumed_weight: float = 1.0) -> Scorer:
    """ELAS u4's SVM, optionally with keywords, WordLlama features or presumed excludes (AutoTAR)."""
    def score(review: Review, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
        from sklearn.svm import LinearSVC

        features = review.tfidf(keywords)
        if embedding:
            features = review.get(f"svm{keywords}{embedding}", lambda: sparse.hstack(
                [features, sparse.csr_matrix(review.embeddings() * embedding)]).tocsr())  # type: ignore[assignment]
        train_rows, train_y = rows, y
        if presumed:
            undecided = np.setdiff1d(np.arange(review.labels.size), rows)
            sample = np.random.default_rng(rows.size).choice(undecided, min(presumed, undecided.size), replace=False)
            train_rows, train_y = np.concatenate([rows, sample]), np.concatenate([y, np.zeros(sample.size, int)])
        weights = balanced_weights(train_y, 9.8)
        weights[rows.size:] *= presumed_weight
        model = LinearSVC(C=0.11, random_state=0).fit(features[train_rows], train_y, sample_weight=weights)
        return model.decision_function(features)
    return score


def svm_embedding_only() -> Scorer:
    def score(review: Review, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=1.0, random_state=0).fit(review.embeddings()[rows], y, sample_weight=balanced_weights(y, 9.8))
        return model.decision_function(review.embeddings())
    return score


def naive_bayes(keywords: bool = True) -> Scorer:
    """litsieve's earlier model: multinomial naive Bayes, alpha 3.822, unscaled weights at ratio 1.2."""
    def score(review: Review, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
        features = review.tfidf(keywords)
        weights = np.where(y == 1, 1.0, y.sum() / (1.2 * (y == 0).sum()))
        log_p = []
        for label in (0, 1):
            counts = np.asarray(features[rows].T @ (weights * (y == label))).ravel() + 3.822
            log_p.append(np.log(counts) - np.log(counts.sum()))
        return np.asarray(features @ (log_p[1] - log_p[0])).ravel()
    return score


def rank01(scores: np.ndarray) -> np.ndarray:
    ranks = np.empty(scores.size)
    ranks[np.argsort(scores, kind="stable")] = np.arange(scores.size)
    return ranks / scores.size


def rank_average(*scorers: Scorer, weights: Sequence[float] | None = None) -> Scorer:
    return lambda review, rows, y: sum(w * rank01(s(review, rows, y))
                                       for w, s in zip(weights or [1.0] * len(scorers), scorers))


def best_rank(*scorers: Scorer) -> Scorer:
    return lambda review, rows, y: np.max([rank01(s(review, rows, y)) for s in scorers], axis=0)


def switch_after_includes(first: Scorer, then: Scorer, includes: int) -> Scorer:
    return lambda review, rows, y: (first if y.sum() < includes else then)(review, rows, y)


def switch_when_dry(first: Scorer, then: Scorer, excludes_in_a_row: int) -> Scorer:
    """``first`` until that many excludes in a row, then ``then`` for good (Teijema et al. 2023)."""
    switched: set[str] = set()

    def score(review: Review, rows: np.ndarray, y: np.ndarray) -> np.ndarray:
        found = np.flatnonzero(y)
        if rows.size == 2:
            switched.discard(review.name)
        if y.size - 1 - found[-1] >= excludes_in_a_row:
            switched.add(review.name)
        return (then if review.name in switched else first)(review, rows, y)
    return score


CANDIDATES: dict[str, Scorer] = {
    "SVM (ELAS u4), title + abstract (shipped)": svm(),
    "SVM, + keywords": svm(keywords=True),
    "SVM + presumed excludes (100)": svm(presumed=100),
    "SVM + presumed excludes (100, weight 0.3)": svm(presumed=100, presumed_weight=0.3),
    "SVM + WordLlama 0.2": svm(embedding=0.2),
    "SVM + WordLlama 0.5": svm(embedding=0.5),
    "SVM + keywords + WordLlama 0.25": svm(keywords=True, embedding=0.25),
    "naive Bayes, + keywords (earlier model)": naive_bayes(),
    "naive Bayes, title + abstract": naive_bayes(keywords=False),
    "rank average: naive Bayes + SVM": rank_average(naive_bayes(), svm()),
    "rank average: SVM + SVM with WordLlama 0.5": rank_average(svm(), svm(embedding=0.5)),
    "rank average: SVM + SVM on WordLlama alone": rank_average(svm(), svm_embedding_only()),
    "best rank: SVM, SVM with WordLlama 0.5": best_rank(svm(), svm(embedding=0.5)),
    "switch: naive Bayes until 10 includes, then SVM": switch_after_includes(naive_bayes(), svm(), 10),
    "switch: SVM until 50 excludes in a row, then + WordLlama 0.5": switch_when_dry(svm(), svm(embedding=0.5), 50),
    "switch: SVM until 100 excludes in a row, then + WordLlama 0.5": switch_when_dry(svm(), svm(embedding=0.5), 100),
}
EMBEDDING = ("WordLlama",)


def replay(review: Review, seed: int, scorer: Scorer) -> list[int]:
    """Labels in screening order (priors first) until every relevant record is found, then zeros."""
    y = review.labels
    order = [int(p) for p in bench.draw_priors(bench.OUT / "data" / f"{review.name}.csv", seed)]
    decided = np.zeros(y.size, dtype=bool)
    decided[order] = True
    found = int(y[order].sum())
    while found < y.sum():
        rows = np.asarray(order)
        scores = scorer(review, rows, y[rows])
        undecided = np.flatnonzero(~decided)
        for row in undecided[np.lexsort((undecided, -scores[undecided]))][: batch_size(len(order))]:
            order.append(int(row))
            decided[row] = True
            found += int(y[row])
    return [int(v) for v in y[order]] + [0] * (y.size - len(order))


def asreview_wss95(name: str, seed: int, total: int) -> float:
    cached = sorted((bench.OUT / "asreview").glob(f"{name}-*-seed{seed}-*.csv"))
    if not cached:
        raise SystemExit(f"no cached ASReview order for {name} seed {seed}: run ranking.py first")
    labels = bench.read_order(cached[-1])[1]
    return ranking_metrics((labels + [0] * (total - len(labels)))[2:]).wss95


def leave_one_out(margins: dict[str, list[float]], choose: Callable[[dict[str, list[float]]], str]) -> list[float]:
    held = []
    for left_out in range(len(next(iter(margins.values())))):
        rest = {c: [m for i, m in enumerate(v) if i != left_out] for c, v in margins.items()}
        held.append(margins[choose(rest)][left_out])
    return held


def by_worst_case(margins: dict[str, list[float]]) -> str:
    return max(margins, key=lambda c: (min(margins[c]), statistics.mean(margins[c])))


def by_mean(margins: dict[str, list[float]]) -> str:
    return max(margins, key=lambda c: statistics.mean(margins[c]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--datasets", nargs="+", default=[])
    parser.add_argument("--candidates", nargs="+", default=[], help="parts of candidate names")
    args = parser.parse_args()
    names = bench.select(bench.dataset_names(), args.datasets) if args.datasets else bench.dataset_names()
    candidates = {c: s for c, s in CANDIDATES.items()
                  if not args.candidates or any(part.lower() in c.lower() for part in args.candidates)}
    try:
        import wordllama  # noqa: F401
    except ImportError:
        print("wordllama not installed: skipping the WordLlama candidates", file=sys.stderr)
        candidates = {c: s for c, s in candidates.items() if not any(e in c for e in EMBEDDING)}
    reviews = [Review(name) for name in names]
    baseline = [statistics.mean(asreview_wss95(r.name, s, r.labels.size) for s in args.seeds) for r in reviews]
    margins: dict[str, list[float]] = {}
    print("| candidate | mean margin | worst margin (review) | reviews >= 0 |\n|---|---:|---:|---:|")
    for candidate, scorer in candidates.items():
        means = [statistics.mean(ranking_metrics(replay(r, s, scorer)[2:]).wss95 for s in args.seeds) for r in reviews]
        margins[candidate] = [m - b for m, b in zip(means, baseline)]
        worst = int(np.argmin(margins[candidate]))
        print(f"| {candidate} | {statistics.mean(margins[candidate]):+.2f} | {margins[candidate][worst]:+.2f} "
              f"({names[worst]}) | {sum(m >= 0 for m in margins[candidate])} of {len(names)} |", flush=True)
    if len(names) > 2:
        for rule, choose in (("worst case", by_worst_case), ("mean", by_mean)):
            held = leave_one_out(margins, choose)
            print(f"rule '{rule}': picks {choose(margins)!r} on all reviews; left one out: mean margin "
                  f"{statistics.mean(held):+.2f}, worst {min(held):+.2f}, >= 0 on {sum(h >= 0 for h in held)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
