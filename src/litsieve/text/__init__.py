"""The text layer: how litsieve compares words, in one place.

- :mod:`.fold`: Unicode folding (case, diacritics, ligatures, dashes) with offsets back
  to the original text;
- :mod:`.terms`: terms and phrases with ``*`` truncation, compiled once and matched over
  folded text, reporting spans of the original;
- :mod:`.fields`: the ``[tag]`` field names and the record fields they read;
- :mod:`.languages`: the one table of language names and ISO 639 codes.

The query (checking exports against the search string), the eligibility criteria,
keyword highlighting and the importers' language normalisation all use it, so a term or
a language means the same everywhere. It imports nothing else from litsieve but errors.
"""

from litsieve.text.fields import FIELD_TAGS, QUERY_TAGS
from litsieve.text.fold import Folded, fold
from litsieve.text.languages import LANGUAGES, bibliographic_code, language_name, language_names
from litsieve.text.terms import (
    ADJACENT, WILDCARDS, FieldText, Pattern, Span, Term, compile_near, compile_pattern, compile_term, split_form,
    within,
)

__all__ = [
    "ADJACENT", "FIELD_TAGS", "FieldText", "Folded", "LANGUAGES", "Pattern", "QUERY_TAGS", "Span", "Term",
    "WILDCARDS", "bibliographic_code", "compile_near", "compile_pattern", "compile_term", "fold",
    "language_name", "language_names", "split_form", "within",
]
