"""``litsieve criteria``: the concepts criteria can name, and how well criteria do on a labelled set.

``criteria concepts`` lists the concepts litsieve ships (and a protocol's own, with
``--config``), each with what it means: what a reviewer picks from when writing criteria.
``criteria validate CASES.yaml...`` applies a protocol's criteria to a validation set
(tests/data/validation/README.md) and prints, per exclusion criterion, the precision and
recall of ``exclude`` (docs/criteria.md quotes these figures); ``--min-precision`` makes it
fail when a criterion falls below the bar.
"""

from __future__ import annotations

import argparse
import sys

from litsieve.config import DEFAULT_CONFIG, load_config
from litsieve.protocol import load_protocol


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("criteria", help="concepts for criteria; criteria scored on a labelled set",
                                   description="Concepts the protocol's criteria can name, and the criteria's "
                                               "precision and recall on a validation set.")
    commands = parser.add_subparsers(dest="criteria_command", metavar="COMMAND", required=True)
    concepts = commands.add_parser("concepts", help="list the concepts criteria can name")
    concepts.add_argument("--config", default=None, metavar="PATH",
                          help="also a protocol's own concepts (its `concepts:` section)")
    concepts.set_defaults(func=run_concepts)
    validate = commands.add_parser("validate", help="precision and recall of exclude on a labelled set")
    validate.add_argument("cases", nargs="+", metavar="CASES.yaml")
    validate.add_argument("--config", default=str(DEFAULT_CONFIG), metavar="PATH",
                          help="the protocol (default: %(default)s)")
    validate.add_argument("--min-precision", type=float, default=None, metavar="P",
                          help="exit with status 1 if a criterion's precision of exclude is below P")
    validate.add_argument("--list", action="store_true", help="also list every record not suggested as expected")
    validate.set_defaults(func=run_validate)


def run_concepts(args: argparse.Namespace) -> int:
    from litsieve.concepts import concepts

    overrides = load_config(args.config).get("concepts") if args.config else None
    for name, concept in sorted(concepts(overrides).items(), key=lambda kv: (kv[1].type, kv[0])):
        print(f"{concept.type:12} {name:28} {concept.about}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from litsieve.screening.validation import load_cases, validate

    result = validate(load_cases(args.cases), load_protocol(args.config).criteria)
    print(result.report())
    if args.list:
        for scored in result.scored:
            if not scored.as_expected or scored.wrong_exclude:
                case, got = scored.case, scored.suggestion
                print(f"{case.record.record_id}: {case.decision}, expected {'/'.join(case.expect)}, "
                      f"got {got.suggestion} ({got.why})")
    low = [f for f in result.criteria if f.precision is not None and args.min_precision is not None
           and f.precision < args.min_precision]
    for figures in low:
        print(f"litsieve criteria validate: {figures.criterion} precision {figures.precision:.2f} "
              f"is below {args.min_precision}", file=sys.stderr)
    return 1 if low else 0
