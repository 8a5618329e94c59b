"""``litsieve status``, ``litsieve screen check FILE``, and (from their own modules)
``litsieve suggest`` and ``litsieve criteria``.

``status`` prints what the last workflow run computed (per stage and screener: done,
waiting; open conflicts; agreement; which files wait for whom) and says so when a person
file was saved after that run. ``screen check`` lets a screener check their file before
telling the reviewer: it applies exactly the checks the workflow applies.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from litsieve.config import DEFAULT_CONFIG
from litsieve.protocol import load_protocol
from litsieve.errors import ScreeningFileError
from litsieve.people import people_folder, person_file_specs
from litsieve.personfile import WORKBOOK_SUFFIXES, read_person_state
from litsieve.screening import criteria_cli, suggest_cli
from litsieve.serve import cli as serve_cli
from litsieve.screening.decisions import read_decisions
from litsieve.screening.queue import STAGES, reason_names
from litsieve.screening.status import changed_since, load_summary, summary_lines


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    suggest_cli.register(subparsers)
    criteria_cli.register(subparsers)

    status = subparsers.add_parser(
        "status",
        help="screening progress: done and waiting per stage and screener",
        description="Print, per screening stage and screener, how many records are done and how "
        "many wait, open conflicts, agreement, and which files are waiting for people "
        "(as of the last `snakemake` run).",
    )
    status.add_argument("--results", default="results", metavar="DIR", help="results folder (default: results)")
    status.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                        help="protocol, to find the person files (default: config/config.yaml)")
    status.add_argument("--json", action="store_true", help="print status.json as it is")
    status.set_defaults(func=run_status)

    screen = subparsers.add_parser("screen", help="check a screening file; open the screening page")
    actions = screen.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="check a queue or conflicts file the way the workflow will",
        description="Read a file people edit (queue, conflicts) as the workflow does and report "
        "the first problem with its row and column, or how many rows are decided.",
    )
    check.add_argument("file", metavar="FILE", help="e.g. screening/title_abstract/ana.csv")
    check.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                       help="protocol (default: config/config.yaml)")
    check.set_defaults(func=run_check)
    serve_cli.register(actions)


def run_status(args: argparse.Namespace) -> int:
    loaded = load_summary(args.results)
    if loaded is None:
        print(f"no screening status yet ({args.results}/screening/status.json): run `snakemake` first",
              file=sys.stderr)
        return 1
    status, agreement = loaded
    if args.json:
        print(json.dumps(status, indent=2, sort_keys=True))
        return 0
    print("\n".join(summary_lines(status, agreement)))
    config_path = Path(args.config)
    if config_path.exists():
        protocol = load_protocol(config_path)
        people = people_folder(protocol.paths, config_path.resolve().parent.parent)
        files = [spec.path(people) for spec in person_file_specs(protocol)]
        stale = changed_since(Path(args.results) / "screening" / "status.json", files)
        if stale:
            print("Saved since the last run (run `snakemake` to update): "
                  + ", ".join(str(p.relative_to(people.parent)) for p in stale))
    return 0


def run_check(args: argparse.Namespace) -> int:
    config_path = Path(args.config)
    protocol = load_protocol(config_path)
    people = people_folder(protocol.paths, config_path.resolve().parent.parent)
    given = Path(args.file)
    # A queue saved as a workbook (ana.xlsx) is checked as the queue it stands for.
    target = (given.with_suffix(".csv") if given.suffix in WORKBOOK_SUFFIXES else given).resolve()
    for spec in person_file_specs(protocol):
        if spec.path(people).resolve() == target:
            break
    else:
        raise ScreeningFileError(
            "not one of the review's person files", file=args.file,
            hint=f"give a file under {people}/ (a queue, a conflicts file, duplicates.csv or extraction.csv)",
        )
    person = read_person_state(people, spec)
    table = person.table
    stage = next((s for s in STAGES if spec.relative.startswith(s) or spec.relative == f"conflicts/{s}.csv"), "")
    column = "resolution" if "resolution" in spec.columns else "decision"
    if stage:
        read_decisions(table.rows, spec, stage, reason_names(protocol.criteria), decision_column=column,
                       path=str(table.path))
    decided = sum(1 for row in table.rows if row.get(column).strip())
    print(f"{args.file}: OK, {len(table.rows)} rows, {decided} with a {column}, "
          f"{len(table.rows) - decided} without")
    for line in person.problems():  # what the next run will do about it, and the way back
        print(f"  note: {line}")
    return 0
