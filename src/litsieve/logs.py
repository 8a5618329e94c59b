"""Send a rule's diagnostics to its log file.

Snakemake ``script:`` entry points call :func:`rule_log` so that warnings and errors
land in the rule's ``log:`` file, and a failing rule says why in one readable line
instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path
from typing import Iterator

from litsieve.errors import LitsieveError

LOGGER_NAME = "litsieve"


def get_logger(name: str = "") -> logging.Logger:
    """The litsieve logger (or a child of it)."""
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


@contextlib.contextmanager
def rule_log(path: str | Path) -> Iterator[logging.Logger]:
    """Route stderr and litsieve's logging to ``path`` for the duration of a rule.

    A :class:`LitsieveError` is written to the log and also echoed to the real stderr,
    then the rule exits with status 1 so Snakemake stops with the message visible.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    real_stderr = sys.stderr
    with open(path, "w", encoding="utf-8") as handle:
        handler = logging.StreamHandler(handle)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger = get_logger()
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        sys.stderr = handle
        try:
            yield logger
        except LitsieveError as exc:
            handle.write(f"ERROR: {exc}\n")
            handle.flush()
            print(f"litsieve: error: {exc}", file=real_stderr)
            raise SystemExit(1) from None
        finally:
            sys.stderr = real_stderr
            logger.removeHandler(handler)
