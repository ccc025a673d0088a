"""The FastAPI app factory."""

from __future__ import annotations

from fastapi import FastAPI

from portal_tui import __version__
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.errors import install_error_handlers
from portal_tui.server.limits import BodyLimit
from portal_tui.server.load import LoadShedding
from portal_tui.server.outbox import Outbox, outbox_for
from portal_tui.server.routes import (
    absences,
    account_recovery,
    account_security,
    auth,
    balances,
    business,
    checkin,
    contacts,
    enrollments,
    family,
    guardian_logins,
    guardians,
    makeups,
    meta,
    passes,
    payment_methods,
    payments,
    progress,
    statements,
    students,
    two_step,
)
from portal_tui.wire import API_PREFIX


def create_app(db_url: str, outbox: Outbox | None = None) -> FastAPI:
    """The portal API on the database at `db_url`, sending mail through `outbox` (by
    default as `outbox_for` finds it configured)."""
    app = FastAPI(
        title="Portal API",
        version=__version__,
        description="The reference customer-portal server for Portal TUI.",
    )
    engine = make_engine(db_url)
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.outbox = outbox or outbox_for()
    install_error_handlers(app)
    routers = (
        meta,
        auth,
        account_recovery,
        account_security,
        two_step,
        business,
        family,
        balances,
        contacts,
        guardian_logins,
        guardians,
        students,
        payments,
        payment_methods,
    )
    reports = (statements,)
    student_features = (enrollments, progress, makeups, absences, checkin, passes)
    for module in (*routers, *student_features, *reports):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_middleware(BodyLimit)
    app.add_middleware(LoadShedding)
    return app
