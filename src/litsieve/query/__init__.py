"""The review's search string: parse, lint, explain, translate and evaluate locally.

The string reviewers write (``Peer support OR "mental well*"``) is parsed once into a tree
(:mod:`litsieve.query.parser`); every other use of the query works on that tree, so the
databases' translations, the lint report and the local match all agree on one reading.
"""

from litsieve.query.parser import (
    Ambiguous,
    And,
    Node,
    Not,
    Or,
    Term,
    parse,
    readings,
    render,
    resolve,
)

__all__ = [
    "Ambiguous",
    "And",
    "Node",
    "Not",
    "Or",
    "Term",
    "parse",
    "readings",
    "render",
    "resolve",
]
