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
from litsieve.search.http import HttpClient, answer_start
from litsieve.search.snapshot import PartialSnapshot

LOG = get_logger("search.europepmc")
DEFAULT_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest"
ENV_URL = "LITSIEVE_EUROPEPMC_URL"
PAGE_SIZE = 1000


def page_name(number: int) -> str:
    return f"page-{number:05d}.json"


UNUSABLE_HINT = ("nothing of this answer was kept; the service may be down for maintenance: rerun "
                 "`litsieve search refresh` later (it resumes); if it keeps happening, check the base URL "
                 "(sources[].base_url or LITSIEVE_EUROPEPMC_URL)")


def _decode(data: bytes, where: str) -> dict[str, Any]:
    """A page of results, or a SearchError (checked before a page is kept)."""
    try:
        page = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SearchError(f"Europe PMC answered something that is not JSON ({exc}): it began with "
                          f"{answer_start(data)}", file=where, hint=UNUSABLE_HINT) from None
    if not isinstance(page, dict) or not isinstance(page.get("hitCount"), int):
        raise SearchError(f"Europe PMC's answer has no hitCount: it began with {answer_start(data)}",
                          file=where, hint=UNUSABLE_HINT)
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
        """Fetch every page not yet in ``partial``; return the manifest fields.

        Every page reports the hit count anew; when it changes during the fetch (Europe PMC
        indexed or withdrew records meanwhile) the manifest says so page by page
        (``hit_count_changes``) and the search documentation warns, because the result may
        then miss or repeat a record.
        """
        url = self.base_url.rstrip("/") + "/search"
        number, cursor, seen = 1, "*", 0
        counts: dict[int, int] = {}  # page number -> hitCount it reported
        while partial.has(page_name(number)):
            name = page_name(number)
            try:
                page = _decode(partial.read(name), str(partial.folder / name))
            except SearchError as exc:  # kept by an older litsieve before it was checked
                for later in [n for n in partial.files() if n.startswith("page-") and n >= name]:
                    partial.discard(later, exc.message if later == name else "it follows an unusable page")
                break
            counts[number] = page["hitCount"]
            seen += len(_results(page))
            following = page.get("nextCursorMark")
            if not _results(page) or not following or following == cursor:
                cursor = ""
                break
            cursor, number = following, number + 1
        already = len([n for n in partial.files() if n.startswith("page-")])
        if already:
            LOG.info("Europe PMC: %d page(s) already fetched, continuing after them", already)
        bar = tqdm(total=counts.get(1), initial=seen, unit="rec", desc="Europe PMC", file=sys.stderr,
                   disable=None, leave=False)
        try:
            while cursor:
                params = {"query": self.query, "cursorMark": cursor, **self.parameters()}
                data = self.http.get(url, params=params).content
                page = _decode(data, url)  # checked before it is kept
                counts[number] = page["hitCount"]
                bar.total = counts[1] if 1 in counts else page["hitCount"]
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
        hit_count = counts[min(counts)]
        changes = [{"page": n, "hit_count": c} for n, c in sorted(counts.items())
                   if n == min(counts) or c != counts.get(n - 1, c)]
        records = page_records(partial.folder, partial.files())
        unique = {r.record_id for r in records}
        reported = {c for c in counts.values()}
        if len(unique) not in reported:
            changed = (" (the hit count changed during the fetch: "
                       + ", ".join(f"{c['hit_count']} on page {c['page']}" for c in changes) + ")"
                       if len(changes) > 1 else "")
            raise SearchError(
                f"Europe PMC reported {hit_count} hits but {len(unique)} distinct records arrived{changed}",
                file=str(partial.folder),
                hint="the index may have changed during the fetch; rerun `litsieve search refresh` "
                     "(delete the .partial folder to start over)",
            )
        fields: dict[str, Any] = {"platform": "europepmc", "service": url, "query": self.query,
                                  "parameters": self.parameters(), "count_reported": hit_count,
                                  "records": len(unique)}
        if len(changes) > 1:
            fields["hit_count_changes"] = changes
            LOG.warning("Europe PMC's hit count changed during the fetch (%s): the index changed while the "
                        "search ran, so the snapshot may miss or repeat a record; refresh again for a "
                        "consistent one", ", ".join(f"{c['hit_count']} on page {c['page']}" for c in changes))
        return fields


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
