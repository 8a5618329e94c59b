"""The tests' own protocols (``tests/data/protocols/``).

Tests never read the user's ``config/config.yaml``: a review team edits that file, and
their edits must not break ``make test`` (``conftest.py`` fails any test that opens it).
``demo.yaml`` is the demo review's protocol as the tests know it; tests copy and change
the mapping, then build the typed model with :func:`protocol`.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from litsieve.protocol import Protocol, parse_protocol

PROTOCOLS = Path(__file__).resolve().parent / "data" / "protocols"
DEMO = PROTOCOLS / "demo.yaml"


@lru_cache(maxsize=None)
def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def demo_mapping() -> dict[str, Any]:
    """A fresh copy of the demo protocol as YAML gives it (change it freely)."""
    return copy.deepcopy(_read(DEMO))


@lru_cache(maxsize=None)
def demo_protocol() -> Protocol:
    return parse_protocol(_read(DEMO), source=str(DEMO))


def protocol(mapping: dict[str, Any]) -> Protocol:
    """A protocol mapping validated (defaults filled) and built into the typed model."""
    return parse_protocol(mapping)


def minimal_mapping(**sections: Any) -> dict[str, Any]:
    """The smallest valid protocol, with ``sections`` replacing its parts."""
    base: dict[str, Any] = {
        "review": {"title": "A review"},
        "search": {"query": "peer support"},
        "sources": [{"name": "pubmed", "database": "pubmed", "platform": "pubmed", "files": ["x.txt"]}],
    }
    base.update(sections)
    return base


def write_protocol(path: Path, mapping: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def search_section(**search: Any) -> Any:
    """The typed ``search`` section of a minimal protocol with these keys."""
    return protocol(minimal_mapping(search=search)).search


def source_entry(**entry: Any) -> Any:
    """One typed source, as the protocol's ``sources:`` would hold it (defaults filled)."""
    return protocol(minimal_mapping(sources=[entry])).sources[0]
