"""Jobs shared with forked workers: every result, in order, as soon as it is ready; errors as without workers.

Each test runs in a fresh interpreter, single-threaded like `playbook export` and the build's sheet process:
earlier tests (the browser suite's servers) leave threads running here, and forked_map rightly refuses to fork
beside other threads.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from playbook.sheets.workers import forked_map

pytestmark = [pytest.mark.own_fixtures,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked processes")]
HERE = Path(__file__).resolve().parent


def fresh_process(test):
    """Run the test's body in a new Python process; its failure, with traceback, fails the test here."""
    @functools.wraps(test)
    def run(**fixtures):  # pytest passes fixtures by name; here, only paths
        args = list(fixtures.values())
        code = (f"import sys; sys.path[:0] = {[str(HERE), str(HERE.parent / 'src')]!r}\n"
                f"from pathlib import Path\nimport test_workers\n"
                f"test_workers.{test.__name__}.__wrapped__(*[Path(a) for a in sys.argv[1:]])")
        result = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
    return run


def _square_with_pid(x: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough for every process to take some
    return x * x, os.getpid()


@fresh_process
def test_every_result_in_order_from_several_processes() -> None:
    results = list(forked_map(_square_with_pid, range(23), 3))
    assert [r for r, _ in results] == [x * x for x in range(23)]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 3
    assert threading.active_count() == 1, "the pipe readers are gone"


@fresh_process
def test_a_worker_that_fails_is_replaced_here_and_the_error_comes_in_order() -> None:
    parent = os.getpid()

    def fails_in_workers_from_5(x: int) -> int:
        if x >= 5 and os.getpid() != parent:
            raise ValueError("worker only")
        return x + 1

    assert list(forked_map(fails_in_workers_from_5, range(12), 2)) == list(range(1, 13))

    seen: list[int] = []

    def fails_at_7(x: int) -> int:
        if x == 7:
            raise RuntimeError("item 7 is bad")
        return x

    with pytest.raises(RuntimeError, match="item 7 is bad"):
        for value in forked_map(fails_at_7, range(12), 2):
            seen.append(value)
    assert seen == list(range(7)), "every result before the failing item, none after"


@fresh_process
def test_a_worker_that_dies_is_replaced_here() -> None:
    parent = os.getpid()

    def dies_in_worker(x: int) -> int:
        if x == 3 and os.getpid() != parent:
            os._exit(9)
        return -x

    assert list(forked_map(dies_in_worker, range(10), 2)) == [-x for x in range(10)]


@fresh_process
def test_results_come_out_before_the_last_is_made() -> None:
    """A caller can write and report each result while the rest are still being made."""
    def slow(x: int) -> int:
        time.sleep(0.2)
        return x

    started = time.monotonic()
    results = forked_map(slow, range(10), 2)
    assert next(results) == 0
    first = time.monotonic() - started
    assert list(results) == list(range(1, 10))
    assert first < 0.6 < time.monotonic() - started


@fresh_process
def test_a_slow_process_takes_fewer_jobs() -> None:
    """Each process takes the next job nobody has taken: one slowed down (a long job, a busy CPU) takes fewer."""
    parent = os.getpid()

    def slow_here(x: int) -> int:
        time.sleep(0.5 if os.getpid() == parent else 0.01)
        return os.getpid()

    made_by = list(forked_map(slow_here, range(20), 2))
    assert made_by.count(parent) <= 2 and len(set(made_by)) == 2


@fresh_process
def test_stopping_early_stops_the_workers() -> None:
    started = time.monotonic()

    parent = os.getpid()

    def slow_in_workers(x: int) -> int:
        if os.getpid() != parent and x >= 1:  # job 0 comes quickly, whoever takes it
            time.sleep(30)
        return x

    results = forked_map(slow_in_workers, range(8), 2)
    assert next(results) == 0
    results.close()
    assert time.monotonic() - started < 15
    assert threading.active_count() == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind, not even a zombie


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for _, pid in forked_map(_square_with_pid, range(6), 2)} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_one_process_where_processes_cannot_share_a_counter(monkeypatch) -> None:
    """No shared memory (a locked-down /dev/shm): the jobs still all run, here, in order."""
    from playbook.sheets import workers

    def refused(self, total: int) -> None:
        raise OSError("[Errno 38] Function not implemented")

    monkeypatch.setattr(workers._Counter, "__init__", refused)
    monkeypatch.setattr(workers.os, "fork", lambda: pytest.fail("forked without a counter"))
    assert [r for r, _ in forked_map(_square_with_pid, range(5), 2)] == [0, 1, 4, 9, 16]
