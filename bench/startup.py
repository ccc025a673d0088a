"""Start-up time as a user sees it: launch in tmux, poll the screen until the text is there.

Each command runs in a detached 120x40 tmux session on a private tmux server; the wall
time runs from just before `tmux new-session` until every awaited string is on the
screen. Figures are medians of `--runs` launches, reported as ratios to a bare Textual
app with the same header, five tabs and footer (`bench/bare_app.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOCKET = Path(tempfile.gettempdir()) / f"portal-bench-{os.getpid()}.tmux"  # a private server
WIDTH, HEIGHT = 120, 40
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 30.0
QUIT_SECONDS = 5.0
DEMO_TARGET_SECONDS = 2.0


@dataclass(frozen=True)
class Case:
    """One thing to launch and the strings whose appearance ends the measurement."""

    label: str
    argv: tuple[str, ...]
    needles: tuple[str, ...]


BARE = Case(
    "bare textual app (5 tabs) painted",
    (sys.executable, "-m", "bench.bare_app"),
    ("Transaction History",),
)
LOGIN = Case(
    "login painted",
    (sys.executable, "-m", "portal_tui", "--server", "http://127.0.0.1:9"),
    ("Portal — Sign in",),
)
DEMO = Case(
    "--demo account data on screen",
    (sys.executable, "-m", "portal_tui", "--demo"),
    ("Rivera Family", "Ava Rivera"),
)
CASES = (BARE, LOGIN, DEMO)


class MeasureFailed(RuntimeError):
    """A launch did not show its text in time, or exited first."""


def tmux(*args: str) -> str:
    """Run one tmux command (or `;`-joined sequence) on the private server; its stdout."""
    env = {k: v for k, v in os.environ.items() if k != "TMUX" and not k.startswith("PORTAL_")}
    done = subprocess.run(
        ["tmux", "-u", "-S", str(SOCKET), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise MeasureFailed(f"tmux {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def screen(session: str) -> tuple[str, bool]:
    """The pane's visible text and whether its process has exited, in one tmux call."""
    out = tmux(
        "capture-pane", "-pt", session, ";", "display-message", "-pt", session, "#{pane_dead}"
    )
    text, _, dead = out.rstrip("\n").rpartition("\n")
    return text.rstrip(), dead.strip() == "1"


def run_env(workdir: Path) -> dict[str, str]:
    """Pinned date, throw-away config/state/data/temp dirs, and no real keyring. Bytecode is
    cached as in an installed app (the warm-up launch writes it), even where the shell says
    PYTHONDONTWRITEBYTECODE: otherwise every launch compiles the portal's modules again."""
    names = ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "TMPDIR")
    dirs = {name: workdir / name.lower() for name in names}
    for path in dirs.values():
        path.mkdir(parents=True)
    return {
        "PORTAL_TODAY": "2026-03-02",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "PYTHONDONTWRITEBYTECODE": "",
        **{name: str(path) for name, path in dirs.items()},
    }


def leftovers(marker: str) -> list[int]:
    """Processes whose command line mentions `marker` (the demo server names its temp db)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def stop(session: str, workdir: Path) -> list[int]:
    """Quit with ctrl+q, kill the session, and end any child still running; their pids."""
    try:
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.perf_counter() + QUIT_SECONDS
        while not screen(session)[1] and time.perf_counter() < deadline:
            time.sleep(POLL_SECONDS)
        tmux("kill-session", "-t", session)
    except MeasureFailed:
        pass  # the session is already gone
    deadline = time.perf_counter() + QUIT_SECONDS
    while (pids := leftovers(str(workdir))) and time.perf_counter() < deadline:
        time.sleep(0.05)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids


def measure(case: Case, workdir: Path) -> float:
    """Seconds from launch until every needle of `case` is on screen."""
    env = [arg for name, value in run_env(workdir).items() for arg in ("-e", f"{name}={value}")]
    session = workdir.name
    start = time.perf_counter()
    size = ("-x", str(WIDTH), "-y", str(HEIGHT))
    tmux("new-session", "-d", "-s", session, *size, "-c", str(ROOT), *env, shlex.join(case.argv))
    text = ""
    try:
        while time.perf_counter() - start < TIMEOUT_SECONDS:
            text, dead = screen(session)
            if all(needle in text for needle in case.needles):
                return time.perf_counter() - start
            if dead:
                raise MeasureFailed(f"{case.label}: the app exited first. Screen:\n{text}")
            time.sleep(POLL_SECONDS)
        raise MeasureFailed(f"{case.label}: not on screen in {TIMEOUT_SECONDS:.0f} s:\n{text}")
    finally:
        if pids := stop(session, workdir):
            print(f"warning: {case.label}: killed leftover processes {pids}", file=sys.stderr)


@contextlib.contextmanager
def private_tmux() -> Iterator[None]:
    """A private tmux server for the launches (kept up by an idle session, panes kept after
    their process exits), killed at the end."""
    tmux("new-session", "-d", "-s", "keepalive", "cat")
    try:
        tmux("set-option", "-g", "remain-on-exit", "on")
        yield
    finally:
        with contextlib.suppress(MeasureFailed):
            tmux("kill-server")
        SOCKET.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Measure every case `--runs` times (interleaved, after one warm-up) and print ratios."""
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="launches per measurement")
    runs = max(1, parser.parse_args(argv).runs)
    if shutil.which("tmux") is None:
        print("bench failed: tmux is not installed", file=sys.stderr)
        return 1
    times: dict[Case, list[float]] = {case: [] for case in CASES}
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        try:
            with private_tmux():
                for n in range(runs + 1):  # run 0 warms the page cache and bytecode
                    for case in CASES:
                        seconds = measure(case, Path(tmp) / f"run{n}-{CASES.index(case)}")
                        if n:
                            times[case].append(seconds)
        except MeasureFailed as exc:
            print(f"bench failed: {exc}", file=sys.stderr)
            return 1
    bare = statistics.median(times[BARE])
    print(f"start-up, median of {runs} launches in tmux {WIDTH}x{HEIGHT} (min in brackets)")
    for case in CASES:
        median = statistics.median(times[case])
        ratio = "" if case is BARE else f"   {median / bare:.1f}x bare"
        print(f"  {case.label:<38} {median:5.2f} s  ({min(times[case]):.2f}){ratio}")
    demo = statistics.median(times[DEMO])
    verdict = "met" if demo <= DEMO_TARGET_SECONDS else "NOT met"
    target = f"account data within {DEMO_TARGET_SECONDS:.0f} s"
    print(f"  demo target ({target}): {verdict} (median {demo:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
