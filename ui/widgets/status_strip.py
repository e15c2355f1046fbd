"""The bottom strip: online/offline and how many registrations wait to be sent.

Why: offline-first means a registration can be finished while the office's link is down; staff and
applicants must see that it is safely queued and will be sent later. The state is written in words
with a symbol (● / ○), never by colour alone. Fed by :meth:`StatusStrip.set_queue_status`, which the
main window calls from the sync engine's events (through ``ui.worker.CoreEventBridge``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class StatusStrip(QWidget):
    """Online indicator on the left, waiting count in the middle, a free note on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # QSS background on a subclass
        self.online_label = QLabel(self)
        self.online_label.setObjectName("onlineLabel")
        self.queue_label = QLabel(self)
        self.queue_label.setObjectName("queueLabel")
        self.note_label = QLabel(self)
        self.note_label.setObjectName("noteLabel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setSpacing(24)
        layout.addWidget(self.online_label)
        layout.addWidget(self.queue_label, 1)
        layout.addWidget(self.note_label)
        self._waiting: int | None = None  # unknown until the outbox has been read: say nothing yet
        self._online: bool | None = None
        self.retranslate()

    def set_queue_status(self, waiting: int | None, online: bool) -> None:
        """Show ``waiting`` queued registrations and the connection state.

        ``waiting`` None means the outbox has not been (or cannot be) read: the count is left blank
        rather than claiming that everything was sent.
        """
        self._waiting = None if waiting is None else max(int(waiting), 0)
        self._online = bool(online)
        self.online_label.setProperty("online", self._online)
        self._restyle()
        self.retranslate()

    def _restyle(self) -> None:
        """Re-apply the QSS rules keyed on the ``online`` property (Qt does not on its own)."""
        self.online_label.style().unpolish(self.online_label)
        self.online_label.style().polish(self.online_label)

    def set_unknown(self) -> None:
        """Back to the start-up state: connection being checked, queue count not read yet."""
        self._waiting = None
        self._online = None
        self.online_label.setProperty("online", None)  # removes the property: the neutral style
        self._restyle()
        self.retranslate()

    def set_note(self, text: str) -> None:
        """A short free text on the right (e.g. the demo API address); empty hides it."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def retranslate(self) -> None:
        if self._online is None:
            self.online_label.setText(self.tr("◌ Memeriksa sambungan…"))
        elif self._online:
            self.online_label.setText(self.tr("● Terhubung"))
        else:
            self.online_label.setText(self.tr("○ Tidak terhubung — data disimpan di sini"))
        if self._waiting is None:
            self.queue_label.setText("")
        elif self._waiting == 0:
            self.queue_label.setText(self.tr("Semua pendaftaran sudah terkirim"))
        else:
            self.queue_label.setText(self.tr("%n pendaftaran menunggu dikirim", "", self._waiting))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
