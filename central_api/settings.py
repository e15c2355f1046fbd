"""Start-up settings of the reference central API.

Why a plain dataclass: the same settings come from the command line (``central_api.cli``), from demo
mode (in-process) and from tests; none of them should depend on environment magic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from central_api.faults import FaultConfig


@dataclass(slots=True)
class Settings:
    """Everything :func:`central_api.app.create_app` needs.

    ``data_dir`` holds the server keys, the admin token, the SQLite database (unless ``database_url``
    points elsewhere) and the reference OTP outbox.
    """

    data_dir: Path
    database_url: str | None = None
    admin_token: str | None = None
    faults: FaultConfig = field(default_factory=FaultConfig)
    max_concurrent: int = 0
    max_concurrent_per_client: int = 0
    capacity_retry_after: int = 2
    max_body_bytes: int = 8 * 1024 * 1024
    otp_ttl_seconds: int = 300
    otp_resend_seconds: int = 30
    otp_max_sends_per_hour: int = 5
    otp_max_attempts: int = 5
    enrolment_code_ttl_hours: int = 72
    #: A stolen token is good for at most this long; kiosks renew it 10 days before expiry with a request
    #: signed by the device key, also after it lapsed (kiosk.token_renewal), so a short life costs nothing.
    device_token_days: int = 30
    #: Kiosk version policy sent with every heartbeat reply (issue 19); empty = none.
    kiosk_min_version: str = ""
    kiosk_latest_version: str = ""
    operator_session_hours: int = 12
    operator_max_failures: int = 5
    operator_lock_seconds: int = 300
    operator_lock_max_seconds: int = 3600
    enrol_attempts_per_minute: int = 10
    otp_max_sends_per_device_hour: int = 120
    otp_max_sends_global_hour: int = 20_000
    envelope_max_age_days: int = 60
    envelope_max_future_hours: int = 24

    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL: the given one, or a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'central.sqlite3').resolve()}"
