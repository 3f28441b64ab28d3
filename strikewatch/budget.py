"""Run a function over many items in worker processes, each item within a time budget.

A rule that loops or a regular expression that backtracks cannot be interrupted inside a thread
(and a signal does not reach a worker thread or a regex running in C), so every item runs in a
child process that the parent can stop. An item that runs past its budget is reported as
`Overran`, its worker is killed and replaced, and the other items go on. An item whose function
raises is reported as `Failed` with the error. Results come back in the order of the items.

A worker is a fresh interpreter running this module (`python -m strikewatch.budget TARGET FD`):
it imports the target's module, says it is ready, then answers items over a socket. The budget
counts from when an item is handed over, never the worker's start-up. Linux kills a worker
whose parent dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

POLL_SECONDS = 0.05  # how often a busy pool checks its budgets
READY_SECONDS = 120.0  # how long a new worker may take to import its target
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


@dataclass(frozen=True)
class Overran:
    """The item ran past its time budget and was stopped."""

    seconds: float


@dataclass(frozen=True)
class Failed:
    """The function raised on the item, or its worker died."""

    error: str


class WorkerStartError(RuntimeError):
    """A worker process could not start (its target does not import)."""


def _resolve(target: str) -> Callable[[Any], Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def serve(target: str, fd: int) -> None:
    """A worker's loop: import the function, say so, then answer each item received."""
    with contextlib.suppress(OSError, AttributeError):  # elsewhere workers end with their socket
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    connection = Connection(fd)
    try:
        function = _resolve(target)
    except Exception as exc:
        with contextlib.suppress(OSError):  # nobody left to tell: the run has ended
            connection.send(("broken", f"{type(exc).__name__}: {exc}"))
        return
    try:
        connection.send(("ready", None))
    except OSError:  # the run ended (interrupted) while this worker was starting
        return
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", function(item))
        except Exception as exc:  # the parent records it against the item
            answer = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            connection.send(answer)
        except OSError:  # the run has ended (interrupted): nobody is waiting for the answer
            return


class _Worker:
    """One child process and the item it is working on."""

    def __init__(self, target: str) -> None:
        parent_end, child_end = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "strikewatch.budget", target, str(child_end.fileno())],
            pass_fds=[child_end.fileno()],
            stdin=subprocess.DEVNULL,
            # a session of its own: the terminal's Ctrl-C reaches the run, which ends its workers
            start_new_session=True,
        )
        child_end.close()
        self.connection = Connection(parent_end.detach())
        self.index: int | None = None
        self.started = 0.0
        self.target = target
        self.ready = False

    def wait_ready(self) -> None:
        """Wait for the worker to import its target; WorkerStartError if it cannot."""
        target = self.target
        if not self.connection.poll(READY_SECONDS):
            self.stop()
            raise WorkerStartError(f"a worker for {target} did not start in {READY_SECONDS:g} s")
        status, error = self.connection.recv()
        if status != "ready":
            self.stop()
            raise WorkerStartError(f"a worker for {target} could not start: {error}")
        self.ready = True

    def give(self, index: int, item: Any) -> None:
        self.index, self.started = index, time.monotonic()
        self.connection.send(item)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        self.connection.close()


class BudgetedPool:
    """Worker processes that run `target` ("package.module:function") on items, within budget.

    Use as a context manager; `map` yields (item, result) in item order, where result is the
    function's return value, `Overran` or `Failed`.
    """

    def __init__(self, target: str, workers: int = 1, seconds: float = 10.0) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if seconds <= 0:
            raise ValueError("the time budget must be positive")
        self.target, self.size, self.seconds = target, workers, seconds
        self.workers: list[_Worker] = []

    def __enter__(self) -> BudgetedPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def _worker(self) -> _Worker:
        worker = _Worker(self.target)
        self.workers.append(worker)
        worker.wait_ready()
        return worker

    def launch(self) -> None:
        """Start every worker now, without waiting for them: their imports overlap the caller's
        work until the first `map`."""
        self.workers.extend(_Worker(self.target) for _ in range(self.size - len(self.workers)))

    def _start_workers(self, count: int) -> None:
        """Start `count` more workers at once (their imports overlap); wait until all are ready."""
        self.workers.extend(_Worker(self.target) for _ in range(count))
        for worker in self.workers:
            if not worker.ready:
                worker.wait_ready()

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.stop()

    def map(self, items: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """(item, result) for every item, in order.

        Items are taken from `items` as workers come free, and read ahead while all are busy:
        an iterator that reads or decodes its items does so while the workers extract.
        """
        source = iter(items)
        waiting: deque[tuple[int, Any]] = deque()
        taken = 0

        def take(count: int) -> None:
            nonlocal taken
            while len(waiting) < count and (item := next(source, _END)) is not _END:
                waiting.append((taken, item))
                taken += 1

        done: dict[int, tuple[Any, Any]] = {}
        given: dict[int, Any] = {}
        next_out = 0
        take(self.size)
        if not waiting:
            return
        self._start_workers(max(0, min(self.size, len(waiting)) - len(self.workers)))
        idle = list(self.workers)
        busy: list[_Worker] = []
        while waiting or busy:
            while idle and waiting:
                worker = idle.pop()
                index, item = waiting.popleft()
                given[index] = item
                try:
                    worker.give(index, item)
                except OSError:  # it died while idle; the item goes to a new worker
                    waiting.appendleft((index, item))
                    self._retire(worker)
                    idle.append(self._worker())
                    continue
                busy.append(worker)
                take(1)
            take(self.size)  # read ahead while the workers are busy
            ready = wait([w.connection for w in busy], timeout=POLL_SECONDS)
            now = time.monotonic()
            for worker in list(busy):
                index = worker.index
                assert index is not None
                dead = False
                if worker.connection in ready:
                    try:
                        status, value = worker.connection.recv()
                    except (EOFError, OSError):  # the worker died (out of memory, a crash in C)
                        status, value, dead = "failed", "the worker process died", True
                    result = value if status == "ok" else Failed(value)
                elif now - worker.started > self.seconds:
                    result = Overran(self.seconds)
                else:
                    continue
                busy.remove(worker)
                done[index] = (given.pop(index), result)
                if dead or isinstance(result, Overran):
                    self._retire(worker)
                    take(1)
                    if waiting:
                        idle.append(self._worker())
                else:
                    idle.append(worker)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1


_END = object()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
    os._exit(0)
