"""The KTP photo and the selfie: live camera when there is one, or a picture imported from a file.

Why both: walk-in terminals have a webcam (``ui.camera.CameraView``, guidance and auto-capture);
assistance desks often have a scanner or receive a phone picture. An imported file goes through the
same compression as a camera photo (``kiosk.imaging.compress.import_ktp`` / ``import_selfie``, off
the GUI thread), so every photo that leaves the kiosk follows one rule. The photo lives only in
memory (this screen's preview and the flow's applicant) and is dropped on wipe.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.flow import Step
from kiosk.i18n import Message
from kiosk.imaging.analysis import PhotoKind
from kiosk.imaging.compress import CompressedPhoto, ImportRejected, import_ktp, import_selfie
from kiosk.imaging.frame import FrameError
from kiosk.payload import FieldProblem
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton
from ui.widgets.error_text import show_error
from ui.worker import run_in_background

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 30_000_000
PREVIEW_PX = (320, 190)


class PhotoPanel(QWidget):
    """The chosen photo (scaled preview) and an inline message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = QLabel(self)
        self.preview.setObjectName("photoPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(*PREVIEW_PX)
        self.status = QLabel(self)
        self.status.setObjectName("photoStatus")
        self.status.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)

    def set_error(self, message: str | None) -> None:
        show_error(self.error_label, message)


class PhotoScreen(WizardScreen):
    """One photo step; ``kind`` is the KTP or the selfie holding the KTP."""

    photo_changed = Signal()

    def __init__(
        self, kind: PhotoKind, parent: QWidget | None = None, *, camera: bool = False, demo: bool = False
    ) -> None:
        self.kind = kind
        super().__init__(parent)
        self.photo: bytes | None = None
        self._importing = False
        self._import_generation = 0  # bumped by every import and by clear(): late results are dropped
        self.camera_view: Any = None
        self._camera_wanted = camera
        self._demo = demo
        row = QHBoxLayout()
        row.setSpacing(16)
        if camera:
            try:
                from ui.camera.view import CameraView  # the webcam step plugs in here when available

                self.camera_view = CameraView(kind, self.form)
                self.camera_view.captured.connect(self._on_captured)
                row.addWidget(self.camera_view, 3)
            except ImportError as exc:
                log.warning("camera view unavailable: %s", type(exc).__name__)
                self.camera_view = None
        self.panel = PhotoPanel(self.form)
        self.fields["photo"] = self.panel
        side = QVBoxLayout()
        side.addWidget(self.panel, 1)
        self.import_button = BigButton("", self.form, role="secondary")
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.choose_file)
        side.addWidget(self.import_button)
        row.addLayout(side, 2)
        self.form_layout.addLayout(row, 1)
        self.finish_form()

    # -- camera ---------------------------------------------------------------------------------------
    def entered(self) -> None:
        if self.camera_view is not None and self.camera_view.source is None:
            try:
                from ui.camera.demo import camera_or_demo_source

                self.camera_view.set_source(camera_or_demo_source(self.kind, self._demo, parent=self))
            except Exception as exc:  # no camera back-end: the file import still works
                log.warning("no camera source: %s", type(exc).__name__)
        if self.camera_view is not None and self.photo is None:
            self.camera_view.start()

    def left(self) -> None:
        if self.camera_view is not None:
            self.camera_view.stop()

    def _on_captured(self, data: bytes) -> None:
        self.set_photo(bytes(data))

    # -- import -----------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        """Ask for a JPG/PNG (scanner or phone picture) and import it."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Pilih foto"), str(Path.home()), self.tr("Foto (*.jpg *.jpeg *.png)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read ``path`` and compress it off the GUI thread; the result or the reason shows inline."""
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise OSError("too large")
            data = path.read_bytes()
        except OSError:
            self.show_problems([_file_problem()])
            return
        self._importing = True
        self._import_generation += 1
        generation = self._import_generation
        self.next_button.setEnabled(False)
        self.retranslate_content()
        work = import_ktp if self.kind is PhotoKind.KTP else import_selfie
        run_in_background(
            work,
            data,
            on_success=lambda result: self._imported(result, generation),
            on_failure=lambda error: self._import_failed(error, generation),
            parent=self,
        )

    def importing(self) -> bool:
        return self._importing

    def _imported(self, result: CompressedPhoto, generation: int) -> None:
        if generation != self._import_generation:
            return  # a newer import, or the session was wiped meanwhile: not this applicant's photo now
        self._importing = False
        self.next_button.setEnabled(True)
        if self.camera_view is not None:
            self.camera_view.stop()
        self.set_photo(result.data)

    def _import_failed(self, error: BaseException, generation: int) -> None:
        if generation != self._import_generation:
            return
        self._importing = False
        self.next_button.setEnabled(True)
        if isinstance(error, ImportRejected):
            self.show_problems([FieldProblem("photo", error.message)])
        elif isinstance(error, FrameError | ValueError | MemoryError):
            self.show_problems([_file_problem()])
        else:
            log.error("photo import failed: %s", type(error).__name__)
            self.show_problems([_file_problem()])
        self.retranslate_content()

    def set_photo(self, data: bytes | None) -> None:
        self.photo = data
        if data:
            image = QImage.fromData(data)
            pixmap = QPixmap.fromImage(image).scaled(
                *PREVIEW_PX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            self.panel.preview.setPixmap(pixmap)
            self.show_problems([])
        else:
            self.panel.preview.clear()
        self.retranslate_content()
        self.photo_changed.emit()

    def retranslate_content(self) -> None:
        if self.kind is PhotoKind.KTP:
            self.title_label.setText(self.tr("Foto KTP"))
            self.hint_label.setText(self.tr("Letakkan KTP di meja, seluruh kartu terlihat dan tidak silau."))
        else:
            self.title_label.setText(self.tr("Foto diri sambil memegang KTP"))
            self.hint_label.setText(self.tr("Wajah menghadap kamera, mata terbuka, KTP terlihat."))
        if self._importing:
            self.panel.status.setText(self.tr("Sedang memproses foto…"))
        elif self.photo:
            self.panel.status.setText(
                self.tr("Foto siap (%1 KB).").replace("%1", str(max(1, len(self.photo) // 1000)))
            )
        else:
            self.panel.status.setText(self.tr("Belum ada foto."))
        self.import_button.setText(self.tr("Ambil dari berkas…"))

    def collect_content(self) -> dict[str, Any]:
        return {"photo": self.photo} if self.photo else {}

    def clear_content(self) -> None:
        self.photo = None
        self._importing = False
        self._import_generation += 1  # an import still running belongs to the wiped session
        self.next_button.setEnabled(True)
        self.panel.preview.clear()
        if self.camera_view is not None:
            self.camera_view.clear()
        self.retranslate_content()

    def shutdown(self) -> None:
        if self.camera_view is not None:
            self.camera_view.shutdown()


def _file_problem() -> FieldProblem:
    return FieldProblem(
        "photo",
        Message("Berkas tidak bisa dibaca sebagai foto.", "The file cannot be read as a photo."),
    )


class KtpPhotoScreen(PhotoScreen):
    screen_name = "ktp_photo"
    step = 7
    flow_step = Step.KTP_PHOTO

    def __init__(self, parent: QWidget | None = None, *, camera: bool = False, demo: bool = False) -> None:
        super().__init__(PhotoKind.KTP, parent, camera=camera, demo=demo)


class SelfieScreen(PhotoScreen):
    screen_name = "selfie"
    step = 8
    flow_step = Step.SELFIE

    def __init__(self, parent: QWidget | None = None, *, camera: bool = False, demo: bool = False) -> None:
        super().__init__(PhotoKind.SELFIE, parent, camera=camera, demo=demo)
