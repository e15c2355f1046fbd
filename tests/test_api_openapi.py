"""The committed docs/openapi.json matches what the running server serves."""

from __future__ import annotations

import json
from pathlib import Path

import requests

from tests.support.live_api import LiveApi

ROOT = Path(__file__).resolve().parents[1]


def test_served_openapi_matches_the_committed_copy(live_api: LiveApi) -> None:
    served = requests.get(live_api.url + "/openapi.json", timeout=5).json()
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert served == committed, "docs/openapi.json drifted: run python scripts/export_openapi.py"


def test_openapi_documents_the_contract(live_api: LiveApi) -> None:
    doc = requests.get(live_api.url + "/openapi.json", timeout=5).json()
    put = doc["paths"]["/v1/submissions/{submission_id}"]["put"]
    assert {"200", "201", "401", "403", "409", "413", "415", "422", "429", "503"} <= set(put["responses"])
    assert "application/octet-stream" in put["requestBody"]["content"]
    for path in (
        "/v1/health",
        "/v1/devices/enrol",
        "/v1/operators/login",
        "/v1/otp/request",
        "/v1/otp/verify",
        "/v1/wave/current",
        "/v1/testbank/current",
        "/v1/admin/faults",
    ):
        assert path in doc["paths"], path


def test_export_script_check_mode_passes() -> None:
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "export_openapi.py"), run_name="export_openapi")
    assert script["main"](["--check"]) == 0
