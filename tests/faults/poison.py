"""Tasks that only the fault tests' workers load (``--include tests.faults.poison``)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from celery import shared_task


def _append(path: str, line: str) -> None:
    with Path(path).open("a") as out:
        out.write(line + "\n")


@shared_task(name="default.faults_poison")
def poison(runs: str) -> None:
    """Note the run, then kill the process running it, as a segfault would."""
    _append(runs, str(os.getpid()))
    os.kill(os.getpid(), signal.SIGKILL)


@shared_task(name="default.faults_note")
def note(notes: str, n: int) -> int:
    """An ordinary task: note ``n`` and return it."""
    _append(notes, str(n))
    return n
