"""HTTP for the live searches: retries with backoff, a rate limit, and no leaked secrets.

Bibliographic APIs fail in ordinary ways during a long fetch: NCBI answers 429 when a
client goes over three (or ten, with an API key) requests per second, both services give
the odd 5xx, and connections time out or are cut halfway through a body. A search that
takes an hour must ride through these, so every request goes through :class:`HttpClient`,
which retries exactly those failures with exponential backoff (honouring ``Retry-After``)
and spaces requests with a :class:`RateLimiter`. Anything else (a 400, a 404) is a real
problem and fails at once.

The NCBI API key and the contact e-mail travel in request bodies, never in URLs, and
every message this module logs or raises is passed through :func:`redact` first, so
neither can reach a log, a snapshot or an error message.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence
from urllib.parse import quote, quote_plus

import requests

from litsieve import __version__
from litsieve.errors import SearchError
from litsieve.logs import get_logger

LOG = get_logger("search.http")
REDACTED = "***"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = f"litsieve/{__version__} (systematic review search; +https://pypi.org/project/litsieve/)"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, the backoff curve and the socket timeout.

    The wait before retry ``n`` (1-based) is ``backoff * 2**(n-1)`` seconds, capped at
    ``backoff_max``, stretched by a random factor in ``[1 - jitter, 1 + jitter]`` drawn
    from a generator seeded with ``seed`` (so two runs wait the same), and never shorter
    than the server's ``Retry-After``.
    """

    attempts: int = 6
    backoff: float = 1.0
    backoff_max: float = 60.0
    jitter: float = 0.25
    seed: int = 0
    timeout: float = 60.0

    def wait(self, retry: int, rng: random.Random, retry_after: float | None) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        base = min(self.backoff_max, self.backoff * (2 ** (retry - 1)))
        if self.jitter:
            base *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(base, retry_after or 0.0)


class RateLimiter:
    """Keeps request starts at least ``1 / per_second`` seconds apart (retries included)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        """Block until the next request may start."""
        now = self._clock()
        if self._last is not None:
            due = self._last + self.interval
            if due > now:
                self._sleep(due - now)
                now = due
        self._last = now


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (raw and URL-encoded forms) replaced by ``***``."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, REDACTED)
    return text


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class HttpClient:
    """A ``requests`` session that retries transient failures and respects a rate limit.

    ``secrets`` are the values that must never be written anywhere (API key, e-mail);
    ``sleep`` is injectable so tests can record waits instead of waiting.
    """

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    per_second: float = 3.0
    secrets: Sequence[str] = ()
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT
        self.limiter = RateLimiter(self.per_second, sleep=self.sleep)
        self._rng = random.Random(self.policy.seed)
        self.requests_sent = 0

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> requests.Response:
        """GET with retries; the body is fully read before this returns."""
        return self._request("GET", url, params=params)

    def post(self, url: str, data: Mapping[str, str | int]) -> requests.Response:
        """POST a form with retries (keeps secrets and long id lists out of URLs)."""
        return self._request("POST", url, data=data)

    def _request(self, method: str, url: str, **kwargs: object) -> requests.Response:
        shown = redact(url, self.secrets)
        last_problem = ""
        for attempt in range(1, self.policy.attempts + 1):
            self.limiter.wait()
            self.requests_sent += 1
            retry_after: float | None = None
            try:
                # stream=False: requests reads the whole body here, so a connection cut
                # mid-body surfaces as ChunkedEncodingError / ConnectionError inside the try.
                response = self.session.request(
                    method, url, timeout=self.policy.timeout, stream=False, **kwargs  # type: ignore[arg-type]
                )
            except requests.Timeout:
                last_problem = f"no answer within {self.policy.timeout:g} s"
            except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError,
                    requests.exceptions.ContentDecodingError) as exc:
                last_problem = f"connection failed or was cut ({type(exc).__name__})"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    body = redact(response.text[:300], self.secrets)
                    raise SearchError(
                        f"{method} {shown} answered HTTP {response.status_code}: {body.strip()}",
                        hint="check the query and the base URL; this is not a transient failure",
                    )
                last_problem = f"HTTP {response.status_code}"
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt == self.policy.attempts:
                break
            delay = self.policy.wait(attempt, self._rng, retry_after)
            LOG.warning("%s %s: %s; retry %d of %d in %.2f s", method, shown, last_problem,
                        attempt, self.policy.attempts - 1, delay)
            self.sleep(delay)
        raise SearchError(
            f"{method} {shown} failed {self.policy.attempts} times; last: {last_problem}",
            hint="the service may be down or throttling; rerun `litsieve search refresh` later "
                 "(it resumes where it stopped)",
        )
