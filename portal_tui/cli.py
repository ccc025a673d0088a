"""`portal-tui`: parse arguments and build the app (one factory for the CLI and the tests)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from portal_tui import __version__, collector
from portal_tui.options import LaunchOptions
from portal_tui.urls import BadServerUrl, check_server_url

if TYPE_CHECKING:
    from portal_tui.app import PortalApp
    from portal_tui.demo_server import DemoServer


SETTINGS = ("server", "allow_http", "ca_bundle", "email")
"""The settings `config.AppConfig` reads from PORTAL_* variables and the config file."""


def read_settings() -> LaunchOptions:
    """PORTAL_* variables over the config file over the defaults (not yet checked).

    With neither a PORTAL_ variable for one of the settings nor a config file, every setting
    is its default: pydantic-settings, about 0.2 s before anything is on screen, is not
    loaded then.
    """
    names = {f"portal_{name}" for name in SETTINGS}  # matched as AppConfig does: any case
    given = any(name.lower() in names for name in os.environ)
    if not given:
        from portal_tui import paths

        given = paths.config_file().exists()
    if not given:
        return LaunchOptions()
    from portal_tui.config import AppConfig

    config = AppConfig()
    return LaunchOptions(
        server=config.server,
        allow_http=config.allow_http,
        ca_bundle=config.ca_bundle,
        email=config.email,
    )


def parse_args(argv: Sequence[str] | None = None) -> LaunchOptions:
    """Options from flags over PORTAL_* variables and the config file; exit 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="portal-tui", description="The customer portal's My Account, in a terminal."
    )
    parser.add_argument("--server", metavar="URL", help="the portal's URL")
    parser.add_argument(
        "--demo", action="store_true", help="start a seeded demo portal and sign in to it"
    )
    parser.add_argument(
        "--allow-http", action="store_true", help="allow plain HTTP to a non-loopback server"
    )
    parser.add_argument("--ca-bundle", metavar="FILE", help="CA bundle to verify the server")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)
    if args.demo:
        return LaunchOptions(demo=True)  # a private server: no configuration applies
    config = read_settings()
    allow_http = args.allow_http or config.allow_http
    server = args.server if args.server is not None else config.server
    if server:
        try:
            server = check_server_url(server, allow_http=allow_http)
        except BadServerUrl as exc:
            parser.error(str(exc))
    ca_bundle = args.ca_bundle or config.ca_bundle
    if ca_bundle and not Path(ca_bundle).is_file():
        parser.error(f"the CA bundle {ca_bundle} is not a readable file")
    return LaunchOptions(
        server=server,
        allow_http=allow_http,
        ca_bundle=ca_bundle,
        email=config.email,
    )


def make_app(options: LaunchOptions, demo: DemoServer | None = None) -> PortalApp:
    """The app for `options`; tests build it the same way."""
    from portal_tui.app import PortalApp

    return PortalApp(options, demo=demo)


def main(argv: Sequence[str] | None = None) -> None:
    collector.pause()  # the app's first screen resumes it
    try:
        options = parse_args(argv)
        demo = None
        if options.demo:
            from portal_tui.demo_server import DemoServer

            demo = DemoServer()
            demo.spawn()  # the server starts while the app is still importing
        make_app(options, demo).run()
    finally:
        collector.resume()
