"""Welcome: language choice, then "Daftar" (register) or "Cek Status" (check status).

Why language first and both languages visible: the kiosk starts in Bahasa Indonesia; an applicant who
prefers English finds the switch on the first screen, labelled in its own language ("English",
"Bahasa Indonesia"), which is the usual convention so a person can find their language without reading
the other one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.big_button import BigButton

LANGUAGE_LABELS: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}


class WelcomeScreen(Screen):
    """Title, two language buttons, and the two ways in."""

    screen_name = "welcome"
    step = None

    start_requested = Signal()
    status_requested = Signal()
    language_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("titleLabel")
        self.title_label.setWordWrap(True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro_label = QLabel(self)
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setWordWrap(True)
        self.intro_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Before the first question: what to have at hand and how long it takes (no one should reach the
        # NIK step without the KTP, or the OTP step without the phone).
        self.bring_label = QLabel(self)
        self.bring_label.setObjectName("noteBox")
        self.bring_label.setWordWrap(True)
        self.bring_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.language_label = QLabel(self)
        self.language_label.setObjectName("languageLabel")
        self.language_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.language_buttons: dict[str, BigButton] = {}
        self._language_group = QButtonGroup(self)
        self._language_group.setExclusive(True)
        language_row = QHBoxLayout()
        language_row.setSpacing(24)
        language_row.addStretch(1)
        for code, label in LANGUAGE_LABELS.items():
            button = BigButton(label, self, role="choice")
            button.setCheckable(True)
            button.setMinimumWidth(300)
            button.clicked.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            self._language_group.addButton(button)
            self.language_buttons[code] = button
            language_row.addWidget(button)
        language_row.addStretch(1)

        self.start_button = BigButton("", self, role="primary")
        self.start_button.setObjectName("startButton")
        self.start_button.setMinimumSize(320, 88)
        self.start_button.clicked.connect(self.start_requested)
        self.status_button = BigButton("", self, role="secondary")
        self.status_button.setObjectName("statusButton")
        self.status_button.setMinimumSize(320, 88)
        self.status_button.clicked.connect(self.status_requested)
        action_row = QHBoxLayout()
        action_row.setSpacing(32)
        action_row.addStretch(1)
        action_row.addWidget(self.start_button)
        action_row.addWidget(self.status_button)
        action_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 12, 48, 12)
        layout.setSpacing(12)
        layout.addStretch(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.bring_label)
        layout.addStretch(1)
        layout.addWidget(self.language_label)
        layout.addLayout(language_row)
        layout.addStretch(1)
        layout.addLayout(action_row)
        layout.addStretch(2)

        self.set_current_language("id")
        self.retranslate()

    def set_current_language(self, language: str) -> None:
        """Mark the button of the language in use (the screen does not switch languages itself)."""
        button = self.language_buttons.get(language)
        if button is not None:
            button.setChecked(True)

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Selamat datang di Pendaftaran Kartu Prakerja"))
        self.intro_label.setText(
            self.tr("Petugas siap membantu Anda. Pendaftaran Kartu Prakerja tidak dipungut biaya.")
        )
        self.bring_label.setText(
            self.tr(
                "Siapkan KTP asli dan HP aktif (untuk kode SMS). Waktunya sekitar 30 menit, termasuk tes."
            )
        )
        self.language_label.setText(self.tr("Pilih bahasa / Choose language"))
        self.start_button.setText(self.tr("Daftar"))
        self.start_button.setAccessibleDescription(self.tr("Mulai pendaftaran Kartu Prakerja baru"))
        self.status_button.setText(self.tr("Cek Status"))
        self.status_button.setAccessibleDescription(self.tr("Lihat status pendaftaran yang sudah dikirim"))

    def initial_focus(self) -> QWidget | None:
        return self.start_button

    def spoken_text(self) -> str:
        return " ".join(
            (
                self.title_label.text(),
                self.intro_label.text(),
                self.bring_label.text(),
                self.tr("Tekan Daftar untuk mendaftar, atau Cek Status untuk melihat status pendaftaran."),
            )
        )
