"""Independent, CPU-bound jobs (print sheets) shared with forked copies of this process, one per spare CPU.

A forked worker inherits what this process has already loaded (WeasyPrint, fonts, the stylesheet), so it starts in
milliseconds. Worker k of n takes items k, k + n, k + 2n... (this process is worker 0) and sends each result back,
pickled, through its pipe as soon as it has it; it leaves with `os._exit`, running no cleanup of ours. Results come
out in order, each as soon as it and those before it are ready, so a caller can write and report them one by one.
Whatever a worker does not deliver (an error, a crash) is computed again here, in order, so an error reaches the
user exactly as it would without workers.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import threading
from typing import BinaryIO, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SIZE = struct.Struct("<Q")


def available_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def forked_map(func: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """func(item) for every item, in order; with workers > 1, this process and workers - 1 forked ones share them.

    No fork where the platform has none, or while other threads run: a forked copy would inherit their locks held.
    Stopping the iteration early stops the workers.
    """
    items = list(items)
    n = min(workers, len(items))
    if n > 1 and (not hasattr(os, "fork") or threading.active_count() > 1):
        n = 1
    if n > 1:
        yield from _share(func, items, n)
    else:
        for item in items:
            yield func(item)


def _share(func: Callable[[T], R], items: list[T], n: int) -> Iterator[R]:
    children: list[tuple[int, threading.Thread]] = []
    results: dict[int, queue.SimpleQueue] = {}  # worker k's results in order, then None when it sends no more
    try:
        for k in range(1, n):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _work(func, items, k, n, write)
            os.close(write)  # before the next fork, so only worker k holds its pipe open
            results[k] = queue.SimpleQueue()
            # A thread here empties the pipe as results come, so a worker never waits for this process to read.
            reader = threading.Thread(target=_receive, args=(os.fdopen(read, "rb"), results[k]), daemon=True)
            children.append((pid, reader))
        for _, reader in children:  # started once every fork is done: no thread is copied into a worker
            reader.start()
        stopped: set[int] = set()
        for i, item in enumerate(items):
            k = i % n
            if k and k not in stopped:
                delivered = results[k].get()
                if delivered is not None:
                    yield delivered[0]
                    continue
                stopped.add(k)  # the worker stopped short: this process does the rest of its share
            yield func(item)
    finally:
        for pid, reader in children:
            with contextlib.suppress(OSError):  # stopped early, the workers' results are of no use any more
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if reader.ident is not None:  # started: it ends at the pipe's end, now that the worker is gone
                reader.join()


def _receive(pipe: BinaryIO, results: queue.SimpleQueue) -> None:
    """Every result a worker sends, in order, then None: at its end, its failure, or a result that is cut short."""
    with pipe:
        while True:
            head = pipe.read(_SIZE.size)
            if len(head) < _SIZE.size:
                break
            (size,) = _SIZE.unpack(head)
            data = pipe.read(size)
            if len(data) < size:
                break
            try:
                results.put((pickle.loads(data),))
            except Exception:  # noqa: BLE001 - a result that does not unpickle is computed again by the parent
                break
    results.put(None)


def _work(func: Callable[[T], R], items: list[T], k: int, n: int, fd: int) -> None:
    """A forked worker's whole life: its share of items, each result down the pipe once made, up to its first
    failure, and out."""
    status = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            for i in range(k, len(items), n):
                try:
                    data = pickle.dumps(func(items[i]))
                except Exception:  # noqa: BLE001 - computed again in order by the parent, which reports it
                    break
                pipe.write(_SIZE.pack(len(data)) + data)
                pipe.flush()
        status = 0
    finally:
        os._exit(status)
