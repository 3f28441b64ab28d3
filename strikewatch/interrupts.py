"""Ending a run on Ctrl-C or SIGTERM promptly: one line, no build file left, the lock released.

The first SIGINT or SIGTERM raises `Interrupted` in the main thread, so that Prefect can record
the flow run as crashed while the run unwinds. Unwinding can stall, though: Prefect joins the
task threads before it lets go (a batch of extraction may take minutes), and a signal waits for
the main thread to leave the C code it is in (a DuckDB statement). So the signal also starts a
clock, fed by the C-level wakeup file descriptor and thus independent of both: after
GRACE_SECONDS, the run is ended from a watcher thread, however far the unwinding got.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

GRACE_SECONDS = 4.0
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def stop_child_processes(spare: tuple[str, ...] = ("multiprocessing.resource_tracker",)) -> None:
    """SIGKILL this process's children, by id, but those whose command line names `spare`.

    Extraction workers (`--workers`) would otherwise finish their batch for nobody, holding the
    run's stdout and stderr. multiprocessing's resource tracker is spared: it removes the
    semaphores the workers leave once they are gone, then exits.
    """
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in map(int, children):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                if not any(name.encode() in command for name in spare):
                    os.kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass  # already gone


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived during a run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def interruption_signal(exc: BaseException) -> int | None:
    """The signal behind an exception (ours, Prefect's TerminationSignal, Ctrl-C), if any."""
    seen: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in seen:
        seen.append(link)
        if isinstance(link, Interrupted):
            return link.signum
        if isinstance(link, KeyboardInterrupt):
            return signal.SIGINT
        if type(link).__name__ == "TerminationSignal":
            return getattr(link, "signal", signal.SIGTERM)
        link = link.__cause__ or link.__context__
    return None


class InterruptGuard:
    """Within the block, SIGINT and SIGTERM end the process through `on_end(signum)`, once.

    `on_end` must not return (it cleans up and exits). It runs in the main thread when the
    interruption unwinds in time (call `end` from the handler of `Interrupted`), else in the
    watcher thread once GRACE_SECONDS have passed.
    """

    def __init__(self, on_end: Callable[[int], NoReturn], shield_children: bool = False) -> None:
        self._on_end = on_end
        self._shield_children = shield_children
        self._ending = threading.Lock()
        self.signalled: int | None = None  # the first SIGINT or SIGTERM received, if any

    def end(self, signum: int) -> NoReturn:
        """Clean up and exit; a second caller waits for the first to end the process."""
        if not self._ending.acquire(blocking=False):
            threading.Event().wait()
        if threading.current_thread() is threading.main_thread():  # only there may it change
            for sig in SIGNALS:
                signal.signal(sig, signal.SIG_IGN)
        self._on_end(signum)
        os._exit(128 + signum)  # on_end should have exited already

    def __enter__(self) -> InterruptGuard:
        # Ctrl-C reaches the terminal's whole process group. To shield child processes
        # (extraction workers) from it, SIGINT is blocked here: they inherit the block, while
        # the watcher thread, which unblocks it, receives it for the run. The cost: a main
        # thread waiting on a lock is no longer woken by it, so the run ends by the clock.
        block = {signal.SIGINT} if self._shield_children else set()
        self._previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, block)
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._write_fd, False)
        self._previous_wakeup = signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, self._raise) for sig in SIGNALS}
        self._watcher = threading.Thread(target=self._watch, name="interrupt-watch", daemon=True)
        self._watcher.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, self._previous_mask)
        signal.set_wakeup_fd(self._previous_wakeup)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        os.close(self._write_fd)  # the watcher reads the end of the pipe and stops
        self._watcher.join()
        os.close(self._read_fd)

    def _raise(self, signum: int, _frame: object) -> None:
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        self.signalled = self.signalled or signum
        raise Interrupted(signum)

    def _watch(self) -> None:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        while data := os.read(self._read_fd, 64):
            caught = [number for number in data if number in SIGNALS]
            if caught:
                self.signalled = self.signalled or caught[0]
                time.sleep(GRACE_SECONDS)
                self.end(caught[0])
