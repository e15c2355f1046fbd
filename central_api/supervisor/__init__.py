"""The Dinas supervisor page: the fleet at a glance, server-rendered, behind the admin login (issue 19).

Why plain HTML from ``string.Template`` and ``html.escape`` (no Jinja2, no JavaScript, no build step):
three tables do not need a template language, every value is escaped in one place (:func:`_e`), and
the reference server keeps its dependency list (and its hash-locked requirements) unchanged. The page
refreshes itself every minute with a ``<meta http-equiv="refresh">``.

Login: the admin token typed into a form (never in a URL, where it would land in logs and history)
gives a cookie ``sv`` = ``expiry.HMAC(admin token, expiry)``: stateless, valid for
:data:`SESSION_HOURS`, ``HttpOnly``, ``SameSite=Strict``, ``Secure`` on HTTPS, path ``/supervisor``;
it stops working when the admin token changes. Only on the admin surface (``central_api.app``).

What it shows (``central_api.fleet.fleet_overview``): kiosks grouped by office — stuck ones first
with the reason — with last seen, app version, bank, queue depth and oldest waiting item; registrations
per day per office; the enrolment codes issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import time
import urllib.parse
from pathlib import Path
from string import Template
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from central_api.auth import RuntimeDep
from central_api.fleet import FleetOverview, KioskRow, fleet_overview
from central_api.security import equal

router = APIRouter(tags=["supervisor"], include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parent / "templates"
COOKIE = "sv"
SESSION_HOURS = 8
MAX_FORM_BYTES = 4096

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "title": "Pemantauan kios Prakerja",
        "login_hint": "Masuk dengan token admin server pusat.",
        "token": "Token admin",
        "login": "Masuk",
        "login_failed": "Token salah.",
        "logout": "Keluar",
        "generated": "Diperbarui",
        "kiosks": "Kios per kantor",
        "per_day": "Pendaftaran per hari per kantor",
        "codes": "Kode pendaftaran perangkat yang diterbitkan",
        "office": "Kantor",
        "state": "Keadaan",
        "device": "Perangkat",
        "last_seen": "Terakhir terlihat",
        "version": "Versi",
        "bank": "Bank soal",
        "waiting": "Antre",
        "attention": "Perlu perhatian",
        "quarantined": "Karantina",
        "oldest": "Menunggu paling lama",
        "last_delivery": "Terakhir terkirim",
        "day": "Tanggal",
        "count": "Jumlah",
        "label": "Label",
        "created": "Dibuat",
        "expires": "Kedaluwarsa",
        "used": "Dipakai",
        "ok": "baik",
        "stuck": "MACET",
        "revoked": "dicabut",
        "never": "belum pernah",
        "none": "belum ada",
        "summary": "{n} kios, {stuck} macet, {waiting} pendaftaran menunggu dikirim.",
        "ago": "{t} lalu",
        "reason.never reported": "belum pernah melapor",
        "reason.silent": "tidak melapor lebih dari 6 jam",
        "reason.queue stuck": "antrean tertahan lebih dari 6 jam",
        "reason.needs attention": "ada kiriman perlu perhatian",
        "reason.refused by server": "ditolak server",
        "other": "English",
    },
    "en": {
        "title": "Prakerja kiosk monitor",
        "login_hint": "Sign in with the central server's admin token.",
        "token": "Admin token",
        "login": "Sign in",
        "login_failed": "Wrong token.",
        "logout": "Sign out",
        "generated": "Updated",
        "kiosks": "Kiosks by office",
        "per_day": "Registrations per day per office",
        "codes": "Device enrolment codes issued",
        "office": "Office",
        "state": "State",
        "device": "Device",
        "last_seen": "Last seen",
        "version": "Version",
        "bank": "Test bank",
        "waiting": "Queued",
        "attention": "Needs attention",
        "quarantined": "Quarantined",
        "oldest": "Oldest waiting",
        "last_delivery": "Last delivery",
        "day": "Date",
        "count": "Count",
        "label": "Label",
        "created": "Created",
        "expires": "Expires",
        "used": "Used",
        "ok": "ok",
        "stuck": "STUCK",
        "revoked": "revoked",
        "never": "never",
        "none": "none yet",
        "summary": "{n} kiosks, {stuck} stuck, {waiting} registrations waiting to be sent.",
        "ago": "{t} ago",
        "reason.never reported": "never reported",
        "reason.silent": "silent for more than 6 hours",
        "reason.queue stuck": "queue held for more than 6 hours",
        "reason.needs attention": "uploads need attention",
        "reason.refused by server": "refused by the server",
        "other": "Bahasa Indonesia",
    },
}


def _e(value: object) -> str:
    """Every value on the page goes through here (escaping, ``None`` as a dash)."""
    return "—" if value is None else html.escape(str(value), quote=True)


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "id"


# --------------------------------------------------------------------------------------- session
def _mac(admin_token: str, expiry: int) -> str:
    key = hashlib.sha256(b"prakerja-supervisor-v1\0" + admin_token.encode("utf-8")).digest()
    return hmac.new(key, str(expiry).encode("ascii"), hashlib.sha256).hexdigest()


def session_cookie(admin_token: str, now: float | None = None) -> str:
    """A cookie value valid for :data:`SESSION_HOURS`."""
    expiry = int((time.time() if now is None else now) + SESSION_HOURS * 3600)
    return f"{expiry}.{_mac(admin_token, expiry)}"


def session_valid(cookie: str | None, admin_token: str, now: float | None = None) -> bool:
    """The cookie was made with the current admin token and has not expired."""
    if not cookie or len(cookie) > 200 or "." not in cookie:
        return False
    expiry_text, mac = cookie.split(".", 1)
    if not expiry_text.isdigit():
        return False
    expiry = int(expiry_text)
    return expiry > (time.time() if now is None else now) and equal(mac, _mac(admin_token, expiry))


# ---------------------------------------------------------------------------------------- render
def _age(seconds: float | None, t: dict[str, str]) -> str:
    if seconds is None:
        return "—"
    seconds = max(0.0, seconds)
    if seconds < 90:
        value = f"{seconds:.0f} s"
    elif seconds < 5400:
        value = f"{seconds / 60:.0f} min"
    elif seconds < 172800:
        value = f"{seconds / 3600:.0f} h"
    else:
        value = f"{seconds / 86400:.0f} d"
    return value


def _when(moment: dt.datetime | None, now: dt.datetime, t: dict[str, str]) -> str:
    if moment is None:
        return _e(t["never"])
    ago = t["ago"].format(t=_age((now - moment).total_seconds(), t))
    return f"{_e(ago)} <small>({_e(moment.strftime('%Y-%m-%d %H:%M'))} UTC)</small>"


def _state(row: KioskRow, t: dict[str, str]) -> str:
    if row.revoked:
        return f'<span class="badge revoked">{_e(t["revoked"])}</span>'
    if row.stuck:
        reasons = ", ".join(t.get(f"reason.{r}", r) for r in row.stuck_reasons)
        return f'<span class="badge stuck">{_e(t["stuck"])}</span> {_e(reasons)}'
    return f'<span class="badge ok">{_e(t["ok"])}</span>'


def _kiosk_tables(view: FleetOverview, t: dict[str, str]) -> str:
    if not view.kiosks:
        return f"<p>{_e(t['none'])}</p>"
    offices: dict[str, list[KioskRow]] = {}
    for row in view.kiosks:  # already stuck first; offices in order of their first (worst) kiosk
        offices.setdefault(row.office, []).append(row)
    head = "".join(
        f"<th>{_e(t[k])}</th>"
        for k in (
            "state",
            "device",
            "last_seen",
            "version",
            "bank",
            "waiting",
            "attention",
            "quarantined",
            "oldest",
            "last_delivery",
        )
    )
    parts: list[str] = []
    for office, rows in offices.items():
        body = []
        for r in rows:
            cls = "revoked" if r.revoked else ("stuck" if r.stuck else "ok")
            body.append(
                f'<tr class="{cls}" data-device="{_e(r.device_id)}">'
                f"<td>{_state(r, t)}</td>"
                f"<td>{_e(r.label or r.device_id)}<br><small>{_e(r.device_id)}</small></td>"
                f"<td>{_when(r.last_seen, view.generated_at, t)}</td>"
                f"<td>{_e(r.app_version)}</td><td>{_e(r.bank)}</td>"
                f'<td class="num">{r.waiting}</td><td class="num">{r.attention}</td>'
                f'<td class="num">{r.quarantined}</td>'
                f"<td>{_e(_age(r.oldest_waiting_age_s, t))}</td>"
                f"<td>{_when(r.last_delivery_at, view.generated_at, t)}</td></tr>"
            )
        parts.append(
            f'<h3 class="office">{_e(office)}</h3><table class="kiosks"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    return "".join(parts)


def _per_day_table(view: FleetOverview, t: dict[str, str]) -> str:
    if not view.per_day:
        return f"<p>{_e(t['none'])}</p>"
    rows = "".join(
        f'<tr><td>{_e(day)}</td><td>{_e(office)}</td><td class="num">{n}</td></tr>'
        for day, office, n in view.per_day
    )
    return (
        f'<table id="per-day"><thead><tr><th>{_e(t["day"])}</th><th>{_e(t["office"])}</th>'
        f"<th>{_e(t['count'])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _codes_table(view: FleetOverview, t: dict[str, str]) -> str:
    if not view.codes:
        return f"<p>{_e(t['none'])}</p>"

    def stamp(value: Any) -> str:
        return _e(value.strftime("%Y-%m-%d %H:%M")) if isinstance(value, dt.datetime) else "—"

    rows = "".join(
        f"<tr><td>{_e(c['label'] or '—')}</td><td>{stamp(c['created_at'])}</td><td>{stamp(c['expires_at'])}</td>"
        f"<td>{stamp(c['used_at'])}</td><td>{_e(c['device_id'])}</td></tr>"
        for c in view.codes
    )
    return (
        f'<table id="codes"><thead><tr><th>{_e(t["label"])}</th><th>{_e(t["created"])} (UTC)</th>'
        f"<th>{_e(t['expires'])}</th><th>{_e(t['used'])}</th><th>{_e(t['device'])}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def render_fleet(view: FleetOverview, lang: str) -> str:
    """The whole page as HTML."""
    t = TEXT[lang]
    stuck = sum(1 for k in view.kiosks if k.stuck)
    waiting = sum(k.waiting for k in view.kiosks if not k.revoked)
    other = "en" if lang == "id" else "id"
    return _template("fleet.html").substitute(
        lang=lang,
        title=_e(t["title"]),
        css=(TEMPLATES / "style.css").read_text(encoding="utf-8"),
        generated=_e(f"{t['generated']} {view.generated_at.strftime('%Y-%m-%d %H:%M')} UTC"),
        other_lang=other,
        other_lang_name=_e(t["other"]),
        logout=_e(t["logout"]),
        summary=_e(t["summary"].format(n=len(view.kiosks), stuck=stuck, waiting=waiting)),
        kiosks_heading=_e(t["kiosks"]),
        kiosk_tables=_kiosk_tables(view, t),
        per_day_heading=_e(t["per_day"]),
        per_day_table=_per_day_table(view, t),
        codes_heading=_e(t["codes"]),
        codes_table=_codes_table(view, t),
    )


def render_login(lang: str, failed: bool = False) -> str:
    t = TEXT[lang]
    return _template("login.html").substitute(
        lang=lang,
        title=_e(t["title"]),
        css=(TEMPLATES / "style.css").read_text(encoding="utf-8"),
        hint=_e(t["login_hint"]),
        error=f'<p class="error" id="error">{_e(t["login_failed"])}</p>' if failed else "",
        token_label=_e(t["token"]),
        button=_e(t["login"]),
    )


_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
}


# ---------------------------------------------------------------------------------------- routes
@router.get("/supervisor", response_class=HTMLResponse)
def page(request: Request, rt: RuntimeDep) -> Response:
    """The fleet page, or a redirect to the login form."""
    lang = _lang(request)
    if not session_valid(request.cookies.get(COOKIE), rt.admin_token):
        return RedirectResponse(f"/supervisor/login?lang={lang}", status_code=303, headers=_HEADERS)
    return HTMLResponse(render_fleet(fleet_overview(rt), lang), headers=_HEADERS)


@router.get("/supervisor/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return HTMLResponse(render_login(_lang(request)), headers=_HEADERS)


@router.post("/supervisor/login", response_class=HTMLResponse)
async def login(request: Request, rt: RuntimeDep) -> Response:
    """Check the typed admin token (form field ``token``) and set the session cookie."""
    lang = _lang(request)
    raw = await request.body()
    fields = urllib.parse.parse_qs(raw[:MAX_FORM_BYTES].decode("utf-8", "replace")) if raw else {}
    token = (fields.get("token") or [""])[0]
    if not token or not equal(token, rt.admin_token):
        return HTMLResponse(render_login(lang, failed=True), status_code=401, headers=_HEADERS)
    response = RedirectResponse(f"/supervisor?lang={lang}", status_code=303, headers=_HEADERS)
    response.set_cookie(
        COOKIE,
        session_cookie(rt.admin_token),
        max_age=SESSION_HOURS * 3600,
        path="/supervisor",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/supervisor/logout")
def logout(request: Request) -> Response:
    response = RedirectResponse(f"/supervisor/login?lang={_lang(request)}", status_code=303, headers=_HEADERS)
    response.delete_cookie(COOKIE, path="/supervisor")
    return response
