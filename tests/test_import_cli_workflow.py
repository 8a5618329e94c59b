"""`litsieve import` and the import stage's rule functions (import_source, combine_sources)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_snakemake
from litsieve.cli import main
from litsieve.errors import ImportFormatError
from litsieve.importers.workflow import combine_sources, import_source
from protocols import source_entry
from litsieve.record import RECORD_FIELDS, Record
from litsieve.records_io import read_records, write_records

DATA = Path(__file__).parent / "data" / "import"


def test_cli_writes_record_model_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    status = main(["import", str(DATA / "ris_scopus.ris"), str(DATA / "medline_pubmed.nbib"),
                   "-o", str(out)])
    assert status == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[: len(RECORD_FIELDS)] == list(RECORD_FIELDS)
    assert len(rows) == 4
    assert rows[0]["record_id"] == "ris_scopus:2-s2.0-84875800000"
    assert rows[2]["record_id"] == "medline_pubmed:21827289"
    assert rows[2]["authors"] == "Repper, Julie; Carter, Tim"
    assert "wrote 4 records" in capsys.readouterr().err
    # Byte-identical on rerun.
    first = out.read_bytes()
    main(["import", str(DATA / "ris_scopus.ris"), str(DATA / "medline_pubmed.nbib"), "-o", str(out)])
    assert out.read_bytes() == first


def test_cli_source_format_and_verbatim_csv_ids(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["import", str(DATA / "csv_generic.tsv"), "--format", "csv", "--source", "mine",
                 "-o", str(out)]) == 0
    records = read_records(out)
    assert [r.record_id for r in records] == ["mine-1", "mine-1~2"]
    assert {r.source for r in records} == {"mine"}


def test_cli_neutralises_formulas_and_reads_its_own_output_back(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    main(["import", str(DATA / "csv_scopus.csv"), "-o", str(out)])
    raw = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and ",-A title starting with a dash," in raw  # a word after a dash is not evaluated
    again = tmp_path / "again.csv"
    main(["import", str(out), "-o", str(again)])
    before, after = read_records(out), read_records(again)
    assert [r.to_row() for r in after] == [r.to_row() for r in before]
    assert after[1].title == "-A title starting with a dash"


def test_cli_error_is_one_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["import", str(DATA / "ris_truncated.ris"), "-o", str(tmp_path / "out.csv")])
    assert status != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("litsieve import: error: ") and "ris_truncated.ris, line 5" in err
    assert not (tmp_path / "out.csv").exists()


def test_import_source_uses_configured_format_and_name(tmp_path: Path) -> None:
    out = tmp_path / "psycinfo.csv"
    records = import_source([DATA / "ris_ebscohost_psycinfo.ris", DATA / "ris_ovid.ris"], "psycinfo", out, fmt="ris")
    assert len(records) == 4
    assert [r.record_id for r in read_records(out)][0] == "psycinfo:2016-12345-001"
    with pytest.raises(ImportFormatError, match="lists no export files"):
        import_source([], "psycinfo", out)


def test_a_file_listed_twice_in_a_source_is_read_once_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 16.12: every record would be counted twice in the PRISMA diagram."""
    copy = tmp_path / "saved_again.ris"
    shutil.copy(DATA / "ris_ovid.ris", copy)
    files = [DATA / "ris_ovid.ris", DATA / "ris_ovid.ris", copy]
    with caplog.at_level("WARNING", logger="litsieve"):
        records = import_source(files, "psycinfo", tmp_path / "psycinfo.csv", fmt="ris")
    assert len(records) == len(import_source([DATA / "ris_ovid.ris"], "psycinfo", tmp_path / "once.csv", fmt="ris"))
    assert "ris_ovid.ris is listed twice in its `files:`; it is read once" in caplog.text
    assert f"{copy} has the same content as {DATA / 'ris_ovid.ris'}" in caplog.text


def test_a_live_source_is_imported_from_its_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import litsieve.search.snapshot as snapshot

    seen = {}

    def fake(paths, source):  # type: ignore[no-untyped-def]
        seen["paths"], seen["source"] = list(paths), source
        return [Record(record_id="pubmed:1", source="pubmed", title="From the snapshot")]

    monkeypatch.setattr(snapshot, "read_snapshot_records", fake)
    out = tmp_path / "pubmed.csv"
    snapshot.import_snapshot(["snap/manifest.json"], source_entry(name="pubmed", database="pubmed", method="live"), out)
    assert seen["paths"] == ["snap/manifest.json"]
    assert read_records(out)[0].title == "From the snapshot"


def test_combine_sorts_sources_counts_and_refuses_shared_ids(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_records(sources / "pubmed.csv", [
        Record(record_id="pubmed:1", source="pubmed", source_file="a.txt", title="A"),
        Record(record_id="pubmed:2", source="pubmed", source_file="b.txt", title="B"),
    ])
    write_records(sources / "embase.csv", [
        Record(record_id="embase:L1", source="embase", source_file="e.ris", title="E"),
    ])
    all_csv, counts = tmp_path / "all.csv", tmp_path / "counts.tsv"
    combine_sources([sources / "pubmed.csv", sources / "embase.csv"], all_csv, counts)
    assert [r.record_id for r in read_records(all_csv)] == ["embase:L1", "pubmed:1", "pubmed:2"]
    assert counts.read_text() == "source\tfiles\trecords\nembase\t1\t1\npubmed\t2\t2\n"

    write_records(sources / "hand.csv", [Record(record_id="pubmed:2", source="hand", title="X")])
    with pytest.raises(ImportFormatError) as caught:
        combine_sources([sources / "pubmed.csv", sources / "hand.csv"], all_csv, counts)
    message = str(caught.value)
    assert "'hand'" in message and "'pubmed'" in message and "pubmed:2" in message


@pytest.mark.slow
def test_snakemake_imports_each_source_and_combines(workflow_dir: Path) -> None:
    exports = workflow_dir / "resources" / "exports"
    exports.mkdir(parents=True)
    for name in ("ris_ebscohost_psycinfo.ris", "medline_pubmed.nbib", "csv_embase.csv"):
        shutil.copy(DATA / name, exports / name)
    config_path = workflow_dir / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["sources"] = [
        {"name": "psycinfo", "database": "psycinfo", "platform": "ebsco",
         "files": ["resources/exports/ris_ebscohost_psycinfo.ris"]},
        {"name": "pubmed", "database": "pubmed", "platform": "pubmed",
         "files": ["resources/exports/medline_pubmed.nbib"]},
        {"name": "embase", "database": "embase", "format": "csv",
         "files": ["resources/exports/csv_embase.csv"]},
    ]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    run_snakemake(workflow_dir, "results/records/all.csv", "results/records/counts.tsv")
    counts = (workflow_dir / "results" / "records" / "counts.tsv").read_text()
    assert counts == "source\tfiles\trecords\nembase\t1\t1\npsycinfo\t1\t2\npubmed\t1\t2\n"
    records = read_records(workflow_dir / "results" / "records" / "all.csv")
    assert [r.source for r in records] == ["embase", "psycinfo", "psycinfo", "pubmed", "pubmed"]
    assert records[1].source_file == "resources/exports/ris_ebscohost_psycinfo.ris"
    log = (workflow_dir / "results" / "logs" / "import" / "combine.log").read_text()
    assert "all sources: 5 records from 3 source(s)" in log
