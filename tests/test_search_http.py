"""The HTTP layer of live searches: retries on transient failures, rate limit, redaction."""

from __future__ import annotations

import logging

import pytest

from fake_services import FakeService, FakeState, Fault, closed_port_url
from litsieve.errors import SearchError
from litsieve.search.http import HttpClient, RateLimiter, RetryPolicy, parse_retry_after, redact

FAST = RetryPolicy(attempts=3, backoff=0.001, backoff_max=0.01, jitter=0.0, timeout=0.3)
KEY = "PLANTEDKEY0123456789abcdef"
EMAIL = "planted.reviewer+ls@example.org"


def _client(waits: list[float], policy: RetryPolicy = FAST) -> HttpClient:
    return HttpClient(policy=policy, per_second=0, secrets=[KEY, EMAIL], sleep=waits.append)


@pytest.mark.parametrize("kind", ["429", "500", "timeout", "cut"])
def test_a_transient_failure_is_retried_and_the_body_arrives_whole(kind: str) -> None:
    state = FakeState(epmc_results=[])
    state.faults.append(Fault("search", kind, stall=0.6))
    waits: list[float] = []
    with FakeService(state) as service:
        response = _client(waits).get(f"{service.url}/search", params={"query": "x", "format": "json"})
    assert response.json()["hitCount"] == 0
    assert len(state.calls("search")) == 2
    assert len(waits) == 1


def test_retry_after_is_honoured_even_when_backoff_is_shorter() -> None:
    state = FakeState()
    state.faults.append(Fault("search", "429", retry_after="7"))
    waits: list[float] = []
    with FakeService(state) as service:
        _client(waits).get(f"{service.url}/search", params={"query": "x"})
    assert waits == [7.0]


def test_backoff_grows_exponentially_and_jitter_is_reproducible() -> None:
    policy = RetryPolicy(attempts=5, backoff=1.0, backoff_max=5.0, jitter=0.25, seed=3)
    import random

    first = [policy.wait(n, random.Random(3), None) for n in range(1, 5)]
    again = [policy.wait(n, random.Random(3), None) for n in range(1, 5)]
    assert first == again
    plain = RetryPolicy(backoff=1.0, backoff_max=5.0, jitter=0.0)
    assert [plain.wait(n, random.Random(0), None) for n in range(1, 5)] == [1.0, 2.0, 4.0, 5.0]
    assert all(0.75 * b <= w <= 1.25 * b for w, b in zip(first, [1.0, 2.0, 4.0, 5.0]))


def test_persistent_failure_is_a_search_error_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    state = FakeState(fail_after={"esearch": 0})
    waits: list[float] = []
    caplog.set_level(logging.INFO, logger="litsieve")
    with FakeService(state) as service:
        with pytest.raises(SearchError) as caught:
            _client(waits).get(f"{service.url}/esearch.fcgi", params={"api_key": KEY, "email": EMAIL, "term": "x"})
    message = str(caught.value)
    assert "failed 3 times" in message and "HTTP 503" in message
    for text in (message, caplog.text):
        assert KEY not in text and EMAIL not in text
        assert "planted.reviewer%2Bls%40example.org" not in text


def test_a_refused_connection_is_retried_then_reported() -> None:
    waits: list[float] = []
    with pytest.raises(SearchError, match="connection failed or was cut"):
        _client(waits).post(closed_port_url() + "/efetch.fcgi", data={"api_key": KEY, "id": "1"})
    assert len(waits) == 2


def test_a_client_error_fails_at_once() -> None:
    waits: list[float] = []
    with FakeService(FakeState()) as service:
        with pytest.raises(SearchError, match="HTTP 404"):
            _client(waits).get(f"{service.url}/nothing-here")
    assert waits == []


def _starts(per_second: float, count: int) -> list[float]:
    clock = [0.0]
    starts: list[float] = []

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = RateLimiter(per_second, clock=lambda: clock[0], sleep=sleep)
    for _ in range(count):
        limiter.wait()
        starts.append(clock[0])
        clock[0] += 0.01  # the request itself
    return starts


@pytest.mark.parametrize("per_second", [3, 10])
def test_no_one_second_window_holds_more_starts_than_ncbi_allows(per_second: int) -> None:
    """Issue 16.14: starts spaced exactly 1/3 s apart put 4 into one closed second (NCBI allows 3)."""
    starts = _starts(per_second, 40)
    for first in starts:
        assert sum(first <= t <= first + 1.0 for t in starts) <= per_second
    assert starts[-1] < 40 / per_second * 1.2  # and the limit is used, not wasted


def test_a_long_retry_after_stops_the_run_and_says_when_to_rerun() -> None:
    """Issue 16.14: Retry-After: 3600 was obeyed without a word."""
    state = FakeState()
    state.faults.append(Fault("search", "429", retry_after="3600"))
    waits: list[float] = []
    with FakeService(state) as service:
        with pytest.raises(SearchError) as caught:
            _client(waits).get(f"{service.url}/search", params={"query": "x"})
    assert waits == []
    assert "asking to wait 3600 s" in str(caught.value) and "rerun `litsieve search refresh` after" in str(caught.value)


def test_a_trickled_body_is_bounded_by_the_timeout_of_the_whole_request() -> None:
    """Issue 16.14: the timeout applied per socket read, so a body trickled for a minute was accepted."""
    state = FakeState(epmc_results=[])
    for _ in range(2):
        state.faults.append(Fault("search", "trickle", stall=0.1))  # ~0.6 s per answer, 0.1 s per read
    policy = RetryPolicy(attempts=2, backoff=0.0, jitter=0.0, timeout=0.3)
    with FakeService(state) as service:
        with pytest.raises(SearchError, match="no whole answer within 0.3 s"):
            _client([], policy).get(f"{service.url}/search", params={"query": "x", "format": "json"})
        state.faults.append(Fault("search", "trickle", stall=0.01))
        assert _client([], RetryPolicy(attempts=1, timeout=5)).get(f"{service.url}/search").json()["hitCount"] == 0


def test_credentials_never_follow_a_redirect_to_another_site() -> None:
    """Issue 16.3: on a 307, requests re-sent the POST body with api_key and e-mail to the new origin."""
    with FakeService(FakeState()) as elsewhere, FakeService(FakeState()) as service:
        other = elsewhere.url.replace("127.0.0.1", "localhost")  # another origin (host name differs)
        service.state.faults.append(Fault("esearch", "redirect", location=f"{other}/esearch.fcgi", status=307))
        with pytest.raises(SearchError) as caught:
            _client([]).post(f"{service.url}/esearch.fcgi", data={"api_key": KEY, "email": EMAIL, "term": "x"})
        assert "another site" in str(caught.value) and "base_url" in str(caught.value)
        assert elsewhere.state.requests == []
        assert KEY not in str(caught.value) and EMAIL not in str(caught.value)
        # The same server under another path is followed, body and all.
        service.state.faults.append(Fault("esearch", "redirect", location="/moved/esearch.fcgi", status=307))
        response = _client([]).post(f"{service.url}/esearch.fcgi", data={"api_key": KEY, "term": "x"})
        assert b"<Count>" in response.content
        assert [p.get("api_key") for p in service.state.calls("esearch")] == [KEY, KEY, KEY]
        # A request without credentials may follow the service to another host.
        service.state.faults.append(Fault("search", "redirect", location=f"{other}/search", status=302))
        assert _client([]).get(f"{service.url}/search", params={"query": "x"}).status_code == 200
        assert len(elsewhere.state.calls("search")) == 1


def test_redact_and_retry_after_forms() -> None:
    assert redact(f"GET /x?api_key={KEY}&email=planted.reviewer%2Bls%40example.org", [KEY, EMAIL]) == \
        "GET /x?api_key=***&email=***"
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
