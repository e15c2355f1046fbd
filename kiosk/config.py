"""Typed, documented kiosk settings: a TOML file, environment overrides, one schema.

Why pydantic models with a ``description`` on every field: the schema is the single source for
validation, for ``docs/config.md`` (:func:`render_markdown_table`) and for the commented file that
``prakerja-kiosk config init`` writes (:func:`render_default_toml`), so the three never drift (napari's
settings and Electrum's ``ConfigVar`` do the same). Unknown keys are errors, so a typo is caught instead
of silently ignored.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from kiosk.i18n import Message

SCHEMA_VERSION = 1
ENV_PREFIX = "PRAKERJA_"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class ApiSettings(_Section):
    """[api] — the central API the kiosk delivers registrations to."""

    url: str = Field(
        "",
        description="Base URL of the central API (https://…). Empty until set here or by `enrol --api URL`; the device remembers the URL it enrolled with.",
    )
    pin_sha256: str | None = Field(
        None,
        description="Optional SHA-256 (64 hex digits) of the API's TLS certificate; when set, any other certificate is refused.",
    )
    timeout_s: float = Field(
        15.0, gt=0, le=300, description="Seconds before one HTTP request to the API is abandoned."
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^\s/?#]+(/[^\s]*)?$", value):
            raise ValueError("must be an http(s) URL such as https://api.example.go.id")
        return value.rstrip("/")

    @field_validator("pin_sha256")
    @classmethod
    def _pin(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        cleaned = value.strip().lower().removeprefix("sha256/").removeprefix("sha256:").replace(":", "")
        if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
            raise ValueError("must be 64 hex digits (SHA-256 of the certificate)")
        return cleaned


class KioskSettings(_Section):
    """[kiosk] — the applicant-facing shell."""

    language: Literal["id", "en"] = Field(
        "id", description="Language shown first: `id` (Bahasa Indonesia) or `en`."
    )
    fullscreen: bool = Field(
        True, description="Start full screen (walk-in terminals); `--windowed` overrides it."
    )
    idle_timeout_s: int = Field(
        90, ge=15, le=3600, description="Seconds without a touch before an applicant's session is wiped."
    )
    idle_warning_s: int = Field(
        30,
        ge=5,
        le=600,
        description="Seconds of on-screen warning before the idle wipe (must be < idle_timeout_s).",
    )

    @model_validator(mode="after")
    def _warning_shorter(self) -> Self:
        if self.idle_warning_s >= self.idle_timeout_s:
            raise ValueError("idle_warning_s must be smaller than idle_timeout_s")
        return self


class CameraSettings(_Section):
    """[camera] — the webcam for KTP and selfie photos."""

    device: str = Field(
        "auto", description='Camera name as the system lists it, or `"auto"` for the first one found.'
    )
    demo: bool = Field(
        False,
        description="Use the bundled demo media instead of a camera (training, machines without a webcam).",
    )


class PrinterSettings(_Section):
    """[printer] — receipts."""

    name: str = Field("", description='Printer for receipts; `""` saves a PDF instead of printing.')


class SyncSettings(_Section):
    """[sync] — delivering the outbox."""

    concurrency: int = Field(
        1, ge=1, le=8, description="Uploads in flight at once (1 is kindest to slow office links)."
    )
    backoff_base_s: float = Field(
        5.0, gt=0, le=3600, description="First retry delay in seconds; doubles per failure, with full jitter."
    )
    backoff_cap_s: float = Field(900.0, gt=0, le=86400, description="Longest retry delay in seconds.")
    interval_s: float = Field(
        60.0,
        ge=5,
        le=86400,
        description="Seconds between background sync rounds when nothing wakes the engine.",
    )

    @model_validator(mode="after")
    def _cap_above_base(self) -> Self:
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must be at least backoff_base_s")
        return self


class RetentionSettings(_Section):
    """[retention] — what is kept after delivery."""

    tombstone_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days a delivered item's tombstone (id, hash, receipt; no payload) is kept.",
    )


class OperatorSettings(_Section):
    """[operator] — Dinas staff login (accounts come from the API)."""

    offline_login_days: int = Field(
        7,
        ge=0,
        le=90,
        description="Days an operator may log in offline after the last online login (0 = never offline).",
    )
    max_failures: int = Field(
        5, ge=1, le=50, description="Wrong PINs in a row before the operator is locked out."
    )
    lockout_minutes: int = Field(15, ge=1, le=1440, description="Minutes a locked-out operator must wait.")


class LoggingSettings(_Section):
    """[logging] — the rotating, PII-masked log files."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level written to the log file."
    )
    max_bytes: int = Field(
        1_000_000, ge=10_000, le=100_000_000, description="Size at which the log file rotates."
    )
    backup_count: int = Field(5, ge=1, le=100, description="Rotated log files kept.")

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class KioskConfig(_Section):
    """The whole settings file."""

    schema_version: int = Field(
        SCHEMA_VERSION,
        ge=1,
        description="Settings format version; a newer file than this kiosk knows is refused.",
    )
    demo: bool = Field(
        False,
        description="Demo / training mode: local reference API, demo data, a visible DEMO / PELATIHAN marker.",
    )
    api: ApiSettings = Field(default_factory=ApiSettings)  # type: ignore[arg-type]
    kiosk: KioskSettings = Field(default_factory=KioskSettings)  # type: ignore[arg-type]
    camera: CameraSettings = Field(default_factory=CameraSettings)  # type: ignore[arg-type]
    printer: PrinterSettings = Field(default_factory=PrinterSettings)  # type: ignore[arg-type]
    sync: SyncSettings = Field(default_factory=SyncSettings)  # type: ignore[arg-type]
    retention: RetentionSettings = Field(default_factory=RetentionSettings)  # type: ignore[arg-type]
    operator: OperatorSettings = Field(default_factory=OperatorSettings)  # type: ignore[arg-type]
    logging: LoggingSettings = Field(default_factory=LoggingSettings)  # type: ignore[arg-type]

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"written by a newer kiosk (version {value}); this kiosk knows version {SCHEMA_VERSION}"
            )
        return value


# ----------------------------------------------------------------------------------------- errors
class ConfigError(Exception):
    """The settings cannot be used. ``message`` names the file (or variable), line and key."""

    def __init__(
        self, message: Message, *, source: str, line: int | None = None, key: str | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.key = key
        super().__init__(message.en)


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
    if origin is Literal:
        return " | ".join(json.dumps(a) for a in get_args(annotation))
    if annotation is None or annotation is type(None):
        return "none"
    if origin is not None:  # unions such as str | None
        return " | ".join(_type_name(a) for a in get_args(annotation) if a is not type(None)) + " (optional)"
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(annotation, str(annotation))


def iter_keys(model: type[BaseModel] = KioskConfig, prefix: str = "") -> Iterator[KeyDoc]:
    """Every leaf key of the schema in file order (top-level keys first, then each section)."""
    sections: list[tuple[str, FieldInfo]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            sections.append((name, info))
            continue
        yield KeyDoc(
            prefix + name,
            _type_name(annotation),
            info.get_default(call_default_factory=True),
            info.description or "",
        )
    for name, info in sections:
        assert isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
        yield from iter_keys(info.annotation, prefix + name + ".")


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
    data = config.model_dump()
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


def _problem_text(error: Mapping[str, Any]) -> tuple[str, str]:
    """(Indonesian, English) description of one pydantic error, naming the expected type."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return "kunci tidak dikenal (salah ketik?)", "unknown key (typo?)"
    if kind == "missing":
        return "wajib diisi", "required"
    return f"nilai tidak valid: {msg}", msg


def _validate(
    data: Mapping[str, Any], *, source: str, text: str | None, env_keys: Mapping[str, str]
) -> KioskConfig:
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(str(p) for p in error.get("loc", ()))
        key = ".".join(loc) or "(root)"
        id_text, en_text = _problem_text(error)
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
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(
            Message(
                f"Berkas pengaturan {where_id}, kunci {key}: {id_text}.{more}",
                f"Settings file {where_en}, key {key}: {en_text}.{more}",
            ),
            source=source,
            line=line,
            key=key,
        ) from None


def _env_overrides(env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Nested dict of overrides and a map key path → variable name (for error messages)."""
    nested: dict[str, Any] = {}
    names: dict[str, str] = {}
    for key in iter_keys():
        name = env_var_name(key.path)
        if name not in env:
            continue
        raw = env[name]
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
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_default_toml(), encoding="utf-8")
    os.replace(tmp, path)
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
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render_toml(config))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return config


if __name__ == "__main__":  # pragma: no cover - documentation generator
    print(render_config_doc(), end="")
