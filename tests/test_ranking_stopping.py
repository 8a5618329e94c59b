"""The hypergeometric stopping rule: right at the edges, and wrong no more often than promised."""

from __future__ import annotations

import numpy as np
import pytest

from litsieve.ranking.stopping import min_missing_for_shortfall, shortfall_p_value, stopping_estimate


def test_min_missing_uses_exact_arithmetic() -> None:
    # 38 found, 2 missing = exactly 95% recall (target met); 3 missing falls short.
    assert min_missing_for_shortfall(38, 0.95) == 3
    assert min_missing_for_shortfall(19, 0.95) == 2
    assert min_missing_for_shortfall(0, 0.95) == 1
    assert min_missing_for_shortfall(10, 0.9) == 2


def test_everything_screened_may_stop() -> None:
    result = stopping_estimate([1, 0, 0], 3)
    assert result.may_stop and result.estimated_remaining == 0 and result.remaining_upper == 0


def test_few_screened_says_keep_screening() -> None:
    result = stopping_estimate([1, 1, 0, 1, 0], 5000)
    assert not result.may_stop
    assert result.message.startswith("keep screening")
    assert "you may stop" not in result.message


def test_long_run_of_excludes_after_includes_may_stop() -> None:
    labels = [1] * 40 + [0] * 2500
    result = stopping_estimate(labels, 3000)
    assert result.may_stop and result.p_value < 0.05
    assert result.message.startswith("you may stop with 95% confidence of 95% recall")
    assert result.remaining_upper < 3  # fewer than would break 95% recall
    assert result.to_dict()["relevant_found"] == 40


def test_recent_includes_block_stopping_and_raise_the_estimate() -> None:
    quiet = stopping_estimate([1] * 30 + [0] * 900, 3000)
    busy = stopping_estimate([1] * 30 + [0] * 880 + [1, 0] * 10, 3000)
    assert busy.p_value > quiet.p_value
    assert busy.estimated_remaining > quiet.estimated_remaining
    assert busy.remaining_upper > quiet.remaining_upper


def test_input_checks() -> None:
    with pytest.raises(ValueError):
        stopping_estimate([1, 2], 10)
    with pytest.raises(ValueError):
        stopping_estimate([1, 0], 1)
    with pytest.raises(ValueError):
        stopping_estimate([1, 0], 10, recall_target=1.0)


def ranked_order(rng: np.random.Generator, total: int, relevant: int, signal: float) -> np.ndarray:
    """Labels in the order a ranker of strength ``signal`` would show them (0 = random order)."""
    labels = np.zeros(total, dtype=np.int64)
    labels[:relevant] = 1
    scores = labels * signal + rng.normal(size=total)
    return labels[np.argsort(-scores, kind="stable")]


@pytest.mark.parametrize("signal", [1.0, 2.5])
def test_error_rate_over_many_seeds_is_within_protocol(signal: float) -> None:
    """Checked after every 20 records, as a screener rerunning the workflow would, over 200
    ranked orders: the rule says stop before 95% recall in at most 5% of them, and with a
    good ranker it lets screeners stop before the end in every one."""
    target, confidence, total, relevant, seeds = 0.95, 0.95, 800, 30, 200
    early = stopped = 0
    for seed in range(seeds):
        order = ranked_order(np.random.default_rng(seed), total, relevant, signal)
        found = np.cumsum(order)
        for screened in range(20, total, 20):
            if shortfall_p_value(order[:screened], total, target) < 1 - confidence:
                stopped += 1
                early += found[screened - 1] / relevant < target
                break
    assert early <= (1 - confidence) * seeds
    if signal >= 2.5:
        assert stopped == seeds


def test_fast_windows_match_every_window() -> None:
    """Only windows ending before an include are evaluated; the minimum must equal the full scan's."""
    from scipy.stats import hypergeom

    from litsieve.ranking.stopping import _window_p_values

    rng = np.random.default_rng(5)
    for _ in range(50):
        size = int(rng.integers(5, 300))
        recent_first = (rng.random(size) < rng.uniform(0.01, 0.3)).astype(np.int64)
        unscreened, missing = int(rng.integers(0, 1500)), int(rng.integers(1, 8))
        n = np.arange(1, size + 1)
        k = np.cumsum(recent_first)
        full = hypergeom.cdf(k, unscreened + n, np.minimum(k + missing, unscreened + n), n).min()
        assert _window_p_values(recent_first, unscreened, missing).min() == pytest.approx(full, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_screen_before_check_is_the_boundary_where_stopping_becomes_possible(seed: int) -> None:
    rng = np.random.default_rng(seed)
    total = int(rng.integers(200, 2000))
    order = ranked_order(rng, total, int(rng.integers(5, 40)), 2.0)[: int(rng.integers(20, 150))]
    result = stopping_estimate(order, total)
    more = result.screen_before_check
    assert not result.may_stop and 0 < more <= total - order.size
    with_more = np.concatenate((order, np.zeros(more, dtype=np.int64)))
    assert more == total - order.size or stopping_estimate(with_more, total).may_stop
    assert not stopping_estimate(with_more[:-1], total).may_stop
    assert f"screen at least {more} more" in result.message or "only screening them all" in result.message


def test_estimate_never_exceeds_what_the_test_cannot_rule_out() -> None:
    # Early in a demo-sized review: 46 of the first 55 were relevant, the last 9 not.
    result = stopping_estimate([1] * 46 + [0] * 9, 92)
    assert result.estimated_remaining <= result.remaining_upper
    assert not result.may_stop and "you may stop" not in result.message
    assert f"about {result.estimated_remaining} (at most {result.remaining_upper}) relevant remain" in result.message
    assert stopping_estimate([1] * 40 + [0] * 2500, 3000).screen_before_check == 0


def test_first_stop_checks_only_where_the_ranking_was_retrained() -> None:
    from litsieve.ranking.stopping import first_stop, hypergeometric_rule

    labels = [1] * 20 + [0] * 980
    every_record = list(range(1000))  # retrained before every record
    rule = hypergeometric_rule(0.95, 0.95)
    stop = first_stop(labels, every_record, rule)
    assert stop is not None and rule(np.asarray(labels[:stop]), 1000) and not rule(np.asarray(labels[:stop - 1]), 1000)
    # Retrained only every 100 records: the first check that can say stop is the next multiple of 100.
    coarse = [i // 100 * 100 for i in range(1000)]
    assert first_stop(labels, coarse, rule) == -(-stop // 100) * 100
    assert first_stop([1, 0, 1, 0], [0, 1, 2, 3], rule) is None
