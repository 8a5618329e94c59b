"""Check hand-made exports against the protocol's query.

A PsycINFO export made by hand may not be what the protocol says was searched: a limit
forgotten, a different string typed, an export of the wrong result set. Evaluating the
intended query (with its year and language limits) over every imported record shows the
records the documented search would not have found; their count per source goes into the
search documentation, and the rows into ``results/search/check/{source}.csv``.
"""

from __future__ import annotations

import os

from litsieve.logs import get_logger
from litsieve.query.match import Matcher, format_summary, match_records, summarise, write_matches
from litsieve.query.protocol import protocol_limits, protocol_query
from litsieve.protocol import Search
from litsieve.records_io import read_records

LOG = get_logger("search.check")


def check_export(records_csv: str | os.PathLike[str], search: Search,
                 out_csv: str | os.PathLike[str]) -> dict[str, int]:
    """Write one match row per record of ``records_csv``; return the source's counts."""
    node = protocol_query(search)
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
