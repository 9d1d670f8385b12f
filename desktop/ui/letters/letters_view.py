"""Section "Brieven" (issue 6), the view: it builds the widgets, shows rows, details and pages,
and asks the user (dialog hooks that tests replace). The behaviour is in letters_controller.py
(TagStudio style: the controller subclasses the view); `LettersSection` stays importable here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services import formatting as fmt
from desktop.services import letters
from desktop.ui import files, style
from desktop.ui.letters import addendum_actions, batch_actions
from desktop.ui.letters.page_preview import PagePreview
from desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import button_row, title_label

ALL_REGIONS = "Alle regio's"
PREVIEW_DPI = 96.0


@dataclass(frozen=True)
class Row:
    kind: str  # "letter" / "pending"
    letter: letters.LetterInfo | None
    pending: letters.PendingDecision | None

    @property
    def request_id(self) -> str:
        if self.letter is not None:
            return self.letter.request_id
        assert self.pending is not None
        return self.pending.request_id


class LettersView(QWidget):
    """The widgets of the Brieven section: the list with its region filter and batch buttons on
    the left, the chosen letter's details, actions and page preview on the right."""

    HEADERS = ["Zorgaanbieder", "Kenmerk", "Regio", "Uitkomst", "Status"]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.current: Row | None = None
        self.pdf: bytes | None = None

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split = self.split = QSplitter(Qt.Orientation.Horizontal)
        self._split_placed = False

        # -- left: list and batch ------------------------------------------------------------
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(12, 12, 6, 12)
        head = QHBoxLayout()
        head.addWidget(title_label("Brieven"), 1)
        self.letterhead_button = QPushButton("Briefhoofd…")
        self.letterhead_button.setToolTip(
            "Adres, contactgegevens, KvK-nummer, logo en vensterpositie "
            "van het zorgkantoor op de brieven"
        )
        head.addWidget(self.letterhead_button)
        ll.addLayout(head)
        filt = QHBoxLayout()
        self.region = QComboBox()
        self.region.setAccessibleName("Regio")
        self.region.addItem(ALL_REGIONS)
        filt.addWidget(QLabel("Regio"))
        filt.addWidget(self.region, 1)
        ll.addLayout(filt)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # The provider takes what the other columns leave (elided; full name as tooltip).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAccessibleName("Brieven en goedgekeurde besluiten zonder brief")
        ll.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setWordWrap(True)
        self.count.setObjectName("muted")
        ll.addWidget(self.count)
        batch = QHBoxLayout()
        self.batch_save_button = QPushButton("Regio opslaan in map…")
        self.batch_save_button.setToolTip(
            "Alle goedgekeurde, nog niet verzonden brieven van de gekozen regio als PDF in een map"
        )
        self.batch_print_button = QPushButton("Regio afdrukken…")
        self.batch_print_button.setToolTip(
            "Alle goedgekeurde, nog niet verzonden brieven van de gekozen regio afdrukken"
        )
        batch.addWidget(self.batch_save_button)
        batch.addWidget(self.batch_print_button)
        ll.addLayout(batch)
        self.batch_message = QLabel()
        self.batch_message.setWordWrap(True)
        self.batch_message.setObjectName("fieldError")
        self.batch_message.hide()
        ll.addWidget(self.batch_message)

        # -- right: record, actions, preview ----------------------------------------------------
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 12, 12, 12)
        self.heading = QLabel("Kies een brief of een besluit")
        self.heading.setWordWrap(True)
        self.heading.setObjectName("sectionTitle")
        rl.addWidget(self.heading)
        info = QGridLayout()
        self.info: dict[str, QLabel | QLineEdit] = {}
        for i, (key, label) in enumerate(
            [
                ("kenmerk", "Ons kenmerk"),
                ("status", "Status"),
                ("datum", "Datum brief"),
                ("sjabloon", "Sjabloon"),
                ("opsteller", "Opsteller"),
                ("teamleider", "Teamleider"),
                ("verzonden", "Verzonden"),
                ("sha256", "SHA-256"),
            ]
        ):
            name = QLabel(label)
            name.setObjectName("muted")
            value: QLabel | QLineEdit
            if key == "sha256":
                # 64 characters: a row of its own, in a read-only field that scrolls rather than
                # widening the pane, and copies whole.
                value = QLineEdit("–")
                value.setReadOnly(True)
                value.setFrame(False)
                value.setMinimumWidth(160)
                value.setStyleSheet("QLineEdit { background: transparent; }")
                info.addWidget(name, 4, 0)
                info.addWidget(value, 4, 1, 1, 3)
            else:
                value = QLabel("–")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                info.addWidget(name, i // 2, (i % 2) * 2)
                info.addWidget(value, i // 2, (i % 2) * 2 + 1)
            value.setAccessibleName(label)
            self.info[key] = value
        rl.addLayout(info)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("fieldError")
        self.message.setStyleSheet(f"color: {style.ERROR};")
        self.message.hide()
        rl.addWidget(self.message)
        self.make_button = QPushButton("Brief maken")
        self.definitive_button = QPushButton("Definitief maken")
        self.definitive_button.setProperty("primary", True)
        self.save_button = QPushButton("Opslaan als PDF…")
        self.print_button = QPushButton("Afdrukken…")
        self.print_button.setToolTip("Afdrukken (Ctrl+P)")
        self.sent_button = QPushButton("Markeer als verzonden")
        # Issue 15: the addendum (bijlage 6) of an approved decision, and its signing date.
        self.addendum_button = QPushButton("Addendum opslaan…")
        self.addendum_button.setToolTip("Addendum kwaliteitsbudget (bijlage 6) opslaan als PDF")
        self.signed_button = QPushButton("Addendum getekend…")
        self.signed_button.setToolTip(
            "Leg vast op welke datum beide partijen het addendum tekenden"
        )
        rl.addWidget(
            button_row(
                [
                    self.make_button,
                    self.definitive_button,
                    self.save_button,
                    self.print_button,
                    self.sent_button,
                ]
            )
        )
        rl.addWidget(button_row([self.addendum_button, self.signed_button]))
        # The vier-ogen rule told where the action starts (issue 14), in the service's words.
        self.definitive_reason = QLabel()
        self.definitive_reason.setWordWrap(True)
        self.definitive_reason.setObjectName("muted")
        self.definitive_reason.setAccessibleName("Waarom definitief maken niet kan")
        self.definitive_reason.hide()
        rl.addWidget(self.definitive_reason)
        self.preview = PagePreview("Voorbeeld van de brief")
        rl.addWidget(self.preview, 1)

        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(split)

    # -- dialogs (tests replace these hooks) -------------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_save_path(self, suggested: str) -> str | None:
        path, _ = files.save_file_name(
            self, "Brief opslaan als PDF", suggested, "PDF (*.pdf)", "brieven"
        )
        return path or None

    def ask_addendum_path(self, suggested: str) -> str | None:
        return addendum_actions.ask_addendum_path(self, suggested)

    def ask_signed_date(self, provider: str) -> date | None:
        return addendum_actions.ask_signed_date(self, provider)

    def ask_folder(self) -> str | None:
        return files.existing_folder(self, "Map voor de brieven", "brieven") or None

    def ask_include_pending(self, region: str, count: int) -> bool | None:
        """True: make the approved decisions without a definitive letter definitive first and
        include them; False: only the letters that are definitive already; None: cancel."""
        return batch_actions.ask_include_pending(self, region, count)

    def make_printer(self) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Brief afdrukken")
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    # -- showing -----------------------------------------------------------------------------------
    def _set_regions(self, names: list[str]) -> None:
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(ALL_REGIONS)
        self.region.addItems(names)
        self.region.blockSignals(False)

    def _region(self) -> str | None:
        text = self.region.currentText()
        return None if text in ("", ALL_REGIONS) else text

    # The list's short outcome words (the full label is the cell's tooltip and in the letter).
    OUTCOME_SHORT = {
        "APPROVED": "Akkoord",
        "APPROVED_ADJUSTED": "Aangepast",
        "APPROVED_UP_TO_RESERVED": "Tot reservering",
        "REJECTED": "Afgewezen",
    }

    def _fill_table(
        self, items: list[letters.LetterInfo], pending: list[letters.PendingDecision]
    ) -> None:
        """The letters and the approved decisions without a letter, and the count below."""
        self.rows = [Row("letter", x, None) for x in items] + [
            Row("pending", None, p) for p in pending
        ]
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            if row.letter:
                x = row.letter
                day = x.sent_on or (x.letter_date if x.status != "DRAFT" else None)
                values = [
                    x.provider_name,
                    x.kenmerk or "(concept)",
                    x.region_name,
                    self.OUTCOME_SHORT.get(x.decision, x.decision_label),
                    x.status_label,
                ]
                decision_label = x.decision_label
                status_tip = x.status_label + (f" {fmt.long_date(day)}" if day else "")
            else:
                p = row.pending
                assert p is not None
                values = [
                    p.provider_name,
                    "–",
                    p.region_name,
                    self.OUTCOME_SHORT.get(p.decision, p.decision_label),
                    "Nog geen brief",
                ]
                decision_label = p.decision_label
                status_tip = "Goedgekeurd besluit, nog geen brief"
            for c, v in enumerate(values):
                item = QTableWidgetItem(str(v))
                item.setData(Qt.ItemDataRole.UserRole, r)
                item.setToolTip(decision_label if c == 3 else status_tip if c == 4 else str(v))
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.setColumnHidden(2, self._region() is not None)  # region: only for all regions
        drafts = sum(1 for r in self.rows if r.letter and r.letter.status == "DRAFT")
        ready = sum(1 for r in self.rows if r.letter and r.letter.status == "DEFINITIVE")
        n_letters = "1 brief" if len(items) == 1 else f"{len(items)} brieven"
        n_pending = (
            "1 goedgekeurd besluit"
            if len(pending) == 1
            else f"{len(pending)} goedgekeurde besluiten"
        )
        self.count.setText(
            f"{n_letters} ({drafts} concept, {ready} klaar om te verzenden), "
            f"{n_pending} zonder brief"
        )

    def _update_info(self) -> None:
        row = self.current
        x = row.letter if row else None
        if row is None:
            self.heading.setText("Kies een brief of een besluit")
        elif x is None:
            p = row.pending
            assert p is not None
            self.heading.setText(f"{p.provider_name} – {p.decision_label.lower()}, nog geen brief")
        else:
            self.heading.setText(f"Beoordelingsbrief {x.year} – {x.provider_name}")
        vals = {
            "kenmerk": (x.kenmerk or "wordt toegekend bij definitief maken") if x else "–",
            "status": x.status_label if x else "–",
            "datum": fmt.long_date(x.letter_date) if x and x.letter_date else "–",
            "sjabloon": f"{x.template_id} {x.template_version}".strip()
            if x and x.template_version
            else "–",
            "opsteller": x.maker_name if x and x.maker_name else "–",
            "teamleider": x.approver_name if x and x.approver_name else "–",
            "verzonden": fmt.long_date(x.sent_on) if x and x.sent_on else "–",
            "sha256": x.sha256 if x and x.sha256 else "–",
        }
        for k, v in vals.items():
            self.info[k].setText(v)
        sha = self.info["sha256"]
        sha.setToolTip(vals["sha256"])
        if isinstance(sha, QLineEdit):
            sha.setCursorPosition(0)  # show the start of the hash

    @property
    def page_labels(self) -> list[QLabel]:
        return self.preview.page_labels

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt API)
        super().resizeEvent(event)
        if not self._split_placed:
            # Until the user moves the splitter: about half for the list (its five columns fit
            # from 1366 px on), the rest for the preview.
            total = sum(self.split.sizes()) or self.width()
            left = max(self.split.widget(0).minimumSizeHint().width(), min(620, total // 2))
            self.split.setSizes([left, max(0, total - left)])

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _hide_message(self) -> None:
        self.message.hide()
        self.message.clear()


def __getattr__(name: str) -> Any:
    """`LettersSection` (the controller) from its old place: sections.py and the tests name
    desktop.ui.letters.letters_view:LettersSection. Lazy, as the controller imports this view."""
    if name == "LettersSection":
        from desktop.ui.letters.letters_controller import LettersSection

        return LettersSection
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
