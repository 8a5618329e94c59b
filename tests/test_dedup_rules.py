"""The pair rules on the hard cases a reviewer meets (docs/dedup.md)."""

from __future__ import annotations

import pytest

from litsieve.dedup import deduplicate
from litsieve.dedup.compare import DIFFERENT, SAME, UNCERTAIN, compare
from litsieve.dedup.features import CONFERENCE, ERRATUM, PREPRINT, REPLY, RETRACTION, features_of, parse_pages
from litsieve.record import Record

TITLE = "Peer support for adults with severe mental illness: a randomised controlled trial"
ABSTRACT = ("Background: peer support workers are people with lived experience of mental illness. "
            "We randomised 300 adults using community mental health services to peer support or usual care "
            "and measured recovery, hope and readmission over twelve months.")


def article(record_id: str, **fields: object) -> Record:
    base: dict[str, object] = dict(
        title=TITLE, abstract=ABSTRACT, authors=["Smith, Jane A", "Okafor, Chidi", "Larsen, Mette"],
        year=2015, journal="British Journal of Psychiatry", volume="207", issue="3", pages="221-228",
        doi="10.1192/bjp.bp.114.150000", source="pubmed",
    )
    base.update(fields)
    return Record(record_id=record_id, **base)  # type: ignore[arg-type]


def verdict(a: Record, b: Record):
    return compare(features_of(0, a), features_of(1, b))


def clusters_of(records: list[Record]) -> dict[str, str]:
    return {row["record_id"]: row["cluster_id"] for row in deduplicate(records).clusters}


def test_identical_records_from_two_databases_merge_on_the_doi():
    result = verdict(article("a"), article("b", source="psycinfo"))
    assert (result.verdict, result.rule) == (SAME, "same DOI")


@pytest.mark.parametrize("doi", [
    "https://doi.org/10.1192/BJP.BP.114.150000", "doi:10.1192/bjp.bp.114.150000.",
    "http://dx.doi.org/10.1192/bjp.bp.114.150000", "10.1192/bjp.bp.114.150000 [doi]",
])
def test_doi_spellings_are_normalised(doi):
    # Title and everything else differ, so only the DOI can link them.
    other = article("b", doi=doi, title=TITLE.upper(), abstract="", pages="", volume="", issue="")
    assert verdict(article("a"), other).rule == "same DOI"


def test_doi_hidden_in_the_url_field():
    other = article("b", doi="", url="https://onlinelibrary.wiley.com/doi/10.1192/bjp.bp.114.150000",
                    title=TITLE + ".", pages="", volume="")
    assert verdict(article("a"), other).rule == "same DOI"


def test_missing_doi_merges_on_metadata():
    result = verdict(article("a"), article("b", doi=""))
    assert result.verdict == SAME
    assert "title" in result.rule


def test_initials_and_full_names_are_the_same_authors():
    other = article("b", doi="", authors=["Smith JA", "Okafor C", "Larsen M"], abstract="")
    assert verdict(article("a"), other).verdict == SAME


def test_journal_abbreviation_and_page_formats():
    other = article("b", doi="", journal="Br J Psychiatry", pages="221-8", abstract="")
    assert verdict(article("a"), other).verdict == SAME
    assert parse_pages("221-8") == ("221", "228")
    assert parse_pages("1221-35") == ("1221", "1235")
    assert parse_pages("S354") == ("s354", "")
    assert parse_pages("e001469") == ("e1469", "")
    assert parse_pages("01-Apr") == ("1", "4")  # Excel turned "1-4" into a date


def test_different_dois_stay_apart_unless_everything_agrees():
    other = article("b", doi="10.1192/bjp.bp.114.999999", title=TITLE + " (protocol)", pages="1-9", volume="12")
    result = verdict(article("a"), other)
    assert result.verdict == DIFFERENT and result.conflict
    assert "different DOIs" in result.rule
    # A mistyped DOI on an otherwise identical record: every other field agrees.
    typo = article("b", doi="10.1192/bjp.bp.114.15000")
    assert verdict(article("a"), typo).verdict == SAME


def test_preprint_and_journal_version_stay_apart():
    preprint = article("b", doi="10.1101/2014.05.01.123456", journal="medRxiv", volume="", issue="", pages="",
                       year=2014)
    result = verdict(article("a"), preprint)
    assert result.verdict == DIFFERENT
    assert features_of(0, preprint).kinds == {PREPRINT}


def test_erratum_stays_apart_from_the_article():
    erratum = article("b", title=f"Erratum: {TITLE}", doi="", pages="512", issue="6", abstract="")
    result = verdict(article("a"), erratum)
    assert result.verdict == DIFFERENT and "erratum" in result.rule
    assert ERRATUM in features_of(0, erratum).kinds


def test_retraction_notice_stays_apart():
    notice = article("b", title=f"Retraction notice to: {TITLE}", doi="", pages="99", abstract="", year=2016)
    assert RETRACTION in features_of(0, notice).kinds
    assert verdict(article("a"), notice).verdict == DIFFERENT


def test_reply_stays_apart_from_the_letter():
    reply = article("b", title=f"Re: {TITLE}", doi="", pages="229-230", abstract="",
                    authors=["Smith, Jane A"])
    assert REPLY in features_of(0, reply).kinds
    assert verdict(article("a"), reply).verdict == DIFFERENT


def test_conference_abstract_and_full_paper_stay_apart():
    abstract = article("b", doi="", journal="British Journal of Psychiatry", volume="205", issue="Suppl 1",
                       pages="S12", year=2014, abstract=ABSTRACT[:150])
    assert CONFERENCE in features_of(0, abstract).kinds
    result = verdict(article("a"), abstract)
    assert result.verdict == DIFFERENT and "conference abstract" in result.rule


def test_parts_of_a_series_stay_apart():
    one = article("a", title="Peer support in mental health services. Part 1: a review", doi="")
    two = article("b", title="Peer support in mental health services. Part 2: a review", doi="",
                  pages="229-236")
    result = verdict(one, two)
    assert result.verdict == DIFFERENT and "part 1 vs part 2" in result.rule
    # Roman numerals count too, and the rule holds even with the same pages.
    three = article("c", title="Peer support in mental health services II", doi="")
    four = article("d", title="Peer support in mental health services III", doi="")
    assert verdict(three, four).verdict == DIFFERENT


def test_same_title_different_year_and_authors_stay_apart():
    other = article("b", doi="", year=2009, authors=["Novak, Petr", "Garcia, Luis"], volume="195",
                    issue="1", pages="10-18", abstract="")
    result = verdict(article("a"), other)
    assert result.verdict == DIFFERENT and result.conflict


def test_same_title_and_nothing_else_known_goes_to_a_person():
    bare = Record(record_id="b", title=TITLE, year=2015)
    assert verdict(article("a", doi=""), bare).verdict == UNCERTAIN


def test_non_latin_titles_are_compared_in_their_own_script():
    ru = "Платформенная занятость: масштабы и признаки неустойчивости"
    a = Record(record_id="a", title=ru, authors=["Бобков, В. Н.", "Черных, Е. А."], year=2020,
               journal="World of New Economy", volume="14", issue="2", pages="6-15")
    b = Record(record_id="b", title=ru.upper() + ".", authors=["Бобков, В Н", "Черных, Е А"], year=2020,
               journal="World of New Economy", volume="14", issue="2", pages="6--15")
    assert verdict(a, b).verdict == SAME
    korean = Record(record_id="c", title="플랫폼 노동시장의 구직기간 단축 결정요인", authors=["이종호"], year=2021,
                    journal="Journal of Digital Convergence", volume="19", issue="5", pages="1-13")
    assert verdict(a, korean).verdict == DIFFERENT
    assert features_of(0, korean).title  # not stripped to nothing


def test_greek_letters_and_html_are_normalised():
    a = article("a", doi="", title="Role of TNF-α in <i>peer</i> support outcomes for adults")
    b = article("b", doi="", title="Role of TNF-alpha in peer support outcomes for adults")
    assert features_of(0, a).title == features_of(1, b).title


def test_translated_title_in_brackets_matches():
    a = article("a", doi="", title="[Peer support for adults with severe mental illness]. [German]", abstract="")
    b = article("b", doi="", title="Peer support for adults with severe mental illness", abstract="")
    assert verdict(a, b).verdict == SAME


def test_editorials_with_the_same_heading_in_different_issues_stay_apart():
    a = Record(record_id="a", title="Editor's Comments", authors=["Weber, Ron"], year=2002,
               journal="MIS Quarterly", volume="26", issue="1")
    b = Record(record_id="b", title="Editor's Comments", authors=["Weber, Ron"], year=2002,
               journal="MIS Quarterly", volume="26", issue="2")
    assert verdict(a, b).verdict != SAME


def test_conference_abstracts_on_the_same_page_with_different_titles_stay_apart():
    a = Record(record_id="a", title="Factor H autoantibodies are associated with MPGN",
               authors=["Pappworth, I Y", "Kavanagh, D"], year=2010, journal="Molecular Immunology",
               volume="47", issue="13", pages="2291")
    b = Record(record_id="b", title="Factor I autoantibodies are associated with atypical haemolytic uraemic syndrome",
               authors=["Kavanagh, D", "Pappworth, I Y"], year=2010, journal="Molecular Immunology",
               volume="47", issue="13", pages="2291-2292")
    assert verdict(a, b).verdict != SAME


def test_a_chain_of_weak_links_cannot_join_conflicting_records():
    # b has no DOI and matches both a and c, whose DOIs differ: which one b is a copy of is
    # not known, so it joins neither and both pairs go to a person.
    a = article("a", doi="10.1000/one", abstract="")
    b = article("b", doi="", abstract="")
    c = article("c", doi="10.1000/two", abstract="", pages="")  # so not "everything agrees"
    assert verdict(a, c).conflict and verdict(a, b).verdict == SAME == verdict(b, c).verdict
    result = deduplicate([c, b, a])
    clusters = {row["record_id"]: row["cluster_id"] for row in result.clusters}
    assert len(set(clusters.values())) == 3
    asked = {(row["record_a"], row["record_b"]): row["reason"] for row in result.review_rows}
    assert set(asked) >= {("a", "b"), ("b", "c")}
    assert "b matches both a and c" in asked[("a", "b")]
    # A shared DOI says which: b with a's DOI joins a, and c stays apart.
    with_doi = article("b", doi="10.1000/one", abstract="")
    clusters = clusters_of([a, with_doi, c])
    assert clusters["b"] == clusters["a"] != clusters["c"]


def test_proceedings_paper_without_its_subtitle_matches_on_the_page_range():
    # BibTeX keeps the proceedings title in `booktitle` (in extra): it stands in for the journal.
    proceedings = {"booktitle": "Proceedings of the 2016 CHI Conference on Human Factors in Computing Systems"}
    a = Record(record_id="a", title="Infrastructure in the wild: What mapping in post-earthquake Nepal reveals",
               authors=["Soden, R", "Palen, L"], year=2016, pages="2796-2807", extra=dict(proceedings))
    b = Record(record_id="b", title="Infrastructure in the Wild", authors=["Soden, Robert", "Palen, Leysia"],
               year=2016, pages="2796--2807", doi="10.1145/2858036.2858545", extra=dict(proceedings))
    assert verdict(a, b).verdict == SAME
    # The same page range in another year's proceedings is another paper.
    c = Record(record_id="c", title="Infrastructure in the wild: lessons from Haiti", authors=["Soden, R"],
               year=2015, pages="2796-2807", extra=dict(proceedings))
    assert verdict(a, c).verdict != SAME


def test_pmid_and_pmcid_link_records_without_a_doi():
    a = article("a", doi="", pmid="12345678", pages="", volume="", title=TITLE + " [Review]")
    b = article("b", doi="", pmid="12345678", journal="Br J Psychiatry", abstract="")
    assert verdict(a, b).rule == "same PMID"
    c = article("c", doi="", pmcid="PMC4012345", abstract="", pages="")
    d = article("d", doi="", pmcid="pmc 4012345", abstract="", volume="")
    assert verdict(c, d).rule == "same PMCID"
    # Different PMIDs are different PubMed records: never merged, at most shown to a person.
    e = article("e", doi="", pmid="23456789", year=2016, pages="300-310")
    result = verdict(a, e)
    assert result.verdict != SAME and result.conflict and "PMIDs" in result.rule


def test_a_supplement_doi_does_not_join_abstracts_on_other_pages():
    # Every abstract in a supplement carries the supplement's DOI: pages tell them apart,
    # and each still merges with its own copy from a database that gave no DOI.
    supplement = dict(journal="Diabetes/Metabolism Research and Reviews", volume="30", issue="Suppl 3",
                      year=2014, doi="10.1002/dmrr.2604", abstract="")
    p52 = Record(record_id="a", title="The effects of incretin on artery lesions in apolipoprotein E-deficient mice",
                 authors=["Chen, R", "Wang, J", "Yan, C"], pages="52", **supplement)
    p51 = Record(record_id="b", title="Effects of incretin on artery lesions in apolipoprotein E-deficient mice",
                 authors=["Chen, R", "Wang, Y"], pages="51", **supplement)
    assert verdict(p52, p51).verdict != SAME
    p52_copy = Record(record_id="c", title=p52.title, authors=p52.authors, pages="52", year=2014,
                      journal=p52.journal, volume="30")
    assert verdict(p52, p52_copy).verdict == SAME
    clusters = clusters_of([p52, p51, p52_copy])
    assert clusters["a"] == clusters["c"] != clusters["b"]
    # The same DOI at the same page is still one abstract.
    assert verdict(p52, Record(record_id="d", title=p52.title.upper(), pages="52", **supplement)).rule == "same DOI"


def test_a_preprint_doi_on_a_record_that_names_its_venue_is_that_published_record():
    venue = {"booktitle": "International Conference on Information Systems"}
    paper = Record(record_id="a", title="Gender wage gap in the online gig economy and job preferences",
                   authors=["Liang, Chen", "Hong, Yili", "Gu, Bin"], year=2018, pages="1-17", extra=dict(venue))
    with_ssrn_doi = Record(record_id="b", title=paper.title, authors=paper.authors, year=2018, pages="1-17",
                           doi="10.2139/ssrn.3266249", extra=dict(venue))
    assert PREPRINT not in features_of(0, with_ssrn_doi).kinds
    assert verdict(paper, with_ssrn_doi).verdict == SAME
    # Without a venue of its own, the same DOI marks the preprint, kept apart from the paper.
    preprint = Record(record_id="c", title=paper.title, authors=paper.authors, year=2018,
                      doi="10.2139/ssrn.3266249")
    assert PREPRINT in features_of(0, preprint).kinds
    assert verdict(paper, preprint).verdict == DIFFERENT


def test_a_title_without_its_long_subtitle_is_still_compared():
    from litsieve.dedup.compare import worth_comparing
    proceedings = {"booktitle": "Proceedings of the 2016 CHI Conference on Human Factors in Computing Systems"}
    a = Record(record_id="a", authors=["Soden, R", "Palen, L"], year=2016, pages="2796-2807",
               title="Infrastructure in the wild: What mapping in post-earthquake Nepal reveals about "
                     "infrastructural emergence", extra=dict(proceedings))
    b = Record(record_id="b", title="Infrastructure in the Wild", authors=["Soden, Robert", "Palen, Leysia"],
               year=2016, pages="2796--2807", doi="10.1145/2858036.2858545", extra=dict(proceedings))
    fa, fb = features_of(0, a), features_of(1, b)
    assert worth_comparing(fa, fb) and compare(fa, fb).verdict == SAME
    assert clusters_of([a, b])["a"] == clusters_of([a, b])["b"]


def test_a_year_given_as_the_volume_is_no_other_volume():
    a = Record(record_id="a", title="Upwork's CEO on how an introverted engineer learned to lead",
               authors=["Kasriel, S"], year=2016, journal="Harvard Business Review", volume="2016", issue="May")
    b = Record(record_id="b", title="Upwork's CEO on how an introverted engineer learned to lead.",
               authors=["Kasriel, Stephane"], year=2016, journal="Harvard Business Review", volume="94",
               issue="5", pages="35")
    assert verdict(a, b).verdict == SAME
    # Two real volumes that differ still count against the pair.
    c = Record(record_id="c", title=b.title, authors=b.authors, year=2016, journal=b.journal, volume="93",
               issue="5")
    assert "different volumes" in verdict(b, c).rule


@pytest.mark.parametrize("acronym, name", [
    ("ICIS", "International Conference on Information Systems"),
    ("JAMA", "Journal of the American Medical Association"),
])
def test_a_journal_acronym_matches_its_full_name(acronym, name):
    from litsieve.dedup.compare import journals_compatible
    full, short = Record(record_id="a", journal=name), Record(record_id="b", journal=acronym)
    assert journals_compatible(features_of(0, full), features_of(1, short)) is True
    other = Record(record_id="c", journal="Journal of Medical Ethics")
    assert journals_compatible(features_of(0, other), features_of(1, short)) is not True


def test_proceedings_year_one_off_with_the_venue_abbreviated():
    a = Record(record_id="a", title="Good Signals, Bad Signals - Performance and Trait Implications of Signaling",
               authors=["Holthaus, Christian", "Stock, Ruth Maria"], year=2017, pages="1-13",
               extra={"booktitle": "International Conference on Information Systems"})
    b = Record(record_id="b", title="Good Signals, Bad Signals: Performance and Trait Implications of Signaling",
               authors=["Holthaus, C.", "Stock, R.M."], year=2018,
               extra={"booktitle": "ICIS : Transforming Society with Digital Innovation"})
    assert verdict(a, b).verdict == SAME


@pytest.mark.parametrize("spelling", ["10 000", "10,000", "10\u202f000", "10\u00a0000"])
def test_digit_grouping_in_titles_is_typography(spelling):
    a = features_of(0, Record(record_id="a", title=f"A seven-year study of HPV among {spelling} women in Costa Rica"))
    b = features_of(1, Record(record_id="b", title="A seven-year study of HPV among 10000 women in Costa Rica"))
    assert a.title == b.title and a.title_numbers == b.title_numbers
    # A list of numbers is not one number, and a decimal stays a decimal.
    assert features_of(0, Record(record_id="c", title="Doses of 50, 100 and 200 mg")).title_numbers == (
        "100", "200", "50")
    assert "1 500" in features_of(0, Record(record_id="d", title="Ratio 1.500 in 12 trials")).title


def test_fields_slipped_one_column_are_the_same_place():
    # An export that wrote volume 26, issue 9 as issue 26, pages 9.
    meeting = "Pediatric Nephrology. Conference: 44th Annual Scientific Meeting of the ESPN"
    a = Record(record_id="a", title="The treatment of atypical HUS", authors=["Loirat, C."], year=2011,
               journal=meeting, issue="26", pages="9")
    b = Record(record_id="b", title="The treatment of atypical HUS", authors=["Loirat, C."], year=2011,
               journal=meeting, volume="26", issue="9", pages="1746")
    assert verdict(a, b).verdict == SAME
    # Missing a volume is not enough: the issue and page must be the other's volume and issue.
    c = Record(record_id="c", title=a.title, authors=a.authors, year=2011, journal=meeting, issue="9", pages="1802")
    assert verdict(c, b).verdict != SAME


def test_html_entities_in_titles_and_names():
    a = features_of(0, Record(record_id="a", title="Peer support &amp; recovery &#8211; a &lt;i&gt;trial&lt;/i&gt;",
                              authors=["M&uuml;ller, A"]))
    b = features_of(1, Record(record_id="b", title="Peer support & recovery - a trial", authors=["Müller, A"]))
    assert a.title == b.title and a.authors == b.authors


def test_a_reply_named_after_the_letter_stays_apart():
    letter = Record(record_id="a", title="Atypical hemolytic uremic syndrome associated with group A streptococcus",
                    authors=["Yildiz, B", "Kural, N"], year=2004, journal="Pediatric Nephrology", volume="19",
                    issue="8", pages="943-944")
    for title in (f"{letter.title} - Reply", f"{letter.title}: authors' reply"):
        reply = Record(record_id="b", title=title, authors=["Shepherd, A B", "Baliga, R"], year=2004,
                       journal="Pediatric Nephrology", volume="19", issue="8", pages="945")
        assert REPLY in features_of(0, reply).kinds
        result = verdict(letter, reply)
        assert result.verdict == DIFFERENT and result.conflict
    # A title that merely ends in "response" is no reply.
    assert REPLY not in features_of(0, Record(record_id="c", title="Peer support and the immune response")).kinds


def test_missing_value_markers_are_no_journal_and_no_author():
    # R and pandas exports write "NA" for an empty field; it must not look like another journal.
    marked = features_of(0, Record(record_id="a", title=TITLE, journal="NA", authors=["NA"]))
    assert marked.journal == () and marked.authors == ()
    full = article("b", doi="", abstract="")
    bare = Record(record_id="c", title=TITLE, journal="NA", authors=["Smith, J A"], year=2015, volume="207",
                  issue="NA", pages="221-228")
    assert verdict(full, bare).verdict == SAME


def test_registrations_differing_in_one_word_go_to_a_person():
    # Only the title, year and sponsor are known: one other word can be another study.
    adult = Record(record_id="a", authors=["Alexion Pharmaceuticals, Inc"], year=2011,
                   title="Open Label Controlled Trial of Eculizumab in Adult Patients With Plasma Therapy-Resistant aHUS")
    adolescent = Record(record_id="b", authors=adult.authors, year=2011, title=adult.title.replace("Adult", "Adolescent"))
    assert verdict(adult, adolescent).verdict == UNCERTAIN
    # The same registration exported twice (case, a final period) still merges.
    again = Record(record_id="c", authors=adult.authors, year=2011, title=adult.title.upper() + ".")
    assert verdict(adult, again).verdict == SAME
