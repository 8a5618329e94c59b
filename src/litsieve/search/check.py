"""Check hand-made exports against the protocol's query.

A PsycINFO export made by hand may not be what the protocol says was searched: a limit
forgotten, a different string typed, an export of the wrong result set. Evaluating the
intended query (with its year and language limits) over every imported record shows the
records the documented search would not have found; their count per source goes into the
search documentation, and the rows into ``results/search/check/{source}.csv``. When the
protocol records the string exactly as it was typed in that database
(``sources[].string_as_run``), the export is checked against that string: the one that
found its records.
"""

from __future__ import annotations

import os

from litsieve.logs import get_logger
from litsieve.query.match import Matcher, format_summary, match_records, summarise, write_matches
from litsieve.query.protocol import protocol_limits, protocol_query, string_as_run
from litsieve.protocol import Search, StringAsRun
from litsieve.records_io import read_records

LOG = get_logger("search.check")


def check_export(records_csv: str | os.PathLike[str], search: Search,
                 out_csv: str | os.PathLike[str], as_run: StringAsRun | None = None) -> dict[str, int]:
    """Write one match row per record of ``records_csv``; return the source's counts
    (checked against ``as_run``, the source's string as run, when given)."""
    node = string_as_run(as_run) if as_run is not None else protocol_query(search)
    years, languages, fields = protocol_limits(search)
    matcher = Matcher(node, fields=fields, years=years, languages=languages)
    rows = match_records(matcher, read_records(records_csv))
    write_matches(str(out_csv), rows)
    summary = summarise(rows)
    LOG.info("%s", format_summary(summary).strip() or f"{records_csv}: no records")
    totals: dict[str, int] = {}
    for counts in summary.values():
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals
