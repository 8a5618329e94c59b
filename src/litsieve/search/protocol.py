"""The protocol's search as the search area uses it: one reading, its limits, its translations.

Every search output (live snapshots, hand-search strings, the export check, the PRISMA-S
documentation) must use the same reading of the string and the same limits, so they are
all derived here from the protocol's ``search`` section through the query package.
"""

from __future__ import annotations

from litsieve.protocol import Search, Source
from litsieve.query.protocol import protocol_limits, protocol_query
from litsieve.query.translate import TARGETS, Translation, translate, translate_all


def translations(search: Search, *, file: str | None = None) -> dict[str, Translation]:
    """The protocol's intended query translated for every target database interface.

    Raises :class:`~litsieve.errors.QueryError` when the string is ambiguous and the
    protocol gives no ``intended_query``.
    """
    node = protocol_query(search, file=file)
    years, languages, fields = protocol_limits(search)
    return translate_all(node, years=years, languages=languages, fields=fields)


def source_translation(search: Search, source: Source) -> Translation | None:
    """The translation for the source's interface, with the thesaurus of its database
    (a MeSH heading is flagged for a PsycInfo search); ``None`` for an interface litsieve
    does not write."""
    if source.platform not in TARGETS:
        return None
    years, languages, fields = protocol_limits(search)
    return translate(protocol_query(search), source.platform, years=years, languages=languages,
                     fields=fields, database=source.database)


def describe_limits(search: Search) -> list[str]:
    """The protocol's limits in words, for the search documentation."""
    years, languages, fields = protocol_limits(search)
    out = [f"fields: {fields}"]
    if years:
        out.append(f"publication years: {years[0]}-{years[1]}")
    if languages:
        out.append(f"languages: {', '.join(languages)}")
    return out
