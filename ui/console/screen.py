"""The console's one screen: who is logged in, the page list, the current page, and the ways out.

Why the ways out live here: in kiosk mode the window has no frame and ignores close requests; the
only way to leave full screen or quit is a logged-in operator pressing a button on this screen (the
controller audits each). "Kembali ke kiosk" logs the operator out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.operator_auth import OperatorLogin
from ui.console.attention import AttentionPage
from ui.console.dashboard import DashboardPage
from ui.console.fieldwork import FieldWorkPage
from ui.console.maintenance import MaintenancePage
from ui.console.page import ConsolePage
from ui.console.settings_page import SettingsPage
from ui.console.status_page import StatusPage
from ui.screens.base import Screen
from ui.widgets.big_button import BigButton

NAV_BUTTON_PX = 50  # a touch target above the 48 px minimum; six fit a 1024 × 600 screen

STYLE = """
QWidget#console QLabel { font-size: 18px; }
QWidget#console QLabel#consoleHeading { font-size: 24px; font-weight: bold; color: #0B2E6B; }
QWidget#console QLabel#consoleOperator { font-size: 18px; font-weight: bold; }
QWidget#console QLabel[consoleValue="true"] { font-weight: bold; }
QWidget#console QPushButton { font-size: 18px; }
QWidget#console QPushButton#consoleNav { text-align: left; min-height: 36px; padding: 4px 12px; }
QWidget#console QTableWidget { font-size: 16px; }
QWidget#console QLineEdit, QWidget#console QComboBox, QWidget#console QSpinBox { font-size: 18px; min-height: 32px; padding: 2px 8px; }
"""


class ConsoleScreen(Screen):
    """Operator bar, page buttons on the left, pages on the right."""

    screen_name = "console"
    step = None

    leave_requested = Signal()
    exit_fullscreen_requested = Signal()
    quit_requested = Signal()
    page_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.operator_label = QLabel(self)
        self.operator_label.setTextFormat(Qt.TextFormat.PlainText)  # the server's display name
        self.operator_label.setObjectName("consoleOperator")
        self.operator_label.setWordWrap(True)
        self.operator_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.operator_label.setMinimumWidth(120)
        self.leave_button = BigButton("", self, role="primary")
        self.leave_button.setObjectName("consoleLeave")
        self.leave_button.clicked.connect(self.leave_requested)
        self.fullscreen_button = BigButton("", self, role="secondary")
        self.fullscreen_button.setObjectName("consoleExitFullscreen")
        self.fullscreen_button.clicked.connect(self.exit_fullscreen_requested)
        self.quit_button = BigButton("", self, role="danger")
        self.quit_button.setObjectName("consoleQuit")
        self.quit_button.clicked.connect(self.quit_requested)
        top = QHBoxLayout()
        top.addWidget(self.operator_label, 1)
        top.addWidget(self.leave_button)
        top.addWidget(self.fullscreen_button)
        top.addWidget(self.quit_button)

        self.dashboard = DashboardPage(self)
        self.attention = AttentionPage(self)
        self.status = StatusPage(self)
        self.fieldwork = FieldWorkPage(self)
        self.settings = SettingsPage(self)
        self.maintenance = MaintenancePage(self)
        self.pages: dict[str, ConsolePage] = {
            p.page_name: p
            for p in (
                self.dashboard,
                self.attention,
                self.status,
                self.fieldwork,
                self.settings,
                self.maintenance,
            )
        }
        self.stack = QStackedWidget(self)
        self.nav_buttons: dict[str, BigButton] = {}
        self._nav_group = QButtonGroup(self)
        self._nav_group.setExclusive(True)
        nav = QVBoxLayout()
        nav.setSpacing(6)
        for name, page in self.pages.items():
            self.stack.addWidget(page)
            button = BigButton("", self, role="choice")
            button.setObjectName("consoleNav")
            button.setCheckable(True)
            button.setMinimumSize(150, NAV_BUTTON_PX)
            # Never narrower than its words ("Perlu perhatian" was cut when the page asked for room).
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _c=False, n=name: self.show_page(n))
            self._nav_group.addButton(button)
            nav.addWidget(button)
            self.nav_buttons[name] = button
        nav.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(nav)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._login: OperatorLogin | None = None
        self.show_page("dashboard")
        self.retranslate()

    def show_page(self, name: str) -> None:
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        self.nav_buttons[name].setChecked(True)
        self.page_changed.emit(name)

    def show_wiped(self, text: str) -> None:
        """After the device wipe: only the maintenance page (with ``text``) stays; no way back into use."""
        for name, button in self.nav_buttons.items():
            button.setEnabled(name == "maintenance")
        self.leave_button.setEnabled(False)
        self.maintenance.show_wiped(text)

    def set_operator(self, login: OperatorLogin | None) -> None:
        self._login = login
        supervisor = login is not None and login.is_supervisor
        self.settings.set_allowed(supervisor)
        self.maintenance.set_allowed(supervisor)
        self.retranslate()

    def set_language(self, language: str) -> None:
        for page in self.pages.values():
            page.set_language(language)

    def retranslate(self) -> None:
        login = self._login
        if login is None:
            self.operator_label.setText(self.tr("Konsol petugas"))
        else:
            role = self.tr("supervisor") if login.is_supervisor else self.tr("operator")
            mode = self.tr("daring") if login.online else self.tr("luring")
            self.operator_label.setText(
                self.tr("Konsol petugas — %1 (%2, %3)")
                .replace("%1", login.display_name)
                .replace("%2", role)
                .replace("%3", mode)
            )
        self.leave_button.setText(self.tr("Kembali ke kiosk"))
        self.fullscreen_button.setText(self.tr("Keluar layar penuh"))
        self.quit_button.setText(self.tr("Tutup aplikasi"))
        labels = {
            "dashboard": self.tr("Ringkasan"),
            "attention": self.tr("Perlu perhatian"),
            "status": self.tr("Cek status"),
            "fieldwork": self.tr("Kerja lapangan"),
            "settings": self.tr("Pengaturan"),
            "maintenance": self.tr("Perawatan"),
        }
        for name, text in labels.items():
            button = self.nav_buttons[name]
            button.setText(text)
            # Wide enough for its words in the polished font (its cached size hint can predate the
            # console's style sheet): "Perlu perhatian" was cut to 124 px.
            button.ensurePolished()
            button.setMinimumWidth(max(150, button.fontMetrics().horizontalAdvance(text) + 44))
        for button in (self.leave_button, self.fullscreen_button, self.quit_button):
            # Labels change length with the language: never let the operator's name squeeze them.
            button.setMinimumWidth(0)
            button.setMinimumWidth(max(120, button.sizeHint().width()))
