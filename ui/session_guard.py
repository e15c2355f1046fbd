"""Nothing of one applicant reaches the next: clipboard, open dialogs, context menus, traces on disk.

Why a separate guard next to the idle watchdog (issue 18): the wizard's wipe (``Flow.wipe()`` and every
screen cleared) forgets what the *screens* hold, but not what Qt holds for the whole application — a
NIK copied with Ctrl+C was pasted by the next applicant; a file dialog left open after the idle wipe
attached a file to the next applicant's KTP step; Qt's file dialog wrote a folder name like
``KTP SITI AMINAH 3273…`` to ``~/.config/QtProject.conf``. This guard:

* clears the clipboard, the X11 selection and the find buffer on every wipe;
* closes any open file dialog, menu or other pop-up on every wipe;
* blocks the Copy/Paste context menu on applicant fields (anything inside a wizard or status screen);
* points Qt's own settings (``QSettings`` user scope, where the file dialog keeps its history and
  last folder) at the kiosk's private 0700 cache dir and removes the file dialog's group after each
  dialog and each wipe, so no folder name is kept (the Windows registry included);
* deletes receipt PDFs after ``retention.receipt_pdf_hours`` (at start-up and on each wipe).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

log = logging.getLogger(__name__)

QT_SETTINGS_ORGANIZATION = "QtProject"
FILE_DIALOG_GROUP = "FileDialog"
_TEXT_WIDGETS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


def keep_qt_settings_private(directory: Path) -> None:
    """Qt's own settings files (file dialog history and last folder) go to ``directory`` (0700).

    Why not only delete them afterwards: ``~/.config`` is readable by the desktop session and backups;
    a file in the kiosk's own directory is removed with it. On Windows the native format is the
    registry, which this cannot move; :func:`forget_file_dialog_history` cleans it there.
    """
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("private Qt settings dir not created: %s", type(exc).__name__)
        return
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(directory))


def forget_file_dialog_history() -> None:
    """Remove what Qt's file dialog remembers (history, last visited folder, sidebar)."""
    settings = QSettings(QSettings.Scope.UserScope, QT_SETTINGS_ORGANIZATION)
    settings.remove(FILE_DIALOG_GROUP)
    settings.sync()


def clear_clipboard() -> None:
    """Empty the clipboard, the selection (X11 middle-click) and the find buffer (macOS)."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is None:
        return
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
    if clipboard.supportsFindBuffer():
        clipboard.clear(QClipboard.Mode.FindBuffer)


def close_popups(keep: tuple[QWidget, ...] = ()) -> int:
    """Close every visible file dialog, message box, input dialog and menu (except ``keep``); how many.

    The kiosk's own dialogs (idle warning, cancel question) are hidden by the controller itself; the
    ones closed here are those a wipe would otherwise leave over the next applicant's screen.
    """
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if widget in keep or not widget.isVisible():
            continue
        if isinstance(widget, QFileDialog | QMessageBox | QInputDialog):
            widget.reject()
            closed += 1
        elif isinstance(widget, QMenu):
            widget.close()
            closed += 1
    return closed


def purge_receipt_pdfs(directory: Path, max_age_hours: int, now: float | None = None) -> int:
    """Delete receipt PDFs older than ``max_age_hours`` (0: all of them) in ``directory``; how many."""
    cutoff = (time.time() if now is None else now) - max_age_hours * 3600
    removed = 0
    try:
        files = list(directory.glob("*.pdf"))
    except OSError:
        return 0
    for pdf in files:
        try:
            if max_age_hours == 0 or pdf.stat().st_mtime <= cutoff:
                pdf.unlink()
                removed += 1
        except OSError as exc:
            log.warning("receipt PDF not deleted: %s", type(exc).__name__)
    return removed


def _applicant_widget(widget: QWidget) -> bool:
    """True inside a wizard or status screen (applicant fields), False in the console and dialogs."""
    from ui.screens.status import StatusScreen
    from ui.screens.wizard import WizardScreen

    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, WizardScreen | StatusScreen):
            return True
        parent = parent.parentWidget()
    return False


class SessionTraceGuard(QObject):
    """Application-wide: no context menus on applicant fields; :meth:`wipe` clears what Qt holds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(watched, QWidget)
            and (isinstance(watched, _TEXT_WIDGETS) or isinstance(watched.parentWidget(), _TEXT_WIDGETS))
            and _applicant_widget(watched)
        ):
            return True  # no Copy / Paste / Select All menu on an applicant's field
        return False

    def wipe(self, keep: tuple[QWidget, ...] = ()) -> None:
        """The session ended: clipboard, selection, pop-ups and the file dialog's memory go."""
        clear_clipboard()
        close_popups(keep)
        forget_file_dialog_history()

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
