"""The registration flow as a Qt-free state machine; the screens in ``ui/`` are views of its steps.

Why a state machine outside Qt (as Electrum's ``wizard.py``): which step comes next, what blocks it,
what is still missing and what happens when the network drops are rules of the programme, not of
the widgets. Here they are tested without a window, and the UI only draws what the flow decides.

Steps, in order (:class:`Step`)::

    welcome -> language -> contact -> otp -> identity -> personal -> address -> profile
            -> ktp_photo -> selfie -> declaration -> test -> review -> sealing -> receipt

``otp`` is skipped while the OTP is *deferred* (the kiosk is offline, or the person chose to verify
later): the central API then verifies the contact after sync and the receipt says so.

API for the UI (everything is synchronous and must be called from one thread, the GUI thread)::

    flow = Flow(clock=system_clock, online=True)   # clock -> aware datetime; regions=RegionTable()
    flow.step                       # current Step
    flow.add_listener(fn)           # fn(event) for StepChanged / OtpModeChanged / Wiped; returns remover
    flow.submit(step, values)       # -> list[FieldProblem]: errors, then unconfirmed FieldWarning
    flow.values(step)               # what was last typed on that step (raw), to refill a screen
    flow.problems(step)             # the problems of the last submit/check of that step
    flow.confirm(flag)              # the person confirmed a FieldWarning ("sesuai KTP")
    flow.next()                     # -> list[FieldProblem]; [] means the flow moved on
    flow.back()                     # -> Step; never loses input
    flow.goto(step)                 # from review: edit a section; next() then returns to review
    flow.set_online(bool)           # connectivity changed; may switch otp_mode (event)
    flow.otp_mode                   # OtpMode.INLINE / OtpMode.DEFERRED
    flow.missing()                  # -> list[Missing] at review: (step, field, message)
    flow.refusals()                 # -> list[Refusal]: reasons the registration cannot go on
    flow.build_payload(submission_id, device_id, photos=None)  # at sealing -> RegistrationPayload
    flow.sealed(reference)          # sealing succeeded -> receipt
    flow.seal_failed()              # sealing failed -> back to review, nothing lost
    flow.wipe()                     # drop the record, back to welcome (also next() on receipt)

``values`` per step (keys; values are what widgets give: str, bool, date, bytes)::

    language:    language ("id" | "en")
    contact:     email, phone, verification_method ("email" | "sms")
    otp:         otp_token (str, after the API accepted the code)  or  defer (True)
    identity:    nik, birth_place, birth_date (date or "YYYY-MM-DD" / "DD-MM-YYYY")
    personal:    full_name, gender ("L" | "P"), mother_maiden_name
    address:     street, rt, rw, province_code, regency_code, district_code, village_code
    profile:     education (kiosk.payload.Education value), work_status (WorkStatus value)
    ktp_photo:   photo (JPEG/PNG bytes)        selfie: photo (JPEG/PNG bytes)
    declaration: one bool per kiosk.declaration.STATEMENTS id
    test:        test (kiosk.payload.TestAnswers or its dict form)
    any step:    confirm (list of warning flags the person confirmed)

Submitting stores every valid field into :attr:`applicant` and keeps the raw input of every field,
valid or not, so going back and forth never clears a screen.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from kiosk import contacts, eligibility, nik
from kiosk.applicant import Applicant, KtpNameError, normalise_ktp_name
from kiosk.declaration import STATEMENTS
from kiosk.i18n import Message
from kiosk.jakarta_time import Clock, system_clock
from kiosk.jakarta_time import today as jakarta_today
from kiosk.logging_setup import pii_registry
from kiosk.payload import (
    MAX_PHOTO_BYTES,
    Education,
    FieldProblem,
    PhotoRef,
    RegistrationPayload,
    TestAnswers,
    WorkStatus,
)
from kiosk.regions import RegionTable, RegionTableError
from kiosk.regions import table as default_regions


class Step(StrEnum):
    """The screens of one registration, in order."""

    WELCOME = "welcome"
    LANGUAGE = "language"
    CONTACT = "contact"
    OTP = "otp"
    IDENTITY = "identity"
    PERSONAL = "personal"
    ADDRESS = "address"
    PROFILE = "profile"
    KTP_PHOTO = "ktp_photo"
    SELFIE = "selfie"
    DECLARATION = "declaration"
    TEST = "test"
    REVIEW = "review"
    SEALING = "sealing"
    RECEIPT = "receipt"


ORDER: tuple[Step, ...] = tuple(Step)
#: Sections the review screen can jump to for editing.
EDITABLE: tuple[Step, ...] = ORDER[ORDER.index(Step.LANGUAGE) : ORDER.index(Step.REVIEW)]


class OtpMode(StrEnum):
    INLINE = "inline"
    DEFERRED = "deferred"


@dataclass(frozen=True, slots=True)
class FieldWarning(FieldProblem):
    """A problem the person may confirm as correct ("sesuai KTP"); ``flag`` goes to ``confirm``."""

    flag: str = ""


@dataclass(frozen=True, slots=True)
class Missing:
    """Something the review screen lists as not done; ``step`` is where to fix it."""

    step: Step
    field: str
    message: Message


@dataclass(frozen=True, slots=True)
class StepChanged:
    previous: Step
    current: Step


@dataclass(frozen=True, slots=True)
class OtpModeChanged:
    mode: OtpMode


@dataclass(frozen=True, slots=True)
class Wiped:
    pass


FlowEvent = StepChanged | OtpModeChanged | Wiped
Listener = Callable[[FlowEvent], None]

_REQUIRED = Message(
    "Belum diisi. Isi dulu, lalu tekan Lanjut.", "Not filled in yet. Fill it in, then press Next."
)
_RT_RW = re.compile(r"^\d{1,3}$")
_SPACES = re.compile(r"\s+")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def _already_registered(when: dt.datetime) -> nik.NikWarning:
    """Same NIK sealed on this kiosk before (issue 19): the person and staff decide; ``when`` is shown
    in the zone it carries (the office's, from ``NikRegistry``)."""
    stamp = f"{when.strftime('%d-%m-%Y %H:%M')} {when.tzname() or ''}".strip()
    return nik.NikWarning(
        "nik_already_registered",
        "nik",
        _msg(
            f"NIK ini sudah didaftarkan di kiosk ini pada {stamp}. Petugas: periksa sebelum melanjutkan.",
            f"This NIK was already registered on this kiosk on {stamp}. Staff: check before going on.",
        ),
    )


def _msg(id_text: str, en_text: str) -> Message:
    return Message(id_text, en_text)


def _text(value: object) -> str:
    """Widgets give strings; anything else (None, numbers) is read as text or as empty."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def parse_date(value: object) -> dt.date | None:
    """A date from a date object or the text formats people use; ``None`` when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).strip()
    if len(text) > 20:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class _Confirmation:
    flag: str
    fingerprint: tuple[object, ...]


@dataclass
class _State:
    raw: dict[Step, dict[str, Any]] = field(default_factory=dict)
    problems: dict[Step, list[FieldProblem]] = field(default_factory=dict)
    confirmed: dict[str, tuple[object, ...]] = field(default_factory=dict)
    otp_chosen_defer: bool = False
    otp_passed_deferred: bool = False
    return_to_review: bool = False
    reference: str | None = None


class Flow:
    """One applicant's registration, from welcome to receipt. See the module docstring for the API."""

    def __init__(
        self,
        *,
        clock: Clock = system_clock,
        online: bool = True,
        regions: RegionTable | None = None,
        test_required: bool = True,
        test_by_message: bool = False,
        duplicate_lookup: Callable[[str], dt.datetime | None] | None = None,
    ) -> None:
        self._clock = clock
        self._online = online
        self._regions = regions
        self._test_required = test_required
        #: No valid bank on this (production) kiosk: the test is sent by SMS/e-mail and every payload
        #: sealed without answers carries the ``test_by_message`` flag so the server knows (issue 19).
        self._test_by_message = test_by_message
        #: "Was this NIK sealed on this kiosk, and when?" (``kiosk.registration_context.NikRegistry``).
        self._duplicate_lookup = duplicate_lookup
        self._step = Step.WELCOME
        self._listeners: list[Listener] = []
        self.applicant = Applicant()
        self._state = _State()

    # ----------------------------------------------------------------- observation
    @property
    def step(self) -> Step:
        return self._step

    @property
    def online(self) -> bool:
        return self._online

    @property
    def otp_mode(self) -> OtpMode:
        if self.applicant.otp_verified:
            return OtpMode.INLINE
        s = self._state
        if not self._online or s.otp_chosen_defer or s.otp_passed_deferred:
            return OtpMode.DEFERRED
        return OtpMode.INLINE

    @property
    def reference(self) -> str | None:
        """The receipt's reference number once sealed."""
        return self._state.reference

    @property
    def returning_to_review(self) -> bool:
        """True while a section is edited from the review (next() goes back to review)."""
        return self._state.return_to_review

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on every change; returns a function that removes it."""
        self._listeners.append(listener)

        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    def _emit(self, event: FlowEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _today(self) -> dt.date:
        return jakarta_today(self._clock)

    def _table(self) -> RegionTable:
        return self._regions if self._regions is not None else default_regions()

    def values(self, step: Step) -> dict[str, Any]:
        """The raw input last submitted on ``step`` (to refill its screen)."""
        return dict(self._state.raw.get(step, {}))

    def problems(self, step: Step) -> list[FieldProblem]:
        return list(self._state.problems.get(step, []))

    # ----------------------------------------------------------------- moving
    def _set_step(self, new: Step) -> None:
        if new == self._step:
            return
        previous_mode = self.otp_mode
        otp_at = ORDER.index(Step.OTP)
        if previous_mode == OtpMode.DEFERRED and ORDER.index(self._step) <= otp_at < ORDER.index(new):
            # Once past the OTP screen while deferred, it stays deferred even if the network returns:
            # the person is not sent back for a code; the central API verifies the contact later.
            self._state.otp_passed_deferred = True
        old = self._step
        self._step = new
        self._emit(StepChanged(old, new))
        if self.otp_mode != previous_mode:
            self._emit(OtpModeChanged(self.otp_mode))

    def _following(self, step: Step) -> Step:
        nxt = ORDER[ORDER.index(step) + 1]
        if nxt == Step.OTP and self.otp_mode == OtpMode.DEFERRED:
            return Step.IDENTITY
        return nxt

    def _preceding(self, step: Step) -> Step:
        prev = ORDER[ORDER.index(step) - 1]
        if prev == Step.OTP and self.otp_mode == OtpMode.DEFERRED and not self.applicant.otp_verified:
            return Step.CONTACT
        return prev

    def next(self) -> list[FieldProblem]:
        """Move on if the current step is complete; otherwise return what blocks it and stay."""
        step = self._step
        if step == Step.SEALING:
            return [FieldProblem("sealing", _msg("Sedang menyegel data.", "The data is being sealed."))]
        if step == Step.RECEIPT:
            self.wipe()
            return []
        blocking = self._blocking(step)
        if blocking:
            self._state.problems[step] = blocking
            return blocking
        if step == Step.REVIEW:
            missing = self.missing()
            if missing:
                return [FieldProblem(f"{m.step.value}.{m.field}", m.message) for m in missing]
            self._state.return_to_review = False
            self._set_step(Step.SEALING)
            return []
        if self._state.return_to_review and step in EDITABLE:
            self._set_step(Step.REVIEW)
            return []
        self._set_step(self._following(step))
        return []

    def back(self) -> Step:
        """Go to the previous screen (or to the review when editing from it); input is kept."""
        step = self._step
        if step in (Step.WELCOME, Step.SEALING, Step.RECEIPT):
            return step
        if self._state.return_to_review and step in EDITABLE:
            self._set_step(Step.REVIEW)
        else:
            self._set_step(self._preceding(step))
        return self._step

    def goto(self, step: Step) -> bool:
        """Jump to a section from the review (or to any section already passed). False if not allowed."""
        if step not in EDITABLE:
            return False
        if step == Step.OTP and self.otp_mode == OtpMode.DEFERRED and not self._online:
            return False
        if self._step == Step.REVIEW:
            self._state.return_to_review = True
        elif ORDER.index(step) > ORDER.index(self._step) or self._step not in EDITABLE:
            return False
        if step == Step.OTP:
            self._state.otp_chosen_defer = False
            self._state.otp_passed_deferred = False
        self._set_step(step)
        return True

    def set_online(self, online: bool) -> None:
        """Connectivity changed. Going offline before the OTP is verified defers it; nothing is lost."""
        if online == self._online:
            return
        before = self.otp_mode
        self._online = online
        if not online and not self.applicant.otp_verified and ORDER.index(self._step) > ORDER.index(Step.OTP):
            self._state.otp_passed_deferred = True
        if self.otp_mode != before:
            self._emit(OtpModeChanged(self.otp_mode))
        if self._step == Step.OTP:
            self._state.problems.pop(Step.OTP, None)

    # ----------------------------------------------------------------- input
    def confirm(self, flag: str) -> None:
        """The person confirmed a warning as correct for the current values."""
        fp = self._fingerprint(flag)
        if fp is not None:
            self._state.confirmed[flag] = fp
        self._sync_flags()
        for step in list(self._state.problems):
            self._state.problems[step] = [
                p for p in self._state.problems[step] if not (isinstance(p, FieldWarning) and p.flag == flag)
            ]

    def submit(self, step: Step, values: Mapping[str, Any]) -> list[FieldProblem]:
        """Validate and store ``values`` for ``step``; returns errors then unconfirmed warnings.

        Free-text personal values are registered with the log filter's ``pii_registry`` as they arrive
        (names have no shape a pattern could catch); :meth:`wipe` forgets them.
        """
        pii_registry.add_all(
            v for k, v in values.items() if k in _PII_FIELDS.get(step, ()) and isinstance(v, str)
        )
        raw = self._state.raw.setdefault(step, {})
        raw.update({k: v for k, v in values.items() if k != "confirm"})
        handler = _HANDLERS.get(step)
        try:
            errors = handler(self, raw) if handler else []
        except RegionTableError as exc:
            # The shipped region file is damaged (a packaging or disk fault): say so on the screen and
            # keep what was typed; nothing the applicant entered is wrong, so no field is marked.
            errors = [FieldProblem("(regions)", exc.message)]
        confirm = values.get("confirm")
        if isinstance(confirm, list | tuple | set | frozenset):
            for flag in confirm:
                if isinstance(flag, str):
                    self.confirm(flag)
        self._sync_flags()
        problems = errors + self._unconfirmed(step)
        self._state.problems[step] = problems
        return problems

    def _blocking(self, step: Step) -> list[FieldProblem]:
        """Problems that keep ``step`` from being left forwards (re-checked from stored data)."""
        problems = list(self._state.problems.get(step, []))
        problems = [p for p in problems if not isinstance(p, FieldWarning)] + self._unconfirmed(step)
        for m in self._missing_in(step):
            if not any(p.field == m.field for p in problems):
                problems.append(FieldProblem(m.field, m.message))
        return problems

    # ----------------------------------------------------------------- per-step validation
    def _language(self, raw: dict[str, Any]) -> list[FieldProblem]:
        lang = _text(raw.get("language"))
        if lang in ("id", "en"):
            self.applicant.language = "en" if lang == "en" else "id"
            return []
        return [FieldProblem("language", _msg("Pilih bahasa.", "Choose a language."))]

    def _contact(self, raw: dict[str, Any]) -> list[FieldProblem]:
        a = self.applicant
        problems: list[FieldProblem] = []
        before = (a.email, a.phone)
        for key in ("email", "phone"):
            text = _text(raw.get(key)).strip()
            if not text:
                setattr(a, key, None)
                continue
            try:
                setattr(
                    a,
                    key,
                    contacts.normalise_email(text) if key == "email" else contacts.normalise_mobile(text),
                )
            except contacts.ContactError as exc:
                setattr(a, key, None)
                problems.append(FieldProblem(key, exc.message))
        method = _text(raw.get("verification_method"))
        if method in ("email", "sms"):
            a.verification_method = "email" if method == "email" else "sms"
            needed = "email" if method == "email" else "phone"
            if not _text(raw.get(needed)).strip():
                problems.append(
                    FieldProblem(
                        needed,
                        _msg(
                            "Wajib diisi untuk cara verifikasi ini.", "Required for this verification method."
                        ),
                    )
                )
        else:
            a.verification_method = None
            problems.append(
                FieldProblem("verification_method", _msg("Pilih cara verifikasi.", "Choose how to verify."))
            )
        if (a.email, a.phone) != before and a.otp_verified:
            # A verified code belongs to the old contact: verify the new one.
            a.otp_verified = False
            a.otp_token = None
        return problems

    def _otp(self, raw: dict[str, Any]) -> list[FieldProblem]:
        a = self.applicant
        if raw.get("defer") is True:
            before = self.otp_mode
            self._state.otp_chosen_defer = True
            raw.pop("defer", None)
            if self.otp_mode != before:
                self._emit(OtpModeChanged(self.otp_mode))
            return []
        token = _text(raw.get("otp_token")).strip()
        if token and len(token) <= 200:
            before = self.otp_mode
            a.otp_verified = True
            a.otp_token = token
            self._state.otp_chosen_defer = False
            if self.otp_mode != before:
                self._emit(OtpModeChanged(self.otp_mode))
            return []
        return [FieldProblem("otp_token", _msg("Masukkan kode verifikasi.", "Enter the verification code."))]

    def _identity(self, raw: dict[str, Any]) -> list[FieldProblem]:
        a = self.applicant
        problems: list[FieldProblem] = []
        nik_text = _text(raw.get("nik"))
        if not nik_text.strip():
            a.nik = None
            problems.append(FieldProblem("nik", _REQUIRED))
        else:
            try:
                a.nik = nik.parse(nik_text, today=self._today(), regions=self._table()).digits
            except nik.NikError as exc:
                a.nik = None
                problems.append(FieldProblem("nik", exc.message))
        problems += self._name_field(raw, "birth_place", "birth_place", 80)
        birth_raw = raw.get("birth_date")
        birth = parse_date(birth_raw)
        if birth_raw in (None, ""):
            a.birth_date = None
            problems.append(FieldProblem("birth_date", _REQUIRED))
        elif birth is None:
            a.birth_date = None
            problems.append(
                FieldProblem(
                    "birth_date",
                    _msg(
                        "Tanggal lahir tidak terbaca. Ketik lagi seperti di KTP, contoh: 17-08-1990.",
                        "The date of birth cannot be read. Type it again as on the KTP, e.g. 17-08-1990.",
                    ),
                )
            )
        else:
            a.birth_date = birth
            refusal = eligibility.check_age(birth, self._today())
            if refusal is not None:
                problems.append(FieldProblem("birth_date", refusal.message))
        return problems

    def _name_field(
        self, raw: dict[str, Any], key: str, attr: str, max_length: int = 120
    ) -> list[FieldProblem]:
        text = _text(raw.get(key))
        if not text.strip():
            setattr(self.applicant, attr, None)
            return [FieldProblem(key, _REQUIRED)]
        try:
            setattr(self.applicant, attr, normalise_ktp_name(text, max_length=max_length))
        except KtpNameError as exc:
            setattr(self.applicant, attr, None)
            return [FieldProblem(key, exc.message)]
        return []

    def _personal(self, raw: dict[str, Any]) -> list[FieldProblem]:
        problems = self._name_field(raw, "full_name", "full_name")
        gender = _text(raw.get("gender"))
        if gender in ("L", "P"):
            self.applicant.gender = "L" if gender == "L" else "P"
        else:
            self.applicant.gender = None
            problems.append(FieldProblem("gender", _msg("Pilih jenis kelamin.", "Choose the gender.")))
        problems += self._name_field(raw, "mother_maiden_name", "mother_maiden_name")
        return problems

    def _address(self, raw: dict[str, Any]) -> list[FieldProblem]:
        a = self.applicant
        problems: list[FieldProblem] = []
        street = _SPACES.sub(" ", _text(raw.get("street"))).strip().upper()
        if not street:
            a.street = None
            problems.append(FieldProblem("street", _REQUIRED))
        elif len(street) > 200:
            a.street = None
            problems.append(
                FieldProblem(
                    "street",
                    _msg(
                        "Alamat terlalu panjang. Singkat jalannya, tulis seperti di KTP.",
                        "The address is too long. Shorten the street, write it as on the KTP.",
                    ),
                )
            )
        else:
            a.street = street
        for key in ("rt", "rw"):
            text = _text(raw.get(key)).strip()
            if _RT_RW.match(text):
                setattr(a, key, text.zfill(3))
            else:
                setattr(a, key, None)
                problems.append(
                    FieldProblem(
                        key,
                        _REQUIRED
                        if not text
                        else _msg("Isi 1-3 angka, mis. 001.", "Use 1-3 digits, e.g. 001."),
                    )
                )
        table = self._table()
        parent: str | None = None
        for key, level_name in (
            ("province_code", ("provinsi", "province")),
            ("regency_code", ("kabupaten/kota", "regency/city")),
            ("district_code", ("kecamatan", "district")),
            ("village_code", ("kelurahan/desa", "village")),
        ):
            code = _text(raw.get(key)).strip()
            region = table.get(code) if code else None
            expected_len = {"province_code": 2, "regency_code": 5, "district_code": 8, "village_code": 13}[
                key
            ]
            ok = (
                region is not None
                and len(region.code) == expected_len
                and (parent is None or region.parent == parent)
                and (key == "province_code" or parent is not None)
            )
            if ok and region is not None:
                setattr(a, key, region.code)
                parent = region.code
            else:
                setattr(a, key, None)
                parent = None
                problems.append(
                    FieldProblem(
                        key,
                        _REQUIRED
                        if not code
                        else _msg(
                            f"Pilih {level_name[0]} dari daftar.",
                            f"Choose the {level_name[1]} from the list.",
                        ),
                    )
                )
        return problems

    def _profile(self, raw: dict[str, Any]) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        a = self.applicant
        try:
            a.education = Education(_text(raw.get("education")))
        except ValueError:
            a.education = None
            problems.append(
                FieldProblem("education", _msg("Pilih pendidikan terakhir.", "Choose the highest education."))
            )
        try:
            a.work_status = WorkStatus(_text(raw.get("work_status")))
        except ValueError:
            a.work_status = None
            problems.append(
                FieldProblem("work_status", _msg("Pilih status pekerjaan.", "Choose the work status."))
            )
        return problems

    def _photo(self, raw: dict[str, Any], which: str) -> list[FieldProblem]:
        data = raw.get("photo")
        raw.pop("photo", None)  # photos are not kept twice; the applicant holds them
        if not isinstance(data, bytes | bytearray) or not data:
            held = self.applicant.ktp_photo if which == "ktp" else self.applicant.selfie_photo
            return (
                []
                if held
                else [
                    FieldProblem(
                        "photo",
                        _msg(
                            "Belum ada foto. Ambil foto dulu, lalu tekan Lanjut.",
                            "No photo yet. Take the photo, then press Next.",
                        ),
                    )
                ]
            )
        if len(data) > MAX_PHOTO_BYTES:
            return [
                FieldProblem(
                    "photo",
                    _msg(
                        "Foto terlalu besar. Ambil foto lagi.",
                        "The photo is too large. Take the photo again.",
                    ),
                )
            ]
        if not (bytes(data[:3]) == b"\xff\xd8\xff" or bytes(data[:8]) == b"\x89PNG\r\n\x1a\n"):
            return [
                FieldProblem(
                    "photo",
                    _msg(
                        "Foto tidak bisa dibaca. Ambil foto lagi.",
                        "The photo cannot be read. Take the photo again.",
                    ),
                )
            ]
        self.applicant.set_photo("ktp" if which == "ktp" else "selfie", data)
        return []

    def _declaration(self, raw: dict[str, Any]) -> list[FieldProblem]:
        answers = self.applicant.declaration
        for statement in STATEMENTS:
            value = raw.get(statement.id)
            if isinstance(value, bool):
                answers[statement.id] = value
            else:
                answers.pop(statement.id, None)
        return [FieldProblem(r.field, r.message) for r in eligibility.check_declaration(answers)]

    def _test(self, raw: dict[str, Any]) -> list[FieldProblem]:
        value = raw.get("test")
        if value is None:
            return (
                []
                if self.applicant.test
                else [
                    FieldProblem(
                        "test",
                        _msg(
                            "Tes belum dikerjakan. Tekan Mulai Tes.",
                            "The test is not done yet. Press Start the test.",
                        ),
                    )
                ]
            )
        try:
            self.applicant.test = (
                value if isinstance(value, TestAnswers) else TestAnswers.model_validate(value)
            )
        except ValidationError:
            self.applicant.test = None
            return [
                FieldProblem(
                    "test",
                    _msg(
                        "Jawaban tes tidak terbaca. Minta petugas membantu.",
                        "The test answers cannot be read. Ask the staff for help.",
                    ),
                )
            ]
        return []

    # ----------------------------------------------------------------- warnings
    def _fingerprint(self, flag: str) -> tuple[object, ...] | None:
        a = self.applicant
        if flag == "nik_birth_date_mismatch":
            return (a.nik, a.birth_date)
        if flag == "nik_gender_mismatch":
            return (a.nik, a.gender)
        if flag in ("nik_province_mismatch", "nik_regency_mismatch"):
            return (a.nik, a.province_code, a.regency_code)
        if flag == "nik_already_registered":
            return (a.nik,)
        return None

    def _warnings(self) -> list[tuple[Step, nik.NikWarning]]:
        """Every NIK cross-check that currently disagrees, with the step its field is on."""
        a = self.applicant
        if a.nik is None:
            return []
        try:
            parsed = nik.parse(a.nik, today=self._today(), regions=self._table())
        except nik.NikError:
            return []
        found: list[tuple[Step, nik.NikWarning]] = []
        if self._duplicate_lookup is not None and (when := self._duplicate_lookup(a.nik)) is not None:
            found.append((Step.IDENTITY, _already_registered(when)))
        if a.birth_date is not None and (w := nik.check_birth_date(parsed, a.birth_date)):
            found.append((Step.IDENTITY, w))
        if a.gender is not None and (w := nik.check_gender(parsed, a.gender)):
            found.append((Step.PERSONAL, w))
        if a.province_code and a.regency_code:
            w = nik.check_region(parsed, a.province_code, a.regency_code, regions=self._table())
            if w:
                found.append((Step.ADDRESS, w))
        return found

    def _is_confirmed(self, flag: str) -> bool:
        fp = self._state.confirmed.get(flag)
        return fp is not None and fp == self._fingerprint(flag)

    def _unconfirmed(self, step: Step) -> list[FieldProblem]:
        return [
            FieldWarning(w.field, w.message, flag=w.flag)
            for s, w in self._warnings()
            if s == step and not self._is_confirmed(w.flag)
        ]

    def _sync_flags(self) -> None:
        """The payload records exactly the warnings that apply now and were confirmed for these values."""
        self.applicant.confirmed_flags = {w.flag for _, w in self._warnings() if self._is_confirmed(w.flag)}

    # ----------------------------------------------------------------- review
    def _missing_in(self, step: Step) -> list[Missing]:
        a = self.applicant
        req: list[tuple[str, object]] = []
        if step == Step.CONTACT:
            req = [("verification_method", a.verification_method)]
            if a.verification_method == "email":
                req.append(("email", a.email))
            elif a.verification_method == "sms":
                req.append(("phone", a.phone))
        elif step == Step.OTP:
            if self.otp_mode == OtpMode.INLINE and not a.otp_verified:
                return [
                    Missing(
                        step,
                        "otp_token",
                        _msg(
                            "Kode verifikasi belum dimasukkan.", "The verification code is not entered yet."
                        ),
                    )
                ]
        elif step == Step.IDENTITY:
            req = [("nik", a.nik), ("birth_place", a.birth_place), ("birth_date", a.birth_date)]
        elif step == Step.PERSONAL:
            req = [
                ("full_name", a.full_name),
                ("gender", a.gender),
                ("mother_maiden_name", a.mother_maiden_name),
            ]
        elif step == Step.ADDRESS:
            req = [
                (k, getattr(a, k))
                for k in (
                    "street",
                    "rt",
                    "rw",
                    "province_code",
                    "regency_code",
                    "district_code",
                    "village_code",
                )
            ]
        elif step == Step.PROFILE:
            req = [("education", a.education), ("work_status", a.work_status)]
        elif step == Step.KTP_PHOTO:
            req = [("photo", a.ktp_photo)]
        elif step == Step.SELFIE:
            req = [("photo", a.selfie_photo)]
        elif step == Step.DECLARATION:
            req = [(f"declaration.{s.id}", a.declaration.get(s.id)) for s in STATEMENTS]
        elif step == Step.TEST and self._test_required:
            req = [("test", a.test)]
        missing = [
            Missing(step, name, _REQUIRED) for name, value in req if value is None or value == bytearray()
        ]
        if step == Step.IDENTITY and a.birth_date is not None:
            refusal = eligibility.check_age(a.birth_date, self._today())
            if refusal is not None:
                missing.append(Missing(step, "birth_date", refusal.message))
        if step == Step.DECLARATION:
            missing += [
                Missing(step, r.field, r.message) for r in eligibility.check_declaration(a.declaration)
            ]
        return missing

    def missing(self) -> list[Missing]:
        """Everything still to do before sealing, in screen order (including unconfirmed warnings)."""
        found: list[Missing] = []
        for step in EDITABLE:
            found += self._missing_in(step)
            found += [Missing(step, p.field, p.message) for p in self._unconfirmed(step)]
        return found

    def refusals(self) -> list[eligibility.Refusal]:
        """Reasons the registration cannot go on (under 18, a declaration answered "no")."""
        a = self.applicant
        return eligibility.check(a.birth_date, a.declaration, self._today())

    # ----------------------------------------------------------------- sealing and receipt
    def build_payload(
        self, submission_id: uuid.UUID, device_id: str, photos: dict[str, PhotoRef] | None = None
    ) -> RegistrationPayload:
        """The payload to seal (``created_at`` from the flow's clock); raises ``PayloadInvalid``."""
        self._sync_flags()
        if self._test_by_message and self.applicant.test is None:
            self.applicant.confirmed_flags.add("test_by_message")  # kiosk.bank_sync.TEST_BY_MESSAGE_FLAG
        created = self._clock()
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        return self.applicant.to_payload(submission_id, device_id, created, photos)

    def sealed(self, reference: str) -> None:
        """The envelope is sealed and queued: show the receipt with ``reference``."""
        if self._step != Step.SEALING:
            return
        self._state.reference = reference
        self._set_step(Step.RECEIPT)

    def seal_failed(self) -> None:
        """Sealing or queueing failed: back to the review with everything kept."""
        if self._step == Step.SEALING:
            self._set_step(Step.REVIEW)

    def wipe(self) -> None:
        """Drop the whole record (photos overwritten) and start again at welcome."""
        self.applicant.wipe()
        self._state = _State()
        pii_registry.clear()
        old = self._step
        self._step = Step.WELCOME
        self._emit(Wiped())
        if old != Step.WELCOME:
            self._emit(StepChanged(old, Step.WELCOME))


_PII_FIELDS: dict[Step, tuple[str, ...]] = {
    Step.CONTACT: ("email", "phone"),
    Step.IDENTITY: ("nik", "birth_place"),
    Step.PERSONAL: ("full_name", "mother_maiden_name"),
    Step.ADDRESS: ("street",),
}
"""Fields whose typed text is personal data the log must never show (see ``kiosk.logging_setup``)."""


def _photo_handler(which: str) -> Callable[[Flow, dict[str, Any]], list[FieldProblem]]:
    def handler(flow: Flow, raw: dict[str, Any]) -> list[FieldProblem]:
        return flow._photo(raw, which)

    return handler


_HANDLERS: dict[Step, Callable[[Flow, dict[str, Any]], list[FieldProblem]]] = {
    Step.LANGUAGE: Flow._language,
    Step.CONTACT: Flow._contact,
    Step.OTP: Flow._otp,
    Step.IDENTITY: Flow._identity,
    Step.PERSONAL: Flow._personal,
    Step.ADDRESS: Flow._address,
    Step.PROFILE: Flow._profile,
    Step.KTP_PHOTO: _photo_handler("ktp"),
    Step.SELFIE: _photo_handler("selfie"),
    Step.DECLARATION: Flow._declaration,
    Step.TEST: Flow._test,
}


def steps_between(start: Step, end: Step) -> Iterable[Step]:
    """The steps from ``start`` to ``end`` inclusive, in order (for progress indicators)."""
    return ORDER[ORDER.index(start) : ORDER.index(end) + 1]


PROGRESS: tuple[Step, ...] = tuple(s for s in steps_between(Step.CONTACT, Step.RECEIPT) if s != Step.SEALING)
"""The one declaration of the numbered steps ("Langkah N dari M"): contact to receipt, sealing being
a moment of the review rather than a step of its own."""


def progress(step: Step, otp_mode: OtpMode) -> tuple[int, int] | None:
    """``(number, total)`` of ``step`` in the step counter, or None for a step outside it.

    Why here: when the OTP is deferred its screen is never shown, so it is not counted either —
    "Langkah 1" is followed by "Langkah 2" of one step fewer, never by "Langkah 3".
    """
    shown = [s for s in PROGRESS if not (s == Step.OTP and otp_mode == OtpMode.DEFERRED and step != Step.OTP)]
    if step == Step.SEALING:
        step = Step.REVIEW
    if step not in shown:
        return None
    return shown.index(step) + 1, len(shown)
