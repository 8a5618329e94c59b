"""The two costly passes of deduplication (features, pair comparison) on two cores.

Both passes are pure functions of their inputs, chunk by chunk, so a forked copy of the
process can take every other chunk: it inherits the records and features without copying
them (fork shares memory until written), and sends back only what it computed, pickled
through a pipe. The results are put back in chunk order, so the output is identical to one
process's, byte for byte; ``tests/test_dedup_parallel.py`` checks it.

Only large inputs are split (below :data:`MIN_ITEMS` a fork costs more than it saves), only
where ``os.fork`` exists, and only onto cores this process may use. ``LITSIEVE_WORKERS=1``
keeps everything in one process. When a worker fails in any way (killed, out of memory, an
exception), the pass is run again in this process, so a bad input raises the same error, at
the same row, as without workers.
"""

from __future__ import annotations

import os
import pickle
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")

MIN_ITEMS = 50_000  # below this, one process is as fast
# Each worker ends up copying the memory it touches (reference counts are writes): two
# processes keep a million records under 4 GB (docs/benchmarks.md).
_MAX_WORKERS = 2


def workers(items: int) -> int:
    """How many processes to use for ``items`` items: 1, or 2 on a machine (or CPU set) with two cores."""
    if items < MIN_ITEMS or not hasattr(os, "fork"):
        return 1
    setting = os.environ.get("LITSIEVE_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return min(int(setting), _MAX_WORKERS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, _MAX_WORKERS))


class WorkerFailed(Exception):
    """A forked worker did not deliver its part; the caller runs the pass in one process."""


def split(task: Callable[[int, int], Iterator[T]], parts: int) -> list[list[T]]:
    """``task(k, parts)`` for each ``k``: ``k = 0`` here, the others in forked processes.

    ``task`` yields its results chunk by chunk; each process's chunks come back as one list,
    in the order yielded. Raises :class:`WorkerFailed` when a worker does not finish.
    """
    if parts == 1:
        return [list(task(0, 1))]
    children: dict[int, int] = {}  # pid: read end of its pipe
    try:
        for k in range(1, parts):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _work(task, k, parts, write)  # never returns
            os.close(write)
            children[pid] = read
        results: list[list[T]] = [list(task(0, parts))]
        for pid in list(children):
            part: list[T] | None = _receive(children.pop(pid))  # closes the pipe; None if the worker stopped
            status = _reap(pid)
            if part is None or status != 0:
                raise WorkerFailed(f"a deduplication worker (pid {pid}) exited with status {status}")
            results.append(part)
        return results
    finally:  # on any failure here: the workers' pipes closed (a blocked worker ends), each reaped
        for pid, read in children.items():
            os.close(read)
            _reap(pid)


def _work(task: Callable[[int, int], Iterator[T]], k: int, parts: int, write: int) -> None:
    """The worker: compute, send, and leave without running the parent's cleanup."""
    status = 1
    try:
        # Everything computed first: the pipe holds 64 KB, and the parent reads only once its own
        # part is done, so sending each chunk as it comes would stall the worker at the first.
        items = list(task(k, parts))
        with os.fdopen(write, "wb") as out:
            for item in items:
                pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(_END, out, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001 - any failure is told by the exit status; the parent reruns the pass
        status = 1
    finally:
        os._exit(status)


_END = "litsieve.dedup.parallel: end of a worker's results"


def _receive(read: int) -> list[T] | None:
    found: list[T] = []
    with os.fdopen(read, "rb") as stream:
        while True:
            try:
                item = pickle.load(stream)
            except Exception:  # EOF or a cut stream: the worker died
                return None
            if isinstance(item, str) and item == _END:
                return found
            found.append(item)


def _reap(pid: int) -> int:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 1
    return os.waitstatus_to_exitcode(status)


def chunks_of(k: int, parts: int, total: int, size: int) -> Iterator[range]:
    """The index ranges of chunks ``k``, ``k + parts``, ... of ``total`` items, ``size`` to a chunk."""
    for start in range(k * size, total, parts * size):
        yield range(start, min(start + size, total))


def interleave(results: Sequence[Sequence[T]]) -> Iterator[T]:
    """Chunks back in their original order, where process ``k`` computed chunks ``k``, ``k + parts``, ..."""
    parts = len(results)
    for n in range(max((len(r) for r in results), default=0)):
        for k in range(parts):
            if n < len(results[k]):
                yield results[k][n]
