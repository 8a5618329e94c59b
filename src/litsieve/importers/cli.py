"""``litsieve import FILE... [--format FMT] [--source NAME] -o OUT.csv``."""

from __future__ import annotations

import argparse
import sys

from litsieve.importers import load_files
from litsieve.importers.detect import FORMAT_DESCRIPTIONS, FORMATS
from litsieve.records_io import write_records


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "import",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="formats:\n" + "\n".join(f"  {name:<12} {text}"
                                        for name, text in FORMAT_DESCRIPTIONS.items()),
        help="read database exports into one record-model CSV",
        description="Read exports (RIS, MEDLINE/nbib, PubMed XML, BibTeX, EndNote XML, "
        "Web of Science tagged, CSV/TSV; format detected from content) and write one row "
        "per record with the record-model columns.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="export files")
    parser.add_argument("--format", dest="fmt", metavar="FMT",
                        help=f"skip detection: one of {', '.join(FORMATS)}")
    parser.add_argument("--source", metavar="NAME",
                        help="source name for record ids (default: each file's name)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.csv",
                        help="record-model CSV to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    per_file = load_files(args.files, fmt=args.fmt, source=args.source)
    count = write_records(args.output, [r for _, records in per_file for r in records])
    for path, records in per_file:
        print(f"{path}: {len(records)} records", file=sys.stderr)
    print(f"wrote {count} records to {args.output}", file=sys.stderr)
    return 0
