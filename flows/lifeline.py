"""A run's processes live and die with it (``mtclean run``).

Two guards, both independent of Prefect's own signal handling:

* :func:`stop_on_signals`: SIGINT or SIGTERM ends the run within milliseconds with one line.
  A thread reads the signal numbers Python's C-level handler writes to a wakeup socket (it
  does so whichever Python handler is installed, Prefect's SIGTERM bridge included) and
  calls ``os._exit``: no engine teardown that retries an API server the same signal just
  stopped. Every write of a run is atomic and the manifest protocol is crash-safe (the
  ``kill -9`` tests), so the run is left resumable.
* :func:`start_reaper`: the run's environment carries a token that every process it starts
  inherits (Prefect's ephemeral server, process-pool and Dask workers). A watchdog in a
  session of its own waits for the run's process to end, however it ends (``kill -9``
  included, which no handler sees), then kills every process still carrying the token.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

TOKEN_VAR = "MTCLEAN_RUN_TOKEN"


def stop_on_signals(message: Callable[[int], str]) -> None:
    """On SIGINT/SIGTERM: write ``message(signum)`` to stderr, exit ``128 + signum``."""
    once = threading.Lock()

    def stop(signum: int) -> None:
        if once.acquire(blocking=False):  # the handler and the thread may both see it
            os.write(2, ("\n" + message(signum) + "\n").encode())
            os._exit(128 + signum)

    r, w = socket.socketpair()
    w.setblocking(False)
    signal.set_wakeup_fd(w.fileno(), warn_on_full_buffer=False)
    for sig in (signal.SIGINT, signal.SIGTERM):
        # The handler acts when the main thread runs Python; the C-level handler behind it
        # also writes the number to the wakeup socket, which the thread below acts on
        # whatever the main thread is blocked in, and even while Prefect's own SIGTERM
        # handler is installed in place of this one.
        signal.signal(sig, lambda signum, _frame: stop(signum))

    def watch() -> None:
        while True:
            for signum in r.recv(64):
                if signum in (signal.SIGINT, signal.SIGTERM):
                    stop(signum)

    threading.Thread(target=watch, name="mtclean-signals", daemon=True).start()
    # Keep both ends alive as long as the process.
    stop_on_signals.sockets = (r, w)  # type: ignore[attr-defined]


def start_reaper() -> str:
    """Mark this process's environment with a fresh token and start the watchdog."""
    token = f"{os.getpid()}-{time.time_ns()}"
    env = {k: v for k, v in os.environ.items() if k != TOKEN_VAR}
    subprocess.Popen(
        [sys.executable, "-m", "flows.lifeline", str(os.getpid()), token],
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a kill of the run's process group spares the watchdog
    )
    os.environ[TOKEN_VAR] = token
    return token


def carriers(token: str) -> Iterator[int]:
    """Pids of the processes whose environment holds ``token`` (this one excluded)."""
    needle = f"{TOKEN_VAR}={token}".encode()
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                env = fh.read()
        except OSError:
            continue
        if needle in env.split(b"\0"):
            yield int(name)


def _wait_gone(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)


def reap(pid: int, token: str, rounds: int = 50) -> int:
    """After ``pid`` ends, SIGKILL what carries ``token`` until nothing does; the count."""
    _wait_gone(pid)
    killed, quiet = 0, 0
    for _ in range(rounds):
        found = list(carriers(token))
        for p in found:
            try:
                os.kill(p, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        quiet = quiet + 1 if not found else 0
        if quiet >= 3:  # nothing left in three looks (a fork in flight is caught)
            break
        time.sleep(0.1)
    return killed


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the terminal is not for us
    reap(int(sys.argv[1]), sys.argv[2])
