"""Shared pytest configuration: hypothesis profiles, and the PostgreSQL server tests use.

``HYPOTHESIS_PROFILE=ci`` (the default in .ci/run) keeps the run short;
``HYPOTHESIS_PROFILE=thorough`` is for deliberate, longer runs.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Modules here that are not test modules: pytest (with --doctest-modules) must not import
# them, since importing registers their event types for the whole session.
collect_ignore = ["typing_examples.py", "store_crasher.py", "store_writer.py",
                  "store_feed_writer.py", "store_follower.py"]


# -- services: a real PostgreSQL server -------------------------------------------------------
#
# Tests that need PostgreSQL take the server from CRISIS_MODEL_TEST_POSTGRES_DSN (.ci/run
# starts one and sets it).  Without it, if PostgreSQL's server binaries are installed, the
# session starts a throwaway server (tests/pg_server.sh) and sets the variable for the
# processes it spawns.  Otherwise those tests skip, or fail when
# CRISIS_MODEL_REQUIRE_SERVICES=1.  Only loopback addresses are ever used.

POSTGRES_ENV = "CRISIS_MODEL_TEST_POSTGRES_DSN"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def services_required() -> bool:
    """Whether a missing service is a failure (CRISIS_MODEL_REQUIRE_SERVICES=1), not a skip."""
    return os.environ.get("CRISIS_MODEL_REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip the test for want of a service, or fail it when services are required."""
    if services_required():
        pytest.fail(f"{reason} (CRISIS_MODEL_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def _initdb_available() -> bool:
    return bool(shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _loopback(dsn: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(dsn)
    host = str(parts.get("host") or "")
    if host not in _LOOPBACK:
        pytest.fail(f"{POSTGRES_ENV} must name a server on 127.0.0.1 (the tests touch no "
                    f"other address), not host {host!r}")
    return with_database(dsn, str(parts.get("dbname") or "postgres"))


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a PostgreSQL server on loopback the tests may create databases in."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing_service("psycopg is not installed (pip install -e '.[test]')")
    dsn = os.environ.get(POSTGRES_ENV)
    if dsn:
        yield _loopback(dsn)
        return
    if not _initdb_available():
        missing_service(f"no PostgreSQL: set {POSTGRES_ENV} or install PostgreSQL's server")
    folder = tempfile.mkdtemp(prefix="crisis-model-pg-")
    script = Path(__file__).with_name("pg_server.sh")
    try:
        started = subprocess.run(["bash", str(script), "start", folder], capture_output=True,
                                 text=True, timeout=180)
        if started.returncode != 0:
            missing_service(f"could not start a PostgreSQL server: {started.stderr[-2000:]}")
        dsn = started.stdout.strip().splitlines()[-1]
        os.environ[POSTGRES_ENV] = dsn
        try:
            yield _loopback(dsn)
        finally:
            del os.environ[POSTGRES_ENV]
    finally:
        subprocess.run(["bash", str(script), "stop", folder], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def with_database(dsn: str, database: str) -> str:
    """``dsn`` with its database replaced by ``database``, as a ``postgresql://`` URI (the form
    ``open_store`` and ``--db`` take)."""
    from urllib.parse import quote

    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(dsn)
    user = quote(str(parts.get("user") or ""), safe="")
    password = parts.get("password")
    login = f"{user}:{quote(str(password), safe='')}" if password else user
    return (f"postgresql://{login}{'@' if login else ''}{parts.get('host', '127.0.0.1')}:"
            f"{parts.get('port', 5432)}/{quote(database, safe='')}")


@contextlib.contextmanager
def scratch_database(dsn: str) -> Iterator[str]:
    """A new, empty database on the server of ``dsn`` (dropped afterwards); its DSN."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(dsn, name)
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_schema() -> str:
    """A schema name no other test uses."""
    return f"t_{uuid.uuid4().hex[:16]}"


def drop_schema(dsn: str, schema: str) -> None:
    """Drop a test's schema and everything in it."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_database(postgres_dsn: str) -> Iterator[str]:
    """The DSN of a fresh database on the test server, dropped after the test."""
    with scratch_database(postgres_dsn) as dsn:
        yield dsn
