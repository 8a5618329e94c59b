"""Hard pairs from exports nobody tuned for: what must merge, and what must not.

Each case is a small synthetic pair built from how databases really export records
(MEDLINE, Embase, Web of Science, ProQuest, trial registries): one field that disagrees
while all others agree, a year one off with typos and abbreviations, and the look-alikes
that are other records (abstracts side by side in one supplement, yearly editorials,
series parts, an erratum).
"""

from __future__ import annotations

from dataclasses import replace

from litsieve.dedup.compare import DIFFERENT, SAME, UNCERTAIN, compare, journals_compatible
from litsieve.dedup.features import features_of, parse_pages
from litsieve.record import Record

TITLE = "Continuous glucose monitoring in adults with type 1 diabetes treated with multiple daily injections"
AUTHORS = ["Beck, Roy W", "Riddlesworth, Tonya", "Ruedy, Katrina"]


def record(record_id: str, **fields: object) -> Record:
    base: dict[str, object] = dict(title=TITLE, authors=list(AUTHORS), year=2017, journal="JAMA", volume="317",
                                   issue="4", pages="371-378", source="medline")
    base.update(fields)
    return Record(record_id=record_id, **base)  # type: ignore[arg-type]


def verdict(a: Record, b: Record):
    return compare(features_of(0, a), features_of(1, b))


# ----------------------------------------------------------------------------- one field disagrees

def test_an_issue_typo_alone_does_not_keep_one_article_apart():
    result = verdict(record("a"), record("b", issue="14", source="embase"))
    assert (result.verdict, result.rule) == (SAME, "every field but the issue agrees")


def test_one_abstract_paged_two_ways_in_its_meeting_supplement():
    supplement = dict(journal="Value in Health", volume="19", issue="Suppl 3", year=2016)
    a = record("a", pages="e8-e9", **supplement)
    b = record("b", pages="e3", **supplement)
    assert verdict(a, b).verdict == SAME


def test_a_wrong_volume_alone_where_issue_and_pages_agree():
    assert verdict(record("a"), record("b", volume="371")).verdict == SAME


def test_two_fields_disagreeing_are_not_one_typo():
    # Same title and authors, another issue *and* other pages: a correction, a reprint or a
    # meeting abstract, never merged automatically.
    result = verdict(record("a"), record("b", issue="12", pages="2129-2132"))
    assert result.verdict != SAME


def test_a_thesis_and_its_dissertation_abstracts_record():
    thesis = Record(record_id="a", title="Self-management of chronic pain in older adults: a mixed methods study",
                    authors=["Okonkwo, Adaeze"], year=2009, pages="245 p.", publication_types=["Thesis"],
                    source="proquest")
    dai = Record(record_id="b", title=thesis.title, authors=["Okonkwo, A"], year=2009,
                 journal="Dissertation Abstracts International: Section B: The Sciences and Engineering",
                 volume="70", issue="5-B", pages="3012", publication_types=["Dissertation Abstract"],
                 source="psycinfo")
    assert parse_pages("245 p.") == ("", "") and parse_pages("xii, 180 leaves") == ("", "")
    assert verdict(thesis, dai).verdict == SAME


# ----------------------------------------------------------------------------- online first, then print

def test_year_one_off_with_typos_abbreviated_journal_and_short_pages():
    online_first = record("a", title="Continous glucose monitering in adults with type 1 diabetis treated with "
                                     "multiple daily injections", year=2016, journal="J Am Med Assoc",
                          pages="371-8", issue="")
    assert verdict(record("b"), online_first).verdict == SAME


def test_year_missing_but_the_place_agrees():
    assert verdict(record("a"), record("b", year=None, journal="JAMA.")).verdict == SAME


def test_subtitle_dropped_and_year_one_off_on_one_page_range():
    full = record("a", title="Cognitive behavioural therapy for insomnia: a randomised trial in primary care")
    short = record("b", title="Cognitive behavioural therapy for insomnia", year=2016, journal="")
    assert verdict(full, short).verdict == SAME


def test_one_registry_entry_exported_twice_a_year_apart():
    entry = dict(title="A randomised trial of plasma exchange for atypical haemolytic uraemic syndrome in children",
                 authors=[], journal="ISRCTN registry", volume="", issue="", pages="")
    assert verdict(record("a", year=2009, **entry), record("b", year=2010, **entry)).verdict == SAME


# ----------------------------------------------------------------------------- look-alikes that stay apart

def test_abstracts_side_by_side_in_one_supplement_stay_apart():
    supplement = dict(journal="Diabetologia", volume="57", issue="Suppl 1", year=2014, authors=["Chen, R", "Wang, J"])
    a = record("a", title="Effects of incretin on artery lesions in apolipoprotein E-deficient mice", pages="51",
               **supplement)
    b = record("b", title="The effects of incretin on artery lesions in apolipoprotein E-deficient mice",
               pages="52", **supplement)
    assert verdict(a, b).verdict != SAME


def test_different_articles_in_one_supplement_stay_apart():
    supplement = dict(journal="Value in Health", volume="19", issue="Suppl 3", year=2016)
    a = record("a", title="Cost-effectiveness of continuous glucose monitoring in type 1 diabetes", pages="e8",
               **supplement)
    b = record("b", title="Budget impact of flash glucose monitoring in type 2 diabetes", pages="e9",
               **supplement)
    assert verdict(a, b).verdict == DIFFERENT


def test_same_titled_editorials_in_different_years_stay_apart():
    a = record("a", title="Editorial", authors=["Zwass, Vladimir"], year=2015, volume="32", issue="1", pages="1-3")
    b = record("b", title="Editorial", authors=["Zwass, Vladimir"], year=2016, volume="33", issue="1", pages="1-3")
    assert verdict(a, b).verdict != SAME
    # ... and an editorial with an issue typo is still a heading, not evidence.
    assert verdict(a, replace(a, record_id="c", issue="2")).verdict != SAME


def test_a_yearly_report_with_the_same_title_stays_apart():
    title = "Annual report of the national cardiac surgery audit committee on outcomes in adults"
    a = record("a", title=title, year=2018, volume="40", issue="2", pages="101-120")
    b = record("b", title=title, year=2019, volume="41", issue="2", pages="99-118")
    assert verdict(a, b).verdict == DIFFERENT


def test_parts_of_a_series_stay_apart_even_when_only_the_pages_differ():
    a = record("a", title="Diabetes technology in practice, part 1: continuous glucose monitoring", pages="371-378")
    b = record("b", title="Diabetes technology in practice, part 2: continuous glucose monitoring", pages="379-386")
    result = verdict(a, b)
    assert result.verdict == DIFFERENT and result.conflict


def test_an_erratum_is_not_its_article_even_when_all_else_agrees():
    erratum = record("b", title=f"Erratum: {TITLE}", issue="9", pages="980")
    result = verdict(record("a"), erratum)
    assert result.verdict == DIFFERENT and result.conflict


def test_one_title_by_one_group_in_two_journals_supplements_is_not_merged_on_bare_records():
    # No authors, no place: the same words in two registries are two registrations.
    entry = dict(title="A randomised trial of plasma exchange for atypical haemolytic uraemic syndrome in children",
                 authors=[], volume="", issue="", pages="", year=2009)
    a = record("a", journal="ISRCTN registry", **entry)
    b = record("b", journal="ClinicalTrials.gov", **entry)
    assert verdict(a, b).verdict in (UNCERTAIN, DIFFERENT)


def test_a_subtitle_dropped_with_its_numbers_is_not_another_work():
    full = record("a", title="Patented TGR5 modulators: a review (2006 - present)", pages="1399-1414")
    short = record("b", title="Patented TGR5 modulators", pages="1399-414", authors=AUTHORS[:1])
    assert verdict(full, short).verdict == SAME
    # ... but other numbers in titles of the same length still mean other works.
    five = record("c", title="5-year outcomes of continuous glucose monitoring in adults with type 1 diabetes")
    ten = record("d", title="10-year outcomes of continuous glucose monitoring in adults with type 1 diabetes",
                 pages="379-386")
    assert verdict(five, ten).verdict != SAME


# ----------------------------------------------------------------------------- what one export leaves out

def test_a_short_main_title_with_the_same_doi_is_the_subtitle_left_off():
    # Two words, under the three a bare prefix needs: the DOI identifies, the title does not contradict.
    full = record("a", title="Looking ahead: managing self-sampled vaginal specimens in cervical screening",
                  doi="10.1002/ijc.20571")
    short = record("b", title="Looking ahead", doi="https://doi.org/10.1002/ijc.20571", issue="", pages="")
    result = verdict(full, short)
    assert (result.verdict, result.rule) == (SAME, "same DOI")


def test_a_main_title_with_a_typo_and_the_subtitle_left_off():
    full = record("a", title="Molecular diagnosis of human papillomavirus: comparison between cervical smears "
                             "and biopsies", year=2001, pages="119-122")
    short = record("b", title="Moleculaar diagnosis of human papillomavirus", year=2001, pages="119-22",
                   authors=["Beck, RW", "Riddlesworth, T", "Ruedy, K"])
    result = verdict(full, short)
    assert result.verdict == SAME and "main title" in result.rule


def test_a_one_word_main_title_needs_its_place_and_first_author():
    full = record("a", title="Eculizumab: a review of its use in paroxysmal nocturnal haemoglobinuria",
                  journal="Drugs", pages="1501-1507")
    placed = record("b", title="Eculizumab", journal="Drugs", pages="e1501")
    assert verdict(full, placed).verdict == SAME
    # Without the place, one drug's name is the main title of many reviews.
    bare = record("c", title="Eculizumab", journal="", volume="", issue="", pages="")
    assert verdict(full, bare).verdict != SAME


def test_typos_and_no_authors_on_one_record_of_one_page_range():
    # Title similarity 0.93: below the 0.95 at which a title alone is "the same title".
    typos = record("b", title="Contnous glucse monitorng in adlts wth type 1 diabtes treeted wth multple daly "
                              "injection", authors=[], pages="371-8")
    result = verdict(record("a"), typos)
    assert result.verdict == SAME
    # ... but not on a supplement's page, where abstracts of one group sit side by side.
    supplement = dict(issue="Suppl 1", pages="S371-S372")
    assert verdict(record("c", **supplement), replace(typos, record_id="d", **supplement)).verdict != SAME


# ----------------------------------------------------------------------------- registry entries and preprints

def test_one_registry_entry_is_identified_by_the_number_in_its_own_url():
    entry = dict(authors=[], journal="", volume="", issue="", pages="")
    a = record("a", title="Turk-life in India", url="https://www.isrctn.com/ISRCTN12345678", year=2011, **entry)
    b = record("b", title="Turk-life &lt;i&gt;in&lt;/i&gt; India.", url="https://www.isrctn.com/ISRCTN12345678",
               year=2012, **entry)
    result = verdict(a, b)
    assert (result.verdict, result.rule) == (SAME, "same registry entry")
    # One trial's entries in two registries are two records of one study, whatever their titles.
    other = record("c", title="Turk-life in India", url="https://clinicaltrials.gov/show/NCT01234567", year=2011,
                   **entry)
    result = verdict(a, other)
    assert result.verdict == DIFFERENT and result.conflict and "registry entries" in result.rule
    # A publication citing the number in its URL text is not the entry.
    paper = record("d", title="Turk-life in India", url="https://doi.org/10.1000/xyz?ref=ISRCTN12345678")
    assert features_of(0, paper).registry == ""


def test_a_preprint_server_abbreviated_is_still_the_preprint():
    preprint = record("a", journal="medRxiv", volume="", issue="", pages="", doi="10.1101/2020.03.14.488914")
    copy = record("b", journal="medR", volume="", issue="", pages="", year=2018,
                  authors=["Beck, R", "Riddlesworth, T", "Ruedy, K"])
    assert verdict(preprint, copy).verdict == SAME
    # A bare copy (no venue, place or identifier) does not say it is something else either.
    bare = record("c", journal="", volume="", issue="", pages="")
    assert verdict(preprint, bare).verdict == SAME


def test_a_preprint_typed_record_of_a_journal_is_not_that_journals_article():
    # A journal's own preprint (JMIR Preprints) shares the journal's name, not its kind.
    preprint = record("a", journal="J Med Internet Res", volume="", issue="", pages="",
                      publication_types=["Preprint"])
    result = verdict(preprint, record("b", journal="J Med Internet Res"))
    assert result.verdict == DIFFERENT and result.conflict


def test_an_erratum_title_in_html_tags_is_an_erratum():
    tagged = record("b", title=f"<i>Erratum:</i> {TITLE}", issue="9", pages="980")
    assert "erratum" in features_of(0, tagged).kinds
    entity = record("c", title=f"&lt;i&gt;Correction to:&lt;/i&gt; {TITLE}", issue="9", pages="980")
    assert "erratum" in features_of(0, entity).kinds


# ----------------------------------------------------------------------------- venues and pages as exported

def test_pages_with_a_pp_word_are_pages():
    assert parse_pages("pp. 123-9") == ("123", "129") and parse_pages("p. 45") == ("45", "")
    assert parse_pages("Pages 5-10") == ("5", "10")
    assert parse_pages("P45") == ("p45", "")  # a poster number, not page 45


def test_an_iso4_abbreviated_proceedings_a_year_later_with_typos():
    # ISO 4 leaves out "to"; the abbreviation hides "Conference" from the kind rules.
    title = "T-Seniority: an online service platform to assist independent living of elderly people"
    full = record("a", title=title, journal="International Conference on Pervasive Technologies Related to "
                  "Assistive Environments", year=2009, volume="", issue="", pages="")
    abbreviated = record("b", title="T-Seniority: ano nline servcie platform to assist independent living of "
                         "elderly people", journal="Int Con Per Tec Rel Ass Env", year=2010, volume="", issue="",
                         pages="", authors=["Beck, RW", "Riddlesworth, T", "Ruedy, K"])
    assert verdict(full, abbreviated).verdict == SAME


def test_a_meeting_printed_in_a_journal_named_both_ways():
    a = features_of(0, record("a", journal="FASEB Journal. Conference: Experimental Biology"))
    b = features_of(1, record("b", journal="FASEB J Conf Exp Biol"))
    c = features_of(2, record("c", journal="Paci. Asia Conf. Info. Syst."))
    d = features_of(3, record("d", journal="Pacific Asia Conference on Information Systems"))
    assert journals_compatible(a, b) and journals_compatible(c, d)
    # One word before the meeting says too little: two "International Conference on ..." differ.
    e = features_of(4, record("e", journal="International Conference on Information Systems"))
    f = features_of(5, record("f", journal="International Conference on Pervasive Technologies"))
    assert journals_compatible(e, f) is False


def test_a_heading_at_one_page_range_of_one_issue_a_year_apart():
    a = record("a", title="Editorial introduction", authors=["Zwass, Vladimir"], year=2004, journal="Journal of "
               "Management Information Systems", volume="21", issue="1", pages="5-10")
    b = record("b", title="Editorial introduction", authors=["Zwass, V"], year=2005,
               journal="J Manag Inf Syst", volume="21", issue="1", pages="pp. 5-10")
    assert verdict(a, b).verdict == SAME
    # The same heading in the next volume is the next year's editorial.
    c = replace(b, record_id="c", volume="22", pages="1-4")
    assert verdict(a, c).verdict != SAME


def test_a_meeting_abstract_exported_without_venue_issue_or_pages():
    # Nothing in the copy says "full paper": it cannot be kept apart as one.
    abstract = record("a", journal="Microcirculation. Conference: 66th Annual Meeting", volume="24", issue="1",
                      pages="", year=2017)
    copy = record("b", journal="", volume="24", issue="", pages="", year=2018,
                  authors=["Beck, RW", "Riddlesworth, T", "Ruedy, K"])
    assert verdict(abstract, copy).verdict == SAME
    # A full paper a year later, in a journal with pages, is the study's other report.
    paper = record("c", journal="Microvascular Research", volume="112", issue="3", pages="45-52", year=2018)
    result = verdict(abstract, paper)
    assert result.verdict == DIFFERENT and result.conflict


def test_a_misspelt_heading_at_another_page_range_is_another_issue_s_item():
    # Typos hide that the titles are a heading ("Editorial introduction"); the same first page
    # and person, other last pages and no issue to tell: two issues' front matter, each from page 5.
    a = record("a", title="EditorialInttroudction", authors=["Zwass, V"], year=2006, pages="pp. 5-6", issue="4",
               journal="Jou Man Inf Sys", volume="21")
    b = record("b", title="Editorili tntroduction", authors=["Zwass, V"], year=2005, pages="5\u201310", issue="",
               journal="", volume="21")
    assert verdict(a, b).verdict != SAME
    # The same last page as well: one item.
    assert verdict(a, replace(b, record_id="c", pages="5-6")).verdict == SAME
