"""Settings: TOML file, environment overrides, errors naming file/line/key, generated docs."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from kiosk.config import (
    SCHEMA_VERSION,
    ConfigError,
    KioskConfig,
    config_from_mapping,
    env_var_name,
    iter_keys,
    load_config,
    render_config_doc,
    render_default_toml,
    render_toml,
    write_default_config,
)
from kiosk.paths import DirectoryError, ensure_dir, kiosk_paths

REPO = Path(__file__).resolve().parents[1]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_follow_kiosk_home(isolated_home: Path) -> None:
    paths = kiosk_paths().ensure()
    assert paths.config_dir == isolated_home / "config"
    assert paths.data_dir == isolated_home / "data"
    assert paths.log_dir == isolated_home / "log"
    assert paths.cache_dir == isolated_home / "cache"
    for d in (paths.config_dir, paths.data_dir, paths.log_dir, paths.cache_dir):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700
    assert paths.config_file == isolated_home / "config" / "config.toml"


def test_paths_without_home_use_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PRAKERJA_KIOSK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    paths = kiosk_paths()
    assert "prakerja-kiosk" in str(paths.data_dir)
    assert str(paths.data_dir).startswith(str(tmp_path / "xdg-data"))


def test_ensure_dir_tightens_and_refuses_a_file(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    ensure_dir(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DirectoryError) as info:
        ensure_dir(blocker / "data")
    assert str(blocker) in info.value.message.en


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml", env={})
    assert config == KioskConfig()
    assert config.kiosk.idle_timeout_s == 90
    assert config.kiosk.idle_warning_s == 30
    assert config.sync.concurrency == 1
    assert config.sync.backoff_base_s == 5
    assert config.sync.backoff_cap_s == 900
    assert config.retention.tombstone_days == 30
    assert config.operator.offline_login_days == 7
    assert config.operator.max_failures == 5
    assert config.operator.lockout_minutes == 15
    assert config.kiosk.language == "id"
    assert config.schema_version == SCHEMA_VERSION


def test_file_values_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.toml",
        'demo = true\n[api]\nurl = "https://api.example.go.id/"\npin_sha256 = "'
        + "AB" * 32
        + '"\n[kiosk]\nlanguage = "en"\nfullscreen = false\n[logging]\nlevel = "debug"\n',
    )
    config = load_config(path, env={})
    assert config.demo is True
    assert config.api.url == "https://api.example.go.id"
    assert config.api.pin_sha256 == "ab" * 32
    assert config.kiosk.language == "en"
    assert config.kiosk.fullscreen is False
    assert config.logging.level == "DEBUG"


def test_env_overrides_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.toml", '[api]\nurl = "https://a.example"\n[kiosk]\nidle_timeout_s = 120\n')
    env = {
        "PRAKERJA_API_URL": "http://127.0.0.1:9000",
        "PRAKERJA_KIOSK_IDLE_TIMEOUT_S": "200",
        "PRAKERJA_DEMO": "true",
        "PRAKERJA_KIOSK_HOME": "/not/a/setting",
    }
    config = load_config(path, env=env)
    assert config.api.url == "http://127.0.0.1:9000"
    assert config.kiosk.idle_timeout_s == 200
    assert config.demo is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("ON", True), ("ya", True), (" 1 ", True), ("no", False), ("off", False), ("0", False)],
)
def test_env_booleans_take_the_usual_words(tmp_path: Path, value: str, expected: bool) -> None:
    config = load_config(tmp_path / "none.toml", env={"PRAKERJA_DEMO": value})
    assert config.demo is expected


def test_env_numbers_are_trimmed(tmp_path: Path) -> None:
    env = {"PRAKERJA_KIOSK_IDLE_TIMEOUT_S": " 120 ", "PRAKERJA_SYNC_BACKOFF_BASE_S": "2.5\n"}
    config = load_config(tmp_path / "none.toml", env=env)
    assert config.kiosk.idle_timeout_s == 120 and config.sync.backoff_base_s == 2.5


def test_env_boolean_error_says_what_is_accepted(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "none.toml", env={"PRAKERJA_DEMO": "maybe"})
    assert "PRAKERJA_DEMO" in info.value.message.en and "true or false" in info.value.message.en
    assert "true atau false" in info.value.message.id


def test_env_override_error_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "none.toml", env={"PRAKERJA_SYNC_CONCURRENCY": "many"})
    assert "PRAKERJA_SYNC_CONCURRENCY" in info.value.message.en
    assert "sync.concurrency" in info.value.message.en
    assert info.value.key == "sync.concurrency"


def test_toml_syntax_error_names_file_line_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.toml", '[api]\nurl = "https://x"\n[kiosk\nlanguage = "id"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    message = info.value.message
    assert str(path) in message.en and str(path) in message.id
    assert "line 3" in message.en and "baris 3" in message.id
    assert info.value.line == 3


def test_wrong_type_names_line_key_and_expected_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "c.toml", '[api]\nurl = "https://x.example"\n\n[kiosk]\nidle_timeout_s = "lama"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    en = info.value.message.en
    assert str(path) in en
    assert "line 5" in en
    assert "kiosk.idle_timeout_s" in en
    assert "integer" in en
    assert info.value.line == 5 and info.value.key == "kiosk.idle_timeout_s"


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.toml", "[sync]\nconcurency = 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "sync.concurency" in info.value.message.en
    assert "line 2" in info.value.message.en
    assert "unknown key" in info.value.message.en


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[api]\nurl = "ftp://x"\n', "api.url"),
        ('[api]\npin_sha256 = "abc"\n', "api.pin_sha256"),
        ('[kiosk]\nlanguage = "jv"\n', "kiosk.language"),
        ("[kiosk]\nidle_timeout_s = 60\nidle_warning_s = 60\n", "kiosk"),
        ("[sync]\nbackoff_base_s = 100\nbackoff_cap_s = 10\n", "sync"),
        ("[sync]\nconcurrency = 0\n", "sync.concurrency"),
        ("schema_version = 99\n", "schema_version"),
        ('api = "x"\n', "api"),
    ],
)
def test_invalid_values_are_refused(tmp_path: Path, text: str, key: str) -> None:
    path = _write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert info.value.key == key
    assert f"key {key}" in info.value.message.en


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xff\xfe[api]")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "UTF-8" in info.value.message.en


def test_default_file_round_trips_and_is_commented(tmp_path: Path) -> None:
    text = render_default_toml()
    assert config_from_mapping(tomllib.loads(text)) == KioskConfig()
    for key in iter_keys():
        assert env_var_name(key.path) in text
    path = write_default_config(tmp_path / "cfg" / "config.toml")
    assert load_config(path, env={}) == KioskConfig()
    with pytest.raises(ConfigError):
        write_default_config(path)
    write_default_config(path, force=True)


def test_render_toml_round_trips() -> None:
    config = config_from_mapping({"api": {"url": "https://x.example", "pin_sha256": "a" * 64}, "demo": True})
    assert config_from_mapping(tomllib.loads(render_toml(config))) == config


def test_every_key_is_documented() -> None:
    keys = list(iter_keys())
    paths = {k.path for k in keys}
    for required in (
        "schema_version",
        "api.url",
        "api.pin_sha256",
        "api.timeout_s",
        "kiosk.language",
        "kiosk.fullscreen",
        "kiosk.idle_timeout_s",
        "kiosk.idle_warning_s",
        "camera.device",
        "camera.demo",
        "printer.name",
        "sync.concurrency",
        "sync.backoff_base_s",
        "sync.backoff_cap_s",
        "sync.interval_s",
        "retention.tombstone_days",
        "operator.offline_login_days",
        "operator.max_failures",
        "operator.lockout_minutes",
        "logging.level",
        "demo",
    ):
        assert required in paths
    assert all(k.description for k in keys)


def test_docs_config_md_is_current() -> None:
    committed = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    assert committed == render_config_doc(), "regenerate: python -m kiosk.config > docs/config.md"
