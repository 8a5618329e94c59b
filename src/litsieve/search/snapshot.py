"""Frozen searches: the dated snapshot folders a live search writes and the workflow reads.

A live search is only reproducible if what it returned is kept. ``litsieve search refresh``
writes every raw response into ``<paths.snapshots>/<source>/.partial/`` as it arrives (so
an interrupted fetch resumes instead of starting again), then, once the counts check out,
adds ``manifest.json`` (query as sent, parameters, count reported, date and time, litsieve
version, SHA-256 of every file) and renames the folder to ``<source>/<YYYY-MM-DD>/``.
Review teams commit that folder. The workflow reads it offline: :func:`snapshot_input_files`
names its files as rule inputs and :func:`read_snapshot_records` turns them back into
records after checking every checksum, so a rerun anywhere gives the same records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from litsieve.errors import SearchError
from litsieve.fileio import atomic_write_bytes, file_sha256, write_json
from litsieve.logs import get_logger
from litsieve.protocol import Source
from litsieve.record import Record, assign_ids
from litsieve.search.http import redact_bytes

LOG = get_logger("search.snapshot")
MANIFEST = "manifest.json"
PARTIAL = ".partial"
STATE = "state.json"
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def utc_now() -> dt.datetime:
    """The current time in UTC, whole seconds (the time stamp a snapshot records)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass
class PartialSnapshot:
    """A snapshot being fetched: raw responses land here one by one, atomically.

    ``fingerprint`` identifies the search (query and parameters); a partial folder left by
    a different search is discarded rather than mixed in. Callers keep an answer only after
    checking it (a maintenance page or a cut body kept here would be "resumed" from on
    every later run), and ``secrets`` a service echoed back are replaced by ``***`` before
    anything touches the disk.
    """

    folder: Path
    started_at: str
    secrets: tuple[str, ...] = ()

    @classmethod
    def open(cls, source_dir: Path, fingerprint: Mapping[str, Any], *, secrets: Sequence[str] = ()) -> "PartialSnapshot":
        folder = source_dir / PARTIAL
        state_path = folder / STATE
        kept = tuple(s for s in secrets if s)
        if state_path.exists():
            state = json.loads(state_path.read_text(encoding="utf-8"))
            if state.get("fingerprint") == fingerprint:
                done = len([n for n in os.listdir(folder) if n != STATE and not n.startswith(".")])
                LOG.info("resuming the interrupted search in %s (%d responses already kept)", folder, done)
                return cls(folder, state["started_at"], kept)
            LOG.warning("discarding %s: it belongs to a different query or parameters", folder)
        if folder.exists():
            shutil.rmtree(folder)
        started = utc_now().isoformat().replace("+00:00", "Z")
        write_json(state_path, {"fingerprint": dict(fingerprint), "started_at": started})
        return cls(folder, started, kept)

    def has(self, name: str) -> bool:
        return (self.folder / name).exists()

    def write(self, name: str, data: bytes) -> None:
        """Keep a checked answer (the API key and e-mail replaced if the service echoed them)."""
        clean = redact_bytes(data, self.secrets)
        if clean != data:
            LOG.warning("%s: the service repeated the API key or e-mail address in its answer; "
                        "replaced by *** before the answer was kept", name)
        atomic_write_bytes(self.folder / name, clean)

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()

    def discard(self, name: str, problem: str) -> None:
        """Drop a kept answer that is not usable (kept by an older litsieve before it was
        checked), so it is fetched again instead of failing every resume."""
        LOG.warning("%s: the kept answer is not usable (%s); fetching it again", self.folder / name, problem)
        (self.folder / name).unlink()

    def files(self) -> list[str]:
        """The responses kept so far, sorted by name (the fetch order)."""
        return sorted(n for n in os.listdir(self.folder) if n != STATE and not n.startswith("."))

    def finish(self, manifest: dict[str, Any], *, secrets: Sequence[str], replace: bool = False) -> Path:
        """Seal the snapshot: refuse if a secret leaked into any file, add the manifest, rename.

        The folder is named after the UTC date the search started (the date searched).
        """
        files = self.files()
        for name in files:
            data = (self.folder / name).read_bytes()
            for secret in secrets:
                if secret and secret.encode("utf-8") in data:
                    raise SearchError(
                        "a response contains the API key or e-mail address; the snapshot was not sealed",
                        file=str(self.folder / name),
                        hint="delete this .partial folder and report it as a litsieve bug",
                    )
        manifest = dict(manifest)
        manifest["started_at"] = self.started_at
        manifest["date"] = self.started_at[:10]
        manifest["files"] = {name: file_sha256(self.folder / name) for name in files}
        text = json.dumps(manifest, sort_keys=True)
        if any(secret and secret in text for secret in secrets):
            raise SearchError("the manifest would contain the API key or e-mail address",
                              hint="report it as a litsieve bug")
        write_json(self.folder / MANIFEST, manifest)
        target = self.folder.parent / manifest["date"]
        if target.exists():
            if not replace:
                raise SearchError(
                    f"a snapshot for {manifest['date']} already exists; the new one is kept in {self.folder}",
                    file=str(target), hint="rerun with --replace to overwrite today's snapshot",
                )
            shutil.rmtree(target)
        (self.folder / STATE).unlink()
        os.replace(self.folder, target)
        return target


def source_dir(root: str | os.PathLike[str], source_name: str) -> Path:
    return Path(root) / source_name


def list_snapshots(root: str | os.PathLike[str], source_name: str) -> list[Path]:
    """Sealed snapshot folders of a source, oldest first."""
    folder = source_dir(root, source_name)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and _DATED.match(p.name) and (p / MANIFEST).exists())


def select_snapshot(root: str | os.PathLike[str], source: Source) -> Path:
    """The snapshot a live source uses: the one pinned by ``snapshot:``, else the latest."""
    name = source.name
    pinned = source.snapshot
    found = list_snapshots(root, name)
    if pinned:
        for folder in found:
            if folder.name == pinned:
                return folder
        raise SearchError(
            f"live source '{name}' pins snapshot {pinned}, which does not exist under {source_dir(root, name)}",
            field=f"sources.{name}.snapshot",
            hint=f"available: {', '.join(f.name for f in found) or 'none'}; fix the date or remove the key",
        )
    if not found:
        raise SearchError(
            f"live source '{name}' has no snapshot under {source_dir(root, name)}",
            field=f"sources.{name}.method",
            hint=f"run `litsieve search refresh --source {name}` once (it needs the network), then commit the folder it writes",
        )
    return found[-1]


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SearchError(f"cannot read the snapshot manifest: {exc}", file=str(path),
                          hint="restore the snapshot folder from version control") from None


def snapshot_input_files(root: str | os.PathLike[str], source: Source) -> list[str]:
    """The files of a live source's snapshot (manifest first), as workflow rule inputs."""
    folder = select_snapshot(root, source)
    manifest = read_manifest(folder)
    return [str(folder / MANIFEST)] + [str(folder / name) for name in sorted(manifest.get("files", {}))]


def verify_snapshot(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file the manifest lists exists and has the recorded SHA-256."""
    for name, digest in sorted(manifest.get("files", {}).items()):
        path = folder / name
        if not path.exists():
            raise SearchError("a file of the snapshot is missing", file=str(path),
                              hint="restore the snapshot folder from version control")
        if file_sha256(path) != digest:
            raise SearchError(
                "the file changed after the snapshot was taken (checksum differs from manifest.json)",
                file=str(path),
                hint="restore it from version control, or take a new snapshot with `litsieve search refresh`",
            )


def read_snapshot_records(paths: Iterable[str | os.PathLike[str]], source: Source) -> list[Record]:
    """The records of a live source, read offline from its snapshot files.

    ``paths`` are the rule's inputs (:func:`snapshot_input_files`); ``source`` is the
    source's protocol entry. Checksums are checked first; records repeated across date
    slices or pages are kept once, in fetch order; ids are the database's own.
    """
    manifests = [Path(p) for p in paths if Path(p).name == MANIFEST]
    if len(manifests) != 1:
        raise SearchError(f"expected one {MANIFEST} among the snapshot files, found {len(manifests)}",
                          field=f"sources.{source.name}",
                          hint="the input of a live source is its snapshot folder")
    folder = manifests[0].parent
    manifest = read_manifest(folder)
    if manifest.get("source") != source.name:
        raise SearchError(
            f"the snapshot was taken for source '{manifest.get('source')}', not '{source.name}'",
            file=str(manifests[0]), field="source", hint="take a snapshot for this source",
        )
    verify_snapshot(folder, manifest)
    platform = manifest.get("platform")
    if platform == "pubmed":
        from litsieve.search.pubmed import snapshot_records
    elif platform == "europepmc":
        from litsieve.search.europepmc import snapshot_records
    else:
        raise SearchError(f"unknown snapshot platform {platform!r}", file=str(manifests[0]), field="platform")
    records = snapshot_records(folder, manifest)
    unique: dict[str, Record] = {}
    for record in records:
        unique.setdefault(record.record_id, record)
    if len(unique) != manifest.get("records"):
        raise SearchError(
            f"the snapshot holds {len(unique)} records but its manifest says {manifest.get('records')}",
            file=str(manifests[0]), field="records",
            hint="restore the snapshot from version control or refresh it",
        )
    return assign_ids(list(unique.values()), source.name)


def import_snapshot(paths: Iterable[str | os.PathLike[str]], source: Source,
                    out: str | os.PathLike[str]) -> list[Record]:
    """The ``import_snapshot`` rule: a live source's records, read offline from its snapshot,
    written as ``results/records/sources/{source}.csv`` like an exported source's."""
    from litsieve.records_io import write_records

    records = read_snapshot_records(paths, source)
    write_records(out, records)
    LOG.info("%s: %d records from its snapshot", source.name, len(records))
    return records
