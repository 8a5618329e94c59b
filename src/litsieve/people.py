"""The files people edit in one review: which the protocol needs, and creating them.

Each stage describes its own files (:class:`litsieve.personfile.PersonFileSpec`) with a
``person_files(protocol)`` function; this module, above the stages, lists them all
(:func:`person_file_specs`) and creates the missing ones with their header only
(:func:`ensure_person_files`). The Snakefile calls it when it is parsed, so every person
file exists before any rule needs it and can be a rule input from the first run on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from litsieve.dedup import review as dedup_review
from litsieve.personfile import PersonFileSpec, person_csv_bytes
from litsieve.protocol import Paths, Protocol
from litsieve.report import extraction
from litsieve.screening import queue


def person_file_specs(protocol: Protocol) -> list[PersonFileSpec]:
    """Every file people edit that the protocol needs: duplicate reviews, screening queues
    and conflicts, the extraction sheet."""
    return [*dedup_review.person_files(protocol), *queue.person_files(protocol),
            *extraction.person_files(protocol)]


def people_folder(paths: Paths, root: str | os.PathLike[str] = ".") -> Path:
    """The folder of the files people edit (the protocol's ``paths.people`` under ``root``)."""
    return Path(root) / paths.people


def ensure_person_files(
    protocol: Protocol,
    root: str | os.PathLike[str] = ".",
    specs: Iterable[PersonFileSpec] | None = None,
) -> list[Path]:
    """Create each missing person file with its header (and the row saying what to type)
    only; never touch an existing one.

    Called when the Snakefile is parsed, so the files exist before any rule needs them
    and a rerun has nothing to do. Returns the files it created.
    """
    people = people_folder(protocol.paths, root)
    created: list[Path] = []
    for spec in specs if specs is not None else person_file_specs(protocol):
        path = spec.path(people)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        data = person_csv_bytes(spec.columns, [], generated=(), help=spec.help)
        try:
            with open(path, "xb") as handle:  # exclusive: never replace a file made meanwhile
                handle.write(data)
        except FileExistsError:
            continue
        created.append(path)
    return created
