"""Engines, sessions, the SQL unit of work and schema migrations.

Nothing connects at import time: ``make_engine(url)`` builds an engine when asked. SQLite gets
``PRAGMA foreign_keys=ON`` and WAL on every connection, and real transactions (the driver's own
implicit transaction handling is switched off so that BEGIN, SAVEPOINT and transactional DDL
behave as on PostgreSQL). ``migrate(url)`` upgrades a database to the newest schema with
Alembic, configured in code from the migrations shipped inside this package.

A new migration, after changing ``tables.py`` (review the result; number revisions in order)::

    from alembic import command
    from runlift.adapters.sql.uow import alembic_config

    command.revision(
        alembic_config(url="sqlite:///scratch.db"),  # a database migrated to the current head
        message="add check-ins", autogenerate=True, rev_id="0002",
    )
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from runlift.adapters.sql.accounts import (
    SqlAccountRepository,
    SqlCoachingRepository,
    SqlSummaryRepository,
)
from runlift.adapters.sql.repositories import (
    SqlActivityRepository,
    SqlAthleteRepository,
    SqlCheckInRepository,
    SqlPlanRepository,
)

#: Where Alembic finds the migrations: a package resource, so it works from an installed wheel.
SCRIPT_LOCATION = "runlift.adapters.sql:migrations"

_T = TypeVar("_T")

#: Seconds an SQLite connection waits for another one's write transaction to end.
SQLITE_BUSY_TIMEOUT_S = 30.0


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL); ``options`` go to ``create_engine``."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        # Wait up to this long for another connection's write to finish instead of failing.
        options.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
        engine = create_engine(parsed, **options)
        _sqlite_setup(engine, in_memory=parsed.database in (None, "", ":memory:"))
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **options)


def _sqlite_setup(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # IMMEDIATE: take the write lock when the transaction starts. A deferred transaction
        # that read first and then writes fails at once with "database is locked" when
        # another connection wrote meanwhile (WAL never waits for a stale snapshot); an
        # immediate one waits its turn (the busy timeout) and then sees the newest data.
        connection.exec_driver_sql("BEGIN" if in_memory else "BEGIN IMMEDIATE")


def make_session_factory(url: str | Engine) -> sessionmaker[Session]:
    """Sessions over ``url`` (or over an engine made with ``make_engine``)."""
    engine = url if isinstance(url, Engine) else make_engine(url)
    return sessionmaker(bind=engine, expire_on_commit=False)


class SqlUnitOfWork:
    """A unit of work over one SQLAlchemy session per ``with`` block."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._athletes: SqlAthleteRepository | None = None
        self._plans: SqlPlanRepository | None = None
        self._activities: SqlActivityRepository | None = None
        self._checkins: SqlCheckInRepository | None = None
        self._accounts: SqlAccountRepository | None = None
        self._coaching: SqlCoachingRepository | None = None
        self._summaries: SqlSummaryRepository | None = None

    @staticmethod
    def _need(value: _T | None) -> _T:
        if value is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return value

    @property
    def athletes(self) -> SqlAthleteRepository:
        return self._need(self._athletes)

    @property
    def plans(self) -> SqlPlanRepository:
        return self._need(self._plans)

    @property
    def activities(self) -> SqlActivityRepository:
        return self._need(self._activities)

    @property
    def checkins(self) -> SqlCheckInRepository:
        return self._need(self._checkins)

    @property
    def accounts(self) -> SqlAccountRepository:
        return self._need(self._accounts)

    @property
    def coaching(self) -> SqlCoachingRepository:
        return self._need(self._coaching)

    @property
    def summaries(self) -> SqlSummaryRepository:
        return self._need(self._summaries)

    @property
    def session(self) -> Session:
        """The session of the current ``with`` block."""
        return self._need(self._session)

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; 'with' blocks do not nest")
        session = self._session_factory()
        self._session = session
        self._athletes = SqlAthleteRepository(session)
        self._plans = SqlPlanRepository(session)
        self._activities = SqlActivityRepository(session)
        self._checkins = SqlCheckInRepository(session)
        self._accounts = SqlAccountRepository(session)
        self._coaching = SqlCoachingRepository(session)
        self._summaries = SqlSummaryRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        self._session = self._athletes = self._plans = self._activities = None
        self._checkins = None
        self._accounts = None
        self._coaching = None
        self._summaries = None
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


# --------------------------------------------------------------------------- migrations


def alembic_config(*, url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code (no alembic.ini): for ``url`` or a connection."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run_alembic(url: str, action: Callable[[Config], None]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            action(alembic_config(url=url, connection=connection))
    finally:
        engine.dispose()


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (the newest schema by default)."""
    _run_alembic(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    """Downgrade the database at ``url`` to ``revision`` ("base" drops every table)."""
    _run_alembic(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str) -> str | None:
    """The schema revision the database at ``url`` is at (None when never migrated)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
