"""The ``litsieve`` command line.

Each area of litsieve owns its subcommands: a module with ``register(subparsers)`` that
adds its parser and sets ``func``. This module only dispatches and turns every error into
one clear line on stderr with a non-zero exit status: litsieve's own errors and the
operating system's about a file (missing, a folder, no permission) as they are, anything
else as a bug to report (``LITSIEVE_DEBUG=1`` shows its traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from litsieve import __version__
from litsieve.errors import FileAccessError, LitsieveError

# Modules that register subcommands, in the order `litsieve --help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "litsieve.importers.cli",
    "litsieve.query.cli",
    "litsieve.search.cli",
    "litsieve.dedup.cli",
    "litsieve.screening.cli",
    "litsieve.ranking.cli",
    "litsieve.report.cli",
)

EXIT_USER_ERROR = 2
EXIT_BUG = 70  # EX_SOFTWARE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="litsieve",
        description="Reproducible literature search and screening for systematic reviews.",
    )
    parser.add_argument("--version", action="version", version=f"litsieve {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USER_ERROR
    try:
        return int(args.func(args) or 0)
    except (LitsieveError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            return _closed_pipe()
        error = exc if isinstance(exc, LitsieveError) else FileAccessError.from_os_error(exc)
        print(f"litsieve {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("litsieve: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("LITSIEVE_DEBUG"):
            raise
        print(f"litsieve {args.command}: internal error ({type(exc).__name__}: {exc}); this is a bug in "
              "litsieve: please report it with the output of the same command run with LITSIEVE_DEBUG=1",
              file=sys.stderr)
        return EXIT_BUG


def _closed_pipe() -> int:
    """The reader stopped early (`litsieve status | head`): not an error of ours."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
