"""Dialog "Briefhoofd": the letterhead of a care office (address, contact, KvK, logo, window)."""

from __future__ import annotations

from desktop.services import letters
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.errors import route_error
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError, dialog_buttons

FIELDS = (
    ("name", "Naam op de brief"),
    ("postal_address", "Postadres"),
    ("postcode", "Postcode"),
    ("place", "Plaats"),
    ("visiting_address", "Bezoekadres"),
    ("phone", "Telefoon"),
    ("email", "E-mail"),
    ("website", "Website"),
    ("kvk_number", "KvK-nummer"),
    ("iban", "IBAN"),
    ("logo_path", "Logo"),
    ("window_left_mm", "Venster links (mm)"),
    ("window_top_mm", "Venster boven (mm)"),
    ("window_width_mm", "Vensterbreedte (mm)"),
    ("window_height_mm", "Vensterhoogte (mm)"),
)


class LetterheadDialog(QDialog):
    def __init__(
        self, ctx: AppContext, office_code: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Briefhoofd")
        self.setMinimumWidth(520)
        self.resize(560, 560)
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Deze gegevens staan op elke beoordelingsbrief van het zorgkantoor. Postadres, "
            "postcode, plaats, telefoon, e-mail en KvK-nummer zijn nodig voor een "
            "definitieve brief. Het venster is de plaats van het adres voor een "
            "vensterenvelop, gemeten vanaf de linker- en bovenrand van het papier."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.office = QComboBox()
        self.office.setAccessibleName("Zorgkantoor")
        form = QFormLayout()
        form.addRow("Zorgkantoor", self.office)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        for key, label in FIELDS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            err = FieldError(edit)
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 0, 0, 0)
            bl.setSpacing(2)
            if key == "logo_path":
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                pick = QPushButton("Kiezen…")
                pick.clicked.connect(self._pick_logo)
                row.addWidget(pick)
                bl.addLayout(row)
            else:
                bl.addWidget(edit)
            bl.addWidget(err)
            form.addRow(label, box)
            self.edits[key] = edit
            self.errors[key] = err
        # Sixteen fields do not fit 600 pixels: they scroll, the buttons stay in sight (issue 14).
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 6, 0)
        body_lay.addLayout(form)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self.scroll.setMinimumHeight(200)
        lay.addWidget(self.scroll, 1)
        self.general = FieldError()
        lay.addWidget(self.general)
        lay.addWidget(dialog_buttons(self, "Opslaan", on_ok=self.save))
        self._wanted = office_code
        self.office.currentIndexChanged.connect(lambda _i: self._load())
        ctx.run(letters.care_offices, ctx.db, on_done=self._set_offices, label="Zorgkantoren laden")

    def _set_offices(self, offices: list[tuple[str, str]]) -> None:
        self.office.blockSignals(True)
        for code, name in offices:
            self.office.addItem(f"{name} ({code})", code)
        index = max(0, self.office.findData(self._wanted)) if self._wanted else 0
        self.office.setCurrentIndex(index)
        self.office.blockSignals(False)
        self._load()

    def code(self) -> str:
        return str(self.office.currentData() or "")

    def _load(self) -> None:
        if not self.code():
            return
        self.ctx.run(
            letters.get_letterhead,
            self.ctx.db,
            self.code(),
            on_done=self._show,
            label="Briefhoofd laden",
        )

    def _show(self, head: letters.Letterhead) -> None:
        for key, edit in self.edits.items():
            if key.startswith("window_"):
                value = getattr(head.window, key[7:])
                edit.setText(f"{value:g}".replace(".", ","))
            else:
                value = getattr(head, key)
                if key == "postcode" and value:
                    from desktop.services.formatting import postcode

                    value = postcode(value)
                edit.setText(str(value))
        self._clear()

    def _clear(self) -> None:
        for err in self.errors.values():
            err.clear_error()
        self.general.clear_error()

    def _pick_logo(self) -> None:
        path, _ = files.open_file_name(
            self, "Logo kiezen", "Afbeeldingen (*.png *.jpg *.jpeg)", kind="logo"
        )
        if path:
            self.edits["logo_path"].setText(path)

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def save(self) -> None:
        self._clear()
        by = self.ctx.user.id if self.ctx.user else None
        self.ctx.run(
            letters.set_letterhead,
            self.ctx.db,
            self.code(),
            by,
            **self.values(),
            on_done=self._saved,
            on_error=self._error,
            label="Briefhoofd opslaan",
        )

    def _saved(self, _head: letters.Letterhead) -> None:
        # No announcement: set_letterhead ran in ctx.run, so its unit of work tells every view
        # (entities_changed: "care_office").
        self.ctx.status_message("Briefhoofd opgeslagen.")
        self.accept()

    def _error(self, exc: BaseException) -> None:
        route_error(exc, self.errors, self.general.show_error, self)
        self.layout().activate()
        self.resize(self.width(), max(self.height(), min(self.sizeHint().height(), 560)))
