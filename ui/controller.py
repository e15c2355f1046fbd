"""The thin controller: flow ⇄ screens ⇄ runtime.

Why thin: the rules (which step is next, what blocks it, what is missing, when the OTP is deferred)
live in the Qt-free :class:`kiosk.flow.Flow`; the screens only draw and collect. This class passes
what a screen holds to ``flow.submit``/``flow.next``, shows the screen of the step the flow reports,
runs the slow work (OTP request/check, sealing + enqueue, status look-up) off the GUI thread with
``ui.worker.run_in_background``, and routes sync events (through ``CoreEventBridge``) to the status
strip and to ``flow.set_online``. It also owns the session's end: "Batal" (asked first), idle expiry
and "Selesai" all go through :meth:`WizardController.wipe_session`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.api_client import ApiError, ApiOffline, OtpChallenge
from kiosk.config import KioskConfig
from kiosk.flow import (
    EDITABLE,
    ORDER,
    Flow,
    FlowEvent,
    OtpMode,
    OtpModeChanged,
    Step,
    StepChanged,
    Wiped,
    progress,
)
from kiosk.i18n import Message
from kiosk.jakarta_time import Clock, system_clock
from kiosk.memory import release_free_memory
from kiosk.office_time import format_local
from kiosk.payload import FieldProblem, PayloadInvalid
from kiosk.regions import RegionTable
from kiosk.runtime import KioskRuntime
from kiosk.submission import PreparedSubmission, SealedSubmission, prepare, seal_and_enqueue
from offline_queue.events import Idle, ItemDelivered, ItemFailed, Offline, Online
from offline_queue.outbox import OutboxStats
from ui.i18n import LanguageManager
from ui.idle import IdleWatchdog
from ui.main_window import MainWindow
from ui.otp_controller import OtpController
from ui.receipt import ReceiptData, mask_name, mask_nik
from ui.receipt_printing import ReceiptPrinter
from ui.screens.address import AddressScreen
from ui.screens.confirm import CancelDialog
from ui.screens.contact import ContactScreen
from ui.screens.declaration import DeclarationScreen
from ui.screens.identity import IdentityScreen
from ui.screens.motivation_test import TestStepScreen
from ui.screens.otp import OtpScreen
from ui.screens.personal import PersonalScreen
from ui.screens.photo import KtpPhotoScreen, PhotoScreen, SelfieScreen
from ui.screens.profile import ProfileScreen
from ui.screens.receipt import ReceiptScreen
from ui.screens.review import ReviewScreen
from ui.screens.sealing import SealingScreen
from ui.screens.status import StatusScreen
from ui.screens.welcome import WelcomeScreen
from ui.screens.wizard import WizardScreen
from ui.status_check import StatusChecker, look_up_status
from ui.worker import CoreEventBridge, run_in_background

log = logging.getLogger(__name__)

SEAL_FAILED = Message(
    "Data belum bisa disimpan. Coba lagi, atau minta bantuan petugas. Tidak ada data yang hilang.",
    "The data could not be saved yet. Try again, or ask the staff. Nothing was lost.",
)

TestWidgetFactory = Callable[[], QWidget | None]


class WizardController(QObject):
    """Creates the wizard screens in ``window`` and drives them from one :class:`Flow`."""

    session_wiped = Signal()
    submission_sealed = Signal(str)  # the reference
    status_shown = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        welcome: WelcomeScreen,
        languages: LanguageManager,
        runtime: KioskRuntime | None,
        *,
        config: KioskConfig | None = None,
        camera: bool = False,
        demo: bool = False,
        regions: RegionTable | None = None,
        clock: Clock = system_clock,
        test_widget_factory: TestWidgetFactory | None = None,
        receipt_dir: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.welcome = welcome
        self.languages = languages
        self.runtime = runtime
        self.config = config or (runtime.config if runtime is not None else KioskConfig())
        self.receipt_dir = receipt_dir
        self._online = bool(runtime is not None and runtime.api is not None and runtime.online is not False)
        embedded = test_widget_factory() if test_widget_factory is not None else None
        self.flow = Flow(
            clock=clock,
            online=self._online,
            regions=regions,
            test_required=embedded is not None,
            # A factory that gives no widget: no valid bank on a production kiosk (kiosk.bank_sync).
            test_by_message=test_widget_factory is not None and embedded is None,
            # Same NIK sealed on this kiosk before: a warning the person confirms (issue 19).
            duplicate_lookup=(
                runtime.nik_registry.previous if runtime is not None and runtime.nik_registry else None
            ),
        )
        self._sealed: SealedSubmission | None = None
        self._stats: OutboxStats | None = None

        self.contact = ContactScreen()
        self.otp = OtpScreen()
        self.identity = IdentityScreen()
        self.personal = PersonalScreen()
        self.address = AddressScreen(regions=regions)
        self.profile = ProfileScreen()
        if camera and not demo:  # camera.device selects the webcam (issue 19)
            from ui.camera.qt_camera import set_preferred_camera

            set_preferred_camera(self.config.camera.device)
        if runtime is not None:  # what the heartbeat reports (issue 19)
            runtime.hardware.printer = "configured" if self.config.printer.name else "pdf"
            if demo:
                runtime.hardware.camera = "demo"
            elif camera:
                from ui.camera.qt_camera import camera_state

                runtime.hardware.camera = camera_state(self.config.camera.device)
        self.ktp_photo = KtpPhotoScreen(camera=camera, demo=demo)
        self.selfie = SelfieScreen(camera=camera, demo=demo)
        self.declaration = DeclarationScreen()
        self.test = TestStepScreen(embedded=embedded)
        self.review = ReviewScreen(regions=regions)
        self.sealing = SealingScreen()
        self.receipt = ReceiptScreen()
        self.status = StatusScreen()
        self.screens: dict[Step, WizardScreen] = {
            s.flow_step: s
            for s in (
                self.contact,
                self.otp,
                self.identity,
                self.personal,
                self.address,
                self.profile,
                self.ktp_photo,
                self.selfie,
                self.declaration,
                self.test,
                self.review,
                self.sealing,
                self.receipt,
            )
        }
        for screen in [*self.screens.values(), self.status]:
            window.add_screen(screen)
            if screen is not self.status:  # the status screen's "Cek" is its own check_requested
                screen.next_requested.connect(lambda s=screen: self.on_next(s))
            screen.back_requested.connect(lambda s=screen: self.on_back(s))
            screen.cancel_requested.connect(self.ask_cancel)
        # Separate concerns in their own classes: the OTP conversation, the status check, printing.
        self.otp_controller = OtpController(self.flow, self.otp, runtime, self._set_online, self)
        self.status_checker = StatusChecker(self.status, runtime, self)
        self.status_checker.status_shown.connect(self.status_shown)
        self.receipt_printer = ReceiptPrinter(self.receipt, self.config, runtime, window, receipt_dir, self)
        self.review.edit_requested.connect(lambda name: self.flow.goto(Step(name)))
        if embedded is not None and hasattr(embedded, "finished"):
            embedded.finished.connect(self._test_finished)
        self.test.stage_changed.connect(self._on_test_stage)
        warnings = getattr(getattr(embedded, "question", None), "time_warning", None)
        if warnings is not None:
            warnings.connect(self._speak_time_warning)

        welcome.start_requested.connect(self.start)
        welcome.status_requested.connect(self.show_status)
        languages.language_changed.connect(self._on_language)
        self.cancel_dialog = CancelDialog(window)
        self.cancel_dialog.accepted.connect(self.wipe_session)
        self.idle = IdleWatchdog(window, self.config.kiosk.idle_timeout_s, self.config.kiosk.idle_warning_s)
        self.idle.expired.connect(self._on_idle_expired)
        self.flow.add_listener(self._on_flow_event)
        self.bridge = CoreEventBridge(self)
        self.bridge.received.connect(self._on_sync_event)
        self._remove_listener: Callable[[], None] | None = None
        if runtime is not None:
            self._remove_listener = runtime.add_sync_listener(self.bridge)
        self._on_language(languages.language())
        self._update_offline_note()
        self._update_progress()
        self.refresh_queue_status()

    # -- session ------------------------------------------------------------------------------------
    def start(self) -> None:
        """ "Daftar": the welcome screen's language is the session's language."""
        if self.flow.step != Step.WELCOME:
            return
        blocked = self.runtime.registration_block() if self.runtime is not None else None
        if blocked is not None:  # revoked, or below the centre's minimum version (issue 19)
            self.status_shown.emit(blocked.text("en" if self._lang() == "en" else "id"))
            return
        self.flow.next()
        self.flow.submit(Step.LANGUAGE, {"language": self.languages.language()})
        self.flow.next()
        self.probe_connection()

    def probe_connection(self) -> None:
        """Ask the API's health endpoint (off the GUI thread): an empty outbox gives the sync engine
        nothing to send, so this is how a new session learns early that the OTP must be deferred."""
        api = self.runtime.api if self.runtime is not None else None
        if api is None:
            return
        run_in_background(
            api.health, on_success=self._probe_ok, on_failure=self._probe_failed, parent=self.window
        )

    def _probe_ok(self, _health: object) -> None:
        self._set_online(True)

    def _probe_failed(self, error: BaseException) -> None:
        if isinstance(error, ApiOffline):
            self._set_online(False)

    def _set_online(self, online: bool) -> None:
        self._online = online
        self.flow.set_online(online)
        self._update_offline_note()
        self.window.set_queue_status(self._stats.waiting if self._stats is not None else None, online)
        self.refresh_queue_status()

    def show_status(self) -> None:
        self.status.clear()
        self.window.show_screen(self.status.screen_name)
        self.status.entered()
        self._apply_idle_policy()
        self.idle.arm()

    def ask_cancel(self) -> None:
        self.cancel_dialog.open()

    def wipe_session(self) -> None:
        """End the session: the flow drops the record, every screen forgets, welcome returns."""
        self.cancel_dialog.hide()
        self.idle.disarm()
        self.otp_controller.reset()
        self._sealed = None
        current = self.window.current_screen()
        if isinstance(current, WizardScreen):
            current.left()
        self.flow.wipe()  # Wiped -> every screen cleared; StepChanged -> welcome
        if self.runtime is not None:
            self.runtime.desk_operator = None  # an assisted registration names its helper once
        self.status.clear()
        self.window.show_screen(self.welcome.screen_name)
        default = self.config.kiosk.language
        if self.languages.language() != default:
            self.languages.set_language(default)
        self.session_wiped.emit()
        # The session's photos and buffers are freed now; give the pages back while the kiosk is idle
        # (kiosk.memory explains why glibc would otherwise keep them).
        run_in_background(release_free_memory)

    def shutdown(self) -> None:
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None
        for screen in (self.ktp_photo, self.selfie):
            screen.shutdown()

    # -- navigation ---------------------------------------------------------------------------------
    def on_next(self, screen: WizardScreen) -> None:
        step = screen.flow_step
        if step != self.flow.step:
            return
        if step == Step.OTP:
            self.verify_otp()
            return
        if step == Step.REVIEW:
            if not self.review.on_last_page():
                self.review.go_to_page(self.review.current_page + 1)
                return
            self.submit_registration()
            return
        if step == Step.RECEIPT:
            self.wipe_session()
            return
        if isinstance(screen, PhotoScreen) and screen.importing():
            return
        values = screen.collect()
        if step != Step.TEST or values:
            # The flow's test check refuses "no answers" even when the test is not required; the
            # requirement itself is enforced by next() (missing list), so only answers are submitted.
            self.flow.submit(step, values)
        problems = self.flow.next()
        if problems and screen.page_count() > 1:
            shown = self._page_problems(screen, problems)
            if shown is None:
                return
            problems = shown
        screen.show_problems(problems)

    @staticmethod
    def _page_problems(screen: WizardScreen, problems: list[FieldProblem]) -> list[FieldProblem] | None:
        """A step split into pages: what to show now, or None when the next page was opened instead.

        The flow checks the whole step; a person who has only seen pages up to the current one must
        see only their problems ("Wajib diisi" for a question not yet asked would be wrong). Problems
        on this or an earlier page are shown (the screen opens the first such page); when the pages
        seen so far are fine, the next page opens without any message.
        """
        here = [p for p in problems if (screen.page_of(p.field) or 0) <= screen.current_page]
        if here:
            return here
        screen.show_problems([])
        screen.go_to_page(screen.current_page + 1)
        return None

    def on_back(self, screen: WizardScreen) -> None:
        if screen is self.status:
            self.status_checker.stop_scan()
            self.status.clear()
            self.idle.disarm()
            self.window.show_screen(self.welcome.screen_name)
            return
        step = screen.flow_step
        if step != self.flow.step:
            return
        values = screen.collect()
        if step not in (Step.OTP, Step.REVIEW, Step.SEALING, Step.RECEIPT) and (step != Step.TEST or values):
            self.flow.submit(step, values)  # keep what was typed, valid or not
        if screen.handle_back():
            return
        if screen.current_page > 0:
            screen.show_problems([])
            screen.go_to_page(screen.current_page - 1)  # back one page within the step
            return
        if step == Step.CONTACT:
            # Back from the first question: the welcome screen, with a question before wiping.
            self.ask_cancel()
            return
        self.flow.back()

    def _on_flow_event(self, event: FlowEvent) -> None:
        if isinstance(event, Wiped):
            for screen in [*self.screens.values(), self.status]:
                screen.clear()
            return
        if isinstance(event, OtpModeChanged):
            self._update_offline_note()
            self._update_progress()
            return
        if isinstance(event, StepChanged):
            self._show_step(event.previous, event.current)

    def _show_step(self, previous: Step, current: Step) -> None:
        old = self.screens.get(previous)
        if old is not None:
            old.left()
        if current in (Step.WELCOME, Step.LANGUAGE):
            self.window.set_focus_mode(False)
            self.idle.disarm()
            self.window.show_screen(self.welcome.screen_name)
            return
        screen = self.screens[current]
        self._update_progress()
        if current == Step.REVIEW and previous in EDITABLE and self.flow.step == Step.REVIEW:
            screen.go_to_page(self.review.page_for(previous))  # back from "Ubah": that section's page
        elif old is not None and ORDER.index(previous) > ORDER.index(current) and previous != Step.REVIEW:
            screen.go_to_page(-1)  # back from the next step: the last page of this one
        else:
            screen.go_to_page(0)
        if current == Step.REVIEW:
            self.review.show_flow(self.flow)
        self.window.show_screen(screen.screen_name)
        self.window.set_focus_mode(screen is self.test and self.test.stage == "question")
        if current == Step.KTP_PHOTO and getattr(screen, "camera_view", None) is not None:
            screen.camera_view.set_expected_nik(self.flow.applicant.nik)  # kept only if the card shows it
        screen.entered()
        self._apply_idle_policy()
        self.idle.arm()
        if current == Step.OTP:
            self.otp_controller.entered()

    def _update_progress(self) -> None:
        """Number the screens from the flow's one declaration of steps (``kiosk.flow.progress``), so
        a skipped OTP step is not counted and the counter never jumps."""
        total = None
        for step, screen in self.screens.items():
            place = progress(step, self.flow.otp_mode)
            if place is not None:
                screen.step, total = place
        if total is not None:
            self.window.set_total_steps(total)

    # -- OTP (ui.otp_controller) ---------------------------------------------------------------------
    @property
    def _challenge(self) -> OtpChallenge | None:
        """The OTP challenge of this session (tests wait for it)."""
        return self.otp_controller.challenge

    def request_otp(self) -> None:
        self.otp_controller.request_otp()

    def verify_otp(self) -> None:
        self.otp_controller.verify_otp()

    def defer_otp(self) -> None:
        self.otp_controller.defer_otp()

    # -- test -----------------------------------------------------------------------------------------
    def _test_finished(self, answers: Any) -> None:
        self.test.set_answers(answers)

    # -- idle policy by stage -------------------------------------------------------------------------
    def idle_stage(self) -> str:
        """``"test"`` while a question of the test is on screen, ``"identity"`` once the KTP number (or
        anything after it) is held, else ``"start"``. The watchdog's time follows the stage."""
        if self.window.current_screen() is self.test and self.test.stage == "question":
            return "test"
        a = self.flow.applicant
        if a.nik is not None or self.flow.values(Step.IDENTITY).get("nik"):
            return "identity"
        return "start"

    def _apply_idle_policy(self) -> None:
        """Why by stage: a form left alone must be wiped soon (the next person could read it), but a
        person doing arithmetic on paper during the test touches nothing for minutes, and ten finished
        steps are worth a longer wait than an empty contact form."""
        kiosk = self.config.kiosk
        stage = self.idle_stage()
        timeout = {
            "test": kiosk.idle_timeout_test_s,
            "identity": kiosk.idle_timeout_identity_s,
            "start": kiosk.idle_timeout_s,
        }[stage]
        self.idle.dialog.set_ends_test(stage == "test")
        self.idle.configure(timeout, kiosk.idle_warning_s)

    def _on_idle_expired(self) -> None:
        """Idle time is up: during the test the test ends with its answers kept; otherwise the wipe."""
        if self.idle_stage() == "test" and self.test.end_test_keeping_answers():
            log.info("idle during the test: the test ended with its answers kept")
            self._apply_idle_policy()
            self.idle.arm()
            return
        self.wipe_session()

    def _on_test_stage(self, stage: str) -> None:
        """The test's own mode: the strip steps aside, and the idle policy follows the stage."""
        self.window.set_focus_mode(stage == "question" and self.window.current_screen() is self.test)
        self._apply_idle_policy()

    def _speak_time_warning(self, remaining_s: int) -> None:
        """Say the 5- and 1-minute warnings aloud too: the applicant's eyes are on the question.

        The texts are the question screen's own (same translation context), so the spoken and the
        visible warning never differ. ``speak`` does nothing where no engine has a voice.
        """
        minutes = max(1, round(remaining_s / 60))
        context = "TestQuestionScreen"
        if minutes == 1:
            text = QCoreApplication.translate(context, "Waktu tinggal 1 menit lagi. Periksa jawaban Anda.")
        else:
            text = QCoreApplication.translate(context, "Waktu tinggal %1 menit lagi.").replace(
                "%1", str(minutes)
            )
        self.window.read_aloud_button.speak(text)

    # -- sealing --------------------------------------------------------------------------------------
    def submit_registration(self) -> None:
        """ "Kirim" on the review's last page: the flow moves to sealing and the sealing starts here.

        Why here and not when the sealing screen appears: showing a screen must not have side effects
        (a redraw, a language switch or a test showing the screen would seal twice); the person's
        "Kirim" is the one act that sends.
        """
        problems = self.flow.next()
        if problems or self.flow.step != Step.SEALING:
            self.review.show_flow(self.flow)
            return
        self._seal()

    def _seal(self) -> None:
        runtime = self.runtime
        try:
            if runtime is None:
                raise ApiError(SEAL_FAILED)
            device = runtime.require_device()
            prepared = prepare(self.flow, device.device_id, uuid.uuid4())
        except PayloadInvalid as exc:
            self._seal_failed_with(exc.problems)
            return
        except Exception as exc:
            log.error("sealing could not start: %s", type(exc).__name__)
            self._seal_failed_with([FieldProblem("sealing", getattr(exc, "message", SEAL_FAILED))])
            return
        run_in_background(
            seal_and_enqueue,
            prepared,
            device,
            runtime.outbox,
            on_success=lambda sealed, p=prepared: self._sealed_ok(sealed, p),
            on_failure=self._seal_failed,
            parent=self.sealing,
        )

    def _sealed_ok(self, sealed: SealedSubmission, _prepared: PreparedSubmission) -> None:
        self._sealed = sealed
        a = self.flow.applicant
        data = ReceiptData(
            reference=sealed.reference,
            masked_name=mask_name(a.full_name),
            masked_nik=mask_nik(a.nik),
            created=format_local(sealed.created_at, self.config.kiosk.time_zone),  # WIB/WITA/WIT
            wave_note=(
                self.tr("Gelombang: %1").replace("%1", sealed.wave)
                if sealed.wave
                else self.tr("Pendaftaran Anda akan masuk gelombang berikutnya.")
                if sealed.joins_next_wave
                else ""
            ),
            otp_deferred=not a.otp_verified,
        )
        self.receipt.show_receipt(data)
        if self.runtime is not None:
            self.runtime.sync_now()
        self.flow.sealed(sealed.reference)
        self.refresh_queue_status()
        self.submission_sealed.emit(sealed.reference)

    def _seal_failed(self, error: BaseException) -> None:
        log.error("sealing failed: %s", type(error).__name__)
        message = getattr(error, "message", None)
        self._seal_failed_with(
            [FieldProblem("sealing", message if isinstance(message, Message) else SEAL_FAILED)]
        )

    def _seal_failed_with(self, problems: list[FieldProblem]) -> None:
        self.flow.seal_failed()
        self.review.show_flow(self.flow)
        self.review.show_problems(problems)

    # -- receipt (ui.receipt_printing) and status check (ui.status_check) -----------------------------
    def print_receipt(self) -> None:
        self.receipt_printer.print_receipt()

    @property
    def last_receipt_pdf(self) -> Path | None:
        return self.receipt_printer.last_receipt_pdf

    def check_status(self, text: str) -> None:
        self.status_checker.check_status(text)

    # -- language, connectivity -----------------------------------------------------------------------
    def _lang(self) -> str:
        return self.languages.language()

    def _on_language(self, language: str) -> None:
        for screen in [*self.screens.values(), self.status]:
            screen.set_language(language)
        embedded = self.test.embedded
        if embedded is not None and hasattr(embedded, "set_language"):
            embedded.set_language(language)
        for photo in (self.ktp_photo, self.selfie):
            if photo.camera_view is not None:
                photo.camera_view.set_language("en" if language == "en" else "id")

    def _update_offline_note(self) -> None:
        self.contact.set_offline(self.flow.otp_mode == OtpMode.DEFERRED and not self.flow.online)

    def _on_sync_event(self, event: object) -> None:
        if isinstance(event, Online | Offline):
            self._set_online(isinstance(event, Online))
        elif isinstance(event, ItemDelivered | ItemFailed | Idle):
            self.refresh_queue_status()

    def refresh_queue_status(self) -> None:
        if self.runtime is None:
            self.window.set_queue_status(None, False)  # no outbox open: nothing to count, nothing "sent"
            return
        run_in_background(self.runtime.queue_stats, on_success=self._stats_ready, parent=self.window)

    def _stats_ready(self, stats: OutboxStats) -> None:
        self._stats = stats
        self.window.set_queue_status(stats.waiting, self._online)


_look_up_status = look_up_status  # the name tests and older callers use


def make_test_panel(runtime: KioskRuntime | None) -> QWidget | None:
    """The test screens (``ui.screens.test_panel``) loaded with the current signed bank.

    ``None`` on a production kiosk without a valid downloaded bank (``kiosk.bank_sync.choose_bank``
    never gives it the demo bank): the test step then says the test is sent by SMS/e-mail and the
    registration is flagged.
    """
    from kiosk.bank_sync import NoBankForTest, choose_bank
    from kiosk.testbank import BankError, BankStore
    from ui.screens.test_panel import TestPanel

    panel = TestPanel()
    try:
        if runtime is not None and runtime.bank_sync is not None:
            panel.load(runtime.bank_sync.choice())
        else:  # not enrolled: only a demo/training set-up can give a test
            demo = runtime is not None and runtime.config.demo
            panel.load(choose_bank(BankStore(), None, demo=demo))
    except NoBankForTest:
        panel.deleteLater()
        return None
    except BankError as exc:
        panel.show_unavailable(exc)
    return panel
