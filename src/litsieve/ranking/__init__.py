"""Relevance ranking of the screening queue, screening simulation, and when to stop.

The public entry points: :func:`order_queue` (the queue's priority order; :class:`QueueRanker`
keeps its features for retraining many times),
:func:`stopping_estimate` (the hypergeometric stopping test over decisions in screening
order), :func:`batch_size` (the retraining schedule), and :func:`simulate` (``litsieve
simulate``). See docs/ranking.md.
"""

from litsieve.ranking.queue import QueueRanker, order_queue
from litsieve.ranking.schedule import batch_size
from litsieve.ranking.simulate import LabelOracle, read_simulation_data, simulate
from litsieve.ranking.stopping import StoppingEstimate, stopping_estimate, stopping_for_protocol

__all__ = ["LabelOracle", "QueueRanker", "StoppingEstimate", "batch_size", "order_queue", "read_simulation_data",
           "simulate", "stopping_estimate", "stopping_for_protocol"]
