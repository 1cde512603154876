"""A detached remover the test holds back (gongkai/build/discard.py): what a build must not wait for."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

from gongkai.build import discard


class Gate:
    """A remover that waits for the test to open its gate before deleting: what a build must not wait for."""

    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "gate"  # (not beside the trees: no stale name)
        self.script = f"while [ ! -e {shlex.quote(str(self.path))} ]; do sleep 0.01; done; rm -rf -- \"$1\""

    def open(self) -> None:
        self.path.touch()

    def removers(self) -> list[int]:
        """Pids of the gated removers still running (Linux /proc; not a child the remover is forking)."""
        parents = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if str(self.path).encode() in cmdline:
                    parents[int(pid)] = stat_of(int(pid))[0]
            except (OSError, IndexError):
                continue
        return sorted(pid for pid, ppid in parents.items() if ppid not in parents)

    def started(self, n: int = 1) -> list[int]:
        """Pids of the n gated removers, once all n are seen (within 30 s).

        A remover is started in the background and its starter returns before it runs: listed at once, it may be
        in the middle of its exec, when its cmdline reads empty for an instant (the kernel has installed the new
        program's memory but not yet its arguments) and the listing misses it (CI run: a killed remover's lock
        still held 30 s on, because nothing had been killed)."""
        deadline = time.monotonic() + 30
        while len(pids := self.removers()) != n and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(pids) == n, pids
        return pids


def stat_of(pid: int) -> tuple[int, int]:
    """(parent pid, session id) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[3])


def gated(tmp_path, monkeypatch) -> Iterator[Gate]:
    """(a fixture's body) Removers gated, trees of 10 entries and more removed in the background; every remover finished after."""
    g = Gate(tmp_path)
    monkeypatch.setattr(discard, "COMMAND", ("sh", "-c", g.script, "gongkai-test-remover"))
    monkeypatch.setattr(discard, "DETACH_MIN", 10)
    yield g
    g.open()
    deadline = time.monotonic() + 30
    while g.removers() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert g.removers() == []  # nothing left running
