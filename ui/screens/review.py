"""Review: every section in short, each with "Ubah" (change), and what is still missing.

Why this screen is built from the flow each time it is shown: the flow holds the normalised values
(names in capitals as on the KTP, E.164 phone, region names) and the ``missing()`` list; the review
shows exactly what will be sealed, and "Ubah" jumps to the section and comes straight back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.declaration import STATEMENTS
from kiosk.flow import Flow, OtpMode, Step
from kiosk.payload import Education, WorkStatus
from kiosk.regions import RegionTable, RegionTableError
from kiosk.regions import table as default_table
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton


class ReviewScreen(WizardScreen):
    screen_name = "review"
    step = 11
    flow_step = Step.REVIEW

    edit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, regions: RegionTable | None = None) -> None:
        super().__init__(parent)
        self._regions = regions
        self._flow: Flow | None = None
        self.missing_label = QLabel(self.form)
        self.missing_label.setObjectName("fieldError")
        self.missing_label.setWordWrap(True)
        self.missing_label.hide()
        self.form_layout.addWidget(self.missing_label)
        self.sections_box = QWidget(self.form)
        self.sections_layout = QVBoxLayout(self.sections_box)
        self.sections_layout.setContentsMargins(0, 0, 0, 0)
        self.sections_layout.setSpacing(10)
        self.form_layout.addWidget(self.sections_box)
        self.edit_buttons: dict[Step, BigButton] = {}
        self.finish_form()

    def show_flow(self, flow: Flow) -> None:
        """Rebuild the summary from ``flow`` (called each time the review is shown)."""
        self._flow = flow
        self._rebuild()

    def _region_name(self, code: str | None) -> str:
        if not code:
            return ""
        try:
            region = (self._regions or default_table()).get(code)
        except RegionTableError:
            return code
        return region.name if region else code

    def _sections(self, flow: Flow) -> list[tuple[Step, str, list[str]]]:
        a = flow.applicant
        dash = "—"
        method = {"sms": self.tr("SMS"), "email": self.tr("E-mail")}.get(a.verification_method or "", dash)
        verified = (
            self.tr("Sudah diverifikasi")
            if a.otp_verified
            else self.tr("Diverifikasi setelah data terkirim")
            if flow.otp_mode == OtpMode.DEFERRED
            else self.tr("Belum")
        )
        gender = {"L": self.tr("Laki-laki"), "P": self.tr("Perempuan")}.get(a.gender or "", dash)
        answered = sum(1 for s in STATEMENTS if a.declaration.get(s.id) is True)
        sections: list[tuple[Step, str, list[str]]] = [
            (
                Step.CONTACT,
                self.tr("Kontak"),
                [a.phone or dash, a.email or dash, self.tr("Kode lewat: %1").replace("%1", method), verified],
            ),
            (
                Step.IDENTITY,
                self.tr("Data KTP"),
                [
                    a.nik or dash,
                    ", ".join(
                        x
                        for x in (a.birth_place, a.birth_date.strftime("%d-%m-%Y") if a.birth_date else "")
                        if x
                    )
                    or dash,
                ],
            ),
            (
                Step.PERSONAL,
                self.tr("Data diri"),
                [
                    a.full_name or dash,
                    gender,
                    self.tr("Ibu kandung: %1").replace("%1", a.mother_maiden_name or dash),
                ],
            ),
            (
                Step.ADDRESS,
                self.tr("Alamat"),
                [
                    " ".join(
                        x
                        for x in (a.street or "", f"RT {a.rt}" if a.rt else "", f"RW {a.rw}" if a.rw else "")
                        if x
                    )
                    or dash,
                    ", ".join(
                        n
                        for n in (
                            self._region_name(a.village_code),
                            self._region_name(a.district_code),
                            self._region_name(a.regency_code),
                            self._region_name(a.province_code),
                        )
                        if n
                    )
                    or dash,
                ],
            ),
            (
                Step.PROFILE,
                self.tr("Pendidikan dan pekerjaan"),
                [self._education_text(a.education), self._work_text(a.work_status)],
            ),
            (Step.KTP_PHOTO, self.tr("Foto KTP"), [self.tr("Ada") if a.ktp_photo else self.tr("Belum ada")]),
            (Step.SELFIE, self.tr("Foto diri"), [self.tr("Ada") if a.selfie_photo else self.tr("Belum ada")]),
            (
                Step.DECLARATION,
                self.tr("Pernyataan"),
                [
                    self.tr("%1 dari %2 dijawab Ya")
                    .replace("%1", str(answered))
                    .replace("%2", str(len(STATEMENTS)))
                ],
            ),
            (
                Step.TEST,
                self.tr("Tes"),
                [self.tr("Selesai") if a.test else self.tr("Belum dikerjakan")],
            ),
        ]
        return sections

    def _rebuild(self) -> None:
        while self.sections_layout.count():
            item = self.sections_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.edit_buttons = {}
        flow = self._flow
        if flow is None:
            self.missing_label.hide()
            return
        for step, title, lines in self._sections(flow):
            frame = QFrame(self.sections_box)
            frame.setObjectName("reviewSection")
            grid = QGridLayout(frame)
            grid.setContentsMargins(12, 8, 12, 8)
            heading = QLabel(title, frame)
            heading.setObjectName("fieldLabel")
            body = QLabel("\n".join(lines), frame)
            body.setWordWrap(True)
            body.setObjectName("reviewText")
            button = BigButton(self.tr("Ubah"), frame, role="secondary")
            button.setObjectName(f"edit_{step.value}")
            button.setAccessibleName(self.tr("Ubah %1").replace("%1", title))
            button.clicked.connect(lambda _c=False, s=step: self.edit_requested.emit(s.value))
            grid.addWidget(heading, 0, 0)
            grid.addWidget(body, 1, 0)
            grid.addWidget(button, 0, 1, 2, 1)
            grid.setColumnStretch(0, 1)
            self.edit_buttons[step] = button
            self.sections_layout.addWidget(frame)
        missing = flow.missing()
        if missing:
            titles = {s: t for s, t, _ in self._sections(flow)}
            lines = [
                f"• {titles.get(m.step, m.step.value)}: {m.message.text(self.language)}" for m in missing
            ]
            self.missing_label.setText(self.tr("Masih kurang:") + "\n" + "\n".join(lines))
            self.missing_label.show()
        else:
            self.missing_label.clear()
            self.missing_label.hide()

    def language_updated(self) -> None:
        self._rebuild()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Periksa data Anda"))
        self.hint_label.setText(self.tr("Tekan Ubah untuk memperbaiki. Jika sudah benar, tekan Kirim."))
        self.next_button.setText(self.tr("Kirim ▶"))
        if self._flow is not None:
            self._rebuild()

    def collect_content(self) -> dict[str, Any]:
        return {}

    def clear_content(self) -> None:
        self._flow = None
        self._rebuild()

    def _education_text(self, value: object) -> str:
        names = {
            Education.NONE: self.tr("Tidak sekolah"),
            Education.SD: self.tr("SD"),
            Education.SMP: self.tr("SMP"),
            Education.SMA: self.tr("SMA/SMK"),
            Education.D1_D3: self.tr("D1–D3"),
            Education.D4_S1: self.tr("D4/S1"),
            Education.S2_S3: self.tr("S2/S3"),
        }
        return names[value] if isinstance(value, Education) else "—"

    def _work_text(self, value: object) -> str:
        names = {
            WorkStatus.NOT_WORKING: self.tr("Tidak bekerja"),
            WorkStatus.LAID_OFF: self.tr("Korban PHK"),
            WorkStatus.WORKING: self.tr("Bekerja"),
            WorkStatus.BUSINESS_OWNER: self.tr("Wirausaha"),
        }
        return names[value] if isinstance(value, WorkStatus) else "—"
