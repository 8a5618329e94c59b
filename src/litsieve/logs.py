"""Send a rule's diagnostics to its log file, and what people must know to the terminal.

Snakemake ``script:`` entry points call :func:`rule_log` so that warnings and errors
land in the rule's ``log:`` file, and a failing rule says why in one readable line
instead of a traceback. Warnings are for people (an encoding guessed, a deleted row put
back, a source whose every record misses the query), and a rule's log is read by nobody,
so :func:`rule_log` also keeps them as the rule's *notices* beside its log
(``<log>.notices``), and the Snakefile prints the notices of the rules that ran at the end
of the run (:func:`print_notices`), whether it succeeded or failed.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import traceback
from pathlib import Path
from typing import Iterator

from litsieve.errors import FileAccessError, LitsieveError
from litsieve.fileio import atomic_write_text

LOGGER_NAME = "litsieve"
NOTICES_SUFFIX = ".notices"


def get_logger(name: str = "") -> logging.Logger:
    """The litsieve logger (or a child of it)."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


class _Notices(logging.Handler):
    """Keeps the text of every warning (in order, each once)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = " ".join(record.getMessage().split())
        if line not in self.lines:
            self.lines.append(line)


def notices_path(log: str | os.PathLike[str]) -> Path:
    return Path(f"{log}{NOTICES_SUFFIX}")


@contextlib.contextmanager
def rule_log(path: str | Path) -> Iterator[logging.Logger]:
    """Route stderr and litsieve's logging to ``path`` for the duration of a rule.

    A :class:`LitsieveError` (or an operating-system error about a file, turned into a
    :class:`FileAccessError`) is written to the log and echoed to the real stderr as one
    line, then the rule exits with status 1 so Snakemake stops with the message visible.
    Anything else is a litsieve bug: its traceback goes to the log, and the terminal gets
    one line saying so and where the traceback is. Warnings become the rule's notices.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    notices = _Notices()
    real_stderr = sys.stderr
    with open(path, "w", encoding="utf-8") as handle:
        handler = logging.StreamHandler(handle)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger = get_logger()
        logger.addHandler(handler)
        logger.addHandler(notices)
        logger.setLevel(logging.INFO)
        sys.stderr = handle
        try:
            yield logger
        except (LitsieveError, OSError) as exc:
            error = exc if isinstance(exc, LitsieveError) else FileAccessError.from_os_error(exc)
            handle.write(f"ERROR: {error}\n")
            handle.flush()
            print(f"litsieve: error: {error}", file=real_stderr)
            raise SystemExit(1) from None
        except Exception as exc:
            handle.write(traceback.format_exc())
            handle.flush()
            print(f"litsieve: internal error ({type(exc).__name__}: {exc}); this is a bug in litsieve, "
                  f"please report it with the traceback in {path}", file=real_stderr)
            raise SystemExit(1) from None
        finally:
            sys.stderr = real_stderr
            logger.removeHandler(handler)
            logger.removeHandler(notices)
            _write_notices(notices_path(path), notices.lines)


def _write_notices(path: Path, lines: list[str]) -> None:
    if lines:
        atomic_write_text(path, "".join(f"{line}\n" for line in lines))
    elif path.exists():
        path.unlink()


def run_notices(logs: str | os.PathLike[str], since: float) -> list[str]:
    """The notices of every rule that ran since ``since`` (a time stamp), each once."""
    folder = Path(logs)
    since = math.floor(since)  # file systems that keep whole seconds
    lines: list[str] = []
    if not folder.is_dir():
        return lines
    for path in sorted(folder.rglob(f"*{NOTICES_SUFFIX}")):
        if path.stat().st_mtime >= since:
            lines += [line for line in path.read_text(encoding="utf-8").splitlines()
                      if line and line not in lines]
    return lines


def print_notices(logs: str | os.PathLike[str], since: float) -> None:
    """The Snakefile's end of run: what the rules that ran warned about, for people to read."""
    lines = run_notices(logs, since)
    if lines:
        print("Warnings (also in the rules' logs under " + str(logs) + "):")
        print("\n".join(f"  - {line}" for line in lines))
