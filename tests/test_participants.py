"""Who took part, read from the sentences that describe the sample (litsieve.screening.participants)."""

from __future__ import annotations

import pytest

from litsieve.concepts import concepts
from litsieve.screening.participants import Reading, reader
from litsieve.text import FieldText

ROLES = tuple(c for c in concepts().values() if c.type == "role")
OTHERS = ("staff", "carers_family", "students", "police_military", "general_public")


def read(abstract: str, title: str = "") -> Reading:
    texts = {"title": title, "abstract": abstract}
    return reader(ROLES).read(texts, {k: FieldText(v) for k, v in texts.items()})


def roles(reading: Reading) -> list[tuple[str | None, bool]]:
    return [(g.role, g.own) for g in reading.groups]


@pytest.mark.parametrize(("abstract", "only_others"), [
    # The participants are only staff, carers, police...
    ("We surveyed 212 nurses on eight wards who had been assaulted by patients.", True),
    ("Interviews were held with 16 women whose partners were veterans with PTSD.", True),
    ("We randomly assigned 318 relatives of people with serious mental illness to the course.", True),
    ("Police officers (N = 402) completed a survey after critical incidents.", True),
    ("We asked a sample of 2,024 adults from the general population about peer support.", True),
    ("Focus groups were held with 26 registered nurses working with patients with schizophrenia.", True),
    # A role word, but the same people use services or have a diagnosis.
    ("We interviewed 19 parents with serious mental illness receiving care from a community mental health centre.",
     False),
    ("Students (N = 118) who reported a diagnosis of serious mental illness completed the questionnaire.", False),
    ("Thirty-one parents, each with a child under 18 and each on the caseload of a community mental health team, "
     "were interviewed.", False),
    ("We interviewed 38 employees receiving treatment from occupational mental health services.", False),
    # Staff who run a group do not make it a study of staff.
    ("Ten group members with bipolar disorder were interviewed; the group was co-facilitated by a psychiatric nurse.",
     False),
    ("Courses were co-taught by mental health professionals. 74 students completed measures. All students were "
     "current or former users of secondary mental health services.", False),
    # People of unknown role keep it from "only staff".
    ("We interviewed 12 nurses and 20 adults attending a day centre.", False),
])
def test_only_other_roles(abstract: str, only_others: bool) -> None:
    reading = read(abstract)
    assert reading.only(OTHERS) is only_others, roles(reading)


def test_a_condition_belongs_to_the_nearest_person_before_it() -> None:
    reading = read("We interviewed 16 partners of veterans with PTSD.")
    partners = next(g for g in reading.groups if g.mention.term.startswith("partner"))
    assert partners.role == "carers_family" and not partners.own


def test_problems_make_service_users_only_of_people_without_another_role() -> None:
    students = read("We surveyed 146 undergraduate students with mental health difficulties.")
    assert students.only(OTHERS)
    adults = read("We followed 88 adults with mental health difficulties joining groups.")
    assert adults.service_users


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Adolescents aged 13-17 with depressive symptoms (n = 287) took part.", [(13, 17)]),
    ("Students in grades 9 through 12 (N = 2,675) completed surveys.", [(13, 17.9)]),
    ("Young people attending CAMHS (n = 36; mean age 15.3 years) completed questionnaires.", [(15.3, 15.3)]),
    # Numbers outrank words: "young people aged 16-25" is a mixed range, not minors.
    ("Seventy young people aged 16-25 completed questionnaires.", [(16, 25)]),
    # Ages of people who are not the participants are left out.
    ("We interviewed 20 parents of children aged 5 to 12 years.", [(18, 150)]),
    ("We interviewed 18 parents with depression whose children were aged 12 to 17.", [(18, 150)]),
    ("Secondary school teachers (n = 84) completed stress measures.", [(18, 150)]),
])
def test_participants_ages(abstract: str, expected: list[tuple[float, float]]) -> None:
    assert [(a.low, a.high) for a in read(abstract).ages] == expected


def test_title_groups_and_possessive_views() -> None:
    reading = read("", title="Nurses' and patients' views of peer support on an inpatient unit")
    assert {g.role for g in reading.groups} == {"staff", "service_users"}
    assert not reading.only(OTHERS)


def test_a_modifier_is_no_one() -> None:
    reading = read("A nurse-led programme offered staff support to 40 patients with psychosis.")
    assert [g.role for g in reading.groups] == ["service_users"]
