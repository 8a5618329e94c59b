"""Streaming untrusted XML safely, one record element at a time.

Exports are parsed with ``defusedxml`` (no entity expansion, no external entities or
DTD fetching), element by element so a 100,000-record file never sits in memory as one
tree, and every parser failure becomes an :class:`ImportFormatError` naming the line.
"""

from __future__ import annotations

import io
from typing import Iterator
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from litsieve.errors import ImportFormatError
from litsieve.importers import fields as F
from litsieve.importers.encoding import ExportFile


def iter_elements(
    export: ExportFile, record_tags: frozenset[str], root_tags: frozenset[str], what: str
) -> Iterator[Element]:
    """Yield each complete record element (``record_tags``) of a document whose root is
    one of ``root_tags``; the element is cleared after the consumer is done with it."""
    stream = io.BytesIO(export.xml_bytes())
    events = SafeET.iterparse(stream, events=("start", "end"))
    root_checked = False
    try:
        for event, element in events:
            if not root_checked:
                root_checked = True
                if _local(element.tag) not in root_tags:
                    raise ImportFormatError(
                        f"root element is <{_local(element.tag)}>, not {what}",
                        file=export.path, line=1,
                        hint=f"expected <{'> or <'.join(sorted(root_tags))}>",
                    )
            if event == "end" and _local(element.tag) in record_tags:
                yield element
                element.clear()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        reason = str(exc).split(":")[0]
        raise ImportFormatError(
            f"not well-formed XML ({reason}); the file is damaged or truncated",
            file=export.path, line=line, hint="export or download the file again",
        ) from None
    except DefusedXmlException as exc:
        raise ImportFormatError(
            f"the XML declares entities or external references ({type(exc).__name__}); "
            "refused because they can expand without bound or read other files",
            file=export.path, line=_line_of(export, "<!ENTITY"),
            hint="exports from PubMed and EndNote never need them; export the file again",
        ) from None


def text(element: Element | None) -> str:
    """All text inside ``element``, markup such as ``<i>`` or MathML included, cleaned."""
    if element is None:
        return ""
    return F.clean("".join(element.itertext()))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _line_of(export: ExportFile, needle: str) -> int | None:
    position = export.text.find(needle)
    return export.text.count("\n", 0, position) + 1 if position >= 0 else None
