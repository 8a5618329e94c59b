"""``litsieve dedup FILE... --clusters OUT.csv [-o RECORDS.csv] [--counts COUNTS.json]``."""

from __future__ import annotations

import argparse
import sys

from litsieve.dedup.pipeline import deduplicate
from litsieve.dedup.workflow import load_inputs, write_outputs


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "dedup",
        help="find duplicate records and say which rule decided",
        description="Read exports (anything `litsieve import` reads), cluster records that "
        "are the same work, and write one row per input record: record_id, cluster_id, then "
        "whether it is the kept record, the rule and score that put it in its cluster.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="export or record files")
    parser.add_argument("--clusters", required=True, metavar="OUT.csv",
                        help="one row per input record (record_id,cluster_id,...)")
    parser.add_argument("-o", "--output", metavar="RECORDS.csv",
                        help="also write one merged record per work")
    parser.add_argument("--counts", metavar="COUNTS.json", help="also write the counts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    records = load_inputs(args.files)
    result = deduplicate(records)
    write_outputs(result, clusters=args.clusters, records=args.output, counts=args.counts)
    counts = result.counts
    print("field weights estimated from these records:\n  " + "\n  ".join(result.weights.lines()), file=sys.stderr)
    print(f"{counts['records_in']} records, {counts['works_out']} works, "
          f"{counts['duplicates_removed']} duplicates removed, "
          f"{counts['pairs_awaiting_review']} uncertain pair(s) not merged; wrote {args.clusters}",
          file=sys.stderr)
    return 0
