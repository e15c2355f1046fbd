"""The KTP photo and the selfie: live camera when there is one, or a picture imported from a file.

Why both: walk-in terminals have a webcam (``ui.camera.CameraView``, guidance and auto-capture);
assistance desks often have a scanner or receive a phone picture. An imported file goes through the
same compression as a camera photo (``kiosk.imaging.compress.import_ktp`` / ``import_selfie``, off
the GUI thread), so every photo that leaves the kiosk follows one rule. The photo lives only in
memory (this screen's preview and the flow's applicant) and is dropped on wipe.

Why the file import is locked down (issue 18): the platform file dialog opened at ``$HOME`` with
Delete/Rename/New Folder — the kiosk's own data dir was renamed from it — and stayed open after the
idle wipe, so a file picked later went to the *next* applicant. Now:

* applicants get no file import unless ``kiosk.applicant_file_import`` is on (assistance desks);
  otherwise the button says "Impor oleh petugas" and needs an operator login first (the console's
  login dialog, :meth:`PhotoScreen.set_import_policy`);
* the dialog is Qt's own (``DontUseNativeDialog``), read-only (no new folder, rename or delete), with
  no sidebar, no history and no context menus, and it is confined to mounted removable media
  (:func:`removable_roots`): entering any other folder jumps back, and a file outside them is refused;
* it is opened non-blocking and tied to the session that opened it: the wipe closes it, and a file
  chosen after the session changed is dropped (the generation check also guards the import worker).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFileSystemModel,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
StaffGate = Callable[[Callable[[], None]], None]
"""Asks for an operator login and calls its argument once one succeeded (``ConsoleController``)."""


def removable_roots() -> list[Path]:
    """Mounted removable drives (USB sticks, memory cards): where a photo import may look, only there.

    Qt's view of the mounts first (``ui.removable``), then the core's search of the platform's usual
    roots (``kiosk.platform``); empty when nothing is plugged in.
    """
    from kiosk import platform
    from ui.removable import removable_volumes

    return removable_volumes() or platform.removable_candidates(platform.usb_roots())


def inside(path: Path, roots: list[Path]) -> bool:
    """True when ``path`` (symlinks resolved) lies under one of ``roots``."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    for root in roots:
        try:
            real.relative_to(root.resolve())
            return True
        except (ValueError, OSError, RuntimeError):
            continue
    return False


def confined_file_dialog(parent: QWidget, roots: list[Path], title: str, name_filter: str) -> QFileDialog:
    """Qt's own open dialog, read-only, without sidebar, history or context menus, kept inside ``roots``.

    Why each option: ``DontUseNativeDialog`` (the platform dialog cannot be restricted at all);
    ``ReadOnly`` (no new folder, rename or delete); the sidebar and history would list other places
    and earlier applicants' folder names. Navigating out of ``roots`` (typing a path, "..", the
    look-in list) jumps back to the first root.
    """
    dialog = QFileDialog(parent, title, str(roots[0]), name_filter)
    dialog.setObjectName("photoFileDialog")
    dialog.setOptions(
        QFileDialog.Option.DontUseNativeDialog
        | QFileDialog.Option.ReadOnly
        | QFileDialog.Option.DontUseCustomDirectoryIcons
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setViewMode(QFileDialog.ViewMode.List)
    dialog.setHistory([])
    dialog.setSidebarUrls([])
    sidebar = dialog.findChild(QWidget, "sidebar")
    if sidebar is not None:
        sidebar.hide()
    for name in ("newFolderButton", "toParentButton"):
        button = dialog.findChild(QToolButton, name)
        if button is not None:
            button.hide()
    for view in dialog.findChildren(QAbstractItemView):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    for edit in dialog.findChildren(QLineEdit):
        edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)

    def confine(directory: str) -> None:
        if directory and not inside(Path(directory), roots):
            dialog.setDirectory(str(roots[0]))

    # The model's root is what the dialog shows, however it got there (double-click, a typed path,
    # back/forward, the look-in list, setDirectory): directoryEntered alone misses some of these.
    dialog.directoryEntered.connect(confine)
    model = dialog.findChild(QFileSystemModel)
    if model is not None:
        model.rootPathChanged.connect(confine)
    return dialog


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
        self.file_dialog: QFileDialog | None = None
        self._applicant_import = False
        self._staff_gate: StaffGate | None = None
        self._camera_wanted = camera
        self._demo = demo
        row = QHBoxLayout()
        row.setSpacing(16)
        if camera:
            try:
                from ui.camera.view import CameraView  # the webcam step plugs in here when available

                self.camera_view = CameraView(kind, self.form)
                self.camera_view.captured.connect(self._on_captured)
                self.camera_view.problem.connect(self._on_camera_problem)
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
        self.import_button.hide()  # until set_import_policy() allows someone to use it
        side.addWidget(self.import_button)
        row.addLayout(side, 2)
        if self.camera_view is not None:
            # With a camera the live view is the picture (it freezes on the taken photo): the panel
            # keeps only its words, so the view and its buttons fit above the fold at 1024×600.
            self.panel.preview.setMinimumSize(0, 0)
            self.panel.preview.hide()
            # The live picture takes the height that is left, never more (its 640×400 wish would push
            # the capture buttons below the fold).
            preview = self.camera_view.preview
            preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            preview.setMinimumHeight(160)
            self.panel.layout().setAlignment(Qt.AlignmentFlag.AlignTop)
            side.setStretch(0, 0)
            side.addStretch(1)
        self.form_layout.addLayout(row, 100)  # the picture takes the height; the form's end stretch little
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

    def _on_camera_problem(self, text: str) -> None:
        """The camera's problem is also said in words beside the picture (not only on it)."""
        if self.photo is None and not self._importing:
            self.panel.status.setText(text)

    def _on_captured(self, data: bytes) -> None:
        self.set_photo(bytes(data))

    # -- import -----------------------------------------------------------------------------------------
    def set_import_policy(self, *, applicant: bool, staff_gate: StaffGate | None = None) -> None:
        """Who may import a file: the applicant (``kiosk.applicant_file_import``), else staff through
        ``staff_gate``; with neither the button stays hidden."""
        self._applicant_import = applicant
        self._staff_gate = staff_gate
        self.import_button.setVisible(applicant or staff_gate is not None)
        self.retranslate_content()

    def choose_file(self) -> None:
        """The import button: open the confined dialog, after an operator login unless applicants may."""
        if self._applicant_import:
            self.open_file_dialog()
        elif self._staff_gate is not None:
            generation = self._import_generation
            self._staff_gate(lambda: self.open_file_dialog(generation))

    def open_file_dialog(self, generation: int | None = None) -> None:
        """Show the read-only dialog on the removable media (non-blocking; see the module docstring).

        ``generation``: the session the request came from (a staff login can take a while); a wipe
        in between drops it.
        """
        if generation is not None and generation != self._import_generation:
            return
        self.close_file_dialog()
        roots = removable_roots()
        if not roots:
            self.show_problems([_no_media_problem()])
            return
        dialog = confined_file_dialog(
            self, roots, self.tr("Pilih foto"), self.tr("Foto (*.jpg *.jpeg *.png)")
        )
        opened_for = self._import_generation
        dialog.fileSelected.connect(lambda name: self._file_chosen(name, opened_for, roots))
        dialog.finished.connect(lambda _result: self._dialog_finished(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _dialog_finished(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
        _dispose(dialog)

    def close_file_dialog(self) -> None:
        """Close an open file dialog without a result (the wipe calls it)."""
        dialog, self.file_dialog = self.file_dialog, None
        if dialog is not None:
            dialog.reject()  # emits finished: _dialog_finished disposes of it

    def _file_chosen(self, name: str, generation: int, roots: list[Path]) -> None:
        if generation != self._import_generation:
            log.info("a file chosen after the session ended was dropped")
            return
        path = Path(name)
        if not inside(path, roots):
            self.show_problems([_file_problem()])
            return
        self.import_file(path)

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
        if self.camera_view is not None:
            # A photo that did not come from this view (a staff file import) is shown in the panel.
            imported = bool(data) and data != self.camera_view.photo
            self.panel.preview.setVisible(imported)
            self.camera_view.setVisible(not imported)
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
            self.panel.status.setText(self.tr("Foto siap. Tekan Lanjut."))
        elif self.camera_view is None:
            # No camera on this kiosk (or none usable): a person cannot fix that, staff can.
            self.panel.status.setText(self.tr("Kamera belum siap. Silakan panggil petugas."))
        else:
            self.panel.status.setText(self.tr("Belum ada foto."))
        if self._applicant_import:
            self.import_button.setText(self.tr("Ambil dari berkas…"))
        else:
            self.import_button.setText(self.tr("Impor oleh petugas…"))

    def collect_content(self) -> dict[str, Any]:
        return {"photo": self.photo} if self.photo else {}

    def clear_content(self) -> None:
        self.photo = None
        self._importing = False
        self._import_generation += 1  # an import still running belongs to the wiped session
        self.close_file_dialog()
        self.next_button.setEnabled(True)
        self.panel.preview.clear()
        if self.camera_view is not None:
            self.camera_view.clear()
        self.retranslate_content()

    def shutdown(self) -> None:
        if self.camera_view is not None:
            self.camera_view.shutdown()


def _dispose(dialog: QFileDialog) -> None:
    """Delete the dialog, then remove the history and last folder Qt saves when one is destroyed."""
    from ui.session_guard import forget_file_dialog_history

    dialog.destroyed.connect(lambda *_: forget_file_dialog_history())
    dialog.deleteLater()


def _no_media_problem() -> FieldProblem:
    return FieldProblem(
        "photo",
        Message(
            "Tidak ada flashdisk atau kartu memori. Pasang dulu, lalu coba lagi.",
            "No USB stick or memory card found. Plug one in, then try again.",
        ),
    )


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
