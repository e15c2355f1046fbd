"""Settings from the centre (issue 19): a signed document, layered local < central < console override.

Why signed like the test bank: settings change what the kiosk does with applicants (idle wipe times,
who may import a photo file, retention), so a captive portal or a proxy must not be able to inject
them. The reference API serves ``GET /v1/settings/current`` as a signed document (the server signing key
pinned at enrolment); the kiosk verifies it before parsing, caches it atomically and applies the cached
copy at the next start (settings such as idle timeouts are read when the screens are built).

Document (the exact signed bytes)::

    {"format": "prakerja-kiosk-settings-v1", "version": 3, "issued_at": "...",
     "settings": {"kiosk.idle_timeout_s": 120, "camera.applicant_file_import": false, ...}}

Only the keys in :data:`CENTRAL_KEYS` may come from the centre (never the API URL, TLS pin, logging or
the demo switch: a settings document must not be able to move a kiosk to another server).

Layers (:func:`load_layered`), lowest first: defaults; the local file + ``PRAKERJA_*`` environment
(``local``); the centre's document (``central``); the console's overrides file
``<config dir>/console-overrides.toml`` that a supervisor writes from the console (``console``). The
result names the source of every key, for the console.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.atomic_file import write_atomic, write_text_atomic
from kiosk.config import (
    ConfigError,
    KioskConfig,
    _env_overrides,
    _merge,
    _toml_value,
    _validate,
    config_from_mapping,
    config_to_dict,
    default_config_path,
    iter_keys,
    read_config_file,
)
from kiosk.i18n import Message, UserFacingError
from kiosk.paths import KioskPaths, ensure_dir

if TYPE_CHECKING:  # the GUI's start loads settings before its window: no requests/pydantic/crypto here
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from kiosk.api_client import ApiClient

log = logging.getLogger(__name__)

DOCUMENT_FORMAT = "prakerja-kiosk-settings-v1"
CACHE_FILE = "fleet-settings.signed.json"
OVERRIDES_FILE = "console-overrides.toml"
MAX_DOCUMENT_BYTES = 64 * 1024

#: What the centre may set (issue 19: idle timeouts, retention, printer, camera device, allowed
#: features such as the applicant's file import, the office's name and time zone, sync pacing).
CENTRAL_KEYS: frozenset[str] = frozenset(
    {
        "kiosk.idle_timeout_s",
        "kiosk.idle_warning_s",
        "kiosk.idle_timeout_identity_s",
        "kiosk.idle_timeout_test_s",
        "kiosk.office",
        "kiosk.time_zone",
        "kiosk.language",
        "camera.device",
        "camera.applicant_file_import",
        "printer.name",
        "retention.tombstone_days",
        "retention.receipt_pdf_hours",
        "sync.interval_s",
        "sync.bank_refresh_s",
        "sync.bank_max_age_days",
        "operator.offline_login_days",
    }
)


class SettingsRefused(UserFacingError, ValueError):
    """A settings document that is not signed by the pinned key or not in the format; kept out."""

    def __init__(self, message: Message, detail: str = "") -> None:
        super().__init__(message, f"{message.en} {detail}".strip())
        self.message = message
        self.detail = detail


def _refused(detail: str) -> SettingsRefused:
    return SettingsRefused(
        Message(
            "Pengaturan dari pusat ditolak (tanda tangan atau isi tidak sah); pengaturan lama tetap dipakai.",
            "Settings from the centre refused (signature or content not valid); the previous ones stay.",
        ),
        detail,
    )


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"kiosk.idle_timeout_s": 1}`` → ``{"kiosk": {"idle_timeout_s": 1}}``."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def check_central(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The centre's settings, checked: only :data:`CENTRAL_KEYS`, and valid on top of the defaults.

    Raises ``ValueError`` naming the key; the server calls it before publishing, the kiosk again
    before applying (so a bug on one side does not become a broken kiosk).
    """
    if not isinstance(settings, Mapping):
        raise ValueError("settings must be an object of dotted keys")
    unknown = sorted(k for k in settings if k not in CENTRAL_KEYS)
    if unknown:
        raise ValueError(f"not settable from the centre: {', '.join(unknown)}")
    try:
        config_from_mapping(nest(settings))
    except Exception as exc:  # msgspec's validation error names the field
        raise ValueError(f"invalid value: {exc}") from None
    return dict(settings)


def make_document(version: int, settings: Mapping[str, Any], issued_at: dt.datetime | None = None) -> bytes:
    """The exact bytes the server signs."""
    doc = {
        "format": DOCUMENT_FORMAT,
        "version": version,
        "issued_at": (issued_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "settings": check_central(settings),
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


@dataclass(frozen=True, slots=True)
class CentralSettings:
    """A verified settings document."""

    version: int
    issued_at: str
    settings: dict[str, Any]


def parse_document(raw: bytes) -> CentralSettings:
    """Parse *verified* bytes; :class:`SettingsRefused` when not a settings document."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise _refused("too large")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise _refused("not JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != DOCUMENT_FORMAT:
        raise _refused("not a kiosk settings document")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise _refused("no version")
    try:
        settings = check_central(doc.get("settings") or {})
    except ValueError as exc:
        raise _refused(str(exc)) from exc
    return CentralSettings(version, str(doc.get("issued_at", "")), settings)


def _verify(raw: bytes, signature: bytes, key: Ed25519PublicKey) -> CentralSettings:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, raw)
    except InvalidSignature as exc:
        raise _refused("bad signature") from exc
    return parse_document(raw)


class SettingsStore:
    """The last good central settings, verified at every read (like the bank cache)."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_file = cache_dir / CACHE_FILE

    def accept(self, raw: bytes, signature: bytes, key: Ed25519PublicKey) -> CentralSettings:
        settings = _verify(raw, signature, key)
        ensure_dir(self.cache_file.parent)
        record = {
            "document": base64.b64encode(raw).decode("ascii"),
            "signature": base64.b64encode(signature).decode(),
        }
        write_atomic(self.cache_file, json.dumps(record).encode("ascii"))
        return settings

    def cached(self, key: Ed25519PublicKey | None) -> CentralSettings | None:
        """The cached document, or ``None`` (none, unreadable, or failing verification — logged)."""
        if key is None or not self.cache_file.exists():
            return None
        try:
            record = json.loads(self.cache_file.read_bytes()[: 4 * MAX_DOCUMENT_BYTES])
            raw = base64.b64decode(record["document"], validate=True)
            signature = base64.b64decode(record["signature"], validate=True)
            return _verify(raw, signature, key)
        except (OSError, ValueError, KeyError, TypeError, SettingsRefused) as exc:
            log.warning("cached central settings not used: %s", type(exc).__name__)
            return None

    def refresh(self, api: ApiClient, key: Ed25519PublicKey) -> CentralSettings | None:
        """Fetch ``GET /v1/settings/current``; keep the last good document on any failure."""
        from kiosk.api_client import ApiError, ApiNotFound, SignedDocument
        from kiosk.envelope import b64d

        try:
            doc = api._call("GET", "/v1/settings/current", SignedDocument)
        except ApiNotFound:
            return None
        except ApiError as exc:
            log.info("central settings not fetched (%s)", type(exc).__name__)
            return None
        try:
            return self.accept(b64d(doc.document), b64d(doc.signature), key)
        except (SettingsRefused, ValueError) as exc:
            log.warning("central settings refused: %s", exc)
            return None


def pinned_server_key(paths: KioskPaths) -> Ed25519PublicKey | None:
    """The server signing key pinned at enrolment (``device.json``, public data; no secret needed)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from kiosk.envelope import b64d

    try:
        record = json.loads((paths.data_dir / "device.json").read_text(encoding="utf-8"))
        return Ed25519PublicKey.from_public_bytes(b64d(record["server_signing_key"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class LayeredConfig:
    """The effective settings and where each key's value came from."""

    config: KioskConfig
    sources: dict[str, str] = field(default_factory=dict)  # dotted key -> default|local|central|console
    central_version: int | None = None


def overrides_path(paths: KioskPaths) -> Path:
    """Where the console writes a supervisor's overrides (above the centre's settings)."""
    return paths.config_dir / OVERRIDES_FILE


def load_layered(
    paths: KioskPaths,
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    server_key: Ed25519PublicKey | None = None,
) -> LayeredConfig:
    """defaults < local file + environment < central document < console overrides.

    Raises ``ConfigError`` for a bad local file or overrides file (as :func:`kiosk.config.load_config`
    does); a bad or unverifiable central document is skipped with a log line, never fatal.
    """
    path = path if path is not None else default_config_path()
    local_data, text = read_config_file(path)
    env = os.environ if env is None else env
    _validate(local_data, source=str(path), text=text, env_keys={})
    env_data, env_names = _env_overrides(env)
    local = _merge(local_data, env_data) if env_data else local_data
    store = SettingsStore(paths.cache_dir)
    central = (
        store.cached(server_key or pinned_server_key(paths)) if store.cache_file.exists() else None
    )  # nothing cached (most starts before the first fetch): no key, no crypto import
    console_path = overrides_path(paths)
    console_data, console_text = read_config_file(console_path)
    merged = local
    if central is not None:
        merged = _merge(merged, nest(central.settings))
    try:
        config = _validate(
            _merge(merged, console_data), source=str(console_path), text=console_text, env_keys=env_names
        )
    except ConfigError:
        if central is None:
            raise
        log.warning("central settings v%s do not fit this kiosk's settings; not applied", central.version)
        central = None
        config = _validate(
            _merge(local, console_data), source=str(console_path), text=console_text, env_keys=env_names
        )
    sources: dict[str, str] = {}
    local_flat, console_flat = _flatten(local), _flatten(console_data)
    for key in iter_keys():
        if key.path in console_flat:
            sources[key.path] = "console"
        elif central is not None and key.path in central.settings:
            sources[key.path] = "central"
        elif key.path in local_flat:
            sources[key.path] = "local"
        else:
            sources[key.path] = "default"
    return LayeredConfig(config, sources, central.version if central is not None else None)


def sources_in_words(layered: LayeredConfig) -> Message:
    """The console line: which keys come from the centre and which a supervisor overrode."""
    central = sorted(k for k, s in layered.sources.items() if s == "central")
    console = sorted(k for k, s in layered.sources.items() if s == "console")
    parts_id, parts_en = [], []
    if layered.central_version is not None:
        listed = ", ".join(central) or "—"
        parts_id.append(f"pusat v{layered.central_version}: {listed}")
        parts_en.append(f"centre v{layered.central_version}: {listed}")
    else:
        parts_id.append("belum ada dari pusat")
        parts_en.append("none from the centre yet")
    if console:
        parts_id.append(f"diubah petugas: {', '.join(console)}")
        parts_en.append(f"set by a supervisor: {', '.join(console)}")
    return Message(" · ".join(parts_id), " · ".join(parts_en))


def save_overrides(paths: KioskPaths, values: Mapping[str, Any], current: KioskConfig) -> KioskConfig:
    """The console's save: keep only what the supervisor *changed* (or had overridden before) in the
    overrides file, so an untouched field never freezes a key against the centre's settings.

    Validated on top of ``current`` (the effective settings) with the same schema as start-up; a
    :class:`~kiosk.config.ConfigError` names the key and nothing is written. The file holds only the
    overridden keys and is replaced atomically.
    """
    path = overrides_path(paths)
    existing, _text = read_config_file(path)
    flat = _flatten(existing)
    current_flat = _flatten(config_to_dict(current))
    for key, value in values.items():
        if value is None:
            flat.pop(key, None)
        elif key in flat or current_flat.get(key) != value:
            flat[key] = value
    merged = _merge(config_to_dict(current), nest(flat))
    config = _validate(merged, source=str(path), text=None, env_keys={})
    lines: list[str] = ["# Written by the operator console: a supervisor's overrides (above the centre's)."]
    section = ""
    for key in sorted(flat, key=lambda k: (k.rpartition(".")[0], k)):
        table, _, name = key.rpartition(".")
        if table != section:
            lines += ["", f"[{table}]"]
            section = table
        lines.append(f"{name} = {_toml_value(flat[key])}")
    ensure_dir(path.parent)
    write_text_atomic(path, "\n".join(lines) + "\n")
    return config
