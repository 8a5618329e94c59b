"""``litsieve search refresh``: run the protocol's live searches and seal dated snapshots.

This is the only code path in litsieve that touches a bibliographic service. It runs only
when a person asks for it; the workflow itself reads sealed snapshots and stays offline.
Settings come from the protocol (``search.live``, ``sources[].base_url``) and the
environment: ``LITSIEVE_EUTILS_URL`` / ``LITSIEVE_EUROPEPMC_URL`` override the base URL
(for tests and institutional mirrors), ``NCBI_API_KEY`` and ``NCBI_EMAIL`` identify the
caller to NCBI and are never written anywhere.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from litsieve import __version__
from litsieve.errors import ConfigError
from litsieve.logs import get_logger
from litsieve.search import europepmc, pubmed
from litsieve.search.http import HttpClient, RetryPolicy
from litsieve.query.protocol import protocol_limits
from litsieve.search.protocol import translations
from litsieve.search.snapshot import DEFAULT_ROOT, PartialSnapshot, source_dir

LOG = get_logger("search.refresh")
LIVE_PLATFORMS = ("pubmed", "europepmc")
ENV_API_KEY = "NCBI_API_KEY"
ENV_EMAIL = "NCBI_EMAIL"


@dataclass(frozen=True)
class LiveSettings:
    """``search.live`` in the protocol: paging and retry behaviour of live searches."""

    batch_size: int = pubmed.BATCH_SIZE
    page_size: int = europepmc.PAGE_SIZE
    slice_limit: int = pubmed.ESEARCH_LIMIT
    policy: RetryPolicy = RetryPolicy()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "LiveSettings":
        live = (config.get("search") or {}).get("live") or {}
        policy = RetryPolicy(
            attempts=int(live.get("attempts", RetryPolicy.attempts)),
            backoff=float(live.get("backoff", RetryPolicy.backoff)),
            backoff_max=float(live.get("backoff_max", RetryPolicy.backoff_max)),
            jitter=float(live.get("jitter", RetryPolicy.jitter)),
            timeout=float(live.get("timeout", RetryPolicy.timeout)),
        )
        return cls(batch_size=int(live.get("batch_size", pubmed.BATCH_SIZE)),
                   page_size=int(live.get("page_size", europepmc.PAGE_SIZE)),
                   slice_limit=int(live.get("slice_limit", pubmed.ESEARCH_LIMIT)), policy=policy)


def live_sources(config: Mapping[str, Any], names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The protocol's ``method: live`` sources, or the named ones (which must be live)."""
    sources = {s["name"]: s for s in config["sources"]}
    if names:
        unknown = [n for n in names if n not in sources]
        if unknown:
            raise ConfigError(f"no source named {', '.join(unknown)}", field="sources",
                              hint=f"sources in the protocol: {', '.join(sorted(sources))}")
        chosen = [sources[n] for n in names]
    else:
        chosen = [s for s in sources.values() if s.get("method") == "live"]
    for source in chosen:
        if source.get("method") != "live":
            raise ConfigError(f"source '{source['name']}' is not searched live (method: {source.get('method')})",
                              field=f"sources.{source['name']}.method",
                              hint="set `method: live` to search it through its API")
        if source.get("platform") not in LIVE_PLATFORMS:
            raise ConfigError(
                f"source '{source['name']}': litsieve can search {' and '.join(LIVE_PLATFORMS)} live, "
                f"not {source.get('platform')!r}",
                field=f"sources.{source['name']}.platform",
                hint="search it by hand with `litsieve search strings` and use method: export",
            )
    return chosen


def base_url(source: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """Environment override, else ``sources[].base_url``, else the public service."""
    if source["platform"] == "pubmed":
        return env.get(pubmed.ENV_URL) or source.get("base_url") or pubmed.DEFAULT_URL
    return env.get(europepmc.ENV_URL) or source.get("base_url") or europepmc.DEFAULT_URL


def refresh_source(
    config: Mapping[str, Any],
    source: Mapping[str, Any],
    *,
    env: Mapping[str, str] | None = None,
    replace: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Search one live source (resuming a partial fetch) and return its sealed snapshot folder."""
    env = os.environ if env is None else env
    settings = LiveSettings.from_config(config)
    api_key, email = env.get(ENV_API_KEY, ""), env.get(ENV_EMAIL, "")
    secrets = [s for s in (api_key, email) if s]
    platform = source["platform"]
    translation = translations(config)[platform]
    url = base_url(source, env)
    root = (config.get("paths") or {}).get("snapshots", DEFAULT_ROOT)
    search: pubmed.PubmedSearch | europepmc.EuropePmcSearch
    if platform == "pubmed":
        http = HttpClient(policy=settings.policy, per_second=10.0 if api_key else 3.0, secrets=secrets, sleep=sleep)
        span, _, _ = protocol_limits(config["search"])
        search = pubmed.PubmedSearch(term=translation.text, base_url=url, http=http, years=span,
                                     api_key=api_key, email=email, batch_size=settings.batch_size,
                                     slice_limit=settings.slice_limit)
    else:
        http = HttpClient(policy=settings.policy, per_second=10.0, secrets=secrets, sleep=sleep)
        search = europepmc.EuropePmcSearch(query=translation.text, base_url=url, http=http,
                                           page_size=settings.page_size,
                                           translation_parameters=dict(translation.parameters))
    partial = PartialSnapshot.open(source_dir(root, source["name"]), search.fingerprint())
    LOG.info("searching %s (%s) for source '%s'", source.get("database"), platform, source["name"])
    fields = search.run(partial)
    manifest = {
        "source": source["name"], "database": source.get("database"), "litsieve_version": __version__,
        "limits": list(translation.limits), "requests_sent": http.requests_sent,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **fields,
    }
    folder = partial.finish(manifest, secrets=secrets, replace=replace)
    LOG.info("sealed %s: %d records (%d reported)", folder, fields["records"], fields["count_reported"])
    return folder
