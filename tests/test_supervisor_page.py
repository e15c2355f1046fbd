"""The Dinas supervisor page on the live reference API (issue 19).

Shows: the page is behind the admin login (redirect, wrong token refused, cookie bound to the admin
token); kiosks are grouped by office with last seen, version, bank, queue depth and oldest waiting, stuck
kiosks first with the reason; registrations per day per office and the enrolment codes issued are
listed; every value is escaped. The browser test drives Debian's headless Chromium through
chromedriver (skipped with the reason when the packages are missing) and saves screenshots to
``docs/screens/supervisor-*.png``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests

from central_api.supervisor import session_cookie, session_valid
from kiosk.signed_request import sign_request
from tests.support import webdriver
from tests.support.live_api import EnrolledDevice, LiveApi

ROOT = Path(__file__).resolve().parents[1]
# Screenshots go to docs/screens only when asked (PRAKERJA_UPDATE_SCREENS=1): a test run must not
# rewrite tracked files; otherwise to build/, which git ignores.
SCREENS = (
    Path(__file__).resolve().parent.parent / "docs" / "screens"
    if os.environ.get("PRAKERJA_UPDATE_SCREENS")
    else Path(__file__).resolve().parent.parent / "build" / "screens"
)


def _beat(api: LiveApi, device: EnrolledDevice, **report: object) -> None:
    body = {"app_version": "0.1.0", "waiting": 0, "attention": 0, "quarantined": 0, **report}
    doc = sign_request("heartbeat", device.device_id, device.private_key, body)
    resp = requests.post(f"{api.url}/v1/devices/heartbeat", json=doc, timeout=5)
    assert resp.status_code == 200, resp.text


def _fleet(api: LiveApi) -> dict[str, EnrolledDevice]:
    """Four kiosks in three offices: one stuck queue, one never reported, two fine; one registration."""
    devices = {
        "sleman-1": api.enrol_device("Disnaker Sleman — kios 1"),
        "sleman-2": api.enrol_device("Disnaker Sleman — kios 2"),
        "makassar": api.enrol_device("Disnaker Makassar"),
        "jayapura": api.enrol_device("Disnaker Jayapura <b>"),
    }
    bank = {"bank_id": "tmkd-2026", "bank_version": 3, "bank_age_s": 3600.0}
    _beat(api, devices["sleman-1"], office="Kab. Sleman", **bank, waiting=1, oldest_waiting_age_s=120.0)
    _beat(
        api,
        devices["sleman-2"],
        office="Kab. Sleman",
        **bank,
        waiting=14,
        oldest_waiting_age_s=3 * 86400.0,
        camera="ok",
        printer="pdf",
    )
    _beat(api, devices["makassar"], office="Kota Makassar", **bank, app_version="0.0.9")
    sid, blob = api.seal_submission(devices["makassar"])
    assert api.put_submission(devices["makassar"], sid, blob).status_code == 201
    return devices


def _login(api: LiveApi) -> requests.Session:
    http = requests.Session()
    resp = http.post(f"{api.url}/supervisor/login", data={"token": api.admin_token}, timeout=5)
    assert resp.status_code == 200 and resp.url.endswith("/supervisor?lang=id")
    return http


def test_page_is_behind_the_admin_login(live_api: LiveApi) -> None:
    first = requests.get(f"{live_api.url}/supervisor", timeout=5, allow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/supervisor/login")
    wrong = requests.post(f"{live_api.url}/supervisor/login", data={"token": "nope"}, timeout=5)
    assert wrong.status_code == 401 and "Token salah" in wrong.text
    forged = requests.get(f"{live_api.url}/supervisor", cookies={"sv": "99999999999.abc"}, timeout=5)
    assert forged.url.endswith("/supervisor/login?lang=id")
    http = _login(live_api)
    cookie = http.cookies.get("sv")
    assert cookie and session_valid(cookie, live_api.admin_token)
    assert not session_valid(cookie, "another-admin-token")  # a new admin token ends old sessions
    assert not session_valid(session_cookie(live_api.admin_token, now=0), live_api.admin_token)  # expired
    page = http.get(f"{live_api.url}/supervisor", timeout=5)
    assert page.headers["cache-control"] == "no-store" and "frame-ancestors" not in page.text
    assert http.get(f"{live_api.url}/supervisor/logout", timeout=5).url.endswith("/supervisor/login?lang=id")
    assert requests.get(f"{live_api.url}/supervisor", timeout=5).url.endswith("/login?lang=id")


def test_stuck_kiosks_first_by_office_with_counts_registrations_and_codes(live_api: LiveApi) -> None:
    devices = _fleet(live_api)
    live_api.create_enrolment_code()  # issued, not used
    page = _login(live_api).get(f"{live_api.url}/supervisor", timeout=5).text
    # offices in the order of their worst kiosk, stuck kiosks first within each office: Sleman (its
    # queue held for 3 days, then its fine kiosk), Jayapura (never reported), Makassar (fine)
    order = [page.index(devices[k].device_id) for k in ("sleman-2", "sleman-1", "jayapura", "makassar")]
    assert order == sorted(order)
    offices = [
        page.index(f'<h3 class="office">{o}') for o in ("Kab. Sleman", "Disnaker Jayapura", "Kota Makassar")
    ]
    assert offices == sorted(offices)
    assert "antrean tertahan lebih dari 6 jam" in page and "belum pernah melapor" in page
    assert "tmkd-2026 v3" in page and "0.0.9" in page and "3 d" in page
    assert "Kab. Sleman" in page and "Kota Makassar" in page
    assert "Disnaker Jayapura &lt;b&gt;" in page and "Jayapura <b>" not in page  # escaped
    assert '<table id="per-day">' in page and 'Kota Makassar</td><td class="num">1</td>' in page
    assert '<table id="codes">' in page and page.count("<tr><td>") >= 5  # 4 used codes + 1 issued
    english = _login(live_api).get(f"{live_api.url}/supervisor?lang=en", timeout=5).text
    assert "Kiosks by office" in english and "queue held for more than 6 hours" in english


@pytest.mark.skipif(webdriver.missing_reason() is not None, reason=str(webdriver.missing_reason()))
def test_in_a_real_headless_browser_with_screenshots(live_api: LiveApi) -> None:
    devices = _fleet(live_api)
    live_api.create_enrolment_code()
    with webdriver.Browser() as browser:
        SCREENS.mkdir(parents=True, exist_ok=True)
        browser.go(f"{live_api.url}/supervisor")
        assert "/supervisor/login" in browser.url
        browser.screenshot(SCREENS / "supervisor-login.png")
        browser.type(browser.find("#token"), "wrong")
        browser.click(browser.find("#login"))
        assert browser.text(browser.find("#error")) == "Token salah."
        browser.type(browser.find("#token"), live_api.admin_token)
        browser.click(browser.find("#login"))
        # A form post navigates after the click returns; on a loaded machine the URL changes later.
        deadline = time.monotonic() + 15
        while not browser.url.endswith("/supervisor?lang=id") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert browser.url.endswith("/supervisor?lang=id")
        assert browser.title == "Pemantauan kios Prakerja"
        rows = browser.find_all("table.kiosks tbody tr")
        shown = [browser.attribute(r, "data-device") for r in rows]
        assert shown[0] == devices["sleman-2"].device_id  # the stuck queue is at the top
        assert [browser.attribute(r, "class") for r in rows] == ["stuck", "ok", "stuck", "ok"]
        assert "4 kios, 2 macet, 15 pendaftaran menunggu dikirim." == browser.text(browser.find("#summary"))
        browser.screenshot(SCREENS / "supervisor-fleet.png")
    for name in ("supervisor-login.png", "supervisor-fleet.png"):
        assert (SCREENS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
