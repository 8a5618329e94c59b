"""``litsieve search ...``: run live searches on request, list snapshots, print strings to search by hand.

- ``litsieve search refresh [--config FILE] [--source NAME ...] [--replace]``: the only
  command that touches the network; searches the live sources and seals a dated snapshot
  per source (an interrupted run resumes when repeated).
- ``litsieve search show [--config FILE]``: every source, its snapshots or export files,
  and whether their checksums still hold.
- ``litsieve search strings [--config FILE] [--to DATABASE]``: the protocol's query
  translated for PubMed, Europe PMC, EBSCOhost and Ovid, to paste into interfaces without
  an open API (PsycINFO).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path
from typing import Iterator

from litsieve.config import DEFAULT_CONFIG
from litsieve.protocol import load_protocol
from litsieve.errors import SearchError
from litsieve.fileio import file_sha256
from litsieve.logs import get_logger
from litsieve.query.translate import TARGETS
from litsieve.search.snapshot import list_snapshots, read_manifest, verify_snapshot


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "search", help="live searches, frozen snapshots, strings to search by hand",
        description="Run the protocol's live searches (refresh), list frozen snapshots (show), "
                    "print the query translated for each database (strings).")
    commands = parser.add_subparsers(dest="search_command", metavar="ACTION")

    refresh = commands.add_parser(
        "refresh", help="search the live sources now and freeze dated snapshots (needs the network)",
        description="Search every `method: live` source (or the named ones) and write "
                    "<paths.snapshots>/<source>/<YYYY-MM-DD>/. NCBI_API_KEY and NCBI_EMAIL are read "
                    "from the environment and never written; LITSIEVE_EUTILS_URL and "
                    "LITSIEVE_EUROPEPMC_URL override the services' base URLs. Repeat after an "
                    "interruption: the fetch resumes.")
    refresh.add_argument("--config", default=str(DEFAULT_CONFIG), help="protocol file (default: %(default)s)")
    refresh.add_argument("--source", action="append", metavar="NAME", help="only this source (repeatable)")
    refresh.add_argument("--replace", action="store_true", help="overwrite a snapshot taken earlier today")
    refresh.set_defaults(func=run_refresh)

    show = commands.add_parser("show", help="list each source's snapshots or export files and check checksums")
    show.add_argument("--config", default=str(DEFAULT_CONFIG), help="protocol file (default: %(default)s)")
    show.set_defaults(func=run_show)

    strings = commands.add_parser("strings", help="print the query for databases searched by hand")
    strings.add_argument("--config", default=str(DEFAULT_CONFIG), help="protocol file (default: %(default)s)")
    strings.add_argument("--to", choices=TARGETS, action="append", help="only this database interface")
    strings.set_defaults(func=run_strings)
    parser.set_defaults(func=lambda args: (parser.print_help(sys.stderr), 2)[1])


@contextlib.contextmanager
def _log_to_stderr() -> Iterator[None]:
    """Show the search's progress messages (retries, slices, resume) on stderr while it runs."""
    logger = get_logger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def run_refresh(args: argparse.Namespace) -> int:
    from litsieve.search.refresh import live_sources, refresh_source

    protocol = load_protocol(args.config)
    sources = live_sources(protocol, args.source)
    if not sources:
        raise SearchError("the protocol has no `method: live` source", file=args.config, field="sources",
                          hint="set `method: live` (platform pubmed or europepmc) on a source to search it live")
    with _log_to_stderr():
        for source in sources:
            folder = refresh_source(protocol, source, replace=args.replace)
            manifest = read_manifest(folder)
            print(f"{source.name}: {manifest['records']} records (reported {manifest['count_reported']}) "
                  f"frozen in {folder}; commit this folder with the review")
    return 0


def run_show(args: argparse.Namespace) -> int:
    protocol = load_protocol(args.config)
    root = protocol.paths.snapshots
    problems = 0
    for source in protocol.sources:
        name, method = source.name, source.method
        print(f"{name} ({source.database}, {source.platform}, {method})")
        if method == "live":
            found = list_snapshots(root, name)
            if not found:
                print(f"  no snapshot yet: run `litsieve search refresh --source {name}`")
                problems += 1
            pinned = source.snapshot
            chosen = pinned or (found[-1].name if found else None)
            for folder in found:
                manifest = read_manifest(folder)
                try:
                    verify_snapshot(folder, manifest)
                    state = "checksums ok"
                except SearchError as exc:
                    state = f"CHANGED: {exc.location.file}"
                    problems += 1
                mark = "*" if folder.name == chosen else " "
                print(f" {mark}{folder}: {manifest.get('records')} records, {manifest.get('count_reported')} "
                      f"reported, fetched {manifest.get('started_at')}, {state}")
            partial = Path(root) / name / ".partial"
            if partial.exists():
                print(f"  an interrupted fetch waits in {partial}: `litsieve search refresh --source {name}` resumes it")
        else:
            print(f"  searched on {source.searched_on or 'NOT GIVEN (add searched_on)'}")
            for path in source.files:
                if Path(path).exists():
                    print(f"  {path}  sha256 {file_sha256(path)}")
                else:
                    print(f"  {path}  MISSING")
                    problems += 1
    return 1 if problems else 0


def run_strings(args: argparse.Namespace) -> int:
    from litsieve.search.protocol import translations

    found = translations(load_protocol(args.config).search, file=args.config)
    chosen = args.to or list(TARGETS)
    print("\n".join(found[target].report() for target in chosen).rstrip())
    return 0
