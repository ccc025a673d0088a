"""The wheel carries what the code opens at run time, and both commands."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from portal_tui.server.tables import Base
from portal_tui.server.tables.ledger_text import FTS_TABLES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portal_tui"
MIGRATIONS = "portal_tui/server/migrations"
GENERATED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "*.db")


def not_source(directory: str, names: list[str]) -> set[str]:
    """What the copy leaves out: outputs anywhere; the VCS, venv and caches at the top."""
    skipped = set(GENERATED(directory, names))
    if Path(directory) == ROOT:
        skipped |= {name for name in names if name.startswith(".") and name != ".ci"}
        skipped |= {"build", "dist"} & set(names)
    return skipped


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built the way pip builds it, from a copy of the working tree (a build
    writes `build/` and `*.egg-info` beside the sources; the real tree stays clean)."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=not_source)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "dist").glob("portal_tui-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def repo_files(pattern: str) -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob(pattern)
        if "__pycache__" not in path.parts
    }


def test_the_wheel_has_every_stylesheet(names: set[str]) -> None:
    stylesheets = repo_files("*.tcss")
    assert "portal_tui/app.tcss" in stylesheets  # the glob found them
    assert stylesheets <= names, sorted(stylesheets - names)


def test_the_wheel_has_the_pdf_fonts_and_their_licence(names: set[str]) -> None:
    fonts = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE_DEJAVU"}
    assert {f"portal_tui/exports/fonts/{name}" for name in fonts} <= names


def test_the_wheel_has_the_migrations(names: set[str]) -> None:
    versions = {
        path.relative_to(ROOT).as_posix() for path in (ROOT / MIGRATIONS / "versions").glob("*.py")
    }
    assert f"{MIGRATIONS}/versions/0001_initial_schema.py" in versions
    expected = {f"{MIGRATIONS}/env.py", f"{MIGRATIONS}/script.py.mako", *versions}
    assert expected <= names, sorted(expected - names)


def test_the_wheel_has_every_module_and_nothing_else(names: set[str]) -> None:
    modules = repo_files("*.py")
    assert modules <= names, sorted(modules - names)
    outside = {name for name in names if not name.startswith(("portal_tui/", "portal_tui-"))}
    assert outside == set()


def test_the_wheel_declares_both_commands(wheel: Path, names: set[str]) -> None:
    (entry_points,) = (name for name in names if name.endswith(".dist-info/entry_points.txt"))
    parser = configparser.ConfigParser()
    with zipfile.ZipFile(wheel) as archive:
        parser.read_string(archive.read(entry_points).decode())
    assert dict(parser["console_scripts"]) == {
        "portal-tui": "portal_tui.cli:main",
        "portal-server": "portal_tui.server.cli:main",
    }


def test_the_packaged_migrations_run(wheel: Path, tmp_path: Path) -> None:
    """Unpacked as an install would lay it out, `portal-server migrate` builds a schema."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    db = tmp_path / "portal.db"
    code = (
        "import portal_tui.server.cli as cli; print(cli.__file__, flush=True); "
        f"cli.main(['migrate', '--db', {f'sqlite:///{db}'!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=site,  # the working tree is not on sys.path: the unpacked wheel is imported
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    module, said = result.stdout.splitlines()
    assert Path(module).is_relative_to(site)
    assert said == "The schema is up to date."
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert tables == {*Base.metadata.tables, "alembic_version", *FTS_TABLES}  # + text index
