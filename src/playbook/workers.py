"""Independent, CPU-bound jobs (print sheets) shared with forked copies of this process, one per spare CPU.

A forked worker inherits what this process has already loaded (WeasyPrint, fonts, the stylesheet), so it starts in
milliseconds; it sends its results back pickled through a pipe and leaves with `os._exit`, running no cleanup of
ours. Whatever a worker does not deliver (an error, a crash) is computed again here, in order, so an error reaches
the user exactly as it would without workers.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def forked_map(func: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """func(item) for every item, in order; with workers > 1, this process and workers - 1 forked ones share them.

    No fork where the platform has none, or while other threads run: a forked copy would inherit their locks held.
    """
    items = list(items)
    n = min(workers, len(items))
    if n > 1 and (not hasattr(os, "fork") or threading.active_count() > 1):
        n = 1
    done: dict[int, R] = {}
    if n > 1:
        done = _share(func, items, n)
    for i, item in enumerate(items):
        yield done[i] if i in done else func(item)


def _share(func: Callable[[T], R], items: list[T], n: int) -> dict[int, R]:
    """Worker k (0 is this process) computes items k, k + n, k + 2n... up to its first failure."""
    children: list[tuple[int, int, int]] = []
    done: dict[int, R] = {}
    finished = False
    try:
        for k in range(1, n):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _work(func, items, k, n, write)
            os.close(write)  # before the next fork, so only worker k holds its pipe open
            children.append((pid, read, k))
        done.update(_run(func, items, 0, n))
        for pid, read, k in children:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            with contextlib.suppress(Exception):  # a worker that died mid-write delivered nothing
                done.update(zip(range(k, len(items), n), pickle.loads(data)))
        finished = True
    finally:
        for pid, read, _ in children:
            if not finished:  # interrupted here: the workers' results are of no use any more
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.close(read)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return done


def _run(func: Callable[[T], R], items: list[T], k: int, n: int) -> dict[int, R]:
    results: dict[int, R] = {}
    for i in range(k, len(items), n):
        try:
            results[i] = func(items[i])
        except Exception:  # noqa: BLE001 - computed again in order by the parent, which reports it
            break
    return results


def _work(func: Callable[[T], R], items: list[T], k: int, n: int, fd: int) -> None:
    """A forked worker's whole life: its share of items, its results down the pipe, and out."""
    status = 1
    try:
        results = _run(func, items, k, n)
        data = pickle.dumps([results[i] for i in sorted(results)])
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
