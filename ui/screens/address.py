"""Address: street, RT/RW, and the four cascading region pickers (province → village).

Why pickers that open a searchable list inside the screen: Indonesia has 38 provinces, 514
kabupaten/kota, 7,285 kecamatan and 83,762 kelurahan/desa; a combo box of hundreds is unusable on a
touch screen. Each level opens a list of the children of the level above, narrowed as the person types
the start of a name (``kiosk.regions`` searches every word start: "bandung" finds "Kabupaten
Bandung"). Changing a level clears the levels below it, so an address is never half from one region
and half from another. Region names come from the official table and are not translated.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import Step
from kiosk.regions import Level, Region, RegionTable, RegionTableError
from kiosk.regions import table as default_table
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton
from ui.widgets.error_text import show_error
from ui.widgets.labeled_field import LabeledField
from ui.widgets.touch_scroll import make_touch_scrollable
from ui.widgets.wrap_button import WrapButton

LEVELS: tuple[tuple[str, Level], ...] = (
    ("province_code", 1),
    ("regency_code", 2),
    ("district_code", 3),
    ("village_code", 4),
)
LIST_LIMIT = 200


class RegionRow(QWidget):
    """One level: its name, the chosen region on a big button, and an inline error."""

    in_summary = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("fieldLabel")
        self.button = WrapButton("", self, role="choice")
        self.button.setObjectName("regionButton")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.region: Region | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        layout.addWidget(self.error_label)

    def set_error(self, message: str | None) -> None:
        self._error = message or None
        show_error(self.error_label, message)

    def error(self) -> str | None:
        return getattr(self, "_error", None)


class AddressScreen(WizardScreen):
    screen_name = "address"
    step = 5
    flow_step = Step.ADDRESS

    def __init__(self, parent: QWidget | None = None, regions: RegionTable | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self._regions = regions
        # Page 1: street and RT/RW (typed); page 2: the four regions (picked), two by two.
        main = self.begin_page()
        self.main_box = self.pages[-1]
        self.street = self._field("street", False, 200, main)
        rt_rw = QHBoxLayout()
        self.rt = self._field("rt", True, 3, rt_rw)
        self.rw = self._field("rw", True, 3, rt_rw)
        for edit in (self.rt.line_edit, self.rw.line_edit):
            edit.setValidator(QRegularExpressionValidator(r"[0-9]{0,3}", edit))
        main.addLayout(rt_rw)
        regions_page = self.begin_page()
        self.regions_box = self.pages[-1]
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        regions_page.addLayout(grid)
        self.rows: dict[str, RegionRow] = {}
        for index, (key, level) in enumerate(LEVELS):
            row = RegionRow(self.regions_box)
            row.button.clicked.connect(lambda _c=False, k=key, lv=level: self.open_picker(k, lv))
            self.rows[key] = row
            self.fields[key] = row
            self.register_page_field(key)
            grid.addWidget(row, index // 2, index % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._page_layout = None

        self.picker_box = QWidget(self.form)
        picker = QVBoxLayout(self.picker_box)
        picker.setContentsMargins(0, 0, 0, 0)
        self.picker_title = QLabel(self.picker_box)
        self.picker_title.setObjectName("fieldLabel")
        self.search = LabeledField("", self.picker_box)
        self.search.line_edit.setObjectName("regionSearchEdit")
        self.search.label.setWordWrap(True)
        self.search.line_edit.textChanged.connect(self._refresh_list)
        if self.input_panel is not None:
            self.input_panel.register(self.search.line_edit, False)
        self.region_list = QListWidget(self.picker_box)
        self.region_list.setObjectName("regionList")
        self.region_list.setMinimumHeight(120)
        make_touch_scrollable(self.region_list)
        self.region_list.itemClicked.connect(self._chosen)
        self.region_list.itemActivated.connect(self._chosen)
        self.picker_close = BigButton("", self.picker_box, role="secondary")
        self.picker_close.clicked.connect(self.close_picker)
        picker.addWidget(self.picker_title)
        picker.addWidget(self.search)
        picker.addWidget(self.region_list, 1)
        picker.addWidget(self.picker_close)
        # The wizard's "Kembali" closes the list (one navigation row): no second back button here.
        self.picker_close.hide()
        self.picker_title.hide()
        self.picker_box.hide()
        self.form_layout.addWidget(self.picker_box)
        self._picking: tuple[str, Level] | None = None
        self.finish_form()

    def _field(
        self, name: str, numeric: bool, max_length: int, layout: QVBoxLayout | QHBoxLayout
    ) -> LabeledField:
        field = LabeledField("", self.main_box)
        field.label.setWordWrap(True)
        field.line_edit.setMaxLength(max_length)
        field.line_edit.setObjectName(f"{name}Edit")
        self.fields[name] = field
        self.register_page_field(name)
        layout.addWidget(field)
        if self.input_panel is not None:
            self.input_panel.register(field.line_edit, numeric)
        return field

    def _table(self) -> RegionTable:
        return self._regions if self._regions is not None else default_table()

    # -- the picker ---------------------------------------------------------------------------------
    def _parent_code(self, key: str) -> str | None:
        index = [k for k, _ in LEVELS].index(key)
        if index == 0:
            return None
        above = self.rows[LEVELS[index - 1][0]].region
        return above.code if above is not None else ""

    def open_picker(self, key: str, level: Level) -> None:
        """Show the list for ``key``; a level whose parent is not chosen yet asks for the parent."""
        parent = self._parent_code(key)
        if parent == "":
            index = [k for k, _ in LEVELS].index(key)
            self.rows[key].set_error(
                self.tr("Pilih %1 dulu.").replace("%1", self._level_name(LEVELS[index - 1][1]))
            )
            return
        self._picking = (key, level)
        for page in self.pages:
            page.hide()
        self.picker_box.show()
        self.hint_label.hide()
        self.next_button.hide()
        self.search.line_edit.clear()
        self._refresh_list("")
        self.retranslate_content()
        self._size_panel(self.width())
        self.search.line_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.input_panel is not None:
            self.input_panel.show_for(self.search.line_edit)

    def close_picker(self) -> None:
        was_picking = self._picking is not None
        self._picking = None
        self.region_list.clear()
        self.search.line_edit.clear()
        self.search.set_error(None)
        self.picker_box.hide()
        self.hint_label.show()
        self.next_button.show()
        if self.pages:
            self.pages[self.current_page].show()
        if was_picking:
            self.retranslate_content()
            self._size_panel(self.width())

    def handle_back(self) -> bool:
        """ "Kembali" while the list is open closes the list (nothing chosen, nothing lost)."""
        if self._picking is None:
            return False
        self.close_picker()
        return True

    def page_edits(self) -> list[QLineEdit]:
        if self._picking is not None:
            return [self.search.line_edit]
        return super().page_edits()

    def go_to_page(self, index: int) -> None:
        if self._picking is not None:
            self.close_picker()
        super().go_to_page(index)

    def picking(self) -> str | None:
        return self._picking[0] if self._picking else None

    def _refresh_list(self, text: str) -> None:
        self.region_list.clear()
        if self._picking is None:
            return
        key, level = self._picking
        parent = self._parent_code(key)
        try:
            table = self._table()
            if text.strip():
                found = table.search(text, level=level, parent=parent, limit=LIST_LIMIT)
            else:
                found = table.children(parent) if parent else table.provinces()
        except RegionTableError as exc:
            self.search.set_error(exc.message.text(self.language))
            return
        self.search.set_error(
            None if found else self.tr("Tidak ada nama yang cocok. Coba ketik lebih sedikit.")
        )
        for region in found:
            item = QListWidgetItem(region.name, self.region_list)
            item.setData(Qt.ItemDataRole.UserRole, region.code)

    def _chosen(self, item: QListWidgetItem) -> None:
        if self._picking is None:
            return
        key, _level = self._picking
        region = self._table().get(str(item.data(Qt.ItemDataRole.UserRole)))
        if region is not None:
            self.choose(key, region)
        self.close_picker()

    def choose(self, key: str, region: Region | None) -> None:
        """Set one level; the levels below are cleared when it changed."""
        row = self.rows[key]
        changed = (row.region.code if row.region else None) != (region.code if region else None)
        row.region = region
        row.set_error(None)
        if changed:
            below = [k for k, _ in LEVELS][[k for k, _ in LEVELS].index(key) + 1 :]
            for lower in below:
                self.rows[lower].region = None
        self.retranslate_content()

    # -- texts and values -----------------------------------------------------------------------------
    def _level_name(self, level: int) -> str:
        return {
            1: self.tr("provinsi"),
            2: self.tr("kabupaten/kota"),
            3: self.tr("kecamatan"),
            4: self.tr("kelurahan/desa"),
        }[level]

    def retranslate_content(self) -> None:
        if self._picking is not None:
            self.title_label.setText(self.tr("Pilih %1").replace("%1", self._level_name(self._picking[1])))
        else:
            self.title_label.setText(self.tr("Alamat sesuai KTP"))
        if self.current_page == 0:
            self.hint_label.setText(self.tr("Tulis jalan dan nomor rumah, lalu RT dan RW."))
        else:
            self.hint_label.setText(self.tr("Pilih wilayah dari atas ke bawah: provinsi dulu."))
        self.street.set_label(self.tr("Jalan, nomor rumah, dusun"))
        self.rt.set_label(self.tr("RT"))
        self.rw.set_label(self.tr("RW"))
        labels = {
            "province_code": self.tr("Provinsi"),
            "regency_code": self.tr("Kabupaten/Kota"),
            "district_code": self.tr("Kecamatan"),
            "village_code": self.tr("Kelurahan/Desa"),
        }
        for key, level in LEVELS:
            row = self.rows[key]
            row.label.setText(labels[key])
            row.button.setText(
                row.region.name if row.region else self.tr("Pilih %1…").replace("%1", self._level_name(level))
            )
        if self._picking is not None:
            self.picker_title.setText(self.tr("Pilih %1").replace("%1", self._level_name(self._picking[1])))
        self.search.set_label(self.tr("Cari: ketik awal nama"))
        self.picker_close.setText(self.tr("◀ Kembali ke alamat"))

    def collect_content(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "street": self.street.text(),
            "rt": self.rt.text(),
            "rw": self.rw.text(),
        }
        for key, _level in LEVELS:
            region = self.rows[key].region
            values[key] = region.code if region else ""
        return values

    def load(self, values: dict[str, Any]) -> None:
        self.street.line_edit.setText(str(values.get("street") or ""))
        self.rt.line_edit.setText(str(values.get("rt") or ""))
        self.rw.line_edit.setText(str(values.get("rw") or ""))
        for key, _level in LEVELS:
            code = str(values.get(key) or "")
            self.rows[key].region = self._table().get(code) if code else None
        self.retranslate_content()

    def clear_content(self) -> None:
        self.close_picker()
        for field in (self.street, self.rt, self.rw):
            field.line_edit.clear()
        for row in self.rows.values():
            row.region = None
            row.set_error(None)
        self.retranslate_content()

    def page_changed(self) -> None:
        self.retranslate_content()
