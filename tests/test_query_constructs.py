"""Subject headings, proximity, wildcards, field tags and numbered lines: parsed, linted,
translated per target (with the stated approximation where a target lacks a construct),
matched locally, and real published strategies (tests/data/strategies/README.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from protocols import demo_mapping, protocol
from litsieve.cli import main
from litsieve.query.lint import lint
from litsieve.query.match import Matcher
from litsieve.query.parser import Heading, Near, headings, parse, render, shape, terms, walk
from litsieve.query.protocol import meaning_differences
from litsieve.query.translate import TARGETS, translate
from litsieve.record import Record
from litsieve.records_io import write_records
from litsieve.search.check import check_export
from litsieve.search.strategy import write_search_strategy

STRATEGIES = Path(__file__).parent / "data" / "strategies"


def strategy(name: str) -> str:
    return (STRATEGIES / name).read_text(encoding="utf-8")


def codes(text: str) -> list[str]:
    return [f.code for f in lint(text)]


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, explode, major, qualifiers, thesaurus", [
    ('"Acne Vulgaris"[Mesh]', True, False, (), "mesh"),
    ("acne vulgaris[mh]", True, False, (), "mesh"),
    ('"Acne Vulgaris"[mh:noexp]', False, False, (), "mesh"),
    ('"Acne Vulgaris"[majr]', True, True, (), "mesh"),
    ('"Acne Vulgaris/drug therapy"[majr:noexp]', False, True, ("drug therapy",), "mesh"),
    ("exp Acne Vulgaris/", True, False, (), None),
    ("Acne Vulgaris/", False, False, (), None),
    ("exp *Acne Vulgaris/dt,th [Drug Therapy, Therapy]", True, True, ("drug therapy", "therapy"), None),
    ("Acne Vulgaris.sh.", False, False, (), None),
    ('(MH "Acne Vulgaris+")', True, False, (), None),
    ('MH "Acne Vulgaris"', False, False, (), None),
    ('MM "Acne Vulgaris/DT+"', True, True, ("drug therapy",), None),
    ('DE "Peer Counseling"', False, False, (), None),
    ('MESH:"Acne Vulgaris"', True, False, (), "mesh"),
])
def test_subject_headings_in_each_syntax(text, explode, major, qualifiers, thesaurus):
    heading = parse(text)
    assert isinstance(heading, Heading), heading
    assert heading.name.lower() in ("acne vulgaris", "peer counseling")
    assert (heading.explode, heading.major, heading.qualifiers, heading.thesaurus) == (
        explode, major, qualifiers, thesaurus)
    assert shape(parse(render(heading))) == shape(heading)


@pytest.mark.parametrize("text", ["therapy[sh]", '"drug therapy"[sh]', "dt.fs."])
def test_floating_subheadings(text):
    heading = parse(text)
    assert isinstance(heading, Heading) and heading.floating
    assert heading.qualifiers[0] in ("therapy", "drug therapy")


@pytest.mark.parametrize("text, distance, ordered", [
    ("smok* adj3 cessation", 2, False),  # Ovid adjN: N-1 words between, any order
    ("smok* adj cessation", 0, True),  # Ovid adj: next to each other, in order
    ("smok* N3 cessation", 3, False),  # EBSCOhost Nn
    ("smok* W3 cessation", 3, True),  # EBSCOhost Wn
    ("smok* NEAR/3 cessation", 3, False),  # Web of Science, Cochrane Library
    ("smok* W/3 cessation", 3, False),  # Scopus
    ("smok* PRE/3 cessation", 3, True),  # Scopus
    ('"smoking cessation"[tiab:~3]', 3, False),  # PubMed
])
def test_proximity_operators_normalised_to_words_between(text, distance, ordered):
    near = parse(text)
    assert isinstance(near, Near)
    assert (near.distance, near.ordered) == (distance, ordered)
    assert shape(parse(render(near))) == shape(near)


def test_proximity_takes_or_groups_and_a_field_on_the_group():
    near = parse("((smok* or tobacco) adj3 (cessation or quit*)).ti,ab.")
    assert isinstance(near, Near)
    assert {t.field for t in terms(near)} == {"tiab"}
    assert [t.text for t in terms(near)] == ["smok*", "tobacco", "cessation", "quit*"]


def test_proximity_is_not_a_phrase_anywhere():
    for target in TARGETS:
        text = translate(parse("smok* adj3 cessation"), target).text
        assert '"smok* adj3 cessation"' not in text and '"smok* cessation"' not in text


@pytest.mark.parametrize("text, code", [
    ('"Acne Vulgaris"[mh] NEAR/3 acne', "proximity-operand"),
    ("smoking[ti] NEAR/3 cessation[ab]", "proximity-fields"),
    ("a adj3 b W2 c", "proximity-chain"),
    ("x$2", "limited-truncation"),
    ("1990-20x[dp]", "unknown-date"),
])
def test_constructs_that_cannot_be_searched_are_errors(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text, canonical", [
    ("wom?n", "wom?n"),  # EBSCOhost: ? is one character
    ("behavio#r", "behavio#r"),  # EBSCOhost: # is none or one
    ("wom#n.ti,ab.", "wom?n"),  # Ovid: # is one character
    ("behavio?r.ti,ab.", "behavio#r"),  # Ovid: ? is none or one
    ("smok$.ti,ab.", "smok*"),  # Ovid: $ is truncation
])
def test_wildcards_are_read_in_the_strings_own_convention(text, canonical):
    assert terms(parse(text))[0].text == canonical
    assert "wildcard-meaning" in codes(text) or "?" not in canonical + text and "#" not in canonical + text


@pytest.mark.parametrize("text, field", [
    ("x[tw]", "tw"), ("review[pt]", "pt"), ("english[la]", "la"), ("2010:2017[dp]", "dp"),
    ("x.ti.", "ti"), ("x.ab.", "ab"), ("x.ti,ab.", "tiab"), ("x.tw.", "tiab"), ("x.mp.", "all"),
    ("TI x", "ti"), ("AB x", "ab"), ("TX x", "all"), ("review.pt.", "pt"),
])
def test_field_tags(text, field):
    assert terms(parse(text))[0].field == field


def test_numbered_lines_with_references_limits_and_combinations():
    text = ("1 exp Acne Vulgaris/\n2 acne.ti,ab.\n3 or/1-2\n4 (topical adj3 treat*).ti,ab.\n5 3 and 4\n"
            '6 limit 5 to (english language and yr="1990 - 2017")')
    tree = parse(text)
    assert render(tree) == ('((MH "Acne Vulgaris+" OR acne[tiab]) AND (topical[tiab] NEAR/2 treat*[tiab]) '
                            "AND english[la] AND 1990:2017[dp])")
    ebsco = parse('S1 (MH "Acne Vulgaris+")\nS2 TI acne OR AB acne\nS3 S1 OR S2')
    assert render(ebsco) == '(MH "Acne Vulgaris+" OR acne[ti] OR acne[ab])'
    assert "unknown-line" in codes("1 acne.ti,ab.\n2 1 or 3")


# --------------------------------------------------------------------------- translation per target

CONSTRUCTS = [
    # (query, target, expected text, approximated)
    ('"Acne Vulgaris"[Mesh]', "pubmed", '"Acne Vulgaris"[Mesh]', False),
    ('"Acne Vulgaris"[Mesh]', "europepmc", 'MESH:"Acne Vulgaris"', False),
    ('"Acne Vulgaris"[Mesh]', "ebsco", '(MH "Acne Vulgaris+")', False),
    ('"Acne Vulgaris"[Mesh]', "ovid", "1  exp Acne Vulgaris/", False),
    ('"Acne Vulgaris"[mh:noexp]', "pubmed", '"Acne Vulgaris"[Mesh:NoExp]', False),
    ('"Acne Vulgaris"[mh:noexp]', "europepmc", 'MESH:"Acne Vulgaris"', True),
    ('"Acne Vulgaris"[mh:noexp]', "ebsco", '(MH "Acne Vulgaris")', False),
    ('"Acne Vulgaris"[mh:noexp]', "ovid", "1  Acne Vulgaris/", False),
    ('"Acne Vulgaris"[majr]', "pubmed", '"Acne Vulgaris"[Majr]', False),
    ('"Acne Vulgaris"[majr]', "ebsco", '(MM "Acne Vulgaris+")', False),
    ('"Acne Vulgaris"[majr]', "ovid", "1  exp *Acne Vulgaris/", False),
    ('"Acne Vulgaris/drug therapy"[mh]', "pubmed", '"Acne Vulgaris/drug therapy"[Mesh]', False),
    ('"Acne Vulgaris/drug therapy"[mh]', "ebsco", '(MH "Acne Vulgaris/DT+")', False),
    ('"Acne Vulgaris/drug therapy"[mh]', "ovid", "1  exp Acne Vulgaris/dt", False),
    ('"Acne Vulgaris/drug therapy"[mh]', "europepmc", 'MESH:"Acne Vulgaris"', True),
    ("therapy[sh]", "pubmed", "therapy[sh]", False),
    ("therapy[sh]", "ovid", "1  th.fs.", False),
    ("therapy[sh]", "ebsco", "(TI therapy OR AB therapy)", True),
    ("therapy[sh]", "europepmc", "(TITLE:therapy OR ABSTRACT:therapy)", True),
    ("smoking adj3 cessation", "pubmed", '"smoking cessation"[tiab:~2]', False),
    ("smok* adj3 cessation", "pubmed", "(smok*[tiab] AND cessation[tiab])", True),
    ("smok* adj3 cessation", "europepmc",
     "((TITLE:smok* OR ABSTRACT:smok*) AND (TITLE:cessation OR ABSTRACT:cessation))", True),
    ("smok* adj3 cessation", "ebsco", "(TI (smok* N2 cessation) OR AB (smok* N2 cessation))", False),
    ("smok* adj3 cessation", "ovid", "1  (smok* adj3 cessation).ti,ab.", False),
    ("smok* W2 cessation", "ebsco", "(TI (smok* W2 cessation) OR AB (smok* W2 cessation))", False),
    ("smok* W2 cessation", "ovid", "1  (smok* adj3 cessation).ti,ab.", True),
    ("smoking PRE/2 cessation", "pubmed", '"smoking cessation"[tiab:~2]', True),
    ("wom?n", "pubmed", "wom*n[tiab]", True),
    ("behavio#r", "pubmed", "behavio*r[tiab]", True),
    ("wom?n", "ebsco", "(TI wom?n OR AB wom?n)", False),
    ("wom?n", "ovid", "1  wom#n.ti,ab.", False),
    ("behavio#r", "ovid", "1  behavio?r.ti,ab.", False),
    ("wom?n", "europepmc", "(TITLE:wom* OR ABSTRACT:wom*)", True),
    ("x[tw]", "pubmed", "x[tw]", False),
    ("x[tw]", "ovid", "1  x.mp.", False),
    ("review[pt]", "pubmed", "review[pt]", False),
    ("review[pt]", "ovid", "1  review.pt.", False),
    ("review[pt]", "ebsco", "PT review", False),
    ("review[pt]", "europepmc", "PUB_TYPE:review", False),
]


@pytest.mark.parametrize("query, target, expected, approximated", CONSTRUCTS)
def test_each_construct_per_target(query, target, expected, approximated):
    result = translate(parse(query), target)
    assert expected in result.text, result.text
    assert bool(result.approximations) == approximated, result.approximations
    if approximated:
        assert "Approximations" in result.report()


@pytest.mark.parametrize("target", ["ebsco", "ovid"])
def test_exact_translations_parse_back_to_the_same_meaning(target):
    text = ('("Acne Vulgaris"[Mesh] OR acne[tiab]) AND ((topical OR cream*) adj3 (treat* OR therap*)) '
            "AND wom?n AND behavio#r")
    tree = parse(text)
    result = translate(tree, target, years=(1990, 2017), languages=["english"])
    assert result.exact
    assert meaning_differences(parse(result.text), tree, "tiab") == []


def test_headings_are_checked_against_the_shipped_mesh():
    assert "unknown-heading" not in codes('"Acne Vulgaris"[Mesh]')
    findings = [f for f in lint('"Acne Vulgarus"[Mesh] OR acne[tiab]') if f.code == "unknown-heading"]
    assert findings and "Acne Vulgaris" in findings[0].hint


def test_a_heading_is_not_moved_between_thesauri_without_a_person():
    result = translate(parse('"Acne Vulgaris"[Mesh] OR acne[tiab]'), "ebsco", database="psycinfo")
    assert result.for_review and "APA Thesaurus" in result.for_review[0]
    assert "MH " not in result.text and "DE " not in result.text
    assert '(TI "Acne Vulgaris" OR AB "Acne Vulgaris")' in result.text
    # A heading from another database's thesaurus that is not MeSH is not guessed for PubMed.
    pubmed = translate(parse("exp Peer Counseling/"), "pubmed")
    assert pubmed.for_review and "not a MeSH descriptor" in pubmed.for_review[0]
    assert pubmed.text == '"Peer Counseling"[tiab]'


def test_cli_proximity_to_pubmed_is_an_explicit_approximation(capsys):
    assert main(["query", "translate", "--to", "pubmed", "smok* adj3 cessation"]) == 0
    out = capsys.readouterr().out
    assert "(smok*[tiab] AND cessation[tiab])" in out
    assert '"smok* adj3 cessation"' not in out and '"smok* cessation"' not in out
    assert "Approximations" in out and "AND within title or abstract" in out
    findings = [f for f in lint("smok* adj3 cessation") if f.code == "approximation"]
    assert any("PubMed" in f.message for f in findings)


# --------------------------------------------------------------------------- local matching


def rec(**kwargs) -> Record:
    return Record(record_id="r", source="s", **kwargs)


MEDLINE_HEADINGS = ["Acne Vulgaris/*therapy", "Adolescent", "Humans"]


@pytest.mark.parametrize("query, keywords, matched, unverified", [
    ('"Acne Vulgaris"[mh:noexp]', MEDLINE_HEADINGS, True, ""),
    ('"Acne Vulgaris"[majr:noexp]', MEDLINE_HEADINGS, True, ""),
    ('"Adolescent"[majr:noexp]', MEDLINE_HEADINGS, False, ""),
    ('"Acne Vulgaris/therapy"[mh:noexp]', MEDLINE_HEADINGS, True, ""),
    ('"Acne Vulgaris/drug therapy"[mh:noexp]', MEDLINE_HEADINGS, False, ""),
    ("th.fs.", MEDLINE_HEADINGS, True, ""),
    ('"Rosacea"[mh:noexp]', MEDLINE_HEADINGS, False, ""),
    # Explosion needs MeSH's tree, which is not shipped: not found is not "no".
    ('"Skin Diseases"[mh]', MEDLINE_HEADINGS, True, "explode"),
    ('"Rosacea"[mh:noexp]', [], True, "no-headings"),
    ('"Acne Vulgaris"[majr:noexp]', ["Acne Vulgaris", "Humans"], True, "no-headings"),
])
def test_headings_against_the_records_subject_fields(query, keywords, matched, unverified):
    result = Matcher(parse(query)).match(rec(title="A title", keywords=keywords))
    assert (result.matched, result.unverified) == (matched, unverified)


def test_undetermined_follows_three_valued_logic():
    no_acne = rec(title="Skin care", keywords=["Humans", "Rosacea/*therapy"])
    assert not Matcher(parse('exp Skin Diseases/ AND acne.ti,ab.')).match(no_acne).matched
    assert Matcher(parse('exp Skin Diseases/ OR acne.ti,ab.')).match(no_acne).unverified == "explode"


@pytest.mark.parametrize("title, matched", [
    ("Smoking cessation in adults", True),
    ("Cessation of smoking", True),
    ("Cessation of cigarette smoking", True),
    ("Cessation of all forms of tobacco smoking", False),
    ("Smoking and cessation", True),
])
def test_proximity_on_the_words_of_a_field(title, matched):
    assert Matcher(parse("smok* adj3 cessation")).match(rec(title=title)).matched == matched


def test_proximity_within_one_field_only():
    matcher = Matcher(parse("smok* adj3 cessation"))
    assert not matcher.match(rec(title="Smoking", abstract="Cessation was rare")).matched


def test_wildcards_and_limit_fields_match():
    assert Matcher(parse("wom?n")).match(rec(title="Women at work")).matched
    assert not Matcher(parse("wom?n")).match(rec(title="Womn at work")).matched
    assert Matcher(parse("behavio#r")).match(rec(title="Behaviour change")).matched
    review = rec(title="x", publication_types=["Review"], language="eng", year=2012)
    assert Matcher(parse("x AND review[pt] AND english[la] AND 2010:2015[dp]")).match(review).matched
    assert not Matcher(parse("x AND 2013:2015[dp]")).match(review).matched


# --------------------------------------------------------------------------- real strategies


def test_published_ovid_strategy_parses_lints_and_translates():
    """Cochrane CD008728, Appendix 1: MEDLINE (Ovid), lines 1-15."""
    text = strategy("cochrane_falls_stroke_medline_ovid.txt")
    tree = parse(text)
    names = {h.name.lower() for h in headings(tree)}
    assert {"intracranial embolism and thrombosis", "vasospasm, intracranial", "accidental falls"} <= names
    assert all(h.explode for h in headings(tree) if h.name.lower() == "brain ischemia")
    nears = [n for n in walk(tree) if isinstance(n, Near)]
    assert {(n.distance, n.ordered) for n in nears} == {(4, False)}  # adj5
    assert "isch#emi*" in [t.text for t in terms(tree)]  # Ovid's ? is none or one character
    found = lint(text)
    assert not [f for f in found if f.severity == "error"]
    assert not [f for f in found if f.code == "unknown-heading"]  # every heading is a MeSH descriptor
    results = {target: translate(tree, target) for target in TARGETS}
    assert results["ovid"].exact and results["ebsco"].exact
    assert meaning_differences(parse(results["ovid"].text), tree, "tiab") == []
    assert meaning_differences(parse(results["ebsco"].text), tree, "tiab") == []
    assert '(MH "Intracranial Embolism and Thrombosis+")'.lower() in results["ebsco"].text.lower()
    assert any("adj" not in a and "in any order" in a for a in results["pubmed"].approximations)
    assert any("no one-character wildcard" in a for a in results["pubmed"].approximations)
    assert '"Brain Ischemia"[Mesh]'.lower() in results["pubmed"].text.lower()


def test_published_pubmed_and_ovid_filters_parse_and_their_differences_are_named():
    """The Cochrane Highly Sensitive Search Strategy, PubMed and Ovid versions."""
    pubmed = parse(strategy("cochrane_hsss_pubmed.txt"))
    ovid = parse(strategy("cochrane_hsss_medline_ovid.txt"))
    assert {t.field for t in terms(pubmed)} == {"pt", "tiab"}
    assert [h.qualifiers for h in headings(pubmed) if h.floating] == [("drug therapy",)]
    ovid_text = translate(pubmed, "ovid").text
    assert "dt.fs." in ovid_text and "exp Animals/" in ovid_text and "randomized controlled trial.pt." in ovid_text
    assert translate(pubmed, "pubmed").exact
    differences = " ".join(meaning_differences(ovid, pubmed, "tiab"))
    assert "randomized[ab]" in differences and "randomized[tiab]" in differences  # .ab. vs [tiab]
    assert "heading humans (not exploded)" in differences  # humans.sh. vs humans [mh]
    for tree in (pubmed, ovid):
        assert not [f for f in lint(strategy("cochrane_hsss_pubmed.txt")) if f.severity == "error"]
        for target in TARGETS:
            assert translate(tree, target).text


def test_ebsco_strategy_parses_lints_and_translates():
    text = strategy("ebsco_headings_proximity.txt")
    tree = parse(text)
    assert [(h.name, h.explode) for h in headings(tree)][:2] == [("Smoking Cessation", True),
                                                               ("Tobacco Use Cessation", False)]
    assert {(n.distance, n.ordered) for n in walk(tree) if isinstance(n, Near)} == {(5, False)}
    assert not [f for f in lint(text) if f.severity == "error"]
    ebsco = translate(tree, "ebsco")
    assert ebsco.exact and meaning_differences(parse(ebsco.text), tree, "tiab") == []
    assert "(smok* adj6 cessation)" in translate(tree, "ovid").text.replace("(smok* or tobacco)", "smok*") or \
        "adj6" in translate(tree, "ovid").text
    assert translate(tree, "pubmed").approximations


# --------------------------------------------------------------------------- string as run


def test_exports_are_checked_against_the_string_as_run_and_differences_documented(tmp_path):
    config = demo_mapping()
    export = tmp_path / "psycinfo.ris"
    export.write_text("TY  - JOUR\nER  - \n", encoding="utf-8")
    as_run = '(TI "peer support" OR AB "peer support") AND (TI "mental health" OR AB "mental health")'
    config["sources"] = [{"name": "psycinfo", "database": "psycinfo", "platform": "ebsco", "method": "export",
                          "files": [str(export)], "searched_on": "2017-11-20", "string_as_run": as_run}]
    proto = protocol(config)
    records = tmp_path / "records.csv"
    write_records(records, [
        Record(record_id="psycinfo:1", source="psycinfo", source_file=str(export), year=2012,
               title="Peer support in mental health"),
        Record(record_id="psycinfo:2", source="psycinfo", source_file=str(export), year=2012,
               title="Open dialogue in mental health"),
    ])
    match = tmp_path / "match.csv"
    check_export(records, proto.search, match, proto.sources[0].as_run)
    rows = {r["record_id"]: r["matched"] for r in csv.DictReader(match.open(encoding="utf-8"))}
    assert rows == {"psycinfo:1": "true", "psycinfo:2": "false"}  # open dialogue was not in the string run
    md, js = tmp_path / "s.md", tmp_path / "s.json"
    write_search_strategy(proto.review, proto.search, proto.sources, {"psycinfo": str(records)},
                          {"psycinfo": str(match)}, {}, md, js)
    source = json.loads(js.read_text(encoding="utf-8"))["sources"][0]
    assert source["string"] == as_run and source["string_as_run_from"].startswith("the protocol")
    assert source["translation"].startswith("(((TI")
    differences = " ".join(source["meaning_differences"])
    assert "only in the protocol's query" in differences and "open dialogue" in differences
    text = md.read_text(encoding="utf-8")
    assert "differs in meaning from the protocol's query" in text and "litsieve's translation" in text
