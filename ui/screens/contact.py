"""Account contact: e-mail or mobile number, and how the code is sent (e-mail or SMS).

Why both fields on one screen with the method as big buttons: the public website asks the same
(e-mail or mobile, then the verification method); staff at a desk fill both quickly, and a person
alone sees at once which one the code goes to. While the kiosk is offline the screen says plainly that
the code will be sent after the data is sent (the OTP step is then deferred by the flow).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.flow import Step
from ui.screens.wizard import ChoiceGroup, WizardScreen
from ui.widgets.onscreen import KeyButton

EMAIL_KEYS: tuple[str, ...] = ("@", "_", ".com", "@gmail.com")


class ContactScreen(WizardScreen):
    screen_name = "contact"
    step = 1
    flow_step = Step.CONTACT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self.method = ChoiceGroup(2, self.form)
        self.method.add_choice("sms")
        self.method.add_choice("email")
        self.fields["verification_method"] = self.method
        self.form_layout.addWidget(self.method)
        self.phone = self.add_field("phone", numeric=True, max_length=20)
        self.email = self.add_field("email", numeric=False, max_length=254)
        self.email.line_edit.textChanged.connect(self._lower_email)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.email_keys: list[KeyButton] = []
        for text in EMAIL_KEYS:
            key = KeyButton(text, 52, self.form)
            key.setObjectName("keyButton")
            key.clicked.connect(lambda _c=False, t=text: self._type_email(t))
            row.addWidget(key, 3 if len(text) > 4 else 1)  # the domain key needs room for its text
            self.email_keys.append(key)
        self.form_layout.addLayout(row)
        self.offline_note = QLabel(self.form)
        self.offline_note.setObjectName("noteBox")
        self.offline_note.setWordWrap(True)
        self.offline_note.hide()
        self.form_layout.addWidget(self.offline_note)
        self._offline = False
        self.finish_form()

    def _type_email(self, text: str) -> None:
        edit = self.email.line_edit
        edit.setFocus()
        edit.insert(text)

    def _lower_email(self, text: str) -> None:
        # The text keyboard types capitals (as on the KTP); e-mail addresses are written in lower case.
        if text != text.lower():
            edit = self.email.line_edit
            position = edit.cursorPosition()
            edit.setText(text.lower())
            edit.setCursorPosition(position)

    def set_offline(self, offline: bool) -> None:
        """Show the note that the code will come after the data is sent."""
        self._offline = offline
        self.offline_note.setVisible(offline)

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Bagaimana kami menghubungi Anda?"))
        self.hint_label.setText(
            self.tr("Isi nomor HP atau e-mail Anda. Kode verifikasi dikirim ke yang Anda pilih.")
        )
        self.method.label.setText(self.tr("Kirim kode verifikasi lewat"))
        self.method.buttons["sms"].setText(self.tr("SMS ke HP"))
        self.method.buttons["email"].setText(self.tr("E-mail"))
        self.phone.set_label(self.tr("Nomor HP (contoh: 0812 3456 7890)"))
        self.email.set_label(self.tr("Alamat e-mail (contoh: nama@contoh.com)"))
        self.offline_note.setText(
            self.tr("Kiosk tidak terhubung. Kode verifikasi dikirim setelah data Anda terkirim.")
        )

    def collect_content(self) -> dict[str, Any]:
        return {
            "phone": self.phone.text(),
            "email": self.email.text(),
            "verification_method": self.method.value(),
        }

    def load(self, values: dict[str, Any]) -> None:
        self.phone.line_edit.setText(str(values.get("phone") or ""))
        self.email.line_edit.setText(str(values.get("email") or ""))
        self.method.set_value(str(values.get("verification_method") or ""))

    def clear_content(self) -> None:
        self.phone.line_edit.clear()
        self.email.line_edit.clear()
        self.method.clear()

    def initial_focus(self) -> QWidget | None:
        return self.phone.line_edit
