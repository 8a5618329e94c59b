"""The search documentation PRISMA-S asks for, written from what the workflow can read.

``results/search/search_strategy.md`` (for people and the appendix of the paper) and
``search_strategy.json`` (the same facts for the report and other tools) say, for each
source: the database and the interface it was searched on, how (live through an API and
frozen as a snapshot, or by hand and exported), the exact string as run (the frozen live
request, or ``sources[].string_as_run`` for a search typed by hand) beside litsieve's
translation, with any difference in meaning between it and the protocol's query, the
limits, the date searched, the hits reported and the records obtained, the export files with their
SHA-256 checksums, and how many records the protocol's query does not match. The lint
findings for the string as the authors wrote it and the reading they intend come first,
because that is where databases disagree.

Sources of ``kind`` website, organisation or citation_search are PRISMA-S "other methods":
they were not searched with the string, so they are described by the method, what was
searched, the date and the records found, and are never checked against the query (a
reference from an included study's bibliography that the string would not find is not a
fault of the export).

Nothing here reads a clock: dates are data (``searched_on``, the snapshot's date), so the
files are byte-identical on every rerun over the same inputs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

from litsieve import __version__
from litsieve.fileio import atomic_write_text, file_sha256, iter_csv, write_json
from litsieve.logs import get_logger
from litsieve.query.lint import format_report, lint
from litsieve.query.parser import render
from litsieve.query.protocol import meaning_differences, protocol_query, string_as_run
from litsieve.query.translate import TARGET_LABELS, TARGETS
from litsieve.protocol import OTHER_METHODS, Review, Search, Source, StringAsRun
from litsieve.records_io import iter_records
from litsieve.search.protocol import describe_limits, source_translation, translations
from litsieve.search.snapshot import read_manifest

LOG = get_logger("search.strategy")
PLATFORM_LABELS = {**TARGET_LABELS, "other": "other interface"}
METHOD_LABELS = {
    "live": "searched live through the database's API; responses frozen in a dated snapshot",
    "export": "searched by hand in the database's interface; results exported to a file",
}


def write_lint_and_translations(search: Search, lint_path: str | os.PathLike[str],
                                translation_dir: str | os.PathLike[str]) -> None:
    """``results/search/lint.txt`` and ``translations/{target}.txt`` (fails on an ambiguous protocol)."""
    found = translations(search)  # raises QueryError first if the protocol is ambiguous
    atomic_write_text(lint_path, lint_text(search))
    for target in TARGETS:
        atomic_write_text(Path(translation_dir) / f"{target}.txt", found[target].report())


def lint_text(search: Search) -> str:
    """Lint reports for the string as written and for the intended reading."""
    written = search.query
    intended = render(protocol_query(search))
    parts = ["Search string as written in the protocol (search.query)", "", format_report(written, lint(written))]
    parts += ["Reading searched in every database (search.intended_query, fully parenthesised)", "",
              format_report(intended, lint(intended))]
    return "\n".join(parts)


def _records_per_file(records_csv: str | os.PathLike[str]) -> tuple[int, Counter[str]]:
    per_file: Counter[str] = Counter()
    total = 0
    for record in iter_records(records_csv):
        total += 1
        per_file[record.source_file] += 1
    return total, per_file


def _match_counts(match_csv: str | os.PathLike[str]) -> dict[str, int]:
    # Both counts are always present, 0 included: a perfect export has nothing unmatched.
    counts: Counter[str] = Counter(records=0, not_matching=0)
    for row in iter_csv(match_csv, required=("record_id", "matched", "failed_on")):
        counts["records"] += 1
        if row["matched"] != "true":
            counts["not_matching"] += 1
            for reason in filter(None, row["failed_on"].split("; ")):
                counts[f"failed_on_{reason}"] += 1
    return dict(sorted(counts.items()))


def _export_files(source: Source, per_file: Counter[str]) -> list[dict[str, Any]]:
    return [{"path": path, "sha256": file_sha256(path), "records": per_file.get(path, 0)}
            for path in source.files]


def other_method_entry(source: Source, records_csv: str) -> dict[str, Any]:
    """The PRISMA-S facts about a source found by other methods: no string, no query check."""
    total, per_file = _records_per_file(records_csv)
    entry: dict[str, Any] = {
        "name": source.name,
        "kind": source.kind,
        "method": OTHER_METHODS[source.kind],
        "searched": source.label if source.label != OTHER_METHODS[source.kind] else source.database,
        "database": source.database,
        "date_searched": source.searched_on,
        "records": total,
        "files": _export_files(source, per_file),
    }
    if not source.searched_on:
        entry["warning"] = (f"no searched_on date for this source; add `searched_on: YYYY-MM-DD` (the day "
                            f"it was searched) to source '{source.name}' in the protocol")
        LOG.warning("search documentation, source '%s': %s", source.name, entry["warning"])
    return entry


def source_entry(search: Search, source: Source, records_csv: str,
                 match_csv: str | None, snapshot_manifest: str | None) -> dict[str, Any]:
    """The PRISMA-S facts about one source searched with the string (a database or register)."""
    if source.other_method:
        return other_method_entry(source, records_csv)
    platform = source.platform
    translation = source_translation(search, source)
    total, per_file = _records_per_file(records_csv)
    warnings: list[str] = []
    entry: dict[str, Any] = {
        "name": source.name,
        "kind": source.kind,
        "database": source.database,
        "platform": platform,
        "method": source.method,
        "records": total,
        "limits": list(translation.limits) if translation else describe_limits(search),
    }
    if translation:
        entry["string"] = translation.text
        entry["translation"] = translation.text
        if translation.approximations:
            entry["approximations"] = list(translation.approximations)
        if translation.for_review:
            entry["for_review"] = list(translation.for_review)
    else:
        entry["string"] = render(protocol_query(search))
        entry["string_note"] = ("litsieve has no translation for this interface; the intended query is "
                                "given in litsieve's syntax: adapt its field codes by hand")
    if source.as_run is not None and source.string_as_run and not snapshot_manifest:
        entry["string"] = source.string_as_run
        entry["string_as_run_from"] = "the protocol (sources[].string_as_run)"
        entry["meaning_differences"] = meaning_differences(
            string_as_run(source.as_run), protocol_query(search), search.fields, **_limits(search))
    elif not snapshot_manifest:
        entry["string_as_run_from"] = "not recorded"
        entry["string_note"] = ("the protocol does not record the string as it was typed in this database, so "
                                "litsieve's translation is shown; PRISMA-S asks for the exact string: add it "
                                f"as string_as_run to source '{source.name}'")
    if snapshot_manifest:
        manifest = read_manifest(Path(snapshot_manifest).parent)
        entry.update(
            date_searched=manifest.get("date"),
            hits=manifest.get("count_reported"),
            string=manifest.get("query"),
            snapshot={
                "folder": str(Path(snapshot_manifest).parent),
                "started_at": manifest.get("started_at"),
                "finished_at": manifest.get("finished_at"),
                "service": manifest.get("service"),
                "parameters": manifest.get("parameters", {}),
                "database_translation": manifest.get("query_translation", ""),
                "litsieve_version": manifest.get("litsieve_version"),
                "files": len(manifest.get("files", {})),
                "manifest_sha256": file_sha256(snapshot_manifest),
            },
        )
        entry["string_as_run_from"] = "the request frozen in the snapshot"
        if manifest.get("query"):
            entry["meaning_differences"] = meaning_differences(
                string_as_run(StringAsRun(source.name, source.platform, manifest["query"])),
                protocol_query(search), search.fields,
                **_limits(search))
        if translation and manifest.get("query") != translation.text:
            warnings.append("the snapshot was taken with a different string from the protocol's current "
                            f"translation; run `litsieve search refresh --source {source.name}`")
        changes = manifest.get("hit_count_changes")
        if changes:
            entry["hit_count_changes"] = changes
            warnings.append("the service's hit count changed during the fetch ("
                            + ", ".join(f"{c['hit_count']} on page {c['page']}" for c in changes)
                            + "): the database changed while it was searched, so the snapshot may miss or "
                            f"repeat a record; run `litsieve search refresh --source {source.name}` for a "
                            "consistent one")
    else:
        entry["date_searched"] = source.searched_on
        entry["hits"] = total
        entry["files"] = _export_files(source, per_file)
        if not source.searched_on:
            warnings.append(f"no searched_on date for this export; add `searched_on: YYYY-MM-DD` to "
                            f"source '{source.name}' in the protocol")
    if match_csv:
        entry["query_check"] = {"file": str(match_csv), **_match_counts(match_csv)}
        check = entry["query_check"]
        if check["records"] and check["not_matching"] == check["records"]:
            warnings.append(f"none of the {check['records']} records of this source is matched by the protocol's "
                            "query with its limits: check that the export is the result of the documented search "
                            f"(rows in {match_csv})")
    if warnings:
        entry["warning"] = "; ".join(warnings)
        for warning in warnings:
            LOG.warning("search documentation, source '%s': %s", source.name, warning)
    return entry


def _limits(search: Search) -> dict[str, Any]:
    return {"years": search.years.closed() if search.years else None, "languages": search.languages}


def build_strategy(review: Review, search: Search, sources: Sequence[Source], records: Mapping[str, str],
                   matches: Mapping[str, str], manifests: Mapping[str, str]) -> dict[str, Any]:
    """The whole PRISMA-S document as data (what ``search_strategy.json`` holds)."""
    found = translations(search)
    written = search.query
    intended = render(protocol_query(search))
    entries = [
        source_entry(search, source, records[source.name], matches.get(source.name), manifests.get(source.name))
        for source in sources
    ]
    return {
        "review": {"title": review.title, "id": review.id},
        "generated_by": f"litsieve {__version__}",
        "query": {
            "written": written,
            "intended": intended,
            "intended_as_configured": search.intended_query,
            "lint_written": [_finding(f) for f in lint(written)],
            "lint_intended": [_finding(f) for f in lint(intended)],
        },
        "limits": describe_limits(search),
        "translations": {target: {"text": t.text, "limits": list(t.limits), "notes": list(t.notes),
                                  "parameters": dict(t.parameters)} for target, t in found.items()},
        "sources": entries,
        "total_records": sum(s["records"] for s in entries),
    }


def _finding(finding: Any) -> dict[str, Any]:
    return {"code": finding.code, "severity": finding.severity, "start": finding.span[0],
            "end": finding.span[1], "message": finding.message, "details": list(finding.details),
            "hint": finding.hint}


def render_markdown(doc: Mapping[str, Any], lint_report: str) -> str:
    """The strategy as Markdown, in the order PRISMA-S lists its items."""
    q = doc["query"]
    out = [f"# Search strategy: {doc['review']['title']}", "",
           f"Written by {doc['generated_by']} from the protocol and the files the "
           "workflow read. Items follow PRISMA-S (Rethlefsen et al., 2021).", "",
           "## Search string", "", "As written in the protocol:", "", "```text", q["written"], "```", "",
           "Reading searched in every database (fully parenthesised):", "", "```text", q["intended"], "```", "",
           "Limits: " + "; ".join(doc["limits"]) + ".", "",
           "### Checks of the string (litsieve query lint)", "", "```text", lint_report.rstrip(), "```", "",
           "## Sources", "",
           "| source | database | interface | method | date searched | hits | records | not matching the query |",
           "|---|---|---|---|---|---|---|---|"]
    searched = [s for s in doc["sources"] if s.get("kind") not in OTHER_METHODS]
    others = [s for s in doc["sources"] if s.get("kind") in OTHER_METHODS]
    for s in searched:
        check = s.get("query_check")
        out.append(f"| {s['name']} | {s['database']} | {PLATFORM_LABELS.get(s['platform'], s['platform'])} | "
                   f"{s['method']} | {s.get('date_searched') or 'not given'} | {s.get('hits', '')} | "
                   f"{s['records']} | {check['not_matching'] if check else 'n/a'} |")
    if others:
        out += ["", "## Other methods", "",
                "Not searched with the string, so not checked against the query (PRISMA-S items 4-7).", "",
                "| source | method | what was searched | date searched | records |", "|---|---|---|---|---|"]
        out += [f"| {s['name']} | {s['method']} | {s['searched']} | {s.get('date_searched') or 'not given'} | "
                f"{s['records']} |" for s in others]
    out += ["", f"Records from all sources, before deduplication: {doc['total_records']}.", ""]
    for s in searched:
        out += _source_markdown(s)
    for s in others:
        out += _other_method_markdown(s)
    out += ["## Strings for every interface", "",
            "The same reading translated for each interface (also in results/search/translations/).", ""]
    for target, t in doc["translations"].items():
        out += [f"### {TARGET_LABELS[target]}", "", "```text", t["text"], "```", ""]
        if t["limits"]:
            out += ["Limits: " + "; ".join(t["limits"]) + ".", ""]
    return "\n".join(out).rstrip() + "\n"


def _source_markdown(s: Mapping[str, Any]) -> list[str]:
    out = [f"## {s['name']}", "",
           f"- Database: {s['database']}",
           f"- Interface: {PLATFORM_LABELS.get(s['platform'], s['platform'])}",
           f"- Method: {METHOD_LABELS.get(s['method'], s['method'])}",
           f"- Date searched: {s.get('date_searched') or 'not given'}",
           (f"- Hits reported by the service: {s.get('hits')}; records obtained: {s['records']}"
            if s.get("snapshot") else f"- Records in the export files: {s['records']}"),
           "- Limits: " + ("; ".join(s["limits"]) or "none"), "",
           f"String as run (from {s.get('string_as_run_from', 'litsieve')}):", "", "```text", s["string"], "```", ""]
    if s.get("translation") and s["translation"] != s["string"]:
        out += ["litsieve's translation of the protocol's query for this interface:", "", "```text",
                s["translation"], "```", ""]
    if s.get("string_note"):
        out += [f"Note: {s['string_note']}.", ""]
    if s.get("for_review"):
        out += ["For a person to decide in this database's thesaurus:", ""]
        out += [f"- {item}" for item in s["for_review"]] + [""]
    if s.get("approximations"):
        out += ["Where litsieve's translation searches something other than the query:", ""]
        out += [f"- {item}" for item in s["approximations"]] + [""]
    if s.get("meaning_differences"):
        out += ["**The string as run differs in meaning from the protocol's query:** "
                + "; ".join(s["meaning_differences"]) + ".", ""]
    elif "meaning_differences" in s:
        out += ["The string as run has the same meaning as the protocol's query (compared term by term "
                "and group by group; limits are listed above).", ""]
    if s.get("warning"):
        out += [f"**Warning:** {s['warning']}.", ""]
    snapshot = s.get("snapshot")
    if snapshot:
        out += [f"Snapshot: `{snapshot['folder']}` ({snapshot['files']} response files, manifest SHA-256 "
                f"`{snapshot['manifest_sha256']}`), fetched {snapshot['started_at']} to {snapshot['finished_at']} "
                f"from {snapshot['service']} by litsieve {snapshot['litsieve_version']}.", ""]
        if snapshot["database_translation"]:
            out += ["How the database read the string:", "", "```text", snapshot["database_translation"], "```", ""]
        params = ", ".join(f"{k}={v}" for k, v in sorted(snapshot["parameters"].items()))
        out += [f"Request parameters: {params}.", ""]
    if s.get("files") is not None:
        out += ["| export file | SHA-256 | records |", "|---|---|---|"]
        out += [f"| {f['path']} | `{f['sha256']}` | {f['records']} |" for f in s["files"]]
        out.append("")
    check = s.get("query_check")
    if check:
        reasons = [f"{k[len('failed_on_'):]}: {v}" for k, v in check.items() if k.startswith("failed_on_")]
        out += [f"Checked against the query: {check['not_matching']} of {check['records']} records "
                "are not matched by the intended query with its limits"
                + (f" ({', '.join(reasons)})" if reasons else "") + f"; rows in `{check['file']}`.", ""]
    return out


def _other_method_markdown(s: Mapping[str, Any]) -> list[str]:
    out = [f"## {s['name']}", "",
           f"- Method: {s['method']} (other methods; no search string)",
           f"- What was searched: {s['searched']}",
           f"- Date searched: {s.get('date_searched') or 'not given'}",
           f"- Records found: {s['records']}", ""]
    if s.get("warning"):
        out += [f"**Warning:** {s['warning']}.", ""]
    if s["files"]:
        out += ["| file | SHA-256 | records |", "|---|---|---|"]
        out += [f"| {f['path']} | `{f['sha256']}` | {f['records']} |" for f in s["files"]]
        out.append("")
    return out


def write_search_strategy(review: Review, search: Search, sources: Sequence[Source],
                          records: Mapping[str, str], matches: Mapping[str, str], manifests: Mapping[str, str],
                          out_md: str | os.PathLike[str], out_json: str | os.PathLike[str]) -> None:
    """Write both strategy files (the rule ``search_strategy`` calls this)."""
    doc = build_strategy(review, search, sources, records, matches, manifests)
    write_json(out_json, doc)
    atomic_write_text(out_md, render_markdown(doc, format_report(doc["query"]["written"],
                                                                 lint(doc["query"]["written"]))))


def write_strategy_from_inputs(review: Review, search: Search, sources: Sequence[Source],
                               inputs: Any, outputs: Any) -> None:
    """The rule's named inputs (records, matches, manifests) mapped back to their sources."""
    records = {Path(p).stem: str(p) for p in inputs.records}
    matches = {Path(p).stem: str(p) for p in inputs.checks}
    manifests = {Path(p).parent.parent.name: str(p) for p in inputs.manifests}
    write_search_strategy(review, search, sources, records, matches, manifests, outputs.md, outputs.json)


def summary_lines(results: str | os.PathLike[str] = "results") -> list[str]:
    """The end-of-run line about the search: where its documentation is, and per source how
    many exported records the protocol's query does not match (they are removed before
    screening, so a reviewer should know the number)."""
    strategy = Path(results) / "search" / "search_strategy.json"
    if not strategy.exists():
        return []
    doc = json.loads(strategy.read_text(encoding="utf-8"))
    # .get: a search_strategy.json written before every count was always present.
    checked = [f"{s['name']} {s['query_check'].get('not_matching', 0)} of {s['query_check'].get('records', 0)}"
               for s in doc["sources"] if s.get("query_check")]
    line = f"Search documentation: {strategy.with_suffix('.md')} (+ .json)"
    if checked:
        line += "; exported records the query does not match: " + ", ".join(checked)
    return [line]
