"""The delivery and publication readers, and who took part, on single sentences a screener
would read the same way (the default protocol's suggestions)."""

from __future__ import annotations

import pytest

from litsieve.record import Record
from litsieve.screening.suggest import suggest_records
from protocols import demo_protocol


def suggest(title: str, abstract: str, **fields: object) -> tuple[str, str]:
    record = Record(record_id="r", title=title, abstract=abstract, year=2012, language="English", **fields)
    [suggestion] = suggest_records([record], demo_protocol().criteria)
    return suggestion.suggestion, suggestion.excluded_by


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    ("Peer support via Skype for people with agoraphobia",
     "People with agoraphobia (n = 18) met a peer supporter weekly via Skype; anxiety improved.", "online_only"),
    ("A text-message peer support service for people with bipolar disorder",
     "Adults with bipolar disorder (n = 45) received peer support entirely via text messages; mood improved.",
     "online_only"),
    # Online in passing: recruitment, a website, an online survey, interviews by telephone.
    ("Peer support groups for people with psychosis: a qualitative study",
     "Participants were recruited via social media and the charity's website. Fifteen people with psychosis who "
     "attended weekly peer support groups were interviewed.", ""),
    ("Members' views of self-help groups for depression",
     "An online survey was completed by 300 people with depression who attend self-help groups.", ""),
    # One form among several is not the only one.
    ("Peer-provided services for people with schizophrenia: a randomised trial",
     "Peer support includes self-help groups, internet support groups and peer-run services; we report a trial "
     "in which 80 adults with schizophrenia were randomised to peer support or usual care.", ""),
])
def test_delivery(title: str, abstract: str, expected: str) -> None:
    suggestion, reason = suggest(title, abstract)
    assert reason == expected and (suggestion == "exclude") == bool(expected)


@pytest.mark.parametrize(("title", "abstract", "types", "expected"), [
    ("Peer support in mental health: a critical appraisal",
     "The author critically appraises the concept of peer support and the risks of professionalisation.", [],
     "not_empirical"),
    ("The value of peer support",
     "In this paper we reflect on our experience of setting up a peer support service and discuss what we learnt.",
     [], "not_empirical"),
    ("Peer support did not reduce readmission", "Randomised trial of 337 adults. Readmission did not differ.",
     ["Comment"], "not_empirical"),
    # Data of its own keeps a record from a commentary's or a description's words ...
    ("Peer support workers in crisis teams",
     "We discuss the implications of interviews with 20 service users who were supported by peer workers.", [], ""),
    # ... but not from being a review, and a review of case records is data of its own.
    ("Peer support for psychosis: a systematic review",
     "We searched five databases; 14 trials with 2,300 participants were included.", [], "not_empirical"),
    ("Peer support and readmission: a retrospective review of case records",
     "We reviewed the case records of 240 adults with psychosis discharged from hospital.", [], ""),
])
def test_publication_kinds(title: str, abstract: str, types: list[str], expected: str) -> None:
    suggestion, reason = suggest(title, abstract, publication_types=types)
    assert reason == expected


@pytest.mark.parametrize(("title", "abstract", "expected"), [
    ("Recovery college students' experiences",
     "Recovery college students (n = 16), all of whom were using secondary mental health services, were "
     "interviewed about courses co-facilitated by peer trainers and professionals.", ""),
    ("Peer support for anxious young people",
     "Young people (12-17 years) with anxiety attending a community clinic took part in peer support groups "
     "(n = 40). Anxiety fell.", "children"),
    ("Peer support for teenagers with depression",
     "Participants were between 13 and 17 years of age; 64 completed the mentoring programme.", "children"),
    ("Peer support among partners of military veterans",
     "Partners (n = 34) of veterans diagnosed with PTSD took part in an 8-week peer support group.",
     "not_service_users"),
])
def test_who_took_part(title: str, abstract: str, expected: str) -> None:
    assert suggest(title, abstract)[1] == expected


def test_a_predicate_noun_is_the_same_people() -> None:
    """"Students who identified as current users of mental health services" are service users;
    a list of things ("lived experience of mental illness, their families and staff") gives
    the nouns after it no link."""
    title = "Student peer support at a recovery college"
    abstract = ("Students at the recovery college are people with lived experience of mental illness, their "
                "families and staff. We surveyed 63 students who identified as current users of mental health "
                "services about peer support in courses.")
    assert suggest(title, abstract)[0] != "exclude"
