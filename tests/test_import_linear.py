"""Every reader stays linear in its input (issue 16, item 13), and damage is named (item 15).

Each input below is a few hundred kilobytes shaped to make a quadratic step show: a run
of spaces where a regular expression could backtrack, a value continued over tens of
thousands of lines, thousands of separators in one cell. Linear code reads each in well
under a second; a quadratic step needs minutes (a 50 KB BibTeX field name with a run of
spaces took 11.7 s, a 500 KB author cell of spaces over 30 s). The limit is generous on
purpose: the test is for the order of growth, not for speed.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

import pytest

from litsieve.errors import ImportFormatError
from litsieve.importers import load
from litsieve.importers.encoding import decode
from litsieve.record import normalize_doi

LIMIT = 10.0  # seconds; a quadratic step on these inputs takes minutes
N = 200_000


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    try:
        action()
    except ImportFormatError:
        pass  # refusing damaged input is fine; taking minutes to do it is not
    return time.perf_counter() - started


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


INPUTS: dict[str, Callable[[], str]] = {
    "bibtex field name then spaces": lambda: "@article{k,\n  title" + " " * N + "\n}\n",
    "bibtex field name spaces then =": lambda: "@article{k,\n  title" + " " * N + "= {A}}\n",
    "bibtex braced authors": lambda: "@article{k, title={T}, author={" + "{A} and " * (N // 8)
    + "B}}\n",
    "bibtex accents over spaces": lambda: "@article{k, title={" + "\\' " * (N // 3) + "}}\n",
    "bibtex many entries closed early": lambda: "@article{k, title={T}},\n" * (N // 25),
    "csv author cell of spaces": lambda: 'Title,Authors\nA,"Smith' + " " * N + 'J"\n',
    "csv author cell spaces and comma": lambda: 'Title,Authors\nA,"Smith J,' + " " * N + 'x"\n',
    "csv author cell glued": lambda: 'Title,Authors\nA,"' + "aB" * N + '"\n',
    "csv author cell dotted": lambda: 'Title,Authors\nA,"' + "Chen R." * (N // 7) + '"\n',
    "csv author commas": lambda: 'Title,Authors\nA,"' + "Smith J, " * (N // 9) + '"\n',
    "csv keywords": lambda: 'Title,Keywords\nA,"' + "".join(f"k{i}; " for i in range(N // 2))
    + '"\n',
    "csv keyword parentheses": lambda: 'Title,Keywords\nA,"' + "(a, " * (N // 4) + '"\n',
    "csv long rows": lambda: "Title,Year,Journal\n" + "A,2001,J,x\n" * (N // 10),
    "csv markup": lambda: 'Title,Abstract\nA,"' + "<i " * (N // 3) + '"\n',
    "ris folded abstract": lambda: "TY  - JOUR\nTI  - T\nAB  - a\n" + "   more text\n" * (N // 10)
    + "ER  - \n",
    "ris stray tags": lambda: "TY  - JOUR\nTI  - T\nER  - \n" + "NL  - J\n" * (N // 8),
    "medline folded abstract": lambda: "PMID- 1\nTI  - T\nAB  - a\n" + "      more\n" * (N // 11),
    "wos folded abstract": lambda: "FN Clarivate\nVR 1.0\nPT J\nTI T\nAB a\n" + "   more\n" * (N // 8)
    + "ER\nEF\n",
    "ovid unindented continuation": lambda: "<1. >\nVN  - Ovid Technologies\nUI  - 1\nTI  - T\n"
    "AB  - a\n" + "More text.\n" * (N // 11),
}
SUFFIX = {"bibtex": ".bib", "csv": ".csv", "ris": ".ris", "medline": ".txt", "wos": ".txt",
          "ovid": ".txt"}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_reader_is_linear(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, "input" + SUFFIX[name.split()[0]], INPUTS[name]())
    assert _timed(lambda: load(path)) < LIMIT


def test_doi_normalisation_is_linear() -> None:
    assert _timed(lambda: normalize_doi("10.1000/" + ")" * N)) < LIMIT
    assert _timed(lambda: normalize_doi("10.1000/a" + "(" * N + ")" * N)) < LIMIT


def test_extra_closing_brace_is_named_and_the_fields_after_it_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path, "extra.bib", "@article{k,\n  title = {Peer support}},\n"
                  "  author = {Doe, Jane},\n  year = {2001}\n}\n@article{j, title={Next}}\n")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        first, second = load(path)
    assert "line 2: an extra '}' ends the entry that starts on line 1" in caplog.text
    assert (first.title, first.authors, first.year) == ("Peer support", ["Doe, Jane"], 2001)
    assert second.title == "Next"


def test_bad_utf8_byte_is_treated_alike_with_or_without_bom(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = "TY  - JOUR\nTI  - Caf\u00e9 na\u00efve\n".encode() + b"AB  - bad \xff byte\nER  - \n"
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        plain = decode(data, "plain.ris")
        with_bom = decode(b"\xef\xbb\xbf" + data, "bom.ris")
    assert plain == with_bom  # same text, same encoding name
    assert "plain.ris: not valid UTF-8 (first bad byte on line 3)" in caplog.text
    assert "bom.ris: not valid UTF-8 (first bad byte on line 3)" in caplog.text


def test_damaged_utf16_is_read_with_a_warning_naming_the_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = "TY  - JOUR\nTI  - One\n".encode("utf-16-le") + b"\x00\xd8" + "\nER  - \n".encode(
        "utf-16-le")
    with caplog.at_level(logging.WARNING, logger="litsieve"):
        text, _ = decode(b"\xff\xfe" + data, "u16.ris")
    assert text.startswith("TY  - JOUR\nTI  - One\n")
    assert "u16.ris: not valid utf-16 (first bad bytes on line 3)" in caplog.text
