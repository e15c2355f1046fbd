"""The OTP step's conversation with the central API: request a code, check it, or verify later.

Why its own class (split from ``WizardController``, issue 16): the OTP is the one step that talks to
the server while the person waits, with its own state (the challenge and whom it was sent to) and
its own failure modes (offline, wrong code, server trouble); the wizard only says "the OTP step is
shown" and "Lanjut was pressed there".
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from kiosk.api_client import ApiError, ApiOffline, OtpChallenge, OtpVerified
from kiosk.flow import Flow, OtpMode, Step
from kiosk.i18n import Message
from kiosk.payload import FieldProblem
from kiosk.runtime import KioskRuntime
from ui.screens.otp import OtpScreen
from ui.worker import run_in_background

log = logging.getLogger(__name__)

NOT_CONNECTED = Message(
    "Kiosk tidak terhubung ke server. Tekan Lanjut: kode verifikasi dikirim setelah data terkirim.",
    "The kiosk is not connected. Press Next: the verification code is sent after the data is sent.",
)
OTP_NEXT_STEP = Message(
    "Periksa kode di SMS/e-mail, lalu ketik lagi. Belum ada kode? Tekan Kirim ulang kode.",
    "Check the code in the SMS/e-mail and type it again. No code? Press Send the code again.",
)
SERVER_NEXT_STEP = Message(
    "Coba lagi sebentar lagi, atau minta petugas membantu.",
    "Try again in a moment, or ask the staff for help.",
)


def with_next_step(message: Message, next_step: Message) -> Message:
    """A server's message followed by what to do (the server's own text may not say it)."""
    return Message(f"{message.id.rstrip()} {next_step.id}", f"{message.en.rstrip()} {next_step.en}")


class OtpController(QObject):
    """Drives :class:`~ui.screens.otp.OtpScreen` against the runtime's API for one ``flow``.

    ``set_online(False)`` is called when the server cannot be reached (the wizard then defers the OTP).
    """

    def __init__(
        self,
        flow: Flow,
        screen: OtpScreen,
        runtime: KioskRuntime | None,
        set_online: Callable[[bool], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.flow = flow
        self.otp = screen
        self.runtime = runtime
        self._set_online = set_online
        self._challenge: OtpChallenge | None = None
        self._challenge_for: tuple[str, str] | None = None
        screen.resend_requested.connect(self.request_otp)
        screen.defer_requested.connect(self.defer_otp)

    @property
    def challenge(self) -> OtpChallenge | None:
        """The code sent for this session (None before one is sent, and after a wipe)."""
        return self._challenge

    def reset(self) -> None:
        """The session ended: forget the challenge."""
        self._challenge = None
        self._challenge_for = None

    def entered(self) -> None:
        """The OTP screen is shown: send a code unless one went to this very address already."""
        if self.flow.otp_mode == OtpMode.INLINE:
            if self._challenge is None or self._challenge_for != self._destination():
                self.request_otp()

    def _destination(self) -> tuple[str, str]:
        a = self.flow.applicant
        if a.verification_method == "email":
            return ("email", a.email or "")
        return ("sms", a.phone or "")

    def request_otp(self) -> None:
        api = self.runtime.api if self.runtime is not None else None
        if api is None:
            self._otp_offline()
            return
        channel, destination = self._destination()
        self.otp.show_problems([])
        self.otp.set_busy(True)
        run_in_background(
            api.otp_request,
            channel,
            destination,
            on_success=self._otp_sent,
            on_failure=self._otp_failed,
            parent=self.otp,
        )

    def _otp_sent(self, challenge: OtpChallenge) -> None:
        self._challenge = challenge
        self._challenge_for = self._destination()
        self.otp.set_busy(False)
        self.otp.code_sent(challenge.destination_masked, challenge.resend_after_seconds)

    def _otp_failed(self, error: BaseException) -> None:
        self.otp.set_busy(False)
        if isinstance(error, ApiOffline):
            self._otp_offline()
        elif isinstance(error, ApiError):
            self.otp.show_problems([FieldProblem("otp_token", with_next_step(error.message, OTP_NEXT_STEP))])
        else:
            log.error("OTP request failed: %s", type(error).__name__)
            self.otp.show_problems(
                [FieldProblem("otp_token", with_next_step(ApiError.default_message, SERVER_NEXT_STEP))]
            )

    def _otp_offline(self) -> None:
        self._set_online(False)
        self.otp.show_problems([FieldProblem("otp_token", NOT_CONNECTED)])

    def verify_otp(self) -> None:
        if self.flow.otp_mode == OtpMode.DEFERRED:
            self.otp.show_problems([])
            self.flow.next()
            return
        code = "".join(ch for ch in self.otp.code.text() if not ch.isspace())
        if not code:
            self.otp.show_problems(self.flow.submit(Step.OTP, {}))
            return
        api = self.runtime.api if self.runtime is not None else None
        if api is None or self._challenge is None:
            self.request_otp()
            return
        self.otp.set_busy(True)
        run_in_background(
            api.otp_verify,
            self._challenge.challenge_id,
            code,
            on_success=self._otp_verified,
            on_failure=self._otp_verify_failed,
            parent=self.otp,
        )

    def _otp_verified(self, result: OtpVerified) -> None:
        self.otp.set_busy(False)
        self.flow.submit(Step.OTP, {"otp_token": result.otp_token})
        problems = self.flow.next()
        self.otp.show_problems(problems)

    def _otp_verify_failed(self, error: BaseException) -> None:
        self._otp_failed(error)

    def defer_otp(self) -> None:
        self.flow.submit(Step.OTP, {"defer": True})
        self.otp.show_problems([])
        self.flow.next()
