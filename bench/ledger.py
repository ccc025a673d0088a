"""Time to rows in a huge ledger, as a user sees it: Transaction History of one family with
`--rows` entries, in tmux, against the time a bare Textual app takes to paint (measured in the
same run, `bench/bare_app.py`).

The app runs against a real server (a subprocess on a seeded SQLite database, or `--db`).
Each action starts when its keys are sent and ends when the screen shows the row the cursor
should be on, with no placeholder line left on screen: End (the oldest entry), Home (the
newest), PageDown held (20 presses at once) and Go to Date (from the Enter that sends the
date). It also times the server's window request at the newest, the middle and the oldest,
against the same request for the demo family.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from bench.startup import (
    BARE,
    HEIGHT,
    POLL_SECONDS,
    ROOT,
    TIMEOUT_SECONDS,
    WIDTH,
    MeasureFailed,
    measure,
    private_tmux,
    run_env,
    screen,
    stop,
    tmux,
)
from portal_tui.server.seed.bulk_ledger import LEDGER_EMAIL
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD

PLACEHOLDER = re.compile(r"^\s*▶?\s+…\s*$", re.M)
"""A table line still waiting for its page."""
PAGE_DOWNS = 20


def cursor_line(text: str) -> str:
    return next((line for line in text.splitlines() if "▶" in line), "")


@contextlib.contextmanager
def server(db_url: str) -> Iterator[str]:
    """The portal server on a free port in its own process group; its base URL."""
    command = ["serve", "--db", db_url, "--port", "0", "--exit-with-stdin"]
    process = subprocess.Popen(
        [sys.executable, "-m", "portal_tui.server", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=run_env(Path(tempfile.mkdtemp(prefix="portal-bench-server-"))),
        start_new_session=True,
    )
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    match = re.search(r"http://\S+", line)
    if match is None:
        process.kill()
        raise MeasureFailed(f"the server did not start: {line!r}")
    try:
        yield match.group(0)
    finally:
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def seeded(rows: int, directory: Path) -> str:
    url = f"sqlite:///{directory / 'ledger.db'}"
    command = [sys.executable, "-m", "portal_tui.server", "seed-demo", "--db", url]
    env = run_env(directory / "seed")
    subprocess.run([*command, "--ledger-rows", str(rows)], cwd=ROOT, env=env, check=True)
    return url


class Ledger:
    """The big family's ledger as the API gives it (the selected location's, as the tab
    opens on it), for the dates each action should land on."""

    def __init__(self, url: str, email: str = LEDGER_EMAIL) -> None:
        self.http = httpx.Client(base_url=f"{url}/api/v1", timeout=30)
        login = {"email": email, "password": DEMO_PASSWORD}
        token = self.http.post("/auth/login", json=login).json()["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        me = self.http.get("/auth/me").json()
        self.path = f"/families/{me['family_id']}/ledger"
        self.location: int | None = None
        self.total = 0

    def select(self, scope: str) -> None:
        """The location the tab shows (its scope line names it)."""
        locations = self.http.get("/locations").json()
        shown = [loc for loc in locations if scope.strip().startswith(loc["name"])]
        self.location = shown[0]["id"] if shown else None
        self.total = int(str(self.window(0, 1)["total"]))

    def window(self, start: int, limit: int = 100) -> dict[str, object]:
        params = {"start": start, "limit": limit}
        if self.location is not None:
            params["location_id"] = self.location
        result: dict[str, object] = self.http.get(f"{self.path}/window", params=params).json()
        return result

    def date_at(self, index: int) -> str:
        items = self.window(index, 1)["items"]
        assert isinstance(items, list)
        return str(items[0]["entry_date"])

    def request_ms(self, start: int, runs: int = 20) -> float:
        times = []
        for _ in range(runs):
            begin = time.perf_counter()
            self.window(start)
            times.append(time.perf_counter() - begin)
        return statistics.median(times) * 1000


def wait(session: str, done: Callable[[str], bool], what: str) -> float:
    """Seconds until `done(screen)`, polling from now."""
    start = time.perf_counter()
    text = ""
    while time.perf_counter() - start < TIMEOUT_SECONDS:
        text = screen(session)[0]
        if done(text):
            return time.perf_counter() - start
        time.sleep(POLL_SECONDS)
    raise MeasureFailed(f"{what}: not on screen in {TIMEOUT_SECONDS:.0f} s:\n{text}")


def wait_for(session: str, done: Callable[[str], bool], what: str) -> str:
    """The screen once `done(screen)`."""
    wait(session, done, what)
    return screen(session)[0]


def lands_on(day: str) -> Callable[[str], bool]:
    return lambda text: day in cursor_line(text) and not PLACEHOLDER.search(text)


SETTLE_SECONDS = 0.5
"""A pause before each timed key, so that it measures that key and not the end of the
previous action's work (under the app's 3 s keep-alive, so no new connection is timed)."""


def keys(session: str, *names: str) -> float:
    """Send keys; the moment they were sent."""
    time.sleep(SETTLE_SECONDS)
    start = time.perf_counter()
    tmux("send-keys", "-t", session, *names)
    return start


def peak_rss_mb(session: str) -> float:
    """The app's peak resident memory so far (it is the pane's process)."""
    pid = tmux("display-message", "-pt", session, "#{pane_pid}").strip()
    status = Path(f"/proc/{pid}/status").read_text()
    kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kb) / 1024


def actions(url: str, workdir: Path, ledger: Ledger) -> dict[str, float]:
    """One session: sign in, open the tab, then each action's seconds to its rows."""
    env = [arg for name, value in run_env(workdir).items() for arg in ("-e", f"{name}={value}")]
    session = workdir.name
    argv = shlex.join([sys.executable, "-m", "portal_tui", "--server", url])
    size = ("-x", str(WIDTH), "-y", str(HEIGHT))
    tmux("new-session", "-d", "-s", session, *size, "-c", str(ROOT), *env, argv)
    times: dict[str, float] = {}
    try:
        wait(session, lambda t: "Portal — Sign in" in t, "login")
        tmux("send-keys", "-t", session, "-l", LEDGER_EMAIL)
        tmux("send-keys", "-t", session, "Enter")  # no password yet: focus goes to it
        wait(session, lambda t: "Enter your password" in t, "password asked")
        tmux("send-keys", "-t", session, "-l", DEMO_PASSWORD)
        tmux("send-keys", "-t", session, "Enter")
        wait(session, lambda t: "Ledger Family" in t, "signed in")
        start = keys(session, "3")
        text = wait_for(session, lambda t: "newest first" in t and "▶" in t, "first rows")
        times["tab key → first rows"] = time.perf_counter() - start
        ledger.select(next(line for line in text.splitlines() if "newest first" in line))
        newest, oldest = ledger.date_at(0), ledger.date_at(ledger.total - 1)
        assert newest in cursor_line(text), "the first rows are not the newest"
        start = keys(session, "End")
        wait(session, lands_on(oldest), "End")
        times["End → oldest rows"] = time.perf_counter() - start
        start = keys(session, "Home")
        wait(session, lands_on(newest), "Home")
        times["Home → newest rows"] = time.perf_counter() - start
        before = cursor_line(screen(session)[0])
        start = keys(session, *["PageDown"] * PAGE_DOWNS)
        wait(
            session,
            lambda t: cursor_line(t) != before and not PLACEHOLDER.search(t),
            "PageDown",
        )
        times[f"PageDown x{PAGE_DOWNS} → rows"] = time.perf_counter() - start
        target = ledger.date_at(ledger.total // 2)
        keys(session, "C-p")
        wait(session, lambda t: "Search for commands" in t or "palette" in t.lower(), "palette")
        tmux("send-keys", "-t", session, "-l", "Go to Date")
        wait(session, lambda t: "Go to Date" in t, "palette entry")
        keys(session, "Enter")
        wait(session, lambda t: "YYYY-MM-DD" in t, "Go to Date form")
        tmux("send-keys", "-t", session, "-l", target)
        start = keys(session, "Enter")
        wait(session, lands_on(target), "Go to Date")
        times["Go to Date (middle) → rows"] = time.perf_counter() - start
        times["peak RSS (MB) after newest, middle, oldest"] = peak_rss_mb(session)
    finally:
        stop(session, workdir)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="the big family's entries")
    parser.add_argument("--runs", type=int, default=3, help="sessions per measurement")
    parser.add_argument("--db", help="a database already seeded with the big family")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        db_url = args.db or seeded(args.rows, Path(tmp))
        measured: dict[str, list[float]] = {}
        bare: list[float] = []
        try:
            with private_tmux(), server(db_url) as url:
                ledger = Ledger(url)
                for n in range(args.runs + 1):  # run 0 warms caches
                    paint = measure(BARE, Path(tmp) / f"bare{n}")
                    run = actions(url, Path(tmp) / f"run{n}", ledger)
                    if n:
                        bare.append(paint)
                        for label, seconds in run.items():
                            measured.setdefault(label, []).append(seconds)
                server_ms = {
                    "newest": ledger.request_ms(0),
                    "middle": ledger.request_ms(ledger.total // 2),
                    "oldest": ledger.request_ms(ledger.total - 100),
                }
                total = ledger.total
                demo = Ledger(url, DEMO_EMAIL)
                demo_ms = demo.request_ms(0)
        except MeasureFailed as exc:
            print(f"bench failed: {exc}", file=sys.stderr)
            return 1
    paint = statistics.median(bare)
    print(f"ledger of {total:,} entries (the selected location), median of {args.runs} runs")
    print(f"  bare textual app painted            {paint:5.2f} s")
    for label, times in measured.items():
        median = statistics.median(times)
        if label.startswith("peak RSS"):
            print(f"  {label}: {median:.0f}")
        else:
            print(f"  {label:<35} {median:5.2f} s   {median / paint:.2f}x bare paint")
    window = ", ".join(f"{at} {ms:.1f} ms" for at, ms in server_ms.items())
    print(f"  server window of 100 rows (median of 20): {window}")
    worst = max(server_ms.values()) / demo_ms
    print(f"  the demo family's newest window {demo_ms:.1f} ms: the slowest above is {worst:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
