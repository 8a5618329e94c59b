"""Europe PMC searched live through its REST API, frozen page by page.

Europe PMC has no offset paging: the only way through a large result is ``cursorMark``
(start at ``*``, then follow ``nextCursorMark`` until it stops changing). Each page is
kept verbatim as ``page-NNNNN.json``; page *n+1*'s cursor is page *n*'s
``nextCursorMark``, so an interrupted run resumes from the last page on disk without a
separate state file. ``synonym=false`` keeps Europe PMC from widening the query behind the
reviewer's back, and ``resultType=core`` brings abstracts, keywords and publication types.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from tqdm import tqdm

from litsieve.errors import SearchError
from litsieve.logs import get_logger
from litsieve.record import Record
from litsieve.search.europepmc_records import result_to_record
from litsieve.search.http import HttpClient
from litsieve.search.snapshot import PartialSnapshot

LOG = get_logger("search.europepmc")
DEFAULT_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
ENV_URL = "LITSIEVE_EUROPEPMC_URL"
PAGE_SIZE = 1000


def page_name(number: int) -> str:
    return f"page-{number:05d}.json"


def _decode(data: bytes, where: str) -> dict[str, Any]:
    try:
        page = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SearchError(f"Europe PMC answered something that is not JSON: {exc}", file=where,
                          hint="check the base URL (sources[].base_url or LITSIEVE_EUROPEPMC_URL)") from None
    if not isinstance(page, dict) or "hitCount" not in page:
        raise SearchError("Europe PMC answer has no hitCount", file=where,
                          hint="check the base URL (sources[].base_url or LITSIEVE_EUROPEPMC_URL)")
    return page


def _results(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    results = (page.get("resultList") or {}).get("result") or []
    return [r for r in results if isinstance(r, dict)]


@dataclass
class EuropePmcSearch:
    """One query against Europe PMC's ``/search`` endpoint."""

    query: str
    base_url: str
    http: HttpClient
    page_size: int = PAGE_SIZE
    translation_parameters: Mapping[str, str] = field(default_factory=dict)

    def parameters(self) -> dict[str, Any]:
        """The request parameters other than the cursor (recorded in the manifest).

        Parameters the translation asks for (``synonym=false``) are sent as given.
        """
        return {"resultType": "core", "pageSize": self.page_size, "synonym": "false",
                "format": "json", "sort": "", **self.translation_parameters}

    def fingerprint(self) -> dict[str, Any]:
        return {"platform": "europepmc", "query": self.query, **self.parameters()}

    def run(self, partial: PartialSnapshot) -> dict[str, Any]:
        """Fetch every page not yet in ``partial``; return the manifest fields."""
        url = self.base_url.rstrip("/") + "/search"
        number, cursor, hit_count, seen = 1, "*", None, 0
        while partial.has(page_name(number)):
            page = _decode(partial.read(page_name(number)), str(partial.folder / page_name(number)))
            hit_count = page["hitCount"] if hit_count is None else hit_count
            seen += len(_results(page))
            following = page.get("nextCursorMark")
            if not _results(page) or not following or following == cursor:
                cursor = ""
                break
            cursor, number = following, number + 1
        already = len([n for n in partial.files() if n.startswith("page-")])
        if already:
            LOG.info("Europe PMC: %d page(s) already fetched, continuing after them", already)
        bar = tqdm(total=hit_count, initial=seen, unit="rec", desc="Europe PMC", file=sys.stderr,
                   disable=None, leave=False)
        try:
            while cursor:
                params = {"query": self.query, "cursorMark": cursor, **self.parameters()}
                data = self.http.get(url, params=params).content
                page = _decode(data, url)
                if hit_count is None:
                    hit_count = page["hitCount"]
                    bar.total = hit_count
                results = _results(page)
                if results or number == 1:
                    partial.write(page_name(number), data)
                bar.update(len(results))
                following = page.get("nextCursorMark")
                if not results or not following or following == cursor:
                    break
                cursor, number = following, number + 1
        finally:
            bar.close()
        records = page_records(partial.folder, partial.files())
        unique = {r.record_id for r in records}
        if len(unique) != hit_count:
            raise SearchError(
                f"Europe PMC reported {hit_count} hits but {len(unique)} distinct records arrived",
                file=str(partial.folder),
                hint="the index may have changed during the fetch; rerun `litsieve search refresh` "
                     "(delete the .partial folder to start over)",
            )
        return {"platform": "europepmc", "service": url, "query": self.query,
                "parameters": self.parameters(), "count_reported": hit_count, "records": len(unique)}


def page_records(folder: Path, names: list[str]) -> list[Record]:
    """Records of the kept pages, in page order (repeats included)."""
    records: list[Record] = []
    for name in sorted(n for n in names if n.startswith("page-")):
        path = folder / name
        page = _decode(path.read_bytes(), str(path))
        records.extend(result_to_record(result, source_file=str(path)) for result in _results(page))
    return records


def snapshot_records(folder: Path, manifest: Mapping[str, Any]) -> list[Record]:
    """Records of a sealed Europe PMC snapshot (see :func:`litsieve.search.snapshot.read_snapshot_records`)."""
    return page_records(folder, sorted(manifest.get("files", {})))
