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

from playbook.workers import forked_map

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked processes")
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
def test_results_come_out_before_the_last_is_made(tmp_path) -> None:
    """A caller can write and report each result while the rest are still being made."""
    flag = tmp_path / "first-result-taken"

    def waits_for_the_caller(x: int) -> int:
        if x == 5:  # the last item, made by a worker: it waits until the caller holds the first result
            deadline = time.monotonic() + 20
            while not flag.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return int(flag.exists())
        return x

    results = forked_map(waits_for_the_caller, range(6), 2)
    assert next(results) == 0
    flag.touch()
    assert list(results) == [1, 2, 3, 4, 1]


@fresh_process
def test_stopping_early_stops_the_workers() -> None:
    started = time.monotonic()

    def slow_in_workers(x: int) -> int:
        if x % 2:
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
