"""Independent, CPU-bound jobs (print sheets) shared with forked copies of this process, one per spare CPU.

A forked worker inherits what this process has already loaded (WeasyPrint, fonts, the stylesheet), so it starts in
milliseconds. Every process, this one included, takes the next job not yet taken (a counter in shared memory), so
a process slowed by a long job or a busy CPU simply takes fewer. A worker says which job it takes, then sends the
result back pickled through its pipe as soon as it has it, and leaves with `os._exit`, running no cleanup of ours.

Results come out in order, each as soon as it and those before it are ready, so a caller can write and report them
one by one. Whatever a worker does not deliver (an error, a crash) is computed again here, in order, so an error
reaches the user exactly as it would without workers.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import struct
import threading
from typing import Any, BinaryIO, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_HEAD = struct.Struct("<BQQ")  # kind, job, size of the pickled result that follows (0 for a claim)
_CLAIM, _DONE = 1, 2


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
    counter = None
    if n > 1:
        try:
            counter = _Counter(len(items))
        except (OSError, ImportError):  # no shared memory or semaphores here (a locked-down /dev/shm): one process
            counter = None
    if counter is not None:
        yield from _share(func, items, n, counter)
    else:
        for item in items:
            yield func(item)


class _Counter:
    """The next job nobody has taken, shared by every process."""

    def __init__(self, total: int):
        self.total = total
        self._next = multiprocessing.get_context("fork").Value("q", 0)

    def take(self) -> int | None:
        with self._next.get_lock():
            job = self._next.value
            if job >= self.total:
                return None
            self._next.value = job + 1
            return job


def _share(func: Callable[[T], R], items: list[T], n: int, counter: _Counter) -> Iterator[R]:
    messages: queue.SimpleQueue = queue.SimpleQueue()  # (worker, kind, job, result): from every worker's pipe
    children: list[tuple[int, threading.Thread]] = []
    try:
        for k in range(1, n):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _work(func, items, counter, write)
            os.close(write)  # before the next fork, so only worker k holds its pipe open
            # A thread here empties the pipe as results come, so a worker never waits for this process to read.
            children.append((pid, threading.Thread(target=_receive, args=(k, os.fdopen(read, "rb"), messages),
                                                   daemon=True)))
        for _, reader in children:  # started once every fork is done: no thread is copied into a worker
            reader.start()
        yield from _collect(func, items, counter, messages, n - 1)
    finally:
        for pid, reader in children:
            with contextlib.suppress(OSError):  # stopped early, the workers' results are of no use any more
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if reader.ident is not None:  # started: it ends at the pipe's end, now that the worker is gone
                reader.join()


def _collect(func: Callable[[T], R], items: list[T], counter: _Counter, messages: queue.SimpleQueue,
             workers: int) -> Iterator[R]:
    """This process's side: take jobs while waiting, and hand out every result in order."""
    results: dict[int, Any] = {}
    owner: dict[int, int] = {}  # job: the worker that took it
    ended: set[int] = set()
    failed: set[int] = set()  # jobs that failed here, out of order: computed again when their turn comes

    def note(message: tuple) -> None:
        worker, kind, job, result = message
        if kind is None:
            ended.add(worker)
        elif kind == _CLAIM:
            owner[job] = worker
        else:
            results[job] = result

    for want in range(len(items)):
        while want not in results:
            with contextlib.suppress(queue.Empty):
                while True:
                    note(messages.get_nowait())
            if want in results:
                break
            if want in failed or owner.get(want) in ended:
                results[want] = func(items[want])  # it failed here, or its worker stopped short: in order now
                break
            job = counter.take()
            if job is not None:  # something useful to do while waiting
                try:
                    results[job] = func(items[job])
                except Exception:  # noqa: BLE001 - computed again, and raised, when its turn comes
                    failed.add(job)
            elif len(ended) < workers:
                note(messages.get())  # a worker has it, or its word that it took it is on the way
            else:
                results[want] = func(items[want])  # taken by a worker that left before saying so
        yield results.pop(want)


def _receive(worker: int, pipe: BinaryIO, messages: queue.SimpleQueue) -> None:
    """Every message of one worker, in order, then its end: when it is done, fails, or a message is cut short."""
    with pipe:
        while True:
            head = pipe.read(_HEAD.size)
            if len(head) < _HEAD.size:
                break
            kind, job, size = _HEAD.unpack(head)
            data = pipe.read(size) if size else b""
            if len(data) < size:
                break
            try:
                messages.put((worker, kind, job, pickle.loads(data) if kind == _DONE else None))
            except Exception:  # noqa: BLE001 - a result that does not unpickle is computed again by the parent
                break
    messages.put((worker, None, None, None))


def _work(func: Callable[[T], R], items: list[T], counter: _Counter, fd: int) -> None:
    """A forked worker's whole life: take a job, say so, send its result, again, until none is left or one fails."""
    status = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            while (job := counter.take()) is not None:
                pipe.write(_HEAD.pack(_CLAIM, job, 0))
                pipe.flush()
                try:
                    data = pickle.dumps(func(items[job]))
                except Exception:  # noqa: BLE001 - computed again in order by the parent, which reports it
                    break
                pipe.write(_HEAD.pack(_DONE, job, len(data)) + data)
                pipe.flush()
        status = 0
    finally:
        os._exit(status)
