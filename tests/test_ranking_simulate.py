"""litsieve simulate: every record once, deterministic, and blind to labels it has not screened."""

from __future__ import annotations

import csv
import gzip
import random
from pathlib import Path

import pytest

from litsieve.cli import main
from litsieve.errors import ImportFormatError
from litsieve.ranking.simulate import LabelOracle, read_simulation_data, replay, simulate

TOPIC = "peer support mental health service users recovery mentoring lived experience wellbeing".split()
OTHER = "surgery knee cancer chemotherapy trial dosage kidney cardiac imaging children school".split()
COMMON = "study results method patients analysis outcome participants data effect group".split()


def synthetic(n: int = 240, relevant: int = 12, seed: int = 0) -> tuple[list[str], list[str], dict[str, int]]:
    """Records whose text mostly, but not always, tells relevant from irrelevant."""
    rng = random.Random(seed)
    ids, texts, labels = [], [], {}
    for i in range(n):
        label = 1 if i < relevant else 0
        pool = TOPIC if (label == 1) == (rng.random() < 0.85) else OTHER
        words = [rng.choice(pool) for _ in range(8)] + [rng.choice(COMMON) for _ in range(12)]
        record_id = f"rec{i:04d}"
        ids.append(record_id)
        texts.append(" ".join(words))
        labels[record_id] = label
    order = list(range(n))
    rng.shuffle(order)
    return [ids[i] for i in order], [texts[i] for i in order], labels


def write_data(path: Path, ids: list[str], texts: list[str], labels: dict[str, int]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Title", "Abstract", "Included"])
        for record_id, text in zip(ids, texts):
            writer.writerow([record_id, text[:30], text, labels[record_id]])
    return path


def test_every_record_screened_once_priors_first() -> None:
    ids, texts, labels = synthetic()
    steps = replay(ids, texts, LabelOracle(labels), seed=1)
    order = [s.record_id for s in steps]
    assert sorted(order) == sorted(ids)
    assert [labels[order[0]], labels[order[1]]] == [1, 0]
    assert all(s.label == labels[s.record_id] for s in steps)


def test_same_seed_same_order_other_seed_other_priors() -> None:
    ids, texts, labels = synthetic()
    first = [s.record_id for s in replay(ids, texts, LabelOracle(labels), seed=3)]
    again = [s.record_id for s in replay(ids, texts, LabelOracle(labels), seed=3)]
    assert first == again
    priors = {tuple(s.record_id for s in replay(ids, texts, LabelOracle(labels), seed=s)[:2]) for s in range(1, 6)}
    assert len(priors) > 1


def test_ranking_finds_relevant_records_early() -> None:
    ids, texts, labels = synthetic(n=300, relevant=15)
    steps = replay(ids, texts, LabelOracle(labels), seed=2)
    found_in_first_fifth = sum(s.label for s in steps[: len(steps) // 5])
    assert found_in_first_fifth >= 10  # random order would find about 3


@pytest.mark.parametrize("cut", [2, 5, 23, 60, 150])
def test_order_cannot_see_labels_of_unscreened_records(cut: int) -> None:
    """Flip every label the replay had not read by position ``cut``: the first ``cut`` records stay the same."""
    ids, texts, labels = synthetic()
    oracle = LabelOracle(labels)
    original = [s.record_id for s in replay(ids, texts, oracle, seed=4)]
    seen = set(original[:cut]) | oracle.peeked
    poisoned = {rid: (1 - label if rid not in seen else label) for rid, label in labels.items()}
    assert poisoned != labels
    replayed = [s.record_id for s in replay(ids, texts, LabelOracle(poisoned), seed=4)]
    assert replayed[:cut] == original[:cut]
    assert replayed != original  # the poison does change what comes later


def test_oracle_reveals_only_screened_records() -> None:
    ids, texts, labels = synthetic(n=60, relevant=5)
    oracle = LabelOracle(labels)
    with pytest.raises(AttributeError):
        oracle.labels  # noqa: B018 - the table is private
    oracle.screen(ids[0])
    with pytest.raises(ValueError):
        oracle.screen(ids[0])


def test_cli_writes_order_and_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids, texts, labels = synthetic()
    data = write_data(tmp_path / "data.csv", ids, texts, labels)
    out1, out2 = tmp_path / "o1.csv", tmp_path / "o2.csv"
    assert main(["simulate", str(data), "--label-column", "included", "--seed", "7", "-o", str(out1)]) == 0
    assert main(["simulate", str(data), "--label-column", "Included", "--seed", "7", "-o", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    with open(out1, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["record_id"] for r in rows].count(ids[0]) == 1
    assert sorted(r["record_id"] for r in rows) == sorted(ids)
    assert "WSS@95" in capsys.readouterr().err


def test_gzip_and_row_number_ids(tmp_path: Path) -> None:
    path = tmp_path / "data.csv.gz"
    rows = "TITLE,abstract,label\n" + "".join(f"t{i},peer support {i},{1 if i < 3 else 0}\n" for i in range(20))
    path.write_bytes(gzip.compress(rows.encode()))
    data = read_simulation_data(path, "LABEL")
    assert data.record_ids[:3] == ["1", "2", "3"]
    steps = simulate(data, seed=1)
    assert len({s.record_id for s in steps}) == 20


def test_bad_label_names_row_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,title,label\na,x,1\nb,y,maybe\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_simulation_data(path, "label")
    assert caught.value.location.row == 3 and caught.value.location.field == "label"
    assert main(["simulate", str(path), "--label-column", "label", "--seed", "1", "-o", str(tmp_path / "o.csv")]) == 2
    assert "row 3" in capsys.readouterr().err


def test_missing_label_column_and_single_class(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("id,title,label\na,x,1\nb,y,1\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no column 'decision'"):
        read_simulation_data(path, "decision")
    with pytest.raises(ImportFormatError, match="at least one relevant"):
        read_simulation_data(path, "label")


def test_replay_screens_what_the_queue_would_show_next() -> None:
    """One code path: at every retrain the replay takes the head of order_queue for the decisions so far."""
    from litsieve.ranking import order_queue
    from litsieve.ranking.schedule import batch_size
    from litsieve.record import Record

    ids, texts, labels = synthetic(n=160, relevant=10)
    steps = replay(ids, texts, LabelOracle(labels), seed=5)
    records = [Record(record_id=rid, title="", abstract=text) for rid, text in zip(ids, texts)]
    checked = 0
    for index in range(2, len(steps)):
        if steps[index].trained_on != index:
            continue  # not a retrain point
        decided = {s.record_id: s.label for s in steps[:index]}
        batch = [s.record_id for s in steps[index:index + batch_size(index)]]
        assert order_queue(records, {}, decided)[: len(batch)] == batch
        checked += 1
    assert checked > 50
