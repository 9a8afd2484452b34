"""The database tables, as SQLAlchemy 2 typed declarative models (one ``...Row`` per table).

Portable across SQLite and PostgreSQL: instants are ``DateTime(timezone=True)`` holding UTC
(SQLite keeps no offset, so ``UtcDateTime`` writes UTC and reads it back as aware UTC); JSON
columns are ``sqlalchemy.JSON``; an activity's per-record streams are one zlib-compressed
compact JSON document in a ``LargeBinary`` column, loaded only when asked for.

Constraint and index names follow ``NAMING_CONVENTION`` so migrations can name them. The schema
itself is created by the Alembic migrations in ``migrations/``, never by ``create_all``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC; always read back as an aware UTC ``datetime``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store the naive datetime {value.isoformat()}")
        value = value.astimezone(UTC)
        # SQLite has no time zone type: keep the UTC wall clock, read it back as UTC.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), date: Date()}


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``name`` case-folded with blanks collapsed, then a tab and ``owner_id`` for a
    #: trainer's client (``dto.scoped_name_key``): names are unique per trainer, ignoring case.
    #: (SQLite does not enforce lengths; its column keeps the declared 200 of the first schema.)
    name_key: Mapped[str] = mapped_column(
        String(200).with_variant(String(240), "postgresql"), unique=True
    )
    #: The trainer (account id) whose client the athlete is; 0 for the command line's.
    owner_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    profile_toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    #: The overtraining watch's sensitivity: conservative, standard or sensitive.
    watch_sensitivity: Mapped[str] = mapped_column(
        String(20), default="standard", server_default="standard"
    )


class PlanVersionRow(Base):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("athlete_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    # A summary of the plan, so listing versions never decodes the plan JSON.
    weeks: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date]
    end_date: Mapped[date]
    #: ``TrainingPlan.to_dict()``.
    plan_json: Mapped[dict[str, Any]] = mapped_column(JSON)


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index(None, "athlete_id", "start_utc"),
        # One row per duplicate key: concurrent identical submissions store exactly one.
        Index(None, "athlete_id", "dedupe_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    sub_sport: Mapped[str | None] = mapped_column(Text)
    source_sport: Mapped[str | None] = mapped_column(Text)
    leg_index: Mapped[int | None] = mapped_column(Integer)
    start_utc: Mapped[datetime | None]
    elapsed_s: Mapped[float] = mapped_column(Float)
    timer_s: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    ascent_m: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[float | None] = mapped_column(Float)
    max_hr: Mapped[float | None] = mapped_column(Float)
    device: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str | None] = mapped_column(String(32))
    rpe: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text)
    #: ``CompletedActivity.warnings`` as a JSON list of strings.
    warnings: Mapped[list[str]] = mapped_column(JSON)
    #: ``CompletedActivity.laps`` as a JSON list of objects (ISO 8601 UTC starts).
    laps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    load: Mapped[float | None] = mapped_column(Float)
    #: Banister TRIMP and running TSS, computed when stored; NULL when unknown.
    trimp: Mapped[float | None] = mapped_column(Float)
    rtss: Mapped[float | None] = mapped_column(Float)
    planned_session_id: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str | None] = mapped_column(String(128), index=True)
    #: ``dto.activity_dedupe_key``: unique per athlete; NULL (unconstrained) for seeded data
    #: and for later copies that were already stored twice before revision 0010.
    dedupe_key: Mapped[str | None] = mapped_column(String(255))
    imported_at: Mapped[datetime]
    #: zlib-compressed compact JSON of the non-empty stream series; NULL when there are none.
    streams: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    strength_sets: Mapped[list[StrengthSetRow]] = relationship(
        order_by="StrengthSetRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )


class StrengthSetRow(Base):
    __tablename__ = "strength_sets"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    #: Order of the set within the activity, from 0.
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise: Mapped[str] = mapped_column(Text)
    reps: Mapped[int | None] = mapped_column(Integer)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float)


class CheckInFields:
    """The columns of one version of a check-in (every ``CheckIn`` field but the day)."""

    sleep_hours: Mapped[float | None] = mapped_column(Float)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    fatigue: Mapped[int | None] = mapped_column(Integer)
    soreness: Mapped[int | None] = mapped_column(Integer)
    stress: Mapped[int | None] = mapped_column(Integer)
    mood: Mapped[int | None] = mapped_column(Integer)
    motivation: Mapped[int | None] = mapped_column(Integer)
    ill: Mapped[bool] = mapped_column(Boolean)
    injured: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    resting_hr: Mapped[int | None] = mapped_column(Integer)
    hrv_rmssd_ms: Mapped[float | None] = mapped_column(Float)
    mass_kg: Mapped[float | None] = mapped_column(Float)
    #: When this version was saved.
    recorded_at: Mapped[datetime]


class CheckInRow(CheckInFields, Base):
    """The current version of an athlete's check-in for one day (one row per athlete and day)."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("athlete_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    day: Mapped[date]
    #: 1 for the day's first check-in, one more for every save that replaced it.
    revision: Mapped[int] = mapped_column(Integer)


class CheckInRevisionRow(CheckInFields, Base):
    """A replaced version of a check-in, kept as the day's edit history."""

    __tablename__ = "checkin_revisions"

    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: When the next version replaced this one.
    replaced_at: Mapped[datetime]


# --------------------------------------------------------------------------- accounts


class UserRow(Base):
    """An account: a trainer, or a client with the athlete holding their training data."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower-cased, so addresses are unique ignoring case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``trainer`` or ``client``.
    role: Mapped[str] = mapped_column(String(16))
    #: NULL until an invited client chooses a password.
    password_hash: Mapped[str | None] = mapped_column(Text)
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), unique=True
    )
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    #: ``metric`` or ``imperial``: how the account reads distances, paces and loads.
    units: Mapped[str] = mapped_column(String(16), default="metric", server_default="metric")


class AuthTokenRow(Base):
    """A secret handed out (a sign-in, an invite, an API token, a calendar URL), by its hash."""

    __tablename__ = "auth_tokens"
    __table_args__ = (Index(None, "user_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the secret, hex.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class LoginFailureRow(Base):
    """A failed sign-in, by e-mail (``email:...``) or network address (``addr:...``)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(320), index=True)
    at: Mapped[datetime]


# --------------------------------------------------------------------------- coaching


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AdjustmentDecisionRow(Base):
    """A trainer's decision about a day's proposed plan adjustments."""

    __tablename__ = "adjustment_decisions"
    __table_args__ = (Index(None, "athlete_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    day: Mapped[date]
    #: ``approved`` or ``rejected``.
    decision: Mapped[str] = mapped_column(String(16))
    #: The ids of the sessions the decision is about, a JSON list of strings.
    session_ids: Mapped[list[str]] = mapped_column(JSON)
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    plan_version: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)


class AdjustmentProposalRow(Base):
    """One proposed change of a day's plan adjustment and its state (docs/adjustments.md)."""

    __tablename__ = "adjustment_proposals"
    __table_args__ = (UniqueConstraint("athlete_id", "day", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    day: Mapped[date]
    #: The session id, or ``week-<start>`` for a de-load brought forward.
    key: Mapped[str] = mapped_column(String(200))
    #: ``Proposal.to_dict()`` as JSON text.
    data: Mapped[str] = mapped_column(Text)
    #: ``pending``, ``applied``, ``rejected`` or ``edited``.
    state: Mapped[str] = mapped_column(String(16))
    plan_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    applied_version: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    comment: Mapped[str] = mapped_column(Text, default="")


class AthleteSummaryRow(Base):
    """An athlete's cached dashboard line; ``dirty`` once their data changed since."""

    __tablename__ = "athlete_summaries"

    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    day: Mapped[date]
    computed_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dirty: Mapped[bool] = mapped_column(Boolean)
    #: One more for every change of the athlete's data (see ``SummaryRepository.put``).
    generation: Mapped[int] = mapped_column(Integer, server_default="0")
