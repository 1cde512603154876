"""A local server for tests and scripts (serve_latency.py, bench.py): a free port to start it on, waiting until it
answers, and stopping it as Ctrl+C does.

One copy for the `mkdocs serve` tests (tests/e2e), the nginx test and the save-to-browser timing script, so a fix
(a longer poll, noticing a server that died at start) reaches all of them.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:  # type: ignore[type-arg]
    """Return once `url` answers 200; TimeoutError after `timeout` seconds, or as soon as `proc` (the server
    being waited for) has exited: a server that failed at start never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise TimeoutError(f"the server exited (code {proc.returncode}) before answering at {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no answer at {url} within {timeout:.0f} s")


def interruptible() -> None:
    """preexec_fn of a server started to be stopped with SIGINT (as Ctrl+C stops `mkdocs serve`, which then removes
    its temporary folders): a process started in the background by a shell ignores SIGINT, and its children
    inherit that, so the signal would do nothing and the server would be killed without cleaning up."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(proc: subprocess.Popen, timeout: float = 60) -> None:  # type: ignore[type-arg]
    """Stop a server as Ctrl+C does (see interruptible); killed if it has not ended after timeout seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
