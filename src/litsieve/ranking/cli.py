"""``litsieve simulate``: replay a labelled review with the queue's ranking code."""

from __future__ import annotations

import argparse
import sys

from litsieve.fileio import write_csv
from litsieve.ranking.metrics import ranking_metrics
from litsieve.ranking.simulate import read_simulation_data, simulate
from litsieve.ranking.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL_TARGET, first_stop, hypergeometric_rule

ORDER_COLUMNS = ("record_id", "label", "trained_on")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "simulate",
        help="replay screening of a labelled data set with the queue's ranking",
        description="Replay screening of a labelled CSV: one relevant and one irrelevant record "
        "drawn with the seed first, then the ranker's order, retrained on the queue's schedule. "
        "Writes the screening order (record_id, label, trained_on) and prints a summary.",
    )
    parser.add_argument("data", metavar="DATA.csv", help="CSV (or .csv.gz) with title/abstract columns")
    parser.add_argument("--label-column", required=True, metavar="COL",
                        help="column with 1 (relevant) or 0 (irrelevant)")
    parser.add_argument("--seed", type=int, required=True, metavar="N", help="seed for drawing the two priors")
    parser.add_argument("-o", "--output", required=True, metavar="ORDER.csv", help="screening order")
    parser.add_argument("--recall-target", type=float, default=DEFAULT_RECALL_TARGET,
                        help="recall target of the stopping rule in the summary (default 0.95)")
    parser.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE,
                        help="confidence of the stopping rule in the summary (default 0.95)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data = read_simulation_data(args.data, args.label_column)
    steps = simulate(data, args.seed)
    write_csv(args.output, ({"record_id": s.record_id, "label": s.label, "trained_on": s.trained_on}
                            for s in steps), ORDER_COLUMNS)
    labels = [s.label for s in steps]
    found = ranking_metrics(labels[2:])
    lines = [f"litsieve simulate: {len(steps)} records, {sum(labels)} relevant, seed {args.seed} -> {args.output}",
             f"  without the 2 priors: WSS@95 {found.wss95:.1f}%, WSS@100 {found.wss100:.1f}%, "
             f"RRF@10 {found.rrf10:.1f}%, ATD {found.atd:.1f}%, {found.screened_for_95} screened to reach 95% recall"]
    stop = first_stop(labels, [s.trained_on for s in steps], hypergeometric_rule(args.recall_target, args.confidence))
    if stop is None:
        lines.append("  stopping rule: never said stop before every record was screened")
    else:
        recall = sum(labels[:stop]) / sum(labels)
        lines.append(f"  stopping rule ({args.recall_target:.0%} recall, {args.confidence:.0%} confidence): "
                     f"stop after {stop} records, true recall there {recall:.1%}")
    print("\n".join(lines), file=sys.stderr)
    return 0
