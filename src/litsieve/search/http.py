"""HTTP for the live searches: retries with backoff, a rate limit, and no leaked secrets.

Bibliographic APIs fail in ordinary ways during a long fetch: NCBI answers 429 when a
client goes over three (or ten, with an API key) requests per second, both services give
the odd 5xx, and connections time out or are cut halfway through a body. A search that
takes an hour must ride through these, so every request goes through :class:`HttpClient`,
which retries exactly those failures with exponential backoff (honouring ``Retry-After``
up to :data:`RETRY_AFTER_MAX`, stopping with a message beyond it) and keeps to the
service's limit with a sliding-window :class:`RateLimiter`. ``timeout`` bounds the whole
request, from connecting to the last byte of the body, so a server trickling its answer
cannot hold a fetch for ever. Anything else (a 400, a 404) is a real problem and fails at
once.

The NCBI API key and the contact e-mail travel in request bodies, never in URLs; they are
never sent to another site (a redirect to another origin of a request carrying them is
refused, and redirects are followed by this module, not by ``requests``), and every
message this module logs or raises is passed through :func:`redact` first, so neither can
reach a log, a snapshot or an error message.
"""

from __future__ import annotations

import collections
import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import requests

from litsieve import __version__
from litsieve.errors import SearchError
from litsieve.logs import get_logger

LOG = get_logger("search.http")
REDACTED = "***"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
#: The longest ``Retry-After`` obeyed (seconds); a service asking for more is down for
#: maintenance or has blocked the client, and the run stops saying when to try again.
RETRY_AFTER_MAX = 300.0
#: The rate limiter's window: a little over a second, because a request's start and its
#: arrival at the service differ by the network's jitter.
RATE_WINDOW = 1.1
CHUNK = 1 << 16
USER_AGENT = f"litsieve/{__version__} (systematic review search; +https://pypi.org/project/litsieve/)"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, the backoff curve and the timeout of a whole
    request (connect, headers and body).

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
    """At most ``per_second`` request starts in any window of :data:`RATE_WINDOW` seconds
    (retries included): NCBI counts requests per second, so spacing starts exactly
    ``1 / per_second`` apart would still put one more start into some one-second window."""

    def __init__(
        self,
        per_second: float,
        *,
        window: float = RATE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = int(per_second) if per_second > 0 else 0
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._starts: collections.deque[float] = collections.deque()

    def wait(self) -> None:
        """Block until the next request may start."""
        if not self.limit:
            return
        now = self._clock()
        if len(self._starts) == self.limit:
            due = self._starts[0] + self.window
            if due > now:
                self._sleep(due - now)
                now = max(self._clock(), due)
            self._starts.popleft()
        self._starts.append(now)


def _forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote_plus(secret)}


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (raw and URL-encoded forms) replaced by ``***``."""
    for secret in secrets:
        if secret:
            for form in _forms(secret):
                text = text.replace(form, REDACTED)
    return text


def redact_bytes(data: bytes, secrets: Sequence[str]) -> bytes:
    """:func:`redact` for a raw answer (a service that echoes the request back)."""
    for secret in secrets:
        if secret:
            for form in _forms(secret):
                data = data.replace(form.encode("utf-8"), REDACTED.encode("ascii"))
    return data


def answer_start(data: bytes) -> str:
    """The first characters of an answer, for an error message (a maintenance page says so)."""
    text = " ".join(data[:160].decode("utf-8", "replace").split())
    return f"'{text}'" if text else "an empty body"


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
        """GET with retries; the whole body is read before this returns."""
        return self._request("GET", url, params=params)

    def post(self, url: str, data: Mapping[str, str | int]) -> requests.Response:
        """POST a form with retries (keeps secrets and long id lists out of URLs)."""
        return self._request("POST", url, data=data)

    def _request(self, method: str, url: str, **kwargs: object) -> requests.Response:
        shown = redact(url, self.secrets)
        last_problem = ""
        for attempt in range(1, self.policy.attempts + 1):
            retry_after: float | None = None
            try:
                response = self._follow(method, url, kwargs)
            except requests.Timeout:
                last_problem = f"no whole answer within {self.policy.timeout:g} s"
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
                if retry_after is not None and retry_after > RETRY_AFTER_MAX:
                    when = time.strftime("%H:%M UTC", time.gmtime(time.time() + retry_after))
                    raise SearchError(
                        f"{method} {shown} answered {last_problem} asking to wait {retry_after:.0f} s "
                        f"(Retry-After) before the next request; litsieve waits at most {RETRY_AFTER_MAX:.0f} s",
                        hint=f"the service is down for maintenance or throttling this address; rerun "
                             f"`litsieve search refresh` after {when} (it resumes where it stopped)",
                    )
            if attempt == self.policy.attempts:
                break
            delay = self.policy.wait(attempt, self._rng, retry_after)
            LOG.warning("%s %s: %s; retry %d of %d in %.2f s%s", method, shown, last_problem,
                        attempt, self.policy.attempts - 1, delay,
                        " (the service's Retry-After)" if retry_after and delay == retry_after else "")
            self.sleep(delay)
        raise SearchError(
            f"{method} {shown} failed {self.policy.attempts} times; last: {last_problem}",
            hint="the service may be down or throttling; rerun `litsieve search refresh` later "
                 "(it resumes where it stopped)",
        )

    def _follow(self, method: str, url: str, kwargs: Mapping[str, object]) -> requests.Response:
        """One request, following redirects here rather than in ``requests``, which would
        re-send a POST body (API key, e-mail) to whatever site a 307 names."""
        carries = self._carries_secrets(kwargs)
        for _ in range(MAX_REDIRECTS + 1):
            self.limiter.wait()
            self.requests_sent += 1
            response = self._send(method, url, kwargs)
            if response.status_code not in REDIRECT_STATUSES or "Location" not in response.headers:
                return response
            target = urljoin(url, response.headers["Location"])
            if carries and not same_site(url, target):
                raise SearchError(
                    f"{method} {redact(url, self.secrets)} was redirected (HTTP {response.status_code}) to "
                    f"{redact(target, self.secrets)}, another site; litsieve does not send the API key or "
                    "e-mail address there",
                    hint="if that is the service's new address and you trust it, set the source's base_url "
                         "(or LITSIEVE_EUTILS_URL / LITSIEVE_EUROPEPMC_URL) to it",
                )
            if response.status_code in (301, 302, 303) and method != "GET":
                method, kwargs = "GET", {k: v for k, v in kwargs.items() if k != "data"}  # as browsers do
            url = target
        raise SearchError(f"{method} {redact(url, self.secrets)}: more than {MAX_REDIRECTS} redirects",
                          hint="check the base URL (sources[].base_url or the LITSIEVE_*_URL variables)")

    def _send(self, method: str, url: str, kwargs: Mapping[str, object]) -> requests.Response:
        """Send and read the whole body before ``timeout`` seconds have passed since the start."""
        deadline = time.monotonic() + self.policy.timeout
        response = self.session.request(method, url, timeout=self.policy.timeout, stream=True,
                                        allow_redirects=False, **kwargs)  # type: ignore[arg-type]
        try:
            chunks = []
            for chunk in response.iter_content(CHUNK):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise requests.Timeout(f"the body took longer than {self.policy.timeout:g} s")
            response._content = b"".join(chunks)  # what .content, .text and .json() read
        finally:
            response.close()
        return response

    def _carries_secrets(self, kwargs: Mapping[str, object]) -> bool:
        values: list[str] = []
        for part in ("data", "params"):
            given = kwargs.get(part)
            if isinstance(given, Mapping):
                values += [str(v) for v in given.values()]
        return any(secret and secret in value for secret in self.secrets for value in values)


def same_site(url: str, target: str) -> bool:
    """Whether a redirect stays with the same server: same host and port, or the same host
    moved from http to https (its default ports)."""
    a, b = urlsplit(url), urlsplit(target)
    if (a.hostname or "").lower() != (b.hostname or "").lower():
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    return a.scheme == "http" and b.scheme == "https" and a.port in (None, 80) and b.port in (None, 443)
