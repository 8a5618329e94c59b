"""An edit to one part of the protocol reruns exactly the rules that read it.

Each rule gets the parts of the protocol it reads as ``params`` (typed sections of
:mod:`litsieve.protocol`, which Snakemake's params change detection hashes) and its
script reads nothing else, so `snakemake -n` after an edit lists exactly the rules whose
params changed, and the rules after them. Before this was so, a new ``review.title``
reran the diagram but left ``search_strategy.md`` and the HTML report with the old title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import copy_workflow, run_snakemake

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reruns")]

AFTER_QUEUES = {"screen_title_abstract", "screen_full_text", "screen_status", "report_prisma", "report_extraction",
                "report_exports", "report_pages"}
AFTER_POOL = {*AFTER_QUEUES, "report_suggestions"}
AFTER_DEDUP = {"screen_pool", *AFTER_POOL}
Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    def edit(config: dict[str, Any]) -> None:
        *parents, key = path.split(".")
        target = config
        for part in parents:
            target = target.setdefault(part, {})
        target[key] = value
    return edit


def _criterion_term(config: dict[str, Any]) -> None:
    config["criteria"][0]["any"].append("peer companion*")


def _source_date(config: dict[str, Any]) -> None:
    config["sources"][1]["searched_on"] = "2017-11-21"


def _extraction_field(config: dict[str, Any]) -> None:
    config["extraction"]["fields"].append({"name": "funding"})


EDITS: dict[str, tuple[Edit, set[str]]] = {
    "review.title": (_set("review.title", "Peer support: an updated review"),
                     {"search_strategy", "report_prisma", "report_pages"}),
    "search.query": (lambda c: c["search"].update(
        query='"peer support" AND "mental health"', intended_query=""),
        {"search_translations", "search_check", "search_strategy", *AFTER_DEDUP}),
    # The search's limits are also the automatic criteria the pool applies.
    "search.years": (_set("search.years", {"start": 1995, "end": 2017}),
                     {"search_translations", "search_check", "search_strategy", *AFTER_DEDUP}),
    "search.languages": (_set("search.languages", ["english", "german"]),
                         {"search_translations", "search_check", "search_strategy", *AFTER_DEDUP}),
    "search.live": (_set("search.live", {"timeout": 30.0}), set()),
    "sources.searched_on": (_source_date, {"search_strategy", "report_prisma", "report_pages"}),
    "criteria": (_criterion_term, AFTER_DEDUP),
    "screeners.full_text": (_set("screeners.full_text", ["screener_a"]),
                            {"screen_full_text", "screen_status", "report_prisma", "report_extraction", "report_exports",
                             "report_pages"}),
    "screeners.maybe": (_set("screeners.maybe", "conflict"), AFTER_QUEUES),
    "ranking.recall_target": (_set("ranking.recall_target", 0.9), {"screen_status", "report_pages"}),
    "dedup.review": (_set("dedup.review", False), {"dedup_records", *AFTER_DEDUP}),
    "extraction.fields": (_extraction_field, {"report_extraction"}),
}


@pytest.fixture(scope="session")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo after a full run: `snakemake -n` has nothing to do."""
    review = copy_workflow(tmp_path_factory.mktemp("reruns") / "review")
    run_snakemake(review)
    assert rules_to_run(review) == set()
    return review


def rules_to_run(review: Path) -> set[str]:
    """The rules `snakemake -n` would run (its job table), without the target rule `all`."""
    result = run_snakemake(review, "-n", "--quiet", "rules")
    return {m.group(1) for m in re.finditer(r"^(\w+)\s+\d+$", result.stdout, re.MULTILINE)} - {"all", "total"}


def edited(review: Path, edit: Edit) -> bytes:
    """Apply ``edit`` to the review's protocol; return the original bytes to restore."""
    path = review / "config" / "config.yaml"
    original = path.read_bytes()
    config = yaml.safe_load(original)
    edit(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return original


@pytest.mark.parametrize("section", list(EDITS))
def test_an_edit_reruns_exactly_the_rules_that_read_it(review: Path, section: str) -> None:
    edit, expected = EDITS[section]
    original = edited(review, edit)
    try:
        assert rules_to_run(review) == expected
    finally:
        (review / "config" / "config.yaml").write_bytes(original)


def test_a_new_title_reaches_the_search_documentation_and_the_report(review: Path) -> None:
    original = edited(review, _set("review.title", "Peer support: an updated review"))
    try:
        run_snakemake(review)
        for page in ("results/search/search_strategy.md", "results/report/search_strategy.html",
                     "results/prisma/flow.svg"):
            assert "an updated review" in (review / page).read_text(encoding="utf-8"), page
        assert rules_to_run(review) == set()
    finally:
        (review / "config" / "config.yaml").write_bytes(original)


def test_scripts_read_only_what_their_rule_declares() -> None:
    """A script that read ``snakemake.config`` would depend on parts of the protocol its
    rule does not declare, and Snakemake could not tell it to rerun."""
    from conftest import REPO

    for script in sorted((REPO / "scripts").glob("*.py")):
        used = set(re.findall(r"snakemake\.(\w+)", script.read_text(encoding="utf-8")))
        assert used <= {"input", "output", "params", "wildcards", "log"}, (script.name, used)
