"""Relevance ranking of the screening queue, screening simulation, and when to stop.

The public entry points: :class:`Ranker` (features of one record set, built once, and
the order for any decisions so far), :func:`order_queue` (the queue's priority order),
:func:`stopping_estimate` (the hypergeometric stopping test over decisions in screening
order), :func:`batch_size` (the retraining schedule), and :func:`simulate` (``litsieve
simulate``). See docs/ranking.md.
"""

from litsieve.ranking.queue import order_queue
from litsieve.ranking.ranker import Ranker
from litsieve.ranking.schedule import batch_size
from litsieve.ranking.simulate import LabelOracle, read_simulation_data, simulate
from litsieve.ranking.stopping import StoppingEstimate, stopping_estimate, stopping_for_protocol

__all__ = ["LabelOracle", "Ranker", "StoppingEstimate", "batch_size", "order_queue", "read_simulation_data",
           "simulate", "stopping_estimate", "stopping_for_protocol"]
