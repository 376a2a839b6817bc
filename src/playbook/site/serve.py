"""What `mkdocs serve` needs beyond a build: memory kept between rebuilds, and Python's cycle collector out of the way.

A server keeps the parsed playbook in memory between edits, and the cycle collector would walk all of it several
times per rebuild (a third of an edit's time on a big playbook): under `serve` it runs rarely during a build and fully
once the server has been idle for a moment after one, and what the first build leaves is set aside for good.
"""
from __future__ import annotations

import gc
import threading
from pathlib import Path

import jinja2

IDLE_COLLECT_AFTER = 2.0  # seconds after a `serve` rebuild: the page has been reloaded by then
_threads: dict[str, threading.Thread | threading.Timer] = {}


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across `mkdocs serve` rebuilds (MkDocs makes a new environment each)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = MemoryBytecodeCache()


def start_serving() -> None:
    """Collect cycles rarely while a server runs (see the module's docstring)."""
    gc.set_threshold(50_000, 20, 10)


def warm_up(root: Path) -> None:
    """Parse and check every record in the background once the first build is served, so the first edit re-checks
    only the edited file (the first build may have taken the model from the cache without parsing a file)."""
    from playbook.records.validate import validate

    def work() -> None:
        try:
            validate(root)
        except Exception:  # noqa: BLE001 - only a head start: the rebuild validates again and reports any problem
            pass
        gc.collect()
        gc.freeze()  # what lives now (parsed records, cached pages) is never walked by the cycle collector again

    thread = threading.Thread(target=work, name="playbook-warm-up", daemon=True)
    thread.start()
    _threads["warm_up"] = thread


def warming() -> bool:
    return "warm_up" in _threads


def join_warm_up() -> None:
    thread = _threads.pop("warm_up", None)
    if thread is not None:
        thread.join()


def collect_when_idle() -> None:
    """Free the last build's cyclic garbage while nobody waits for a page (a new build cancels it)."""
    timer = threading.Timer(IDLE_COLLECT_AFTER, gc.collect)
    timer.daemon = True
    timer.start()
    _threads["collect"] = timer


def cancel_collect() -> None:
    timer = _threads.pop("collect", None)
    if isinstance(timer, threading.Timer):
        timer.cancel()
