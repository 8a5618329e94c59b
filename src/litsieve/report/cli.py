"""``litsieve prisma``, ``litsieve extract`` and ``litsieve export``: the report's steps by hand.

The workflow runs the same functions (workflow/rules/report.smk); these commands let an
author regenerate one output from a results folder, or pre-fill extraction and export
records for any set of ids.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from litsieve.config import DEFAULT_CONFIG
from litsieve.protocol import load_protocol


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    prisma = subparsers.add_parser(
        "prisma",
        help="PRISMA 2020 flow diagram and counts from a results folder",
        description="Compute the PRISMA 2020 numbers from the workflow's files, check that they add "
        "up, and write counts.json, flow.svg/.pdf/.png and prisma2020.csv (R PRISMA2020 template).",
    )
    prisma.add_argument("--results", default="results", metavar="DIR", help="results folder (default: results)")
    prisma.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                        help="protocol, for database names and the title (default: config/config.yaml)")
    prisma.add_argument("-o", "--output", default=None, metavar="DIR",
                        help="output folder (default: RESULTS/prisma)")
    prisma.add_argument("--check", action="store_true", help="only check the numbers and print them")
    prisma.set_defaults(func=run_prisma)

    extract = subparsers.add_parser(
        "extract",
        help="pre-fill study characteristics from titles and abstracts",
        description="Pre-fill the protocol's extraction fields (extraction.fields: design, sample "
        "size, population, age group, setting, country, ...) of records, each with the phrase it came "
        "from. Reads anything `litsieve import` reads.",
    )
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                         help="protocol, for the extraction fields (default: config/config.yaml)")
    extract.add_argument("--source", default=None, metavar="NAME",
                         help="source name for the record ids (as `litsieve import`; default: the file name)")
    extract.add_argument("--ids", default=None, metavar="IDS",
                         help="only these record ids (comma-separated, or @FILE with one id a line)")
    extract.add_argument("--clusters", default=None, metavar="CLUSTERS.csv",
                         help="deduplication's clusters file (litsieve dedup --clusters): one row per study, "
                              "listing its reports (default: one row per record)")
    extract.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    extract.add_argument("--xlsx", default=None, metavar="OUT.xlsx", help="also write an Excel workbook")
    extract.set_defaults(func=run_extract)

    export = subparsers.add_parser(
        "export",
        help="write records as RIS or BibTeX for Zotero, EndNote and other reference managers",
        description="Write the records of FILE(s) as RIS (.ris) or BibTeX (.bib), chosen by the "
        "output's extension.",
    )
    export.add_argument("files", nargs="+", metavar="FILE")
    export.add_argument("--source", default=None, metavar="NAME",
                        help="source name for the record ids (as `litsieve import`; default: the file name)")
    export.add_argument("-o", "--output", required=True, metavar="OUT.ris|OUT.bib")
    export.add_argument("--note", default="", help="text for every record's note field")
    export.set_defaults(func=run_export)


def run_prisma(args: argparse.Namespace) -> int:
    from litsieve.report.counts import FlowFiles
    from litsieve.report.prisma import PrismaOutputs, checked_counts, write_prisma

    protocol = load_protocol(args.config)
    files = FlowFiles.under(args.results)
    if args.check:
        counts = checked_counts(files, protocol.sources)
        from litsieve.report.diagram import box_texts, singular

        for lines in box_texts(counts).values():
            print("\n".join("  " * line.indent + line.text for line in lines))
        waiting = "; ".join(f"{v:,} {singular(k) if v == 1 else k}" for k, v in counts.waiting.items())
        print("The numbers add up." + (f" Interim: {waiting}" if waiting else " The review is complete."))
        return 0
    outputs = PrismaOutputs.under(args.output or Path(args.results) / "prisma")
    write_prisma(files, protocol.review, protocol.sources, outputs)
    print(f"wrote {outputs.svg.parent}/: counts.json, flow.svg, flow.pdf, flow.png, prisma2020.csv")
    return 0


def _ids(value: str | None) -> set[str] | None:
    if value is None:
        return None
    if value.startswith("@"):
        return {line.strip() for line in Path(value[1:]).read_text(encoding="utf-8").splitlines() if line.strip()}
    return {item.strip() for item in value.split(",") if item.strip()}


def run_extract(args: argparse.Namespace) -> int:
    from litsieve.importers import load_many
    from litsieve.report.extraction import extraction_rows, included_studies, write_extraction_table
    from litsieve.studies import read_studies

    fields = load_protocol(args.config).extraction.fields
    records = load_many(args.files, source=args.source)
    wanted = _ids(args.ids)
    if wanted is not None:
        records = [r for r in records if r.record_id in wanted]
    rows = extraction_rows(included_studies(records, read_studies(args.clusters)), fields, reviewer={})
    write_extraction_table(rows, fields, args.output, args.xlsx)
    print(f"pre-filled {len(rows)} stud{'y' if len(rows) == 1 else 'ies'} from {len(records)} record(s): "
          f"{args.output}" + (f", {args.xlsx}" if args.xlsx else ""))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from litsieve.importers import load_many
    from litsieve.report.export import write_export

    records = load_many(args.files, source=args.source)
    write_export(args.output, [(record, args.note) for record in records])
    print(f"wrote {len(records)} record(s) to {args.output}")
    return 0
