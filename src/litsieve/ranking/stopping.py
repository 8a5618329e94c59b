"""When may screening stop? The hypergeometric test of Callaghan and Müller-Hansen (2020).

Screening in ranked order finds most relevant records early, but a screener who stops
needs to know, with stated confidence, that the recall target has been reached. The test
treats the last ``n`` screened records as a sample drawn from themselves plus every record
not yet screened. Under the null hypothesis "recall is below the target", at least
``m`` relevant records are still unscreened, where ``m`` is the smallest number that puts
recall below the target. If the recent samples hold so few relevant records that this is
unlikely (p below ``1 - confidence``) for some window ``n``, the hypothesis is rejected and
screening may stop.

Ranking makes the test conservative: ranked screening puts relevant records *earlier*
than random sampling would, so the unscreened remainder is, if anything, poorer in
relevant records than the recent sample suggests. The same reasoning is implemented in the
``buscar`` packages of the paper's authors; this is an independent implementation.

Reference: Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated
screening in systematic reviews. Systematic Reviews 2020;9:273. doi:10.1186/s13643-020-01521-4
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np
from scipy.special import gammaln

from litsieve.protocol import RankingSettings

DEFAULT_RECALL_TARGET = 0.95
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class StoppingEstimate:
    """Where screening stands against the protocol's recall target.

    ``p_value`` is the p-value of "recall is still below the target" (small is good);
    ``may_stop`` is true only when it is below ``1 - confidence``. ``estimated_remaining``
    is a point estimate of the relevant records not yet screened and
    ``remaining_upper`` the most that can remain at the stated confidence.
    ``screen_before_check`` is how many more records must be screened, even if every one
    of them is excluded, before the test could allow stopping (0 once it does): checking
    earlier cannot say anything new.
    """

    screened: int
    total: int
    relevant_found: int
    recall_target: float
    confidence: float
    p_value: float
    estimated_remaining: int
    remaining_upper: int
    screen_before_check: int
    may_stop: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``status.json``."""
        return asdict(self)


def min_missing_for_shortfall(relevant_found: int, recall_target: float) -> int:
    """The fewest unscreened relevant records that would put recall below the target.

    Exact arithmetic: with 38 found and a 95% target, 2 missing gives exactly 95%
    (target met), so the answer is 3. Floating point would get such edges wrong.
    """
    target = Fraction(str(recall_target))
    # recall = r / (r + m) < target  <=>  m > r * (1 - target) / target
    bound = Fraction(relevant_found) * (1 - target) / target
    return int(bound) + 1  # floor(bound) + 1, bound >= 0


def _log_choose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    valid = (k >= 0) & (k <= n)
    safe_k = np.where(valid, k, 0)
    safe_n = np.where(valid, n, 0)
    value = gammaln(safe_n + 1) - gammaln(safe_k + 1) - gammaln(safe_n - safe_k + 1)
    return np.where(valid, value, -np.inf)


def hypergeom_cdf(k: np.ndarray, population: np.ndarray, successes: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """P(X <= k) for X hypergeometric (``draws`` from ``population`` holding ``successes``), elementwise.

    Summed from log-gamma terms over j = 0..k: the stopping rule evaluates thousands of
    windows at every check, and ``k`` (relevant records in a window) stays small, which
    makes this much faster than ``scipy.stats.hypergeom.cdf``.
    """
    k, population, successes, draws = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (k, population, successes, draws)))
    # All terms at once: axis 0 is j, the other axes are the inputs' (one gammaln call per
    # factor instead of one per j; the stopping rule calls this thousands of times).
    j = np.arange(int(k.max(initial=0)) + 1, dtype=np.float64).reshape((-1,) + (1,) * k.ndim)
    term = _log_choose(successes, j) + _log_choose(population - successes, draws - j)
    terms = np.where(j <= k, np.exp(term - _log_choose(population, draws)), 0.0)
    return np.clip(terms.sum(axis=0), 0.0, 1.0)


def _window_p_values(recent_first: np.ndarray, unscreened: int, missing: int) -> np.ndarray:
    """P(X <= k_n) for the windows of the ``n`` most recent records that can give the minimum.

    Lengthening a window by an irrelevant record only lowers its p-value, so within a run
    of irrelevant records the longest window wins: only windows that end just before a
    relevant record (or at the first record screened) need evaluating, which makes the
    test cost grow with the includes found rather than with the records screened.
    """
    found_before = np.concatenate(([0], np.cumsum(recent_first)))
    sizes = np.flatnonzero(recent_first)  # window of size i stops just short of a relevant record
    n = np.union1d(sizes[sizes > 0], [recent_first.size])
    k = found_before[n]
    population = unscreened + n
    relevant_in_population = np.minimum(k + missing, population)
    return hypergeom_cdf(k, population, relevant_in_population, n)


def _p_value(recent_first: np.ndarray, unscreened: int, missing: int) -> float:
    if recent_first.size == 0:
        return 1.0
    return float(np.min(_window_p_values(recent_first, unscreened, missing)))


def _upper_bound(recent_first: np.ndarray, unscreened: int, alpha: float) -> int:
    """The largest number of unscreened relevant records the data cannot rule out at level ``alpha``.

    The p-value falls as the hypothesised number of missing records grows, so the
    boundary is found by bisection.
    """
    if unscreened == 0 or _p_value(recent_first, unscreened, 1) < alpha:
        return 0
    if _p_value(recent_first, unscreened, unscreened) >= alpha:
        return unscreened
    low, high = 1, unscreened  # p(low) >= alpha > p(high)
    while high - low > 1:
        middle = (low + high) // 2
        if _p_value(recent_first, unscreened, middle) < alpha:
            high = middle
        else:
            low = middle
    return low


def _point_estimate(labels: np.ndarray, unscreened: int, upper: int) -> int:
    """Relevant records expected among the unscreened, from the rate in the recent screening.

    Uses the most recent tenth of the screened records (at least 50, or all of them when
    fewer). Ranked screening makes recent records richer in relevant ones than the
    remainder, so this errs on the high side, which is the safe side for a screener; it
    is capped at ``upper`` (early in a review the window still holds the first, include-rich
    records, and an estimate above what the test cannot rule out would contradict it).
    """
    if unscreened == 0 or labels.size == 0:
        return 0
    window = min(labels.size, max(50, labels.size // 10))
    rate = float(labels[-window:].mean())
    return min(int(round(rate * unscreened)), upper)


def screen_before_check(labels_in_order: Sequence[int] | np.ndarray, total: int, recall_target: float, confidence: float) -> int:
    """The fewest further records that, all excluded, would let the test allow stopping.

    0 when it already does. Screening every remaining record always settles the question
    (nothing is left unscreened), so the answer is at most the number unscreened. Each
    further exclusion lengthens every window without adding a relevant record, so the
    p-value only falls as more are screened, and bisection finds the boundary.
    """
    labels = np.asarray(labels_in_order, dtype=np.int64)
    unscreened = total - int(labels.size)
    alpha = 1 - confidence

    def stops_after(more: int) -> bool:
        return more >= unscreened or shortfall_p_value(
            np.concatenate((labels, np.zeros(more, dtype=np.int64))), total, recall_target) < alpha

    if stops_after(0):
        return 0
    low, high = 0, unscreened  # stops_after(low) is false, stops_after(high) true
    while high - low > 1:
        middle = (low + high) // 2
        if stops_after(middle):
            high = middle
        else:
            low = middle
    return high


def shortfall_p_value(labels_in_order: Sequence[int] | np.ndarray, total: int, recall_target: float) -> float:
    """The p-value of "recall is below ``recall_target``" alone (cheap: no bounds or estimate)."""
    labels = np.asarray(labels_in_order, dtype=np.int64)
    unscreened = total - int(labels.size)
    missing = min_missing_for_shortfall(int(labels.sum()), recall_target)
    if missing > unscreened:
        return 0.0
    return _p_value(labels[::-1], unscreened, missing)


def stopping_estimate(
    labels_in_order: Sequence[int],
    total: int,
    *,
    recall_target: float = DEFAULT_RECALL_TARGET,
    confidence: float = DEFAULT_CONFIDENCE,
) -> StoppingEstimate:
    """Test whether screening may stop, given decisions in the order they were made.

    ``labels_in_order`` holds 1 (relevant, i.e. included at this stage) or 0 for every
    screened record, in screening order; ``total`` counts screened plus unscreened
    records. The order matters: the test reads the most recent decisions as a sample.
    """
    labels = np.asarray([int(v) for v in labels_in_order], dtype=np.int64)
    if np.any((labels != 0) & (labels != 1)):
        raise ValueError("labels must be 0 or 1")
    if not 0 < recall_target < 1:
        raise ValueError("recall_target must be between 0 and 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    screened = int(labels.size)
    if total < screened:
        raise ValueError(f"total ({total}) is smaller than the number screened ({screened})")
    unscreened = total - screened
    found = int(labels.sum())
    alpha = 1 - confidence
    target_text = f"{recall_target:.0%}"
    confidence_text = f"{confidence:.0%}"

    if unscreened == 0:
        return StoppingEstimate(screened, total, found, recall_target, confidence, 0.0, 0, 0, 0, True,
                                "every record has been screened")

    recent_first = labels[::-1]
    p_value = shortfall_p_value(labels, total, recall_target)
    may_stop = p_value < alpha
    upper = _upper_bound(recent_first, unscreened, alpha)
    estimate = _point_estimate(labels, unscreened, upper)
    more = 0 if may_stop else screen_before_check(labels, total, recall_target, confidence)
    if may_stop:
        message = (f"you may stop with {confidence_text} confidence of {target_text} recall: "
                   f"{found} relevant found in {screened} screened; at most {upper} relevant "
                   f"remain among {unscreened} unscreened ({confidence_text} confidence)")
    else:
        check = ("only screening them all can show it" if more >= unscreened else
                 f"screen at least {more} more before checking again")
        message = (f"keep screening: {target_text} recall is not yet shown with "
                   f"{confidence_text} confidence (p = {p_value:.2g}); {found} relevant found in "
                   f"{screened} screened; about {estimate} (at most {upper}) relevant remain among "
                   f"{unscreened} unscreened; {check}")
    return StoppingEstimate(screened, total, found, recall_target, confidence, p_value, estimate,
                            upper, more, may_stop, message)


def stopping_for_protocol(labels_in_order: Sequence[int], total: int, ranking: RankingSettings) -> StoppingEstimate:
    """:func:`stopping_estimate` with the recall target and confidence of the protocol's ``ranking`` section."""
    return stopping_estimate(labels_in_order, total, recall_target=ranking.recall_target,
                             confidence=ranking.confidence)


def first_stop(labels_in_order: Sequence[int], trained_on: Sequence[int],
               may_stop: Callable[[np.ndarray, int], bool]) -> int | None:
    """Records screened when ``may_stop(screened_labels, total)`` first held, checked at each retrain.

    ``trained_on[i]`` is the number of decisions the ranking that chose record ``i`` was
    trained on (``litsieve simulate``'s order file): the rule is checked where that number
    changes, as the queue checks it on each workflow run. None: it never held.
    """
    labels = np.asarray(labels_in_order, dtype=np.int64)
    for index in range(1, labels.size):
        if trained_on[index] != trained_on[index - 1] and may_stop(labels[:index], int(labels.size)):
            return index
    return None


def hypergeometric_rule(recall_target: float, confidence: float) -> Callable[[np.ndarray, int], bool]:
    """The shipped test as a ``may_stop`` function for :func:`first_stop`."""
    return lambda labels, total: shortfall_p_value(labels, total, recall_target) < 1 - confidence
