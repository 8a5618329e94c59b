"""``litsieve suggest``: the protocol's suggestions for any importable file.

The same code as the screening queue (:func:`litsieve.screening.suggest.suggest_records`),
so a reviewer can try criteria on an export before running the workflow, or check them on
a labelled set.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from litsieve.config import DEFAULT_CONFIG
from litsieve.protocol import load_protocol
from litsieve.screening.suggest import suggest_records, write_suggestions


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "suggest",
        help="suggest include / exclude / unsure for every record, with the criteria that fired",
        description="Apply the protocol's inclusion and exclusion criteria to every record of "
                    "the files and write one row per record: record_id, suggestion, criteria, "
                    "evidence, reason, automatic, unmet, why, search_terms.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="exports or record CSV files")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG),
                        help="the protocol (default: %(default)s)")
    parser.add_argument("--format", dest="fmt", default=None,
                        help="force the import format (default: detected from content)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from litsieve.importers import load_many

    protocol = load_protocol(args.config)
    records = load_many(args.files, fmt=args.fmt)
    suggestions = suggest_records(records, protocol.criteria, protocol.search)
    write_suggestions(args.output, suggestions)
    counts = Counter(s.suggestion for s in suggestions)
    automatic = sum(1 for s in suggestions if s.automatic)
    print(f"{len(suggestions)} record(s): {counts['include']} include, {counts['exclude']} exclude "
          f"({automatic} by automatic criteria), {counts['unsure']} unsure -> {args.output}",
          file=sys.stderr)
    return 0
