"""`litsieve query lint`: findings, their positions, severities and the report people read."""

from __future__ import annotations

import pytest

from litsieve.cli import main
from litsieve.query.lint import format_report, has_errors, lint

SEED = "Peer support OR Peer Mentoring OR Open dialogue AND Mental Health OR Mental well*"


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_seed_gets_the_precedence_warning_with_every_reading():
    findings = lint(SEED)
    assert not has_errors(findings)
    (precedence,) = by_code(findings, "precedence")
    assert precedence.severity == "warning"
    assert SEED[precedence.span[0]:precedence.span[1]] == "AND"
    assert precedence.span == (48, 51)
    # Every operator of the chain is underlined.
    assert [SEED[s:e] for s, e in precedence.marks] == ["OR", "OR", "AND", "OR"]
    details = "\n".join(precedence.details)
    assert ("PubMed (strictly left to right):   (((Peer support OR Peer Mentoring OR Open dialogue) "
            "AND Mental Health) OR Mental well*)") in details
    assert ("EBSCOhost (AND and NOT before OR): (Peer support OR Peer Mentoring OR "
            "(Open dialogue AND Mental Health) OR Mental well*)") in details
    assert ("Ovid (AND, then NOT, then OR):     (Peer support OR Peer Mentoring OR "
            "(Open dialogue AND Mental Health) OR Mental well*)") in details
    assert ('(("Peer support" OR "Peer Mentoring" OR "Open dialogue") AND '
            '("Mental Health" OR "Mental well*"))') in precedence.hint
    # The precedence warning is listed first.
    assert findings[0] is precedence


def test_seed_report_shows_positions_and_carets():
    report = format_report(SEED, lint(SEED))
    lines = report.splitlines()
    head = lines.index("warning [precedence] characters 49-51: AND and OR are mixed without "
                       "parentheses: the databases read this string differently")
    assert lines[head + 1] == "  " + SEED
    caret = lines[head + 2]
    assert caret[2 + 48:2 + 51] == "^^^"
    assert caret[2 + 13:2 + 15] == "^^"
    assert "0 errors, 2 warnings" in report


def test_unquoted_multiword_terms_reported_once_with_each_database_behaviour():
    (finding,) = by_code(lint(SEED), "unquoted-phrase")
    assert finding.span == (0, 12)
    assert len(finding.marks) == 4
    text = " ".join(finding.details)
    assert "automatic term mapping" in text and "N5" in text and "Ovid" in text


def test_intended_query_is_clean():
    intended = '("peer support" OR "peer mentoring") AND ("mental health" OR "mental well*")'
    assert lint(intended) == []
    assert "No problems found." in format_report(intended, [])


@pytest.mark.parametrize("text, code, span_text", [
    ("dep* OR anxiety", "short-truncation", "dep*"),
    ('"ad* care" AND x', "short-truncation", "ad*"),
    ('"mental* well*" AND x', "phrase-truncation", '"mental* well*"'),
    ("x or y", "lowercase-operator", "or"),
    ("x AND (a AND b OR c)", "mixed-operators", "OR"),
])
def test_warnings_point_at_the_words(text, code, span_text):
    findings = lint(text)
    assert not has_errors(findings)
    (finding,) = by_code(findings, code)
    assert finding.severity == "warning"
    assert text[finding.span[0]:finding.span[1]] == span_text


def test_truncation_of_four_characters_is_fine():
    assert by_code(lint("ment* AND peer*"), "short-truncation") == []


@pytest.mark.parametrize("text, code, span_text", [
    ("(a OR b", "unbalanced-parenthesis", "("),
    ("a OR b))", "unbalanced-parenthesis", ")"),
    ('a OR "b c', "unbalanced-quote", '"b c'),
    ("a OR () AND b", "empty-group", "()"),
    ("NOT a", "leading-not", "NOT"),
    ("a OR (NOT b)", "leading-not", "NOT"),
    ("a OR", "trailing-operator", "OR"),
    ("a *ache", "inner-truncation", "*ache"),
    ("a[jour]", "unknown-field", "[jour]"),
])
def test_errors_with_positions(text, code, span_text):
    findings = lint(text)
    assert has_errors(findings)
    matching = by_code(findings, code)
    assert matching, findings
    assert matching[0].severity == "error"
    assert text[matching[0].span[0]:matching[0].span[1]] == span_text


def test_several_problems_are_all_reported():
    findings = lint('(a OR "b AND ca*')
    codes = {f.code for f in findings}
    assert {"unbalanced-quote", "unbalanced-parenthesis"} <= codes


def test_cli_exit_status_and_output(capsys):
    assert main(["query", "lint", SEED]) == 0
    out = capsys.readouterr().out
    assert "warning [precedence]" in out
    assert "(((Peer support OR Peer Mentoring OR Open dialogue) AND Mental Health) OR Mental well*)" in out

    assert main(["query", "lint", "(a OR b"]) == 1
    out = capsys.readouterr().out
    assert "error [unbalanced-parenthesis] character 1" in out
