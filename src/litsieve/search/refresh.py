"""``litsieve search refresh``: run the protocol's live searches and seal dated snapshots.

This is the only code path in litsieve that touches a bibliographic service. It runs only
when a person asks for it; the workflow itself reads sealed snapshots and stays offline.
Settings come from the protocol (``search.live``, ``sources[].base_url``) and the
environment: ``LITSIEVE_EUTILS_URL`` / ``LITSIEVE_EUROPEPMC_URL`` override the base URL
(for tests and institutional mirrors), ``NCBI_API_KEY`` and ``NCBI_EMAIL`` identify the
caller to NCBI and are never written anywhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from litsieve import __version__
from litsieve.errors import ConfigError, LitsieveError, SearchError
from litsieve.logs import get_logger
from litsieve.protocol import LiveSettings, Protocol, Source
from litsieve.search import europepmc, pubmed
from litsieve.search.http import HttpClient, RetryPolicy, redact
from litsieve.query.protocol import protocol_limits
from litsieve.search.protocol import translations
from litsieve.search.snapshot import PartialSnapshot, source_dir

LOG = get_logger("search.refresh")
LIVE_PLATFORMS = ("pubmed", "europepmc")
ENV_API_KEY = "NCBI_API_KEY"
ENV_EMAIL = "NCBI_EMAIL"
LOCK = ".partial.lock"


def retry_policy(live: LiveSettings) -> RetryPolicy:
    """The HTTP retry policy ``search.live`` asks for."""
    return RetryPolicy(attempts=live.attempts, backoff=live.backoff, backoff_max=live.backoff_max,
                       jitter=live.jitter, timeout=live.timeout)


def live_sources(protocol: Protocol, names: Sequence[str] | None = None) -> list[Source]:
    """The protocol's ``method: live`` sources, or the named ones (which must be live)."""
    sources = {s.name: s for s in protocol.sources}
    if names:
        unknown = [n for n in names if n not in sources]
        if unknown:
            raise ConfigError(f"no source named {', '.join(unknown)}", field="sources",
                              hint=f"sources in the protocol: {', '.join(sorted(sources))}")
        chosen = [sources[n] for n in names]
    else:
        chosen = [s for s in sources.values() if s.live]
    for source in chosen:
        if not source.live:
            raise ConfigError(f"source '{source.name}' is not searched live (method: {source.method})",
                              field=f"sources.{source.name}.method",
                              hint="set `method: live` to search it through its API")
        if source.platform not in LIVE_PLATFORMS:
            raise ConfigError(
                f"source '{source.name}': litsieve can search {' and '.join(LIVE_PLATFORMS)} live, "
                f"not {source.platform!r}",
                field=f"sources.{source.name}.platform",
                hint="search it by hand with `litsieve search strings` and use method: export",
            )
    return chosen


def base_url(source: Source, env: Mapping[str, str]) -> str:
    """Environment override, else ``sources[].base_url``, else the public service."""
    if source.platform == "pubmed":
        return env.get(pubmed.ENV_URL) or source.base_url or pubmed.DEFAULT_URL
    return env.get(europepmc.ENV_URL) or source.base_url or europepmc.DEFAULT_URL


def refresh_source(
    protocol: Protocol,
    source: Source,
    *,
    env: Mapping[str, str] | None = None,
    replace: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Search one live source (resuming a partial fetch) and return its sealed snapshot folder."""
    env = os.environ if env is None else env
    settings = protocol.live
    policy = retry_policy(settings)
    api_key, email = env.get(ENV_API_KEY, ""), env.get(ENV_EMAIL, "")
    secrets = [s for s in (api_key, email) if s]
    platform = source.platform
    translation = translations(protocol.search)[platform]
    url = base_url(source, env)
    root = protocol.paths.snapshots
    search: pubmed.PubmedSearch | europepmc.EuropePmcSearch
    if platform == "pubmed":
        http = HttpClient(policy=policy, per_second=10.0 if api_key else 3.0, secrets=secrets, sleep=sleep)
        span, _, _ = protocol_limits(protocol.search)
        search = pubmed.PubmedSearch(term=translation.text, base_url=url, http=http, years=span,
                                     api_key=api_key, email=email, batch_size=settings.batch_size,
                                     slice_limit=settings.slice_limit)
    else:
        http = HttpClient(policy=policy, per_second=10.0, secrets=secrets, sleep=sleep)
        search = europepmc.EuropePmcSearch(query=translation.text, base_url=url, http=http,
                                           page_size=settings.page_size,
                                           translation_parameters=dict(translation.parameters))
    folder = source_dir(root, source.name)
    with refresh_lock(folder, source.name):
        try:
            partial = PartialSnapshot.open(folder, search.fingerprint(), secrets=secrets)
            LOG.info("searching %s (%s) for source '%s'", source.database, platform, source.name)
            fields = search.run(partial)
            manifest = {
                "source": source.name, "database": source.database, "litsieve_version": __version__,
                "limits": list(translation.limits), "requests_sent": http.requests_sent,
                "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **fields,
            }
            sealed = partial.finish(manifest, secrets=secrets, replace=replace)
        except LitsieveError as exc:  # an answer quoted in a message may repeat the key
            exc.message, exc.hint = redact(exc.message, secrets), exc.hint and redact(exc.hint, secrets)
            raise
    LOG.info("sealed %s: %d records (%d reported)", sealed, fields["records"], fields["count_reported"])
    return sealed


@contextlib.contextmanager
def refresh_lock(folder: Path, name: str) -> Iterator[None]:
    """Hold ``<source>/.partial.lock`` for the whole refresh: two refreshes of one source
    would write into, and seal, the same ``.partial/`` folder. The operating system drops
    the lock when the process ends, however it ends, so a killed run leaves none behind."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SearchError(
                f"another `litsieve search refresh` of source '{name}' is running", file=str(path),
                hint="wait for it to finish (it seals the snapshot), then rerun if you need to",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
