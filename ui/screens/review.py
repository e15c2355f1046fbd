"""Review: every section in short, each with "Ubah" (change), and what is still missing.

Why this screen is built from the flow each time it is shown: the flow holds the normalised values
(names in capitals as on the KTP, E.164 phone, region names) and the ``missing()`` list; the review
shows exactly what will be sealed, and "Ubah" jumps to the section and comes straight back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from kiosk.contacts import format_mobile_national
from kiosk.declaration import STATEMENTS
from kiosk.flow import Flow, OtpMode, Step
from kiosk.payload import Education, WorkStatus
from kiosk.regions import RegionTable, RegionTableError
from kiosk.regions import table as default_table
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton

REVIEW_PAGES: tuple[tuple[Step, ...], ...] = (
    (Step.CONTACT, Step.IDENTITY, Step.PERSONAL),
    (Step.ADDRESS, Step.PROFILE, Step.DECLARATION),
    (Step.KTP_PHOTO, Step.SELFIE, Step.TEST),
)
"""Which section cards each review page shows (one full-width card per row)."""
MISSING_SHOWN = 3


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
        # Check answers on pages of four or five short cards (two columns): everything on a page is
        # visible at once at 1024×600; "Lanjut" turns the page, "Kirim" on the last one seals.
        self.sections_box = QWidget(self.form)
        self.section_grids: list[QGridLayout] = []
        for _ in range(len(REVIEW_PAGES)):
            layout = self.begin_page()
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(6)
            grid.setColumnStretch(0, 1)
            layout.addLayout(grid)
            self.section_grids.append(grid)
        self.edit_buttons: dict[Step, BigButton] = {}
        self._cards: list[QFrame] = []
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
                [
                    format_mobile_national(a.phone) if a.phone else dash,
                    a.email or dash,
                    f"{method} · {verified}",
                ],
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
        for card in self._cards:
            card.hide()  # hidden at once: deleteLater only removes it at the next event loop pass
            card.deleteLater()
        self._cards = []
        self.edit_buttons = {}
        flow = self._flow
        if flow is None:
            self.missing_label.hide()
            return
        placed = {
            step: (page, index) for page, steps in enumerate(REVIEW_PAGES) for index, step in enumerate(steps)
        }
        for step, title, lines in self._sections(flow):
            page, index = placed[step]
            frame = QFrame(self.pages[page])
            frame.setObjectName("reviewSection")
            grid = QGridLayout(frame)
            grid.setContentsMargins(10, 4, 6, 4)
            grid.setVerticalSpacing(2)
            grid.setHorizontalSpacing(8)
            heading = QLabel(title, frame)
            heading.setObjectName("reviewHeading")
            heading.setWordWrap(True)
            body = QLabel(" · ".join(line for line in lines if line != "—") or "—", frame)
            body.setWordWrap(True)
            body.setObjectName("reviewText")
            button = BigButton(self.tr("Ubah"), frame, role="secondary")
            button.setObjectName(f"edit_{step.value}")
            button.setMinimumWidth(110)
            button.setAccessibleName(self.tr("Ubah %1").replace("%1", title))
            button.clicked.connect(lambda _c=False, s=step: self.edit_requested.emit(s.value))
            grid.addWidget(heading, 0, 0)
            grid.addWidget(body, 1, 0)
            grid.addWidget(button, 0, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(0, 1)
            self.edit_buttons[step] = button
            self.section_grids[page].addWidget(frame, index, 0)
            self._cards.append(frame)
        missing = flow.missing()
        if missing:
            titles = {s: t for s, t, _ in self._sections(flow)}
            lines = [f"{titles.get(m.step, m.step.value)}: {m.message.text(self.language)}" for m in missing]
            shown = lines[:MISSING_SHOWN]
            if len(lines) > MISSING_SHOWN:
                shown.append(self.tr("dan %1 lainnya").replace("%1", str(len(lines) - MISSING_SHOWN)))
            self.missing_label.setText(
                self.tr("Masih kurang. Tekan Ubah pada bagian ini:")
                + "\n"
                + "\n".join("• " + x for x in shown)
            )
            self.missing_label.show()
        else:
            self.missing_label.clear()
            self.missing_label.hide()
        self.hint_label.setVisible(not missing)  # the list of what is missing says what to do
        self._update_next_text()

    def language_updated(self) -> None:
        self._rebuild()

    def retranslate_content(self) -> None:
        self.title_label.setText(
            self.tr("Periksa data Anda (%1 dari %2)")
            .replace("%1", str(self.current_page + 1))
            .replace("%2", str(self.page_count()))
        )
        self.hint_label.setText(self.tr("Tekan Ubah untuk memperbaiki. Jika sudah benar, tekan Lanjut."))
        self._update_next_text()
        if self._flow is not None:
            self._rebuild()

    def page_for(self, step: Step) -> int:
        """The review page that shows ``step``'s card (back from "Ubah" lands there)."""
        for index, steps in enumerate(REVIEW_PAGES):
            if step in steps:
                return index
        return 0

    def on_last_page(self) -> bool:
        return self.current_page >= self.page_count() - 1

    def _update_next_text(self) -> None:
        """ "Kirim" only where it sends: on the last page; before it, "Lanjut" turns the page."""
        self.next_button.setText(self.tr("Kirim ▶") if self.on_last_page() else self.tr("Lanjut ▶"))

    def page_changed(self) -> None:
        self.retranslate_content()

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
