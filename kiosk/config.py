"""Typed, documented kiosk settings: a TOML file, environment overrides, one schema.

Why msgspec ``Struct`` classes with a ``description`` on every field: the schema is the single source
for validation, for ``docs/config.md`` (:func:`render_markdown_table`) and for the commented file that
``prakerja-kiosk config init`` writes (:func:`render_default_toml`), so the three never drift (napari's
settings and Electrum's ``ConfigVar`` do the same). Unknown keys are errors, so a typo is caught instead
of silently ignored. Why msgspec and not pydantic (which the payloads use): the settings are read before
the first window is shown, and pydantic builds its validators when the classes are defined (~100 ms for
these ten sections on the kiosk hardware) while msgspec's cost ~1 ms — see ``docs/decisions.md``.

Precedence: defaults < the TOML file < environment ``PRAKERJA_<SECTION>_<KEY>`` (``PRAKERJA_API_URL``,
``PRAKERJA_KIOSK_IDLE_TIMEOUT_S``; top-level keys ``PRAKERJA_<KEY>``, e.g. ``PRAKERJA_DEMO``).

A bad file or override raises :class:`ConfigError` naming the file, line and key; callers stop there, so
the kiosk never runs half-configured. A missing file means defaults.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import msgspec
from msgspec import Meta, Struct, field
from msgspec.structs import force_setattr

from kiosk.atomic_file import write_text_atomic
from kiosk.i18n import Message, UserFacingError

SCHEMA_VERSION = 1
ENV_PREFIX = "PRAKERJA_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class _Section(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A ``[section]`` of the file: unknown keys refused, values immutable once validated.

    Bounds (``Meta(ge=…)``) are checked when a mapping is converted (:func:`config_from_mapping`,
    :func:`load_config`); the cross-field rules in ``__post_init__`` run on direct construction too.
    """


class ApiSettings(_Section, frozen=True):
    """[api] — the central API the kiosk delivers registrations to."""

    url: Annotated[
        str,
        Meta(
            description="Base URL of the central API (https://…). Empty until set here or by `enrol --api URL`; the device remembers the URL it enrolled with."
        ),
    ] = ""
    pin_sha256: Annotated[
        str | None,
        Meta(
            description="Optional SHA-256 (64 hex digits) of the API's TLS certificate; when set, any other certificate is refused."
        ),
    ] = None
    timeout_s: Annotated[
        float, Meta(gt=0, le=300, description="Seconds before one HTTP request to the API is abandoned.")
    ] = 15.0

    def __post_init__(self) -> None:
        try:
            force_setattr(self, "url", _clean_url(self.url))
        except ValueError as exc:
            raise _field_error("url", str(exc)) from None
        try:
            force_setattr(self, "pin_sha256", _clean_pin(self.pin_sha256))
        except ValueError as exc:
            raise _field_error("pin_sha256", str(exc)) from None


def _field_error(name: str, reason: str) -> ValueError:
    """A ``__post_init__`` error about one field, in the form :func:`_problem` maps to its key path.

    Why: msgspec reports ``__post_init__`` errors at the section, not the field; the operator must be
    told which key (and line) to fix.
    """
    return ValueError(f"field `{name}`: {reason}")


def _clean_url(value: str) -> str:
    value = value.strip()
    if value and not re.match(r"^https?://[^\s/?#]+(/[^\s]*)?$", value):
        raise ValueError("must be an http(s) URL such as https://api.example.go.id")
    if value and not url_transport_allowed(value):
        raise ValueError(PLAIN_HTTP_REFUSED)
    return value.rstrip("/")


PLAIN_HTTP_REFUSED = (
    "http:// is only for a server on this computer (127.0.0.1, ::1, localhost); "
    "use https:// for the central API"
)
PLAIN_HTTP_REFUSED_ID = (
    "http:// hanya untuk server di komputer ini (127.0.0.1, ::1, localhost); "
    "gunakan https:// untuk server pusat"
)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: traffic that never leaves this computer."""
    import ipaddress

    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_transport_allowed(url: str) -> bool:
    """True for ``https://`` anywhere and ``http://`` only to a loopback host (issue 18, item 9).

    Why: a device token, operator PINs, OTP codes and the enrolment answer (the server's keys) must not
    cross any network in clear; plain HTTP stays for the demo and tests, whose API runs on this computer.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme == "https":
        return bool(host)
    return parts.scheme == "http" and is_loopback_host(host)


def _clean_pin(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    cleaned = value.strip().lower().removeprefix("sha256/").removeprefix("sha256:").replace(":", "")
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise ValueError("must be 64 hex digits (SHA-256 of the certificate)")
    return cleaned


class KioskSettings(_Section, frozen=True):
    """[kiosk] — the applicant-facing shell."""

    language: Annotated[
        Literal["id", "en"], Meta(description="Language shown first: `id` (Bahasa Indonesia) or `en`.")
    ] = "id"
    office: Annotated[
        str,
        Meta(
            max_length=120,
            description="The office this kiosk serves (e.g. `Disnaker Kab. Sleman`): recorded with each "
            "registration and reported to the centre's supervisor page.",
        ),
    ] = ""
    time_zone: Annotated[
        Literal["WIB", "WITA", "WIT"],
        Meta(
            description="The office's time zone for receipts and console times: `WIB` (UTC+7), "
            "`WITA` (UTC+8), `WIT` (UTC+9)."
        ),
    ] = "WIB"
    fullscreen: Annotated[
        bool, Meta(description="Start full screen (walk-in terminals); `--windowed` overrides it.")
    ] = True
    idle_timeout_s: Annotated[
        int,
        Meta(ge=15, le=3600, description="Seconds without a touch before an applicant's session is wiped."),
    ] = 90
    idle_warning_s: Annotated[
        int,
        Meta(
            ge=5,
            le=600,
            description="Seconds of on-screen warning before the idle wipe (must be < idle_timeout_s).",
        ),
    ] = 30
    idle_timeout_identity_s: Annotated[
        int,
        Meta(
            ge=15,
            le=3600,
            description="Seconds without a touch before the wipe once the KTP number is entered (more "
            "typed data to lose, so longer than idle_timeout_s).",
        ),
    ] = 180
    idle_timeout_test_s: Annotated[
        int,
        Meta(
            ge=60,
            le=7200,
            description="Seconds without a touch during the Tes Motivasi before the test ends with its "
            "answers kept (nothing is wiped during the test).",
        ),
    ] = 600

    def __post_init__(self) -> None:
        for name in ("idle_timeout_s", "idle_timeout_identity_s", "idle_timeout_test_s"):
            if self.idle_warning_s >= getattr(self, name):
                raise ValueError(f"idle_warning_s must be smaller than {name}")


class CameraSettings(_Section, frozen=True):
    """[camera] — the webcam for KTP and selfie photos."""

    device: Annotated[
        str, Meta(description='Camera name as the system lists it, or `"auto"` for the first one found.')
    ] = "auto"
    demo: Annotated[
        bool,
        Meta(
            description="Use the bundled demo media instead of a camera (training, machines without a webcam)."
        ),
    ] = False
    applicant_file_import: Annotated[
        bool,
        Meta(
            description="Let applicants import a KTP/selfie photo from a USB stick themselves (supervised "
            "assistance desks). Off (walk-in terminals): the file import needs an operator login first."
        ),
    ] = False


class PrinterSettings(_Section, frozen=True):
    """[printer] — receipts."""

    name: Annotated[str, Meta(description='Printer for receipts; `""` saves a PDF instead of printing.')] = ""


class SyncSettings(_Section, frozen=True):
    """[sync] — delivering the outbox."""

    outbox_max_mb: Annotated[
        int,
        Meta(
            ge=0,
            le=1_000_000,
            description="Largest size of the outbox file in MB (0: only the disk limits it). When reached, new "
            "registrations are refused with a clear message; nothing stored is lost.",
        ),
    ] = 4096
    concurrency: Annotated[
        int, Meta(ge=1, le=8, description="Uploads in flight at once (1 is kindest to slow office links).")
    ] = 1
    backoff_base_s: Annotated[
        float,
        Meta(
            gt=0, le=3600, description="First retry delay in seconds; doubles per failure, with full jitter."
        ),
    ] = 5.0
    backoff_cap_s: Annotated[float, Meta(gt=0, le=86400, description="Longest retry delay in seconds.")] = (
        900.0
    )
    interval_s: Annotated[
        float,
        Meta(
            ge=5,
            le=86400,
            description="Seconds between background sync rounds when nothing wakes the engine.",
        ),
    ] = 60.0
    bank_refresh_s: Annotated[
        float,
        Meta(
            ge=60,
            le=7 * 86400,
            description="Seconds between fetches of the current signed test bank from the central API "
            "(also fetched at every start).",
        ),
    ] = 6 * 3600.0
    bank_max_age_days: Annotated[
        float,
        Meta(
            gt=0,
            le=365,
            description="Days without a confirmed bank from the centre before the console warns staff.",
        ),
    ] = 14.0

    def __post_init__(self) -> None:
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must be at least backoff_base_s")


class RetentionSettings(_Section, frozen=True):
    """[retention] — what is kept after delivery."""

    tombstone_days: Annotated[
        int,
        Meta(
            ge=1,
            le=3650,
            description="Days a delivered item's tombstone (id, hash, receipt; no payload) is kept.",
        ),
    ] = 30
    receipt_pdf_hours: Annotated[
        int,
        Meta(
            ge=0,
            le=720,
            description="Hours a receipt PDF (saved when no printer is set) is kept before it is deleted; "
            "0 deletes it when the session ends. Printed receipts leave no file.",
        ),
    ] = 24


class OperatorSettings(_Section, frozen=True):
    """[operator] — Dinas staff login (accounts come from the API)."""

    offline_login_days: Annotated[
        int,
        Meta(
            ge=0,
            le=90,
            description="Days an operator may log in offline after the last online login (0 = never offline).",
        ),
    ] = 7
    max_failures: Annotated[
        int, Meta(ge=1, le=50, description="Wrong PINs in a row before the operator is locked out.")
    ] = 5
    lockout_minutes: Annotated[
        int, Meta(ge=1, le=1440, description="Minutes a locked-out operator must wait.")
    ] = 15


class LoggingSettings(_Section, frozen=True):
    """[logging] — the rotating, PII-masked log files."""

    level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR"],
        Meta(description="Lowest level written to the log file."),
    ] = "INFO"
    max_bytes: Annotated[
        int, Meta(ge=10_000, le=100_000_000, description="Size at which the log file rotates.")
    ] = 1_000_000
    backup_count: Annotated[int, Meta(ge=1, le=100, description="Rotated log files kept.")] = 5


class KioskConfig(_Section, frozen=True):
    """The whole settings file."""

    schema_version: Annotated[
        int,
        Meta(ge=1, description="Settings format version; a newer file than this kiosk knows is refused."),
    ] = SCHEMA_VERSION
    demo: Annotated[
        bool,
        Meta(
            description="Demo / training mode: local reference API, demo data, a visible DEMO / PELATIHAN marker."
        ),
    ] = False
    api: ApiSettings = field(default_factory=ApiSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    operator: OperatorSettings = field(default_factory=OperatorSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)

    def __post_init__(self) -> None:
        if self.schema_version > SCHEMA_VERSION:
            raise _field_error(
                "schema_version",
                f"written by a newer kiosk (version {self.schema_version}); "
                f"this kiosk knows version {SCHEMA_VERSION}",
            )


def config_from_mapping(data: Mapping[str, Any]) -> KioskConfig:
    """Validate parsed TOML (or any mapping) into a config; ``msgspec.ValidationError`` when it is bad.

    Lax like the file's readers expect: ``"true"``/``"90"`` from environment variables become
    ``True``/``90``; a lower-case log level is accepted.
    """
    return msgspec.convert(_normalise_level(data), KioskConfig, strict=False)


def _normalise_level(data: Mapping[str, Any]) -> Mapping[str, Any]:
    section = data.get("logging") if isinstance(data, Mapping) else None
    if isinstance(section, Mapping) and isinstance(section.get("level"), str):
        return {**data, "logging": {**section, "level": section["level"].upper()}}
    return data


def config_to_dict(config: Struct) -> dict[str, Any]:
    """The settings as plain nested dicts (``config show``, round trips in tests)."""
    builtins = msgspec.to_builtins(config)
    assert isinstance(builtins, dict)
    return builtins


# ----------------------------------------------------------------------------------------- errors
class ConfigError(UserFacingError):
    """The settings cannot be used. ``message`` names the file (or variable), line and key."""

    def __init__(
        self, message: Message, *, source: str, line: int | None = None, key: str | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.key = key
        super().__init__(self.message, message.en)


# ----------------------------------------------------------------------------------- introspection
@dataclass(frozen=True, slots=True)
class KeyDoc:
    """One documented key: dotted path, type, default and description."""

    path: str
    type: str
    default: Any
    description: str


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_name(get_args(annotation)[0])
    if origin is Literal:
        return " | ".join(json.dumps(a) for a in get_args(annotation))
    if annotation is None or annotation is type(None):
        return "none"
    if origin is not None:  # unions such as str | None
        return " | ".join(_type_name(a) for a in get_args(annotation) if a is not type(None)) + " (optional)"
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(annotation, str(annotation))


def _description(annotation: Any) -> str:
    if get_origin(annotation) is Annotated:
        for meta in get_args(annotation)[1:]:
            if isinstance(meta, Meta) and meta.description:
                return meta.description
    return ""


def _section_type(annotation: Any) -> type[Struct] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, Struct) else None


def iter_keys(model: type[Struct] = KioskConfig, prefix: str = "") -> Iterator[KeyDoc]:
    """Every leaf key of the schema in file order (top-level keys first, then each section)."""
    hints = typing.get_type_hints(model, include_extras=True)
    sections: list[tuple[str, type[Struct]]] = []
    for info in msgspec.structs.fields(model):
        annotation = hints[info.name]
        section = _section_type(annotation)
        if section is not None:
            sections.append((info.name, section))
            continue
        default = info.default_factory() if info.default is msgspec.NODEFAULT else info.default
        yield KeyDoc(prefix + info.name, _type_name(annotation), default, _description(annotation))
    for name, section in sections:
        yield from iter_keys(section, prefix + name + ".")


def env_var_name(key_path: str) -> str:
    """``api.url`` → ``PRAKERJA_API_URL``."""
    return ENV_PREFIX + key_path.replace(".", "_").upper()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)  # JSON string escapes are valid TOML basic strings


def render_markdown_table() -> str:
    """The Markdown table of every key (type, default, environment variable, description)."""
    lines = [
        "| Key | Type | Default | Environment | Description |",
        "|---|---|---|---|---|",
    ]
    for key in iter_keys():
        default = "(none)" if key.default is None else f"`{_toml_value(key.default)}`"
        description = key.description.replace("|", "\\|")
        type_name = key.type.replace("|", "\\|")
        lines.append(
            f"| `{key.path}` | {type_name} | {default} | `{env_var_name(key.path)}` | {description} |"
        )
    return "\n".join(lines) + "\n"


def render_config_doc() -> str:
    """The full ``docs/config.md`` (regenerate with ``python -m kiosk.config > docs/config.md``)."""
    return (
        "# Kiosk settings\n\n"
        "Generated from `kiosk/config.py` (`python -m kiosk.config > docs/config.md`); a test fails when\n"
        "this file and the schema drift.\n\n"
        "The file is `config.toml` in the platform config directory (`prakerja-kiosk config show` prints\n"
        "its path; `prakerja-kiosk config init` writes a commented default file; `--config FILE` uses\n"
        "another one). A missing file means the defaults below. Every key can be overridden by the\n"
        "environment variable in the table (`PRAKERJA_<SECTION>_<KEY>`). A bad value stops the kiosk\n"
        "with a message naming the file, the line and the key.\n\n" + render_markdown_table()
    )


def render_default_toml() -> str:
    """A commented settings file holding every default (what ``config init`` writes)."""
    out = [
        "# prakerja-kiosk settings. Every key is optional: a missing key takes the default shown.",
        "# Each key can be overridden by an environment variable (name given per key).",
        "",
    ]
    current_section = ""
    for key in iter_keys():
        section, _, name = key.path.rpartition(".")
        if section != current_section:
            out += ["", f"[{section}]"]
            current_section = section
        out.append(f"# {key.description} ({key.type}; {env_var_name(key.path)})")
        if key.default is None:
            out.append(f"# {name} = ")
        else:
            out.append(f"{name} = {_toml_value(key.default)}")
    return "\n".join(out) + "\n"


def render_toml(config: KioskConfig) -> str:
    """The effective settings as TOML (``config show``); secrets are never part of the settings."""
    data = config_to_dict(config)
    out: list[str] = []
    current_section = ""
    for key in iter_keys():
        section, _, name = key.path.rpartition(".")
        value: Any = data
        for part in key.path.split("."):
            value = value[part]
        if section != current_section:
            out += ["", f"[{section}]"]
            current_section = section
        if value is None:
            out.append(f"# {name} is not set")
        else:
            out.append(f"{name} = {_toml_value(value)}")
    return "\n".join(out).lstrip("\n") + "\n"


# ------------------------------------------------------------------------------------------ loading
def _line_of(text: str, key_path: tuple[str, ...]) -> int | None:
    """Best-effort line number of ``key_path`` in a TOML text (tables and plain ``key =`` lines)."""
    if not key_path:
        return None
    *tables, leaf = key_path
    wanted_table = ".".join(tables)
    table = ""
    table_line: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_.\- ]+?)\s*\]", line)
        if header:
            table = header.group(1).replace(" ", "")
            if table == wanted_table or (not tables and table == leaf):
                table_line = number
            continue
        if table == wanted_table and re.match(rf"^(\"?){re.escape(leaf)}\1\s*=", line):
            return number
        if (
            not table
            and wanted_table
            and re.match(rf"^{re.escape(wanted_table)}\.{re.escape(leaf)}\s*=", line)
        ):
            return number
    return table_line


_TYPE_WORDS = {
    "int": "integer",
    "float": "number",
    "bool": "true or false",
    "str": "string",
    "object": "table",
}
_AT = re.compile(r"\s+- at `\$((?:\.[^.`\[]+|\[\d+\])*)`$")


def _problem(exc: msgspec.ValidationError) -> tuple[tuple[str, ...], str, str]:
    """(key path, Indonesian, English) of one msgspec error, naming the expected type."""
    text = str(exc)
    match = _AT.search(text)
    path = tuple(p for p in re.split(r"\.|\[|\]", match.group(1)) if p) if match else ()
    msg = text[: match.start()] if match else text
    unknown = re.fullmatch(r"Object contains unknown field `(.+)`", msg)
    if unknown:
        return (*path, unknown.group(1)), "kunci tidak dikenal (salah ketik?)", "unknown key (typo?)"
    one_field = re.fullmatch(r"field `(\w+)`: (.*)", msg)
    if one_field:
        path, msg = (*path, one_field.group(1)), one_field.group(2)
    missing = re.fullmatch(r"Object missing required field `(.+)`", msg)
    if missing:
        return (*path, missing.group(1)), "wajib diisi", "required"
    en = re.sub(r"`(\w+)`", lambda m: _TYPE_WORDS.get(m.group(1), m.group(1)), msg)
    en = en[:1].lower() + en[1:]
    return path, _indonesian(msg), en


_TYPE_WORDS_ID = {
    "int": "bilangan bulat",
    "float": "angka",
    "bool": "true atau false",
    "str": "teks",
    "object": "tabel [bagian]",
    "array": "daftar",
    "null": "kosong",
}


def _indonesian(msg: str) -> str:
    """msgspec's English reason in Indonesian for the common cases (bounds, types, choices)."""

    def word(name: str) -> str:
        return _TYPE_WORDS_ID.get(name, name)

    typed = re.fullmatch(r"Expected `(\w+)`, got `(\w+)`", msg)
    if typed:
        return f"harus {word(typed.group(1))}, bukan {word(typed.group(2))}"
    bound = re.fullmatch(r"Expected `(\w+)` (>=|<=|>|<) (\S+)", msg)
    if bound:
        return f"harus {word(bound.group(1))} {bound.group(2)} {bound.group(3)}"
    choice = re.fullmatch(r"Invalid enum value (.+)", msg)
    if choice:
        return f"pilihan {choice.group(1)} tidak dikenal"
    if msg == PLAIN_HTTP_REFUSED:
        return PLAIN_HTTP_REFUSED_ID
    return f"nilai tidak valid: {msg}"


def _validate(
    data: Mapping[str, Any], *, source: str, text: str | None, env_keys: Mapping[str, str]
) -> KioskConfig:
    try:
        return config_from_mapping(data)
    except msgspec.ValidationError as exc:
        loc, id_text, en_text = _problem(exc)
        key = ".".join(loc) or "(root)"
        env_name = env_keys.get(key)
        if env_name is not None:
            raise ConfigError(
                Message(
                    f"Pengaturan dari variabel lingkungan {env_name} (kunci {key}): {id_text}.",
                    f"Setting from environment variable {env_name} (key {key}): {en_text}.",
                ),
                source=env_name,
                key=key,
            ) from None
        line = _line_of(text, loc) if text is not None else None
        where_id = f"{source}, baris {line}" if line else source
        where_en = f"{source}, line {line}" if line else source
        raise ConfigError(
            Message(
                f"Berkas pengaturan {where_id}, kunci {key}: {id_text}.",
                f"Settings file {where_en}, key {key}: {en_text}.",
            ),
            source=source,
            line=line,
            key=key,
        ) from None


_BOOL_WORDS = {
    **dict.fromkeys(("1", "true", "t", "yes", "y", "on", "ya"), "true"),
    **dict.fromkeys(("0", "false", "f", "no", "n", "off", "tidak"), "false"),
}
"""What a person writes for yes/no in an environment variable (systemd units, shell profiles)."""


def _env_overrides(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Nested dict of overrides and a map key path → variable name (for error messages).

    Values are trimmed, and ``yes``/``no``, ``on``/``off``, ``ya``/``tidak`` … are accepted for the
    true/false keys, as they were before the schema moved to msgspec.
    """
    nested: dict[str, Any] = {}
    names: dict[str, str] = {}
    for key in iter_keys():
        name = env_var_name(key.path)
        if name not in env:
            continue
        raw = env[name].strip()
        if key.type == "boolean":
            raw = _BOOL_WORDS.get(raw.lower(), raw)
        parts = key.path.split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = None if (raw == "" and "optional" in key.type) else raw
        names[key.path] = name
    return nested, names


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def default_config_path() -> Path:
    """``config.toml`` in the platform config dir (or under ``PRAKERJA_KIOSK_HOME``)."""
    from kiosk.paths import (
        kiosk_paths,  # local: paths imports i18n only, no cycle, but keeps this import light
    )

    return kiosk_paths().config_file


def read_config_file(path: Path) -> tuple[dict[str, Any], str | None]:
    """The parsed TOML (empty when the file does not exist) and its text; :class:`ConfigError` otherwise."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        raise ConfigError(
            Message(
                f"Berkas pengaturan {source} tidak bisa dibaca ({exc.strerror}).",
                f"Settings file {source} cannot be read ({exc.strerror}).",
            ),
            source=source,
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            Message(
                f"Berkas pengaturan {source} bukan teks UTF-8.",
                f"Settings file {source} is not UTF-8 text.",
            ),
            source=source,
        ) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        column = int(match.group(2)) if match else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        where_id = f"{source}, baris {line} kolom {column}" if line else source
        where_en = f"{source}, line {line} column {column}" if line else source
        raise ConfigError(
            Message(
                f"Berkas pengaturan {where_id}: bukan TOML yang sah ({reason}).",
                f"Settings file {where_en}: not valid TOML ({reason}).",
            ),
            source=source,
            line=line,
        ) from None


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> KioskConfig:
    """The effective settings: defaults, then ``path`` (default: the platform file), then environment.

    Raises :class:`ConfigError`; never returns a partly valid configuration.
    """
    path = path if path is not None else default_config_path()
    data, text = read_config_file(path)
    env = os.environ if env is None else env
    file_config = _validate(data, source=str(path), text=text, env_keys={})
    overrides, names = _env_overrides(env)
    if not overrides:
        return file_config
    return _validate(_merge(data, overrides), source=str(path), text=text, env_keys=names)


def write_default_config(path: Path, *, force: bool = False) -> Path:
    """Write the commented default file (``config init``); refuse to overwrite unless ``force``."""
    if path.exists() and not force:
        raise ConfigError(
            Message(
                f"Berkas pengaturan {path} sudah ada; pakai --force untuk menimpanya.",
                f"Settings file {path} already exists; use --force to overwrite it.",
            ),
            source=str(path),
        )
    from kiosk.paths import ensure_dir

    ensure_dir(path.parent)
    write_text_atomic(path, render_default_toml())
    return path


def update_config_file(path: Path, changes: Mapping[str, Any]) -> KioskConfig:
    """Set dotted keys (``{"api.url": ..., "kiosk.language": ...}``) in the settings file, all or nothing.

    Why here: the operator console's settings page must validate exactly as start-up does and must
    never leave a half-written file. The file's current values plus ``changes`` are validated with the
    schema (a :class:`ConfigError` naming the key, nothing written); then the whole file is rewritten
    with :func:`render_toml` (comments of a hand-edited file are not kept) to a temporary file, fsynced
    and renamed over the old one. Environment overrides are not baked into the file.
    """
    data, _text = read_config_file(path)
    merged: dict[str, Any] = dict(data)
    for dotted, value in changes.items():
        parts = dotted.split(".")
        target = merged
        for part in parts[:-1]:
            child = target.get(part)
            target[part] = dict(child) if isinstance(child, Mapping) else {}
            target = target[part]
        target[parts[-1]] = value
    config = _validate(merged, source=str(path), text=None, env_keys={})
    from kiosk.paths import ensure_dir

    ensure_dir(path.parent)
    write_text_atomic(path, render_toml(config))
    return config


if __name__ == "__main__":  # pragma: no cover - documentation generator
    print(render_config_doc(), end="")
