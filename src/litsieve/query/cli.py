"""``litsieve query lint|explain|translate|match`` (forms fixed by DESIGN.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from litsieve.config import DEFAULT_CONFIG
from litsieve.protocol import load_protocol
from litsieve.errors import QueryError
from litsieve.query.lint import (
    concept_reading,
    format_report,
    has_errors,
    lint,
    render_quoted,
    resolve_by_concept,
)
from litsieve.query.match import Matcher, format_summary, match_records, summarise, write_matches
from litsieve.query.parser import (
    CONVENTION_LABELS,
    FIELDS,
    PRECEDENCE,
    Node,
    ambiguities,
    outline,
    parse,
    render,
    resolve,
    shape,
)
from litsieve.query.protocol import protocol_query
from litsieve.query.translate import TARGETS, parse_years, translate

EXIT_LINT_ERRORS = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "query", help="lint, explain, translate or evaluate a search string",
        description="Work with the review's search string (see docs/query.md).")
    commands = parser.add_subparsers(dest="query_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _missing_subcommand(parser))

    p = commands.add_parser("lint", help="report problems, with positions; exit 1 on errors")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(func=_lint)

    p = commands.add_parser("explain", help="print the query fully parenthesised and as a tree")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(func=_explain)

    p = commands.add_parser("translate", help="write the query in a database's syntax")
    p.add_argument("--to", required=True, choices=TARGETS, dest="target")
    p.add_argument("--database", help=("the database searched on that interface (psycinfo, cinahl, embase, "
                                       "medline): subject headings from another thesaurus are flagged"))
    _add_limits(p)
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(func=_translate)

    p = commands.add_parser("match", help="evaluate the query over exported records")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv")
    p.add_argument("--format", dest="fmt", help="format of the files (detected when absent)")
    p.add_argument("--source", help="source name for the records' ids")
    _add_limits(p)
    p.set_defaults(func=_match)


def _add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=_years, metavar="START-END", help="e.g. 1990-2017")
    parser.add_argument("--language", action="append", default=[], dest="languages",
                        help="e.g. english (repeat for several)")
    parser.add_argument("--fields", default="tiab", choices=FIELDS,
                        help="fields for terms without a field tag (default tiab)")
    parser.add_argument("--reading", choices=(*PRECEDENCE, "concept"),
                        help=("for a string that mixes AND/OR without parentheses: read it as this "
                              "database does, or by concept (synonyms OR-ed, concepts AND-ed)"))
    parser.add_argument("--config", metavar="CONFIG",
                        help=("protocol whose search.intended_query resolves an ambiguous string "
                              f"equal to its search.query (default {DEFAULT_CONFIG} when it exists)"))


def _years(value: str) -> tuple[int, int]:
    try:
        return parse_years(value)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message} ({exc.hint})") from None


def _missing_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _lint(args: argparse.Namespace) -> int:
    findings = lint(args.query)
    sys.stdout.write(format_report(args.query, findings))
    return EXIT_LINT_ERRORS if has_errors(findings) else 0


def _explain(args: argparse.Namespace) -> int:
    tree = parse(args.query)
    chains = ambiguities(tree)
    out = []
    if chains:
        out.append("The query mixes operators without parentheses; each database reads it differently:")
        for name in PRECEDENCE:
            out.append(f"  {CONVENTION_LABELS[name]}: {render(resolve(tree, name))}")
        out.append("  Grouped by concept (synonyms OR-ed, concepts AND-ed): "
                   + render_quoted(resolve_by_concept(tree)))
        out.append("")
        out.append("Tree as written (the ambiguous chain kept flat):")
    else:
        out.append(render(tree))
        out.append("")
    out += outline(tree)
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _unambiguous(args: argparse.Namespace) -> Node:
    """The tree to run: as written, or resolved by --reading or by the protocol's intended query."""
    tree = parse(args.query)
    chains = ambiguities(tree)
    if not chains:
        return tree
    if args.reading == "concept":
        return resolve_by_concept(tree)
    if args.reading:
        return resolve(tree, args.reading)
    config_path = Path(args.config) if args.config else DEFAULT_CONFIG
    if args.config or config_path.exists():
        search = load_protocol(config_path).search
        if search.intended_query and shape(parse(search.query)) == shape(tree):
            print(f"litsieve query: reading the string as search.intended_query in {config_path}: "
                  f"{search.intended_query}", file=sys.stderr)
            return protocol_query(search, file=str(config_path))
    readings = "; ".join(f"{CONVENTION_LABELS[name]}: {render(resolve(chains[0], name))}" for name in PRECEDENCE)
    raise QueryError(
        f"the string mixes AND/OR without parentheses, so databases read it differently ({readings})",
        field="QUERY",
        hint=("add parentheses, e.g. " + concept_reading(chains[0]) + ", or choose a reading with "
              "--reading {pubmed,ebsco,ovid,concept}, or give the protocol that has its intended_query "
              "with --config"),
    )


def _translate(args: argparse.Namespace) -> int:
    tree = _unambiguous(args)
    translation = translate(tree, args.target, years=args.years, languages=args.languages,
                            fields=args.fields, database=args.database)
    sys.stdout.write(translation.report())
    return 0


def _match(args: argparse.Namespace) -> int:
    from litsieve.importers import load_many

    matcher = Matcher(_unambiguous(args), fields=args.fields, years=args.years, languages=args.languages)
    records = load_many(args.files, fmt=args.fmt, source=args.source)
    rows = match_records(matcher, records)
    write_matches(args.output, rows)
    sys.stdout.write(format_summary(summarise(rows)))
    return 0
