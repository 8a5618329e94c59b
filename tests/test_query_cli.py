"""`litsieve query explain` and the command's error handling, through litsieve.cli.main."""

from __future__ import annotations

from litsieve.cli import main

SEED = "Peer support OR Peer Mentoring OR Open dialogue AND Mental Health OR Mental well*"
INTENDED = '("peer support" OR "peer mentoring" OR "open dialogue") AND ("mental health" OR "mental well*")'


def test_explain_unambiguous_query(capsys):
    assert main(["query", "explain", INTENDED]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"({INTENDED})"
    assert "AND  (characters 1-95)" in lines
    assert '    "mental well*"  (phrase, truncated; characters 81-94)' in lines


def test_explain_ambiguous_query_shows_each_reading(capsys):
    assert main(["query", "explain", SEED]) == 0
    out = capsys.readouterr().out
    assert ("PubMed (strictly left to right): (((Peer support OR Peer Mentoring OR Open dialogue) "
            "AND Mental Health) OR Mental well*)") in out
    assert ("EBSCOhost (AND and NOT before OR): (Peer support OR Peer Mentoring OR "
            "(Open dialogue AND Mental Health) OR Mental well*)") in out
    assert ("Ovid (AND, then NOT, then OR): (Peer support OR Peer Mentoring OR "
            "(Open dialogue AND Mental Health) OR Mental well*)") in out
    assert "AMBIGUOUS chain  (operators OR@14, OR@32, AND@49, OR@67; characters 1-81)" in out
    assert "  Mental well*  (words, truncated; characters 70-81)" in out


def test_parse_error_is_one_line_with_position(capsys):
    assert main(["query", "explain", "peer AND (support"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("litsieve query: error: field 'query': opening parenthesis is never closed (character 10")
    assert "Traceback" not in err


def test_query_without_subcommand_prints_help(capsys):
    assert main(["query"]) == 2
    assert "lint" in capsys.readouterr().err


def test_match_reads_the_protocol_for_an_ambiguous_string(tmp_path, capsys):
    from pathlib import Path

    from litsieve.record import Record
    from litsieve.records_io import write_records

    export = tmp_path / "export.csv"
    write_records(export, [Record(record_id="x1", title="Open dialogue in mental health care")])
    config = Path(__file__).resolve().parents[1] / "tests" / "data" / "protocols" / "demo.yaml"
    out = tmp_path / "m.csv"
    assert main(["query", "match", SEED, str(export), "-o", str(out), "--config", str(config)]) == 0
    assert "x1,export,true,," in out.read_text(encoding="utf-8")


def test_explain_nested_ambiguity_shows_whole_readings(capsys):
    assert main(["query", "explain", "adults AND (peer support OR mentoring AND mental health)"]) == 0
    out = capsys.readouterr().out
    assert "PubMed (strictly left to right): (adults AND (peer support OR mentoring) AND mental health)" in out
    assert ('Grouped by concept (synonyms OR-ed, concepts AND-ed): '
            '(adults AND ("peer support" OR mentoring) AND "mental health")') in out


CINAHL = '(MH "prognosis+" NOT MM "prognosis+") OR MW random*'


def test_from_names_the_database_a_string_was_written_for(capsys):
    assert main(["query", "lint", "--from", "cinahl", CINAHL]) == 0
    out = capsys.readouterr().out
    assert "[unchecked-heading]" in out and "[empty-clause]" in out and "[unknown-heading]" not in out
    assert main(["query", "translate", "--from", "cinahl", "--to", "pubmed", CINAHL]) == 0
    out = capsys.readouterr().out
    assert "is a heading of CINAHL Subject Headings, but PubMed is indexed with MeSH" in out
    assert '"Prognosis"[Mesh]' not in out and "random*[tw]" in out
    # Without it, a heading that is a MeSH descriptor is read as MeSH, and the note says so.
    assert main(["query", "translate", "--to", "pubmed", CINAHL]) == 0
    assert '"Prognosis"[Mesh] NOT "Prognosis"[Majr]' in capsys.readouterr().out


def test_an_unknown_field_code_stops_lint_with_its_position(capsys):
    assert main(["query", "lint", "MX random*"]) == 1
    out = capsys.readouterr().out
    assert "error [unknown-field] characters 1-2: MX is not an EBSCOhost field code litsieve knows" in out
    assert "did you mean" in out
