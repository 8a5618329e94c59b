"""Screening progress: per stage and screener, what is done, what waits, and for whom.

Computed from the two stage state files only (``results/screening/{stage}.csv``), so the
report, ``litsieve status`` and the end-of-run summary all show the same numbers. The
summary is short on purpose: it is printed at the end of every ``snakemake`` run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from litsieve.errors import ScreeningFileError
from litsieve.fileio import write_json
from litsieve.protocol import RankingSettings, Screeners
from litsieve.screening.agreement import agreement_summary
from litsieve.screening.decisions import CONFLICT, FINAL_DECISIONS, WITH_STUDY, Decision, Outcome, category
from litsieve.screening.queue import FULL_TEXT, STAGES, TITLE_ABSTRACT
from litsieve.stagefiles import StageDecision, read_stage_decisions

if TYPE_CHECKING:
    from litsieve.ranking.stopping import StoppingEstimate

STAGE_TITLES = {TITLE_ABSTRACT: "title/abstract", FULL_TEXT: "full text"}


def outcomes_from_state(rows: Sequence[StageDecision], names: Sequence[str], policy: str) -> list[Outcome]:
    """Rebuild outcomes from a state file (enough for counts and agreement)."""
    outcomes = []
    for row in rows:
        mine = {n: Decision(row.by(n).decision, row.by(n).reason) for n in names}
        categories = [category(d.decision, policy) for d in mine.values()]
        disagreement = all(categories) and (len(set(categories)) > 1 or "maybe" in categories)
        outcomes.append(Outcome(
            row.record_id, row.decision, row.reason, row.basis, mine,
            Decision(row.resolution), disagreement=disagreement,
        ))
    return outcomes


def stage_status(stage: str, rows: Sequence[StageDecision], screeners: Screeners, ranking: RankingSettings,
                 people: str) -> dict[str, Any]:
    names = screeners.of(stage)
    counts = {decision: 0 for decision in FINAL_DECISIONS}
    for row in rows:
        counts[row.decision] = counts.get(row.decision, 0) + 1
    per_screener: dict[str, dict[str, Any]] = {}
    # A notice takes its report's decision: nobody screens it, so it waits for nobody.
    rows = [row for row in rows if row.basis != WITH_STUDY]
    for name in names:
        done = sum(1 for row in rows if row.by(name).decision)
        per_screener[name] = {"file": f"{people}/{stage}/{name}.csv", "done": done, "waiting": len(rows) - done}
        if stage == TITLE_ABSTRACT:
            per_screener[name]["ranking"] = ranking_state(rows, name, screeners.maybe, ranking)
            if done:
                per_screener[name]["stopping"] = stopping(rows, name, ranking).to_dict()
    status: dict[str, Any] = {
        "records": sum(counts.values()),
        "decisions": counts,
        "screeners": per_screener,
        "conflicts": {
            "file": f"{people}/conflicts/{stage}.csv",
            "open": counts.get(CONFLICT, 0),
            "resolved": sum(1 for row in rows if row.basis == "resolution"),
        },
    }
    estimates = {name: item["stopping"] for name, item in per_screener.items() if "stopping" in item}
    if estimates:
        status["stopping"] = stage_stopping(estimates, names)
    return status


def ranking_state(rows: Sequence[StageDecision], name: str, policy: str,
                  ranking: RankingSettings) -> dict[str, Any]:
    """How the screener's queue is ordered now, and when a fresh ranking is worth a rerun.

    The queue is retrained on every run from the screener's own decisions (a "maybe" is
    an include when maybes move on, and no label when a third person decides them), so it
    is freshest when the workflow reruns after ``batch_size(trained_on)`` more decisions:
    the schedule ``litsieve simulate`` measures.
    """
    from litsieve.ranking.schedule import batch_size

    labels = [category(row.by(name).decision, policy) for row in rows]
    includes, excludes = labels.count("include"), labels.count("exclude")
    enabled = ranking.enabled
    ranked = enabled and includes > 0 and excludes > 0
    return {"enabled": enabled, "ranked": ranked, "trained_on": includes + excludes if ranked else 0,
            "rerun_after": batch_size(includes + excludes) if ranked else 0}


def stage_stopping(estimates: Mapping[str, Mapping[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The stage may stop only when every screener's own test allows it.

    Each screener works through their own ranked queue, and a record is settled only by
    all of them, so the stage stops when the last of them may.
    """
    target, confidence = (next(iter(estimates.values()))[key] for key in ("recall_target", "confidence"))
    allowed = [name for name in names if estimates.get(name, {}).get("may_stop")]
    may_stop = len(allowed) == len(names)
    if all(name in estimates and estimates[name]["screened"] == estimates[name]["total"] for name in names):
        message = "every record has been screened"
    elif may_stop:
        message = (f"you may stop with {confidence:.0%} confidence of {target:.0%} recall"
                   + (" (every screener's test allows it)" if len(names) > 1 else ""))
    else:
        waiting = [name for name in names if name not in allowed]
        message = (f"keep screening: {target:.0%} recall is not yet shown with {confidence:.0%} "
                   f"confidence for {', '.join(waiting)}")
    return {"may_stop": may_stop, "screeners_may_stop": allowed, "message": message}


def stopping(rows: Sequence[StageDecision], name: str, ranking: RankingSettings) -> StoppingEstimate:
    """May this screener stop? Their decisions in the order they made them (see
    :mod:`litsieve.screening.order`); anything but an exclusion counts as relevant."""
    from litsieve.ranking.stopping import stopping_estimate  # scipy: only once someone has screened

    decided = [row.by(name) for row in rows if row.by(name).decision and row.by(name).order is not None]
    decided.sort(key=lambda mine: mine.order or 0)
    labels = [0 if mine.decision == "exclude" else 1 for mine in decided]
    return stopping_estimate(labels, len(rows), recall_target=ranking.recall_target,
                             confidence=ranking.confidence)


def waiting_for_people(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    waiting = []
    for stage in STAGES:
        for name, item in status[stage]["screeners"].items():
            if item["waiting"]:
                waiting.append({"file": item["file"], "who": name, "records": item["waiting"]})
        conflicts = status[stage]["conflicts"]
        if conflicts["open"]:
            waiting.append({"file": conflicts["file"], "who": "third person", "records": conflicts["open"]})
    return waiting


def screening_summary(
    title_abstract: str | os.PathLike[str],
    full_text: str | os.PathLike[str],
    status_path: str | os.PathLike[str],
    agreement_path: str | os.PathLike[str],
    *,
    screeners: Screeners,
    ranking: RankingSettings,
    people: str,
) -> dict[str, Any]:
    """Write ``status.json`` and ``agreement.json`` from the two stage state files
    (``people``: the protocol's ``paths.people``, as the files people edit are named there)."""
    people = Path(people).as_posix()
    status: dict[str, Any] = {}
    agreement: dict[str, Any] = {}
    for stage, path in ((TITLE_ABSTRACT, title_abstract), (FULL_TEXT, full_text)):
        rows = read_stage_decisions(path)
        names = screeners.of(stage)
        status[stage] = stage_status(stage, rows, screeners, ranking, people)
        policy = screeners.maybe if stage == TITLE_ABSTRACT else "include"
        agreement[stage] = agreement_summary(outcomes_from_state(rows, names, policy), names, policy)
    status["waiting_for_people"] = waiting_for_people(status)
    write_json(status_path, status)
    write_json(agreement_path, agreement)
    return status


def summary_lines(status: Mapping[str, Any], agreement: Mapping[str, Any] | None = None) -> list[str]:
    """A few lines for the terminal: counts per stage and screener, then what waits for whom."""
    lines = ["Screening:"]
    for stage in STAGES:
        item = status[stage]
        counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in item["decisions"].items() if v)
        lines.append(f"  {STAGE_TITLES[stage]}: {item['records']} records" + (f" ({counts})" if counts else ""))
        if item.get("stopping"):
            lines.append(f"    stopping: {item['stopping']['message']}")
        for name, person in item["screeners"].items():
            lines.append(f"    {name}: {person['done']} done, {person['waiting']} waiting  [{person['file']}]")
            if person.get("stopping") and person["waiting"]:
                lines.append(f"      {person['stopping']['message']}")
            ranking = person.get("ranking") or {}
            if ranking.get("ranked") and person["waiting"]:
                more = ranking["rerun_after"]
                lines.append(f"      queue ranked on {ranking['trained_on']} decisions; rerun after {more} more "
                             f"decision{'s' if more > 1 else ''} for a fresh ranking")
            elif ranking.get("enabled") and person["done"] and person["waiting"]:
                lines.append("      queue in its stable order until there is at least one include and one exclude")
        conflicts = item["conflicts"]
        if conflicts["open"] or conflicts["resolved"]:
            lines.append(f"    conflicts: {conflicts['open']} open, {conflicts['resolved']} resolved  "
                         f"[{conflicts['file']}]")
        stage_agreement = (agreement or {}).get(stage) or {}
        if stage_agreement.get("both_decided"):
            kappa = stage_agreement.get("kappa")
            lines.append(f"    agreement: {stage_agreement['raw_agreement']:.0%} raw, kappa "
                         f"{'undefined' if kappa is None else f'{kappa:.2f}'} "
                         f"({stage_agreement['both_decided']} records decided by both)")
    waiting = status.get("waiting_for_people") or []
    if waiting:
        lines.append("Waiting for people: " + "; ".join(
            f"{w['file']} ({w['records']} for {w['who']})" for w in waiting))
    else:
        lines.append("Nothing is waiting for people.")
    return lines


def load_summary(results: str | os.PathLike[str] = "results") -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``status.json`` and ``agreement.json`` from a results folder, or ``None`` before the first run."""
    folder = Path(results) / "screening"
    status_file = folder / "status.json"
    if not status_file.exists():
        return None
    agreement_file = folder / "agreement.json"
    return _read_json(status_file), _read_json(agreement_file) if agreement_file.exists() else {}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScreeningFileError(f"not readable ({exc})", file=str(path),
                                 hint="the workflow writes it: rerun `snakemake`") from None


def changed_since(status_file: Path, files: Sequence[Path]) -> list[Path]:
    """Person files saved after the status was computed (the status is then out of date)."""
    if not status_file.exists():
        return []
    stamp = status_file.stat().st_mtime
    return [f for f in files if f.exists() and f.stat().st_mtime > stamp]



def print_summary(results: str | os.PathLike[str] = "results") -> None:
    """The end-of-run summary (the Snakefile's ``onsuccess:``); silent before screening exists."""
    loaded = load_summary(results)
    if loaded is not None:
        print("\n".join(summary_lines(*loaded)))
