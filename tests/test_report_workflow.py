"""The report on the demo review, through real snakemake runs.

One run of the whole demo is shared by the tests (copied where a test changes something):
the diagram's numbers equal counts.json and add up, a rerun gives the same bytes, one
screening decision typed in the queues changes exactly the boxes it should, an impossible
state stops the rule instead of drawing, and the HTML report builds. (That a second
`snakemake` has nothing to do is checked for the whole workflow in test_workflow_e2e.py.)
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from litsieve.fileio import write_csv
from litsieve.personfile import HELP_KEY

from conftest import copy_workflow, run_snakemake
from litsieve.protocol import load_protocol
from litsieve.report.counts import FlowFiles
from litsieve.report.prisma import PrismaOutputs, write_prisma
from litsieve.screening.stages import screen_full_text, screen_title_abstract
from litsieve.studies import read_studies

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report_workflow")]

PRISMA = ["results/prisma/flow.svg", "results/prisma/flow.pdf", "results/prisma/flow.png",
          "results/prisma/counts.json", "results/prisma/prisma2020.csv"]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo review after `snakemake` (everything, as `make run` does)."""
    review = copy_workflow(tmp_path_factory.mktemp("report") / "review")
    run_snakemake(review)
    return review


def copy_of(review: Path, tmp_path: Path) -> Path:
    target = tmp_path / "review"
    shutil.copytree(review, target, symlinks=True)
    return target


def svg_texts(path: Path) -> list[str]:
    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))]


def counts(review: Path) -> dict:
    return json.loads((review / "results/prisma/counts.json").read_text(encoding="utf-8"))


def test_diagram_numbers_equal_counts_json_and_add_up(demo: Path) -> None:
    data = counts(demo)
    texts = svg_texts(demo / "results/prisma/flow.svg")
    joined = "\n".join(texts)
    expected = {
        "Databases": data["databases"], "Registers": data["registers"],
        "Duplicate records removed": data["duplicates"],
        "Records marked as ineligible by automation tools": data["automation"],
        "Records removed for other reasons": data["other_reasons"], "Records screened": data["screened"],
        "Records excluded": data["records_excluded"], "Reports sought for retrieval": data["sought"],
        "Reports not retrieved": data["not_retrieved"], "Reports assessed for eligibility": data["assessed"],
        "Reports excluded": data["reports_excluded"], "Studies included in review": data["studies_included"],
        "Reports of included studies": data["reports_included"],
    }
    for label, value in expected.items():
        assert re.search(rf"(^|\n){re.escape(label)} \(n = {value:,}\)", joined), (label, value)
    for source in data["sources"]:
        assert f"{source['label']} (n = {source['records']:,})" in texts
    # The demo's own figures (resources/demo/README.md): 98 + 74 records, all awaiting screening.
    assert [(s["name"], s["records"]) for s in data["sources"]] == [("psycinfo", 98), ("pubmed", 74)]
    assert data["identified"] == 172 == (data["duplicates"] + data["automation"] + data["other_reasons"]
                                         + data["screened"])
    assert data["screened"] == (data["records_excluded"] + data["sought"] + data["screening_awaiting"]
                                + data["screening_conflicts"])
    assert data["screening_awaiting"] == data["screened"] > 0
    assert data["status"] == "in progress"
    assert f"Awaiting screening (n = {data['screening_awaiting']})" in texts
    # prisma2020.csv says the same.
    with open(demo / "results/prisma/prisma2020.csv", newline="", encoding="utf-8") as handle:
        rows = {row["data"]: row["n"] for row in csv.DictReader(handle)}
    assert rows["records_screened"] == str(data["screened"]) and rows["duplicates"] == str(data["duplicates"])


def test_the_demo_notices_are_screened_with_their_report(demo: Path) -> None:
    """Whatever study links deduplication finds in the demo, each notice whose report is
    screened follows it: no row of its own, the report's row names it, the same decision."""
    studies = read_studies(demo / "results/dedup/clusters.csv")
    with open(demo / "results/screening/pool.csv", newline="", encoding="utf-8") as handle:
        pool = [row["record_id"] for row in csv.DictReader(handle)]
    following = studies.followers(pool)
    queue = {row["record_id"]: row for row in csv.DictReader(io.StringIO(
        (demo / "screening/title_abstract/screener_a.csv").read_bytes().decode("utf-8-sig")))}
    with open(demo / "results/screening/title_abstract.csv", newline="", encoding="utf-8") as handle:
        state = {row["record_id"]: row for row in csv.DictReader(handle)}
    for notice, head in following.items():
        assert notice not in queue and notice in queue[head]["study"]
        assert (state[notice]["basis"], state[notice]["decision"]) == ("with its study", state[head]["decision"])
    data = counts(demo)
    assert data["screened"] == len(pool) == len(state)
    status = json.loads((demo / "results/screening/status.json").read_text(encoding="utf-8"))
    assert status["title_abstract"]["screeners"]["screener_a"]["waiting"] == len(pool) - len(following)


def test_rerun_gives_identical_bytes(demo: Path, tmp_path: Path) -> None:
    again = PrismaOutputs.under(tmp_path)
    config = load_protocol(demo / "config/config.yaml")
    write_prisma(FlowFiles.under(demo / "results"), config.review, config.sources, again)
    for name in ("svg", "pdf", "png", "counts", "csv"):
        assert getattr(again, name).read_bytes() == (demo / "results/prisma" / getattr(again, name).name).read_bytes(), name


def set_decision(path: Path, record_id: str, decision: str, reason: str, **cells: str) -> None:
    """Type a decision the way a spreadsheet saves the file (BOM, CRLF)."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        if row["record_id"] == record_id:
            row["decision"], row["reason"] = decision, reason
            row.update(cells)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def rerun_screening_and_prisma(review: Path) -> None:
    """What `snakemake results/prisma/flow.svg` runs after a queue is saved (the rules'
    functions, in-process: a second snakemake run would double this file's time)."""
    config = load_protocol(review / "config/config.yaml")
    screening = review / "results/screening"
    people = config.paths.people
    screen_title_abstract(screening / "pool.csv", screening / "suggestions.csv", screening / "title_abstract.csv",
                          screeners=config.screeners.title_abstract, maybe=config.screeners.maybe,
                          criteria=config.criteria, ranked=config.ranking.enabled, people=people, root=review,
                          clusters=review / "results/dedup/clusters.csv")
    screen_full_text(screening / "title_abstract.csv", screening / "pool.csv", screening / "full_text.csv",
                     screeners=config.screeners.full_text, criteria=config.criteria, people=people, root=review,
                     other_methods=screening / "other_methods.csv", clusters=review / "results/dedup/clusters.csv")
    write_prisma(FlowFiles.under(review / "results"), config.review, config.sources,
                 PrismaOutputs.under(review / "results/prisma"))


def test_one_decision_changes_exactly_the_affected_boxes(demo: Path, tmp_path: Path) -> None:
    review = copy_of(demo, tmp_path)
    before, texts_before = counts(review), svg_texts(review / "results/prisma/flow.svg")
    queue = review / "screening/title_abstract/screener_a.csv"
    record_id = next(row["record_id"] for row in csv.DictReader(io.StringIO(queue.read_bytes().decode("utf-8-sig")))
                     if row["record_id"] != HELP_KEY and not row["study"])  # row 2 says what to type; a
    # record with an erratum would take it along (test_linked_reports_...)
    for screener in ("screener_a", "screener_b"):
        set_decision(review / f"screening/title_abstract/{screener}.csv", record_id, "exclude", "children")
    rerun_screening_and_prisma(review)
    after, texts_after = counts(review), svg_texts(review / "results/prisma/flow.svg")
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"records_excluded", "screening_awaiting", "waiting"}
    assert after["records_excluded"] == before["records_excluded"] + 1
    assert after["screening_awaiting"] == before["screening_awaiting"] - 1
    gone = set(texts_before) - set(texts_after)
    new = set(texts_after) - set(texts_before)
    awaiting = before["screening_awaiting"]
    boxes_before = {f"Awaiting screening (n = {awaiting})", "Records excluded (n = 0)"}
    boxes_after = {f"Awaiting screening (n = {awaiting - 1})", "Records excluded (n = 1)"}
    assert boxes_before <= gone and boxes_after <= new
    # The only other text that changes is the interim notice's count of records awaiting screening.
    assert len(gone - boxes_before) == len(new - boxes_after) == 1
    assert f"{awaiting} records awaiting screening" in (gone - boxes_before).pop()
    assert f"{awaiting - 1} records awaiting screening" in (new - boxes_after).pop()


def link_studies(review: Path, links: dict[str, tuple[str, str]], retracted: str) -> None:
    """Write the study columns into the demo's clusters.csv as deduplication does
    (``links``: kept record -> (relation, kept record it is about))."""
    path = review / "results/dedup/clusters.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    cluster = {row["record_id"]: row["cluster_id"] for row in rows}
    linked = {cluster[k]: (relation, cluster[target]) for k, (relation, target) in links.items()}
    for row in rows:
        if row["cluster_id"] in linked or not row.get("study_id"):
            relation, target = linked.get(row["cluster_id"], ("", ""))
            row.update(study_id=target or row["cluster_id"], relation=relation, related_to=target)
        if row["study_id"] == cluster[retracted]:
            row["study_flags"] = "retracted"
    study_columns = ["study_id", "relation", "related_to", "study_flags"]
    write_csv(path, rows, [*columns, *[c for c in study_columns if c not in columns]])


def unlinked_pool(review: Path) -> list[str]:
    """Records of the demo's pool in no study with another report (deduplication may link some)."""
    studies = read_studies(review / "results/dedup/clusters.csv")
    with open(review / "results/screening/pool.csv", newline="", encoding="utf-8") as handle:
        return [row["record_id"] for row in csv.DictReader(handle)
                if len(studies.study_of(row["record_id"]).reports) == 1]


def test_linked_reports_count_apart_from_studies_and_every_box_adds_up(demo: Path, tmp_path: Path) -> None:
    """Issue 10 on the demo: an erratum screened with its article, a conference abstract as a
    report of its study; the counts of reports and studies differ and every sum holds."""
    review = copy_of(demo, tmp_path)
    a, b, c, d = unlinked_pool(review)[:4]
    link_studies(review, {b: ("erratum of", a), c: ("conference abstract of", d)}, retracted=a)
    ta, ft = review / "screening/title_abstract", review / "screening/full_text"
    for screener in ("screener_a", "screener_b"):
        for record_id in (a, c, d):
            set_decision(ta / f"{screener}.csv", record_id, "include", "")
    rerun_screening_and_prisma(review)
    queue = {row["record_id"]: row for row in csv.DictReader(
        io.StringIO((ta / "screener_a.csv").read_bytes().decode("utf-8-sig")))}
    assert b not in queue and queue[a]["study"] == f"RETRACTED; has erratum {b}"
    for screener in ("screener_a", "screener_b"):
        for record_id in (a, c, d):
            set_decision(ft / f"{screener}.csv", record_id, "include", "", retrieval="retrieved")
    rerun_screening_and_prisma(review)
    data = counts(review)
    assert (data["reports_included"], data["studies_included"]) == (4, 2)
    assert data["retracted_included"] != []
    assert data["identified"] == data["duplicates"] + data["automation"] + data["other_reasons"] + data["screened"]
    assert data["screened"] == (data["records_excluded"] + data["sought"] + data["screening_awaiting"]
                                + data["screening_conflicts"])
    assert data["sought"] == 4 == data["assessed"] + data["not_retrieved"] + data["retrieval_awaiting"]
    assert data["assessed"] == (data["reports_excluded"] + data["reports_included"] + data["assessment_awaiting"]
                                + data["assessment_conflicts"])
    texts = svg_texts(review / "results/prisma/flow.svg")
    assert "Studies included in review (n = 2)" in texts and "Reports of included studies (n = 4)" in texts
    # The whole workflow agrees, from the rules (the extraction table and the report page too).
    assert run_snakemake(review).returncode == 0
    with open(review / "results/extraction/extraction.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 2 and {row["study_flags"] for row in table} == {"RETRACTED", ""}
    assert "RETRACTED: 1 included study is retracted" in (review / "results/report/screening.html").read_text(
        encoding="utf-8")


def test_decision_on_a_removed_duplicate_stops_the_rule(demo: Path, tmp_path: Path) -> None:
    review = copy_of(demo, tmp_path)
    with open(review / "results/dedup/clusters.csv", newline="", encoding="utf-8") as handle:
        duplicate = next(row for row in csv.DictReader(handle) if row["kept"] == "false")
    state = review / "results/screening/title_abstract.csv"
    lines = state.read_text(encoding="utf-8").splitlines()
    columns = lines[0].split(",")
    lines.append(",".join({"record_id": duplicate["record_id"], "decision": "include"}.get(c, "") for c in columns))
    state.write_text("\n".join(lines) + "\n", encoding="utf-8")
    svg = review / "results/prisma/flow.svg"
    result = run_snakemake(review, *PRISMA, check=False)
    assert result.returncode != 0
    log = (review / "results/logs/report/prisma.log").read_text(encoding="utf-8")
    assert "the PRISMA numbers do not add up" in log
    assert f"{duplicate['record_id']} (removed as a duplicate in cluster {duplicate['cluster_id']})" in log
    assert "litsieve: error:" in result.stderr
    assert not svg.exists()  # snakemake removes a failed rule's outputs: no wrong diagram is left


def test_html_report_has_every_section(demo: Path) -> None:
    result = run_snakemake(demo, "--report", "results/report.html")
    assert result.returncode == 0
    report = (demo / "results/report.html").read_text(encoding="utf-8", errors="replace")
    for name in ("flow.svg", "prisma2020.csv", "extraction.csv", "search_strategy.html", "screening.html"):
        assert name in report, name
