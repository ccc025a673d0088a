"""Launch → first rows of one big ledger in three tables, in tmux, against a bare Textual
app's paint (`bench/startup.py` measures each the same way):

- the portal's `LedgerTable`, signed in already (as a remembered sign-in starts), reading only
  the rows it draws from the server;
- Textual's stock `DataTable` and textual-fastdatatable (the `bench` extra), each filled with
  every row of the same ledger from a JSON file (reading the file is their head start: they
  do not wait for a server).

`python -m bench.tables --rows 100000` (or `--db URL` of a database already seeded).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.ledger import Ledger, seeded, server
from bench.startup import BARE, Case, MeasureFailed, measure, private_tmux
from portal_tui.widgets.ledger_table import KIND_LABELS
from portal_tui.widgets.money import format_cents

STOCK_TABLES_UP_TO = 100_000
"""Above this many entries the stock tables are not launched: Textual's DataTable then takes
longer than a launch may (30 s), and the comparison asked for is at 100,000."""


def dump(ledger: Ledger, total: int, path: Path) -> None:
    """Every entry of the family (newest first) as table rows."""
    rows: list[list[str]] = []
    for start in range(0, total, 500):
        items = ledger.window(start, 500)["items"]
        assert isinstance(items, list)
        for item in items:
            sign = 1 if item["kind"] in ("charge", "refund") else -1
            rows.append(
                [
                    item["entry_date"],
                    KIND_LABELS[item["kind"]],
                    item["description"],
                    item["student_name"] or "",
                    format_cents(sign * item["amount_cents"]),
                    format_cents(item["balance_cents"]),
                ]
            )
    path.write_text(json.dumps(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tables", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="the big family's entries")
    parser.add_argument("--runs", type=int, default=7, help="launches per measurement")
    parser.add_argument("--db", help="a database already seeded with the big family")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        db_url = args.db or seeded(args.rows, Path(tmp))
        times: dict[str, list[float]] = {}
        try:
            with private_tmux(), server(db_url) as url:
                ledger = Ledger(url)
                token = str(ledger.http.headers["Authorization"]).removeprefix("Bearer ")
                session = (token, ledger.path.split("/")[2])
                first = ledger.window(0, 1)
                count = int(str(first["total"]))
                items = first["items"]
                assert isinstance(items, list)
                newest = str(items[0]["entry_date"])
                app = ("-m", "bench.table_apps")
                portal = (python, *app, "portal", url, *session)
                cases = [BARE, Case("portal LedgerTable", portal, (newest,))]
                if count <= STOCK_TABLES_UP_TO:
                    rows = Path(tmp) / "rows.json"
                    dump(ledger, count, rows)
                    for label, kind in (
                        ("Textual DataTable", "datatable"),
                        ("textual-fastdatatable", "fastdatatable"),
                    ):
                        cases.append(Case(label, (python, *app, kind, str(rows)), (newest,)))
                else:
                    print(f"(the stock tables are left out above {STOCK_TABLES_UP_TO:,} entries)")
                for n in range(args.runs + 1):  # run 0 warms caches
                    for index, case in enumerate(cases):
                        seconds = measure(case, Path(tmp) / f"run{n}-{index}")
                        if n:
                            times.setdefault(case.label, []).append(seconds)
        except MeasureFailed as exc:
            print(f"bench failed: {exc}", file=sys.stderr)
            return 1
    median = {label: statistics.median(seconds) for label, seconds in times.items()}
    bare, ours = median[BARE.label], median["portal LedgerTable"]
    print(f"launch → first rows of {count:,} entries, median of {args.runs} launches")
    paired = sorted(
        mine / theirs
        for mine, theirs in zip(times["portal LedgerTable"], times[BARE.label], strict=True)
    )
    print(
        f"  (each portal launch against the bare launch just before it: median "
        f"{statistics.median(paired):.2f}x, from {paired[0]:.2f}x to {paired[-1]:.2f}x)"
    )
    for label, seconds in median.items():
        versus = "" if label == BARE.label else f"   {seconds / bare:.2f}x bare paint"
        faster = (
            ""
            if label in (BARE.label, "portal LedgerTable")
            else f", {seconds / ours:.1f}x the portal's"
        )
        print(f"  {label:<34} {seconds:5.2f} s{versus}{faster}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
