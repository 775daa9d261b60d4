"""Pieces the fault tests load into their subprocesses (by dotted path from the settings)."""

from __future__ import annotations

import os
import time
from pathlib import Path


class BlockingSmsBackend:
    """An SMS gateway that records each message in a file, then hangs if asked to.

    ``FAULTS_OUTBOX``: the file every handed-over message is appended to (one line each).
    ``FAULTS_HANG``: while this file exists, ``send`` writes ``FAULTS_HANG``+".reached" after
    recording the message and then never returns, so the test can kill the worker right
    after the gateway took the message.
    """

    def send(self, phone: str, text: str) -> None:
        with open(os.environ["FAULTS_OUTBOX"], "a", encoding="utf-8") as out:
            out.write(f"{phone}\t{text}\n")
            out.flush()
            os.fsync(out.fileno())
        hang = Path(os.environ["FAULTS_HANG"])
        if hang.exists():
            Path(f"{hang}.reached").write_text("1")
            while True:
                time.sleep(1)
