"""`portal-server`: serve the portal API, migrate, seed demo data, change settings, read the
outbox."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError

if TYPE_CHECKING:
    from portal_tui.server.outbox import Outbox

PROG = "portal-server"


class Refused(Exception):
    """Why a command cannot go on; `main` prints it (no traceback) and exits with 1."""


def _engine(url: str | None) -> Engine:
    from portal_tui.server.config import default_db_url
    from portal_tui.server.db import make_engine

    url = url or os.environ.get("PORTAL_DB_URL") or default_db_url()
    try:
        return make_engine(url)
    except ArgumentError as exc:  # also a missing driver (NoSuchModuleError)
        raise Refused(f"Not a database URL this server can use: {exc}") from exc


def _parser() -> argparse.ArgumentParser:
    db_help = "database URL (default: SQLite in the user data dir; or postgresql+psycopg://…)"
    outbox_help = "the outbox folder (default: PORTAL_OUTBOX, else outbox in the user data dir)"
    # SUPPRESS: a level that was not given `--db` must not reset one given at another level
    # (`portal-server --db URL settings list` and `portal-server settings list --db URL`).
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="URL", help=db_help)
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", parents=[common], help="serve the API (the default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0 picks any free port")
    serve.add_argument("--seed-demo", action="store_true", help="seed an empty database first")
    serve.add_argument(
        "--exit-with-stdin", action="store_true", help="stop when standard input closes"
    )
    serve.add_argument(
        "--smtp-url",
        metavar="URL",
        help="send mail by SMTP: smtp://user:password@host:587?from=portal@example.com "
        "(or smtps://; default: PORTAL_SMTP_URL, else files in the outbox folder)",
    )
    serve.add_argument("--outbox", metavar="DIR", type=Path, help=outbox_help)

    sub.add_parser("migrate", parents=[common], help="upgrade the schema to the newest")

    off = sub.add_parser(
        "two-step-off",
        parents=[common],
        help="turn off a user's two-step verification (a lost phone and recovery codes)",
    )
    off.add_argument("email")

    outbox = sub.add_parser("outbox", help="list the mail in the outbox folder, or show one")
    outbox.add_argument("number", nargs="?", type=int, help="show message NUMBER in full")
    outbox.add_argument("--outbox", metavar="DIR", type=Path, help=outbox_help)

    seed = sub.add_parser("seed-demo", parents=[common], help="fill an empty database")
    seed.add_argument("--families", type=int, default=0, help="extra generated families")
    seed.add_argument("--ledger-rows", type=int, default=0, help="rows for one big family")

    settings = sub.add_parser("settings", parents=[common], help="list or set settings")
    settings_sub = settings.add_subparsers(dest="action", required=True)
    settings_sub.add_parser("list", parents=[common])
    setter = settings_sub.add_parser("set", parents=[common])
    setter.add_argument("name")
    setter.add_argument("value")
    return parser


def _prepare(engine: Engine) -> None:
    """Create the schema in an empty database; refuse an outdated one."""
    from portal_tui.server.migrate import SchemaState, create_at_head, schema_state

    state = schema_state(engine)
    if state is SchemaState.EMPTY:
        create_at_head(engine)
    elif state is SchemaState.OUTDATED:
        raise Refused("The database schema is older than this server: run `portal-server migrate`.")
    elif state is SchemaState.UNKNOWN:
        raise Refused(_unknown_schema(engine))


def _unknown_schema(engine: Engine) -> str:
    from portal_tui.server.migrate import current_revision

    revision = current_revision(engine)
    if revision is None:
        return "The database has tables but no portal schema revision: is it another application's?"
    return (
        f"The database schema is at revision {revision!r}, which this server does not know "
        "(a newer portal-server's?): it is left as it is."
    )


def _migrate(engine: Engine) -> None:
    from portal_tui.server.migrate import SchemaState, schema_state, upgrade

    if schema_state(engine) is SchemaState.UNKNOWN:
        raise Refused(_unknown_schema(engine))
    upgrade(engine)


def _seed(engine: Engine, families: int = 0, ledger_rows: int = 0) -> None:
    from portal_tui.server import clock
    from portal_tui.server.db import make_sessionmaker
    from portal_tui.server.seed import seed_bulk, seed_demo

    with make_sessionmaker(engine)() as db:
        try:
            seed_demo(db, today=clock.today())
        except RuntimeError as exc:  # the database already has data
            raise Refused(str(exc)) from exc
        if families or ledger_rows:
            seed_bulk(db, today=clock.today(), families=families, ledger_rows=ledger_rows)


def _serve(
    engine: Engine,
    host: str,
    port: int,
    exit_with_stdin: bool = False,
    outbox: Outbox | None = None,
) -> None:
    import uvicorn

    from portal_tui.server.app import create_app
    from portal_tui.server.serving import uvicorn_config

    shown = f"[{host}]" if ":" in host else host
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listen before saying so: whoever reads the line may connect at once, and the
        # backlog holds those connections until uvicorn starts accepting.
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise Refused(f"Cannot listen on {shown}:{port}: {exc.strerror or exc}.") from exc
    bound = sock.getsockname()[1]
    app = create_app(str(engine.url.render_as_string(hide_password=False)), outbox)
    engine.dispose()  # the app has its own engine
    print(f"Portal server listening on http://{shown}:{bound}", flush=True)
    print(f"Mail goes to {app.state.outbox}.", flush=True)
    server = uvicorn.Server(uvicorn_config(app))
    if exit_with_stdin:
        threading.Thread(target=_stop_at_eof, args=(server,), daemon=True).start()
    server.run(sockets=[sock])


def _stop_at_eof(server: Any) -> None:
    """Stop the server when its parent (which holds our stdin) goes away."""
    while sys.stdin.buffer.read(1024):
        pass
    server.should_exit = True


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except Refused as exc:
        sys.exit(f"{PROG}: {exc}")
    except OperationalError as exc:  # unreachable server, unopenable file, bad credentials…
        reason = str(exc.orig).strip() if exc.orig is not None else str(exc)
        sys.exit(f"{PROG}: Cannot use the database: {reason}")


def _run(args: argparse.Namespace) -> None:
    command = args.command or "serve"
    if command == "outbox":
        _outbox(getattr(args, "outbox", None), args.number)
        return
    engine = _engine(getattr(args, "db", None))
    if command == "migrate":
        _migrate(engine)
        print("The schema is up to date.")
    elif command == "seed-demo":
        _prepare(engine)
        _seed(engine, args.families, args.ledger_rows)
        print("Demo data created.")
    elif command == "settings":
        _settings(engine, args)
    elif command == "two-step-off":
        _two_step_off(engine, args.email)
    else:
        outbox = _mail_outbox(getattr(args, "smtp_url", None), getattr(args, "outbox", None))
        _prepare(engine)
        if getattr(args, "seed_demo", False):
            _seed(engine)
        _serve(
            engine,
            getattr(args, "host", "127.0.0.1"),
            getattr(args, "port", 8000),
            getattr(args, "exit_with_stdin", False),
            outbox,
        )


def _two_step_off(engine: Engine, email: str) -> None:
    from portal_tui.server.db import make_sessionmaker
    from portal_tui.server.errors import ApiError
    from portal_tui.server.services import two_step

    _prepare(engine)
    with make_sessionmaker(engine)() as db, db.begin():
        try:
            two_step.turn_off_for(db=db, email=email)
        except ApiError as exc:
            raise Refused(exc.message) from exc
    print(f"Two-step verification is off for {email}, and every session of theirs has ended.")


def _mail_outbox(smtp_url: str | None, folder: Path | None) -> Outbox:
    from portal_tui.server.outbox import outbox_for

    try:
        return outbox_for(smtp_url, folder)
    except ValueError as exc:
        raise Refused(str(exc)) from exc


def _outbox(folder: Path | None, number: int | None) -> None:
    """List the outbox folder's mail, the newest first (number 1), or show one in full."""
    from portal_tui.server.outbox import default_folder, filed

    folder = folder or default_folder()
    messages = filed(folder)
    if number is None:
        if not messages:
            print(f"No mail in {folder}.")
        for index, message in enumerate(messages, 1):
            print(f"{index:>3}  {message.sent}  {message.to}  {message.subject}")
        return
    if not 1 <= number <= len(messages):
        raise Refused(f"No message {number}: the outbox has {len(messages)}.")
    message = messages[number - 1]
    print(f"File: {message.path}\nDate: {message.sent}\nTo: {message.to}")
    print(f"Subject: {message.subject}\n\n{message.body}", end="")


def _settings(engine: Engine, args: argparse.Namespace) -> None:
    from portal_tui.server.db import make_sessionmaker
    from portal_tui.server.errors import ApiError
    from portal_tui.server.services import business as business_service

    _prepare(engine)
    with make_sessionmaker(engine)() as db, db.begin():
        try:
            if args.action == "set":
                business_service.set_setting(db=db, name=args.name, value=args.value)
            out = business_service.business_out(db=db)
        except ApiError as exc:  # an unknown setting or a value it cannot take
            raise Refused(exc.message) from exc
        except RuntimeError as exc:  # no business yet: nothing seeded
            raise Refused(str(exc)) from exc
    for name in ("name", "currency", "currency_symbol", "time_zone"):
        print(f"{name} = {getattr(out, name)}")
    for name, value in out.settings.model_dump(mode="json").items():
        print(f"{name} = {str(value).lower() if isinstance(value, bool) else value}")


if __name__ == "__main__":
    main()
