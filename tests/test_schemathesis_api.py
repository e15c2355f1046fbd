"""schemathesis against the running reference API: generated requests never get a 5xx, replies match the schema.

The schema is loaded from the live server's own ``/openapi.json`` (not the committed copy), so the
check is of what is served. Every operation gets a bounded number of generated cases, valid ones
(positive) and ones that break the schema (negative, which must be refused with a 4xx, never a 5xx); authenticated
operations are called with a real token for their security scheme (admin or enrolled device), so the
endpoints' bodies run instead of stopping at 401.

Left out: ``PUT /v1/admin/faults`` — it exists to make the server answer 5xx on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.live_api import LiveApi

EXCLUDED = {("PUT", "/v1/admin/faults")}
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    status_code_conformance,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveApi, dict[str, str]]]:
    api = LiveApi(tmp_path_factory.mktemp("schemathesis-api"))
    device = api.enrol_device("schemathesis")
    tokens = {"AdminToken": api.admin_token, "DeviceToken": device.token}
    yield api, tokens
    api.stop()


@pytest.fixture(scope="module")
def api_schema(served: tuple[LiveApi, dict[str, str]]) -> Any:
    api, _tokens = served
    return schemathesis.openapi.from_url(api.url + "/openapi.json")


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation, read from the committed copy at collection time.

    Why the committed copy here: parametrising needs the list before any server runs; the test itself
    then loads each operation from the live server's schema (a missing one fails the test).
    """
    doc = json.loads((Path(__file__).parents[1] / "docs" / "openapi.json").read_text())
    ops = [(m.upper(), path) for path, item in doc["paths"].items() for m in item if m != "parameters"]
    return [op for op in ops if op not in EXCLUDED]


def _auth_header(operation: Any, tokens: dict[str, str]) -> dict[str, str]:
    for requirement in operation.definition.raw.get("security") or []:
        for scheme in requirement:
            if scheme in tokens:
                return {"Authorization": f"Bearer {tokens[scheme]}"}
    return {}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: str(v))
def test_generated_requests_get_no_5xx_and_schema_conformant_replies(
    api_schema: Any, served: tuple[LiveApi, dict[str, str]], method: str, path: str, mode: GenerationMode
) -> None:
    api, tokens = served
    operation = api_schema[path][method]
    headers = _auth_header(operation, tokens)
    checks = CHECKS  # all five, negative mode too: unreadable bodies get the documented 422
    if mode is GenerationMode.NEGATIVE:
        raw = operation.definition.raw
        if not raw.get("parameters") and not raw.get("requestBody"):
            pytest.skip("nothing in this operation's input can break its schema")

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(base_url=api.url, headers=headers, checks=checks, timeout=10)

    run()
