"""The code paths that let deduplication scale: records read on demand, merged works built
when read, candidate pairs as codes, and the fast paths of normalisation (each must give
exactly what the plain version gives)."""

from __future__ import annotations

import gc
import itertools
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litsieve.dedup import deduplicate
from litsieve.dedup import features as F
from litsieve.dedup.blocking import BLOCK_LIMIT, WINDOW, candidate_pairs, keys_of
from litsieve.dedup.features import features_of, fold
from litsieve.dedup.merge import MergedWorks, merge_cluster
from litsieve.dedup.workflow import load_inputs
from litsieve.errors import DedupError, ImportFormatError
from litsieve.fileio import neutralise_cell
from litsieve.record import Record
from litsieve.records_io import RecordFile, read_records, write_records

from test_dedup_pipeline import review_set


def awkward_records() -> list[Record]:
    """Cells a CSV reader can trip over: line breaks, CR, quotes, formulas, non-ASCII, extra."""
    return [
        Record(record_id="r1", source="db1", title='A "quoted" title,\nover two lines', abstract="x\r\ny",
               authors=["Smith, J", "Ødegård, Å"], year=2001, journal="=SUM(A1)", pages="-12"),
        Record(record_id="r2", source="db2", title="Ärzte und Ärztinnen", extra={"note": "+1 (555)"}),
        Record(record_id="r3", source="db1", title="", abstract="α" * 5000),
    ]


def test_record_file_reads_what_read_records_reads(tmp_path):
    path = tmp_path / "all.csv"
    write_records(path, awkward_records() + review_set())
    expected = read_records(path)
    records = RecordFile(path)
    assert list(records) == expected
    assert len(records) == len(expected)
    assert [records[i] for i in (4, 0, 2, -1)] == [expected[4], expected[0], expected[2], expected[-1]]
    assert records[1:3] == expected[1:3]
    with pytest.raises(IndexError):
        records[len(expected)]
    records.close()


def test_record_file_can_be_indexed_before_it_is_iterated(tmp_path):
    path = tmp_path / "all.csv"
    write_records(path, awkward_records())
    records = RecordFile(path)
    assert records[2].abstract == "α" * 5000
    assert records[0].title == 'A "quoted" title,\nover two lines' and records[0].journal == "=SUM(A1)"
    assert list(records) == read_records(path)


def test_record_file_names_a_missing_column(tmp_path):
    path = tmp_path / "all.csv"
    path.write_text("record_id,title\nr1,x\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="missing column"):
        list(RecordFile(path))
    with pytest.raises(ImportFormatError, match="missing"):
        len(RecordFile(tmp_path / "absent.csv"))


def deduplicated_both_ways(path: Path, records: list[Record]):
    """``records`` deduplicated from a record file read on demand, checked against memory."""
    write_records(path, records)
    from_memory = deduplicate(read_records(path))
    from_file = deduplicate(RecordFile(path))
    assert from_file.clusters == from_memory.clusters
    assert from_file.counts == from_memory.counts
    assert from_file.review_rows == from_memory.review_rows
    assert list(from_file.records) == list(from_memory.records)
    return from_file


def test_a_record_file_is_deduplicated_as_the_same_records_in_memory(tmp_path):
    path = tmp_path / "all.csv"
    deduplicated_both_ways(path, review_set() + awkward_records())
    assert isinstance(load_inputs([path]), RecordFile)
    assert list(load_inputs([path, path])) == read_records(path) * 2


def study_set() -> list[Record]:
    """Reports of studies: MEDLINE and PubMed XML link fields, registrations in abstracts, a notice."""
    from litsieve.importers import load_many

    data = Path(__file__).parent / "data" / "dedup"
    return load_many([data / "study_links.nbib", data / "study_links.xml"]) + [
        Record(record_id="ctgov", source="central", title="Peer Support in Severe Mental Illness",
               journal="ClinicalTrials.gov", year=2012, url="https://clinicaltrials.gov/show/NCT01234567"),
        Record(record_id="isrctn", source="central", title="PEER-SMI trial", journal="ISRCTN registry", year=2012,
               abstract="Registered as ISRCTN12345678 and NCT01234567.", keywords=["EudraCT 2004-000123-45"]),
        Record(record_id="paper", source="pubmed", title="Peer support in severe mental illness: a randomised trial",
               authors=["Smith, J"], year=2013, journal="BMJ", abstract="Trial registration: NCT01234567."),
        Record(record_id="erratum", source="pubmed", title="Erratum: Peer support in severe mental illness: "
               "a randomised trial", year=2013, journal="BMJ"),
    ]


def test_study_links_from_a_record_file_are_those_from_memory(tmp_path):
    from_file = deduplicated_both_ways(tmp_path / "all.csv", study_set() + review_set())
    studies = {row["study_id"] for row in from_file.clusters}
    assert len(studies) < from_file.counts["works_out"]  # some reports were linked into studies


def test_duplicate_ids_in_a_record_file_name_the_rows(tmp_path):
    path = tmp_path / "all.csv"
    write_records(path, [Record(record_id="a", title="x"), Record(record_id="b", title="y"),
                         Record(record_id="a", title="z")])
    with pytest.raises(DedupError, match="rows 1 and 3"):
        deduplicate(RecordFile(path))


def test_merged_works_are_built_in_id_order_from_their_members():
    records = review_set()
    result = deduplicate(records)
    works = result.records
    assert isinstance(works, MergedWorks)
    ids = [w.record_id for w in works]
    assert ids == sorted(ids) and len(works) == result.counts["works_out"]
    kept = {row["record_id"] for row in result.clusters if row["kept"] == "true"}
    assert set(ids) == kept
    # A cluster's work is the merge of its members, whichever way it is read.
    members: dict[str, list[Record]] = {}
    cluster_of = {row["record_id"]: row["cluster_id"] for row in result.clusters}
    for record in records:
        members.setdefault(cluster_of[record.record_id], []).append(record)
    merged = {w.record_id: w for w in works}
    for cluster_id, group in members.items():
        expected = merge_cluster(group, cluster_id)
        assert merged[expected.record_id] == expected
    assert works[0] == works[0] and works[-1] == list(works)[-1] and works[:2] == list(works)[:2]


def test_garbage_collection_is_switched_back_on():
    assert gc.isenabled()
    deduplicate(review_set())
    assert gc.isenabled()
    with pytest.raises(DedupError):
        deduplicate([Record(record_id="a"), Record(record_id="a")])
    assert gc.isenabled()


def _reference_pairs(features: list[F.Features]) -> set[tuple[int, int]]:
    """Blocking as first written: every key in one dict, tuples in a set."""
    blocks: dict[tuple[object, ...], list[F.Features]] = {}
    for f in features:
        for key in keys_of(f):
            blocks.setdefault(key, []).append(f)
    pairs: set[tuple[int, int]] = set()

    def window(ordered: list[F.Features]) -> None:
        for n, left in enumerate(ordered):
            for right in ordered[n + 1: n + 1 + WINDOW]:
                pairs.add((min(left.index, right.index), max(left.index, right.index)))

    for members in blocks.values():
        if len(members) <= BLOCK_LIMIT:
            pairs.update((min(x.index, y.index), max(x.index, y.index)) for x, y in itertools.combinations(members, 2))
        else:
            window(sorted(members, key=lambda f: (f.title_key, f.record_id)))
    titled = [f for f in features if f.title_key]
    window(sorted(titled, key=lambda f: (f.title_key, f.record_id)))
    window(sorted(titled, key=lambda f: (f.title_key[::-1], f.record_id)))
    return pairs


def test_candidate_pairs_match_the_plain_algorithm_with_a_block_over_the_limit():
    rng = random.Random(7)
    words = ["trial", "peer", "support", "psychosis", "cohort", "adults", "care", "outcomes", "effect"]
    records = []
    for i in range(300):
        records.append(Record(
            record_id=f"r{rng.randrange(10_000):05d}-{i}",
            title=" ".join(rng.choice(words) for _ in range(rng.randint(0, 7))),
            authors=[rng.choice(["Smith, J", "Lee, K", "Okafor, C"])] if rng.random() < 0.8 else [],
            year=rng.choice([2001, 2002, None]),
            # One DOI on 60 records: a block larger than BLOCK_LIMIT, walked in title order.
            doi="10.1000/suppl" if i % 5 == 0 else (f"10.1000/{i % 97}" if rng.random() < 0.5 else ""),
            volume=str(rng.randint(1, 3)), pages=f"{rng.randint(1, 5)}-9",
        ))
    features = [features_of(i, r) for i, r in enumerate(records)]
    assert sum(1 for f in features if f.doi == "10.1000/suppl") > BLOCK_LIMIT
    pairs = candidate_pairs(features)
    listed = list(pairs)
    assert listed == sorted(set(listed)) and all(i < j for i, j in listed)
    assert set(listed) == _reference_pairs(features)
    assert len(pairs) == len(listed)
    assert listed[0] in pairs and (listed[0][1], listed[0][0]) in pairs and (0, 0) not in pairs
    assert list(candidate_pairs([])) == []


def _plain_fold(text: str) -> str:
    """fold() without its ASCII fast path."""
    import html
    import unicodedata

    if "&" in text:
        text = html.unescape(text)
    if text.isascii():
        text = text.casefold()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = F._GREEK_RE.sub(lambda m: F._GREEK[m.group(0)], text)
        text = F._COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = text.replace("&", " and ")
    return re.sub(r"[\W_]+", " ", text).strip()


_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ019 _-:;()&'\"\t\n.,/é²ΣαøİſK\u00a0\u2013")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_fold_fast_paths_give_the_plain_result(text):
    assert fold(text) == _plain_fold(text)
    assert fold(text + "&amp;") == _plain_fold(text + "&amp;")


_TITLE = st.text(alphabet=st.sampled_from(list("reply :(vol1234)RETRACTCorrectionsLetter\u00e9abc\t")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_TITLE)
def test_kind_word_shortcuts_agree_with_their_patterns(title):
    assert F._kind_words(title) == bool(F._KIND_WORDS.search(title))
    assert F._preprint_venue(title) == bool(F._PREPRINT_JOURNAL.search(title))


def _plain_part(title: str) -> str:
    match = F._PART.search(title)
    if match:
        token = match.group(1).casefold()
        return F._NUMBER_WORDS.get(token, token)
    match = F._TRAILING_ROMAN.search(title)
    if match and len(title) > 20:
        return F._NUMBER_WORDS.get(match.group(1).casefold(), "")
    return ""


_PART_TITLE = st.text(alphabet=st.sampled_from(list("part PT teil xviIVX_ .:-(),1é")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_PART_TITLE)
def test_part_shortcuts_agree_with_the_patterns(title):
    assert F._part(title) == _plain_part(title)
    assert F._part("Outcomes of peer support in psychosis " + title) == _plain_part(
        "Outcomes of peer support in psychosis " + title)


@pytest.mark.parametrize("title", ["Peer support, part II", "Peer support. Pt. 2", "Teil 3: Ergebnisse",
                                   "Psychosis services in the community II.", "Psychosis services in the community IX_",
                                   "Psychosis services in the community (ii)", "Psychosis services in Sweden: vi"])
def test_part_shortcuts_on_known_titles(title):
    assert F._part(title) == _plain_part(title)


@pytest.mark.parametrize("title", ["Re: the trial", "RE : x", "Erratum", "x (2009)", "Title (vol 3, pg 4, 2009)",
                                   "Author's REPLY", "Peer support", "x (vol 3)", "RE\t:x", "x(12345)", "A (2009) b",
                                   "medRxiv", "Research Square", "SSRN preprint"])
def test_kind_word_shortcuts_on_known_titles(title):
    assert F._kind_words(title) == bool(F._KIND_WORDS.search(title))
    assert F._preprint_venue(title) == bool(F._PREPRINT_JOURNAL.search(title))


@pytest.mark.parametrize("value", ["", "plain", "=1+1", "@SUM", "+1 (555)", "-12", "'=x", "''", "\tx", "-", "+A1"])
def test_neutralise_cell_fast_path_changes_nothing(value):
    from litsieve.fileio import _guarded

    assert neutralise_cell(value) == ("'" + value if value and _guarded(value) else value)
