"""Database schema and engine of the reference central API (SQLAlchemy 2, portable SQL).

Why SQLAlchemy with only portable column types: a training office runs the default SQLite file in the
data dir; a bigger pilot points ``--database-url`` at PostgreSQL (``postgresql+psycopg://…``) without
code changes. Secrets (device tokens, enrolment codes, OTP codes, PINs) are stored only as hashes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from central_api.keys import DataDirError


def utcnow() -> dt.datetime:
    """Timezone-aware now (stored as UTC)."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; treat them as the UTC they were stored as."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


class Device(Base):
    """An enrolled kiosk: its Ed25519 public key and the hash of its bearer token."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    token_expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EnrolmentCode(Base):
    """A one-time enrolment code (hashed); ``used_at`` set in the same transaction as the device."""

    __tablename__ = "enrolment_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(40), nullable=True)


class Operator(Base):
    """Desk staff. ``pin_hash`` is scrypt(PIN, salt); the offline salt is a separate, public value."""

    __tablename__ = "operators"
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[bytes] = mapped_column(LargeBinary(64))
    pin_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    offline_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    kdf_n: Mapped[int] = mapped_column(Integer)
    kdf_r: Mapped[int] = mapped_column(Integer)
    kdf_p: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class OperatorSession(Base):
    """A logged-in operator on a device (hash of the session token)."""

    __tablename__ = "operator_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("operators.username"))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OtpChallenge(Base):
    """One OTP code sent to a contact. The contact is stored as a keyed digest, not in clear."""

    __tablename__ = "otp_challenges"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    destination_digest: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    device_id: Mapped[str] = mapped_column(String(40))


class Submission(Base):
    """A received envelope: the sealed blob, its sha256, and the opened payload (central system).

    ``device_id`` is the kiosk that *signed* the envelope; ``relayed_by`` the enrolled kiosk that
    uploaded it when that was another one (a field officer's queue carried on a USB stick).
    ``reference_key`` is the receipt's reference number (``kiosk.reference.key_for``) for look-ups.

    Why the key is (id, signer): a submission id is readable from an envelope header or a USB manifest,
    so another enrolled kiosk could upload its own content under a victim's id first. Keyed per signer,
    that upload is a separate record and the victim's envelope is still stored (docs/security.md).
    ``reason_code`` is the coded reason devices see; ``reason_id``/``reason_en`` are the staff's
    internal note, shown only on the admin listener.
    """

    __tablename__ = "submissions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True, index=True)
    relayed_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reference_key: Mapped[str] = mapped_column(String(16), index=True, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    payload_json: Mapped[str] = mapped_column(Text)
    attachment_names: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    reason_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OperatorLockout(Base):
    """Failed PIN attempts of one username on one device (also for usernames that do not exist).

    Why per (device, username): a lock-out on the whole account let any enrolled device lock an
    operator out everywhere; per device, the right PIN on another kiosk still works. ``locks`` counts
    lock-outs in a row so each one lasts longer (backoff) until a successful login resets it.
    """

    __tablename__ = "operator_lockouts"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locks: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditHead(Base):
    """The newest audit-log head hash a device reported with a sync (``X-Audit-Head``).

    Why: a kiosk's audit log is a hash chain; the server remembers the highest sequence number it saw
    per device and refuses a head that goes backwards, so a log cut short on the laptop is noticed.
    """

    __tablename__ = "audit_heads"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Wave(Base):
    """A registration wave (gelombang)."""

    __tablename__ = "waves"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    quota: Mapped[int] = mapped_column(Integer, default=0)


class DeviceRevocation(Base):
    """How and when a device was revoked (issue 22): ``retired`` or ``compromised``.

    Why two kinds: a kiosk replaced or re-installed is *retired*; the envelopes it sealed before that
    moment are genuine and still in queues (its own after re-enrolment, or carried on a USB stick), so
    they are accepted and flagged for review. A *compromised* device (stolen, key leaked) may have
    back-dated envelopes, so everything it signed is refused. A revoked device without a row here is
    treated as compromised (what revocation meant before). A table of its own, so existing databases
    get it from ``create_all`` without a migration.
    """

    __tablename__ = "device_revocations"
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    revoked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SubmissionReview(Base):
    """A submission accepted with a flag for central review, and why (e.g. ``signer_retired``)."""

    __tablename__ = "submission_reviews"
    submission_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def make_engine(url: str) -> Engine:
    """Engine with SQLite made safe for a threaded server (WAL, busy timeout, FK checks)."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    Base.metadata.create_all(engine)
    _check_schema(engine)
    return engine


class SchemaOutdated(DataDirError):
    """The database was made by an older reference API whose tables lack columns this one needs."""


def _check_schema(engine: Engine) -> None:
    """Refuse a database whose existing tables miss columns (``create_all`` never alters a table).

    Why refuse instead of migrating: this is a reference server for demos, training and tests; an old
    data dir would otherwise answer 500 on the first upload. A clear message at start-up is better.
    """
    from sqlalchemy import inspect

    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = sorted({c.name for c in table.columns} - have)
        pk = set(inspector.get_pk_constraint(table.name).get("constrained_columns") or [])
        if missing or pk != {c.name for c in table.primary_key.columns}:
            raise SchemaOutdated(
                f"table {table.name} was made by an older version (missing {', '.join(missing) or 'key'}); "
                "start with a new --data-dir or --database-url"
            )


def make_sessionmaker(engine: Engine) -> sessionmaker[Any]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return sessionmaker(engine, expire_on_commit=False)
