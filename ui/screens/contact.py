"""Account contact: e-mail or mobile number, and how the code is sent (e-mail or SMS).

Why both fields on one screen with the method as big buttons: the public website asks the same
(e-mail or mobile, then the verification method); staff at a desk fill both quickly, and a person
alone sees at once which one the code goes to. While the kiosk is offline the screen says plainly that
the code will be sent after the data is sent (the OTP step is then deferred by the flow).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.flow import Step
from ui.screens.wizard import ChoiceGroup, WizardScreen


class ContactScreen(WizardScreen):
    """Two pages: how the code is sent (SMS or e-mail), then the one number or address it goes to.

    Why two pages (issue 16): with both fields, the method and the e-mail keys on one page the e-mail
    was typed entirely below the fold at 1024×600. Now the second page holds only the field the code
    goes to, and the text keyboard's own last row carries "@", ".com" and "@gmail.com".
    """

    screen_name = "contact"
    step = 1
    flow_step = Step.CONTACT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        # Offline, both pages say first that the code comes after the data is sent.
        self.offline_note = QLabel(self.form)
        self.offline_note.setObjectName("noteBox")
        self.offline_note.setWordWrap(True)
        self.offline_note.hide()
        self.form_layout.addWidget(self.offline_note)
        first = self.begin_page()
        self.method = ChoiceGroup(1, self.form)
        self.method.add_choice("sms")
        self.method.add_choice("email")
        self.fields["verification_method"] = self.method
        self.register_page_field("verification_method")
        first.addWidget(self.method)
        self.method.changed.connect(lambda _v: self._show_destination())
        self.begin_page()
        self.phone = self.add_field("phone", numeric=True, max_length=20)
        self.email = self.add_field("email", numeric=False, max_length=254, email=True)
        self.email.line_edit.textChanged.connect(self._lower_email)
        self.email_keys = list(self.input_panel.keyboard.email_keys.values()) if self.input_panel else []
        self._offline = False
        self.finish_form()

    def _show_destination(self) -> None:
        """Page 2 asks only for what the code is sent to (the other contact is not needed)."""
        method = self.method.value()
        self.phone.setVisible(method != "email")
        self.email.setVisible(method != "sms")
        self._size_panel(self.width())

    def page_changed(self) -> None:
        self._show_destination()
        self.retranslate_content()

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
        if self.current_page == 0:
            self.title_label.setText(self.tr("Bagaimana kami menghubungi Anda?"))
            self.hint_label.setText(self.tr("Pilih ke mana kode verifikasi dikirim."))
        elif self.method.value() == "email":
            self.title_label.setText(self.tr("Alamat e-mail Anda"))
            self.hint_label.setText(self.tr("Kode verifikasi dikirim ke e-mail ini."))
        else:
            self.title_label.setText(self.tr("Nomor HP Anda"))
            self.hint_label.setText(self.tr("Kode verifikasi dikirim lewat SMS ke nomor ini."))
        self.method.label.setText(self.tr("Kirim kode verifikasi lewat"))
        self.method.buttons["sms"].setText(self.tr("SMS ke HP"))
        self.method.buttons["email"].setText(self.tr("E-mail"))
        self.phone.set_label(self.tr("Nomor HP (contoh: 0812 3456 7890)"))
        self.email.set_label(self.tr("E-mail (contoh: nama@gmail.com)"))
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
