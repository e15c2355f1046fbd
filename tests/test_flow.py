"""The registration flow state machine, walked without any UI: every path, offline, edits, warnings."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.declaration import STATEMENTS
from kiosk.flow import (
    EDITABLE,
    ORDER,
    FieldWarning,
    Flow,
    FlowEvent,
    OtpMode,
    OtpModeChanged,
    Step,
    StepChanged,
    Wiped,
)
from kiosk.payload import PayloadInvalid
from kiosk.regions import RegionTable

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
JPEG_KTP = b"\xff\xd8\xff\xe0" + b"ktp" * 300
JPEG_SELFIE = b"\xff\xd8\xff\xe0" + b"selfie" * 300


def clock() -> dt.datetime:
    return NOW


TEST_ANSWERS: dict[str, Any] = {
    "bank_id": "demo",
    "bank_version": 1,
    "seed": 7,
    "order": ["q1", "q2"],
    "answers": {"q1": "a", "q2": "c"},
    "started_at": "2026-11-23T03:00:00+00:00",
    "finished_at": "2026-11-23T03:20:00+00:00",
    "timed_out": False,
}

VALID: dict[Step, dict[str, Any]] = {
    Step.LANGUAGE: {"language": "id"},
    Step.CONTACT: {"phone": "0812-3456-7890", "email": "siti@contoh.co.id", "verification_method": "sms"},
    Step.OTP: {"otp_token": "otp-token-from-api"},
    Step.IDENTITY: {"nik": "3276 0141 0190 0001", "birth_place": "Depok", "birth_date": "01-01-1990"},
    Step.PERSONAL: {"full_name": "Siti Aminah", "gender": "P", "mother_maiden_name": "Fatimah"},
    Step.ADDRESS: {
        "street": "Jl. Mawar No. 1",
        "rt": "1",
        "rw": "02",
        "province_code": "32",
        "regency_code": "32.76",
        "district_code": "32.76.01",
        "village_code": "32.76.01.1006",
    },
    Step.PROFILE: {"education": "sma_smk", "work_status": "korban_phk"},
    Step.KTP_PHOTO: {"photo": JPEG_KTP},
    Step.SELFIE: {"photo": JPEG_SELFIE},
    Step.DECLARATION: {s.id: True for s in STATEMENTS},
    Step.TEST: {"test": TEST_ANSWERS},
}


def make_flow(online: bool = True) -> tuple[Flow, list[FlowEvent]]:
    flow = Flow(clock=clock, online=online)
    events: list[FlowEvent] = []
    flow.add_listener(events.append)
    return flow, events


def advance(flow: Flow, until: Step) -> list[Step]:
    """Fill each screen not yet filled with valid data and press next until ``until``."""
    visited = [flow.step]
    while flow.step != until:
        step = flow.step
        if step in VALID and not flow.values(step) and not (step == Step.OTP and flow.applicant.otp_verified):
            assert flow.submit(step, VALID[step]) == [], step
        assert flow.next() == [], step
        visited.append(flow.step)
    return visited


def test_online_happy_path_to_receipt() -> None:
    flow, events = make_flow()
    visited = advance(flow, Step.REVIEW)
    assert visited == list(ORDER[: ORDER.index(Step.REVIEW) + 1])
    assert flow.missing() == []
    assert flow.next() == []
    assert flow.step == Step.SEALING
    assert flow.back() == Step.SEALING  # no way back while sealing
    payload = flow.build_payload(uuid.uuid4(), "dev-1")
    assert payload.account.otp_verified is True and payload.account.phone == "+6281234567890"
    assert payload.ktp.full_name == "SITI AMINAH" and payload.ktp.address.rt == "001"
    assert payload.created_at == NOW and payload.flags == []
    flow.sealed("PK-AAAA-BBBB-CCCC-D")
    assert flow.step == Step.RECEIPT and flow.reference == "PK-AAAA-BBBB-CCCC-D"
    assert [e.current for e in events if isinstance(e, StepChanged)][-1] == Step.RECEIPT
    assert flow.next() == []  # "Selesai": wipe and start again
    assert flow.step == Step.WELCOME and flow.applicant.nik is None and flow.reference is None
    assert any(isinstance(e, Wiped) for e in events)


def test_offline_from_start_skips_otp() -> None:
    flow, _ = make_flow(online=False)
    assert flow.otp_mode == OtpMode.DEFERRED
    visited = advance(flow, Step.REVIEW)
    assert Step.OTP not in visited
    assert flow.back() == Step.TEST
    assert flow.next() == []
    assert flow.next() == [] and flow.step == Step.SEALING
    payload = flow.build_payload(uuid.uuid4(), "dev-1")
    assert payload.account.otp_verified is False and payload.account.otp_token is None


def test_offline_at_otp_step_defers_without_losing_anything() -> None:
    flow, events = make_flow()
    advance(flow, Step.OTP)
    assert flow.next() != []  # inline: needs the code
    flow.set_online(False)
    assert flow.otp_mode == OtpMode.DEFERRED
    assert OtpModeChanged(OtpMode.DEFERRED) in events
    assert flow.next() == [] and flow.step == Step.IDENTITY
    assert flow.values(Step.CONTACT)["phone"] == "0812-3456-7890"
    assert flow.applicant.phone == "+6281234567890"
    flow.set_online(True)  # signal returns: the person is not sent back for a code
    assert flow.otp_mode == OtpMode.DEFERRED
    assert flow.back() == Step.CONTACT  # the OTP screen is skipped while deferred
    advance(flow, Step.REVIEW)
    assert flow.missing() == []


def test_offline_then_online_before_otp() -> None:
    flow, _ = make_flow()
    advance(flow, Step.CONTACT)
    flow.set_online(False)
    flow.set_online(True)
    assert flow.otp_mode == OtpMode.INLINE
    assert flow.submit(Step.CONTACT, VALID[Step.CONTACT]) == []
    assert flow.next() == [] and flow.step == Step.OTP


def test_offline_mid_session_after_verification_keeps_it() -> None:
    flow, _ = make_flow()
    advance(flow, Step.ADDRESS)
    flow.set_online(False)
    assert flow.otp_mode == OtpMode.INLINE and flow.applicant.otp_verified
    advance(flow, Step.REVIEW)
    assert flow.build_payload(uuid.uuid4(), "d").account.otp_verified is True


def test_choose_to_verify_later_and_verify_from_review() -> None:
    flow, _ = make_flow()
    advance(flow, Step.OTP)
    assert flow.submit(Step.OTP, {"defer": True}) == []
    assert flow.otp_mode == OtpMode.DEFERRED
    assert flow.next() == [] and flow.step == Step.IDENTITY
    advance(flow, Step.REVIEW)
    assert flow.goto(Step.OTP)  # online again at review: verify now after all
    assert flow.otp_mode == OtpMode.INLINE
    assert flow.submit(Step.OTP, VALID[Step.OTP]) == []
    assert flow.next() == [] and flow.step == Step.REVIEW
    assert flow.build_payload(uuid.uuid4(), "d").account.otp_verified is True


def test_changing_contact_after_verification_needs_a_new_code() -> None:
    flow, _ = make_flow()
    advance(flow, Step.REVIEW)
    assert flow.goto(Step.CONTACT)
    assert flow.submit(Step.CONTACT, {**VALID[Step.CONTACT], "phone": "0813 1111 2222"}) == []
    assert not flow.applicant.otp_verified
    assert flow.next() == [] and flow.step == Step.REVIEW
    assert [m.step for m in flow.missing()] == [Step.OTP]


def test_back_and_forth_keeps_input() -> None:
    flow, _ = make_flow()
    advance(flow, Step.PERSONAL)
    problems = flow.submit(Step.PERSONAL, {"full_name": "Siti 2", "gender": "X"})
    assert {p.field for p in problems} == {"full_name", "gender", "mother_maiden_name"}
    assert flow.next() != [] and flow.step == Step.PERSONAL
    assert flow.back() == Step.IDENTITY
    assert flow.values(Step.IDENTITY)["nik"] == "3276 0141 0190 0001"
    assert flow.next() == [] and flow.step == Step.PERSONAL
    assert flow.values(Step.PERSONAL) == {"full_name": "Siti 2", "gender": "X"}
    for _ in ORDER[: ORDER.index(Step.PERSONAL)]:
        flow.back()
    assert flow.step == Step.WELCOME and flow.back() == Step.WELCOME
    assert flow.applicant.nik == "3276014101900001"


def test_review_edits_each_section_and_returns() -> None:
    flow, _ = make_flow()
    advance(flow, Step.REVIEW)
    for step in EDITABLE:
        assert flow.goto(step), step
        assert flow.step == step and flow.returning_to_review
        if step in VALID:
            assert flow.submit(step, VALID[step]) == []
        assert flow.next() == [] and flow.step == Step.REVIEW, step
    assert flow.goto(Step.ADDRESS)
    assert flow.back() == Step.REVIEW  # cancel the edit
    assert not flow.goto(Step.REVIEW) and not flow.goto(Step.RECEIPT)


def test_review_lists_what_is_missing() -> None:
    flow, _ = make_flow()
    advance(flow, Step.REVIEW)
    flow.goto(Step.IDENTITY)
    flow.submit(Step.IDENTITY, {"birth_place": ""})
    flow.back()
    flow.goto(Step.DECLARATION)
    flow.submit(Step.DECLARATION, {"data_is_true": None})
    flow.back()
    missing = [(m.step, m.field) for m in flow.missing()]
    assert missing == [(Step.IDENTITY, "birth_place"), (Step.DECLARATION, "declaration.data_is_true")]
    problems = flow.next()
    assert [p.field for p in problems] == ["identity.birth_place", "declaration.declaration.data_is_true"]
    assert flow.step == Step.REVIEW
    with pytest.raises(PayloadInvalid):
        flow.build_payload(uuid.uuid4(), "d")


def test_birth_date_warning_must_be_confirmed() -> None:
    flow, _ = make_flow()
    advance(flow, Step.IDENTITY)
    problems = flow.submit(Step.IDENTITY, {**VALID[Step.IDENTITY], "birth_date": dt.date(1990, 1, 2)})
    assert len(problems) == 1 and isinstance(problems[0], FieldWarning)
    assert problems[0].field == "birth_date" and problems[0].message.id.startswith(
        "Tanggal lahir tidak cocok"
    )
    assert flow.next() != [] and flow.step == Step.IDENTITY
    flow.confirm(problems[0].flag)
    assert flow.next() == [] and flow.step == Step.PERSONAL
    # Typing another different date needs a new confirmation.
    flow.back()
    again = flow.submit(Step.IDENTITY, {"birth_date": "1990-01-03"})
    assert [p.field for p in again] == ["birth_date"]
    assert flow.submit(Step.IDENTITY, {"confirm": ["nik_birth_date_mismatch"]}) == []
    advance(flow, Step.REVIEW)
    assert flow.build_payload(uuid.uuid4(), "d").flags == ["nik_birth_date_mismatch"]
    # Correcting the date removes the flag.
    flow.goto(Step.IDENTITY)
    assert flow.submit(Step.IDENTITY, VALID[Step.IDENTITY]) == []
    flow.next()
    assert flow.build_payload(uuid.uuid4(), "d").flags == []


def test_gender_and_region_warnings() -> None:
    flow, _ = make_flow()
    advance(flow, Step.PERSONAL)
    (w,) = flow.submit(Step.PERSONAL, {**VALID[Step.PERSONAL], "gender": "L"})
    assert isinstance(w, FieldWarning) and w.flag == "nik_gender_mismatch"
    flow.confirm(w.flag)
    assert flow.next() == []
    moved = {
        **VALID[Step.ADDRESS],
        "province_code": "31",
        "regency_code": "31.71",
        "district_code": "31.71.01",
        "village_code": "31.71.01.1001",
    }
    (r,) = flow.submit(Step.ADDRESS, moved)
    assert isinstance(r, FieldWarning) and r.flag == "nik_province_mismatch"
    assert flow.submit(Step.ADDRESS, {"confirm": [r.flag]}) == []
    advance(flow, Step.REVIEW)
    assert flow.build_payload(uuid.uuid4(), "d").flags == ["nik_gender_mismatch", "nik_province_mismatch"]


def test_address_hierarchy_is_checked() -> None:
    flow, _ = make_flow()
    problems = flow.submit(Step.ADDRESS, {**VALID[Step.ADDRESS], "district_code": "31.71.01"})
    assert {p.field for p in problems} == {"district_code", "village_code"}
    problems = flow.submit(Step.ADDRESS, {**VALID[Step.ADDRESS], "rt": "abcd", "province_code": "99"})
    assert {"rt", "province_code", "regency_code"} <= {p.field for p in problems}


def test_under_18_is_refused_kindly() -> None:
    flow, _ = make_flow()
    advance(flow, Step.IDENTITY)
    problems = flow.submit(
        Step.IDENTITY, {"nik": "3276012411080001", "birth_place": "Depok", "birth_date": "24-11-2008"}
    )
    assert [p.field for p in problems] == ["birth_date"]
    assert "24-11-2026" in problems[0].message.id and "come back" in problems[0].message.en
    assert flow.next() != [] and flow.step == Step.IDENTITY
    assert [r.code for r in flow.refusals()] == ["under_age"]
    assert (
        flow.submit(Step.IDENTITY, {"nik": "3276012311080001", "birth_date": "23-11-2008"}) == []
    )  # 18 today
    assert flow.next() == []


def test_declaration_no_blocks() -> None:
    flow, _ = make_flow()
    advance(flow, Step.DECLARATION)
    problems = flow.submit(Step.DECLARATION, {**VALID[Step.DECLARATION], "not_civil_servant": False})
    assert [p.field for p in problems] == ["declaration.not_civil_servant"]
    assert flow.next() != [] and flow.step == Step.DECLARATION
    assert [r.code for r in flow.refusals()] == ["declaration_not_civil_servant"]


def test_photos_and_test_inputs() -> None:
    flow, _ = make_flow()
    assert [p.field for p in flow.submit(Step.KTP_PHOTO, {"photo": b"GIF89a..."})] == ["photo"]
    assert [
        p.field for p in flow.submit(Step.KTP_PHOTO, {"photo": b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024)})
    ] == ["photo"]
    assert flow.submit(Step.KTP_PHOTO, {"photo": JPEG_KTP}) == []
    assert "photo" not in flow.values(Step.KTP_PHOTO)  # the bytes are held once, by the applicant
    assert flow.submit(Step.KTP_PHOTO, {}) == []  # already have one
    assert [p.field for p in flow.submit(Step.TEST, {"test": {"bank_id": "x"}})] == ["test"]
    assert flow.submit(Step.TEST, VALID[Step.TEST]) == []


def test_seal_failure_returns_to_review() -> None:
    flow, _ = make_flow()
    advance(flow, Step.REVIEW)
    flow.next()
    flow.seal_failed()
    assert flow.step == Step.REVIEW and flow.missing() == []


def test_wipe_mid_session() -> None:
    flow, events = make_flow()
    advance(flow, Step.SELFIE)
    photo = flow.applicant.ktp_photo
    assert photo is not None
    flow.wipe()
    assert flow.step == Step.WELCOME and photo == bytearray(len(photo))
    assert flow.values(Step.IDENTITY) == {} and flow.applicant.phone is None
    assert isinstance(events[-2], Wiped) and events[-1] == StepChanged(Step.SELFIE, Step.WELCOME)


def test_listener_removal() -> None:
    flow, events = make_flow()
    seen: list[FlowEvent] = []
    remove = flow.add_listener(seen.append)
    flow.next()
    remove()
    flow.next()
    assert len(seen) == 1 and len(events) == 2


field_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.binary(max_size=20)
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(Step)),
    st.dictionaries(
        st.sampled_from(
            [
                "nik",
                "birth_date",
                "phone",
                "email",
                "verification_method",
                "full_name",
                "gender",
                "rt",
                "province_code",
                "village_code",
                "photo",
                "test",
                "education",
                "confirm",
                "defer",
                "otp_token",
                "language",
                "citizen",
            ]
        ),
        field_values,
        max_size=6,
    ),
)
def test_any_input_gives_problems_not_exceptions(step: Step, values: dict[str, Any]) -> None:
    flow = Flow(clock=clock, online=True)
    problems = flow.submit(step, values)
    assert all(p.message.id and p.message.en for p in problems)
    flow.next()
    flow.back()


def test_a_damaged_region_file_is_a_message_not_a_crash(tmp_path: Path) -> None:
    """A truncated regions.sqlite (disk fault, broken copy): the screen says so, input is kept."""
    from kiosk.regions import default_path

    damaged = tmp_path / "regions.sqlite"
    data = default_path().read_bytes()
    damaged.write_bytes(data[: len(data) // 3])
    flow = Flow(clock=clock, online=False, regions=RegionTable(damaged))
    advance(flow, Step.IDENTITY)
    problems = flow.submit(Step.IDENTITY, VALID[Step.IDENTITY])
    assert [p.field for p in problems] == ["(regions)"]
    assert "petugas" in problems[0].message.id and "staff" in problems[0].message.en
    assert flow.values(Step.IDENTITY)["nik"] == VALID[Step.IDENTITY]["nik"]
    assert flow.step == Step.IDENTITY and flow.next() != []


def test_the_step_counter_skips_a_deferred_otp_step_without_a_gap() -> None:
    """One declaration of the numbered steps: offline the OTP is not counted, so 1 is followed by 2."""
    from kiosk.flow import PROGRESS, OtpMode, progress

    deferred = [progress(s, OtpMode.DEFERRED) for s in PROGRESS if s != Step.OTP]
    assert [p[0] for p in deferred if p] == list(range(1, len(PROGRESS)))
    assert {p[1] for p in deferred if p} == {len(PROGRESS) - 1}
    inline = [progress(s, OtpMode.INLINE) for s in PROGRESS]
    assert [p[0] for p in inline if p] == list(range(1, len(PROGRESS) + 1))
    assert progress(Step.SEALING, OtpMode.INLINE) == progress(Step.REVIEW, OtpMode.INLINE)
    assert progress(Step.WELCOME, OtpMode.INLINE) is None
