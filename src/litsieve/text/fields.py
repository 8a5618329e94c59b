"""Field tags: the PubMed-style ``[tag]`` names reviewers already know, and the record
fields each one reads.

One table for every part of litsieve that reads a tag: criterion terms
(``editorial[pt]``, ``this review[ab]``), the query's field limits (``search.fields`` and
``[tiab]`` on a query term) and highlighting. The query language accepts the subset
databases can search (:data:`QUERY_TAGS`).
"""

from __future__ import annotations

FIELD_TAGS: dict[str, tuple[str, ...]] = {
    "ti": ("title",),
    "ab": ("abstract",),
    "tiab": ("title", "abstract"),
    "all": ("title", "abstract", "keywords"),
    "tw": ("title", "abstract", "keywords"),
    "kw": ("keywords",),
    "pt": ("publication_types",),
    "la": ("language",),
}
#: Tags a search string may use (every target database has an equivalent).
QUERY_TAGS: tuple[str, ...] = ("ti", "ab", "tiab", "all")
