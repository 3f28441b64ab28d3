"""When this process started, so a run's summary can count from there: imports included."""

from __future__ import annotations

import os
import time

_LOADED = time.time()


def process_started() -> float:
    """Wall-clock time this process started (Linux), else when this module was imported."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        # field 22 of /proc/PID/stat (the 20th after the command name): start time since boot
        started_after_boot = int(fields[19]) / ticks
    except (OSError, ValueError, IndexError):
        return _LOADED
    return time.time() - (uptime - started_after_boot)
