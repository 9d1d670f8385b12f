"""Section "Brieven": beoordelingsbrieven with preview, definitive, save, print, sent, batch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.services import formatting as fmt
from desktop.services import letters
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.errors import route_error
from desktop.ui.letters import addendum_actions
from desktop.ui.letters.pdf_pages import PageImage, print_pdfs, render_pages
from desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QPushButton,
    QScrollArea,
    QShortcut,
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
        return self.letter.request_id if self.letter else self.pending.request_id  # type: ignore[union-attr]


class LettersSection(QWidget):
    HEADERS = ["Zorgaanbieder", "Kenmerk", "Regio", "Uitkomst", "Status"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Row] = []
        self.current: Row | None = None
        self.pdf: bytes | None = None
        self._selected_request: str | None = None
        self.last_batch: letters.BatchResult | None = None

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
        self.message.setStyleSheet("color: #B3261E;")
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
        self.preview = QScrollArea()
        self.preview.setWidgetResizable(True)
        self.preview.setAccessibleName("Voorbeeld van de brief")
        self.pages_host = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_host)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.preview.setWidget(self.pages_host)
        self.preview.setStyleSheet("QScrollArea { background: #E6E9ED; }")
        rl.addWidget(self.preview, 1)
        self.page_labels: list[QLabel] = []

        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(split)

        self.table.itemSelectionChanged.connect(self._selected)
        split.splitterMoved.connect(lambda *_: setattr(self, "_split_placed", True))
        self.region.currentIndexChanged.connect(lambda _i: self.refresh())
        self.make_button.clicked.connect(self.make_letter)
        self.definitive_button.clicked.connect(self.make_definitive)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_letter)
        self.sent_button.clicked.connect(self.mark_sent)
        self.addendum_button.clicked.connect(lambda: addendum_actions.save_addendum(self))
        self.signed_button.clicked.connect(lambda: addendum_actions.record_signed(self))
        self.batch_save_button.clicked.connect(self.batch_save)
        self.letterhead_button.clicked.connect(self.open_letterhead)
        self.batch_print_button.clicked.connect(self.batch_print)
        shortcut = QShortcut(QKeySequence.StandardKey.Print, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.print_letter)
        ctx.changed.connect(self._changed)
        ctx.user_changed.connect(lambda _u: self._update_buttons())
        ctx.entities_changed.connect(self._entities_changed)  # approvals: "review_event"
        self._update_buttons()
        self.ctx.run(letters.region_names, ctx.db, on_done=self._set_regions, label="Regio's laden")
        self.refresh()

    # -- hooks (tests replace these; the real ones open dialogs) ----------------------------------
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

    def ask_signed_date(self, provider: str):  # type: ignore[no-untyped-def]
        return addendum_actions.ask_signed_date(self, provider)

    def ask_folder(self) -> str | None:
        return files.existing_folder(self, "Map voor de brieven", "brieven") or None

    def ask_include_pending(self, region: str, count: int) -> bool | None:
        """True: make the approved decisions without a definitive letter definitive first and
        include them; False: only the letters that are definitive already; None: cancel."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Brieven van de regio")
        one = count == 1
        box.setText(
            f"In regio {region} {'heeft' if one else 'hebben'} {count} goedgekeurde "
            f"{'besluit' if one else 'besluiten'} nog geen definitieve brief."
        )
        warning = letters.date_warning(letters.service.today_nl())
        box.setInformativeText(
            "Wilt u die brieven nu definitief maken en meenemen? Ze krijgen een kenmerk en de "
            "datum van vandaag, en u staat erop als opsteller. Een definitieve brief verandert "
            "daarna niet meer." + (f"\n\n{warning}" if warning else "")
        )
        make = box.addButton("Definitief maken en meenemen", QMessageBox.ButtonRole.AcceptRole)
        only = box.addButton("Alleen al definitieve brieven", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(only)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is make else False if clicked is only else None

    def make_printer(self) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Brief afdrukken")
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def open_letterhead(self) -> QWidget:
        from desktop.ui.letters.letterhead_dialog import LetterheadDialog

        code = (
            self.current.letter.care_office_code if self.current and self.current.letter else None
        )
        self.letterhead_dialog = LetterheadDialog(self.ctx, code, self)
        self.letterhead_dialog.open()
        return self.letterhead_dialog

    # -- loading ---------------------------------------------------------------------------------
    def _set_regions(self, names: list[str]) -> None:
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(ALL_REGIONS)
        self.region.addItems(names)
        self.region.blockSignals(False)

    def _region(self) -> str | None:
        text = self.region.currentText()
        return None if text in ("", ALL_REGIONS) else text

    def _changed(self, entity: str) -> None:
        if entity in ("letter", "budget_request", "review_event", "care_office", "provider", "*"):
            self.refresh()

    def _entities_changed(self, names: frozenset[str]) -> None:
        if "review_event" in names:  # an approval anywhere (no view announces it by name)
            self.refresh()

    def refresh(self) -> None:
        db, region = self.ctx.db, self._region()
        self.ctx.run(
            lambda: (
                letters.list_letters(db, region=region),
                letters.pending_decisions(db, region=region),
            ),
            on_done=self._show,
            on_error=self._error,
            label="Brieven laden",
        )

    # The list's short outcome words (the full label is the cell's tooltip and in the letter).
    OUTCOME_SHORT = {
        "APPROVED": "Akkoord",
        "APPROVED_ADJUSTED": "Aangepast",
        "APPROVED_UP_TO_RESERVED": "Tot reservering",
        "REJECTED": "Afgewezen",
    }

    def _show(self, result: tuple[list[letters.LetterInfo], list[letters.PendingDecision]]) -> None:
        items, pending = result
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
        # keep the selection on the same request
        target = self._selected_request
        for i, row in enumerate(self.rows):
            if target and row.request_id == target:
                self.table.selectRow(i)
                self.current = row
                break
        else:
            self.current = None
        self._update_buttons()
        self._update_info()
        if self.current is not None:
            self._load_preview()

    def select_request(self, request_id: str) -> bool:
        for i, row in enumerate(self.rows):
            if row.request_id == request_id:
                self.table.selectRow(i)
                return True
        return False

    def _selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        row = self.rows[items[0].data(Qt.ItemDataRole.UserRole)]
        self.current = row
        self._selected_request = row.request_id
        self._hide_message()
        self._update_buttons()
        self._update_info()
        self._load_preview()

    def _update_buttons(self) -> None:
        row = self.current
        letter = row.letter if row else None
        self.make_button.setVisible(bool(row and row.kind == "pending"))
        self.make_button.setEnabled(bool(row and row.kind == "pending" and self.ctx.user))
        self.definitive_button.setEnabled(
            bool(letter and letter.status == "DRAFT" and self.ctx.user)
        )
        self.definitive_button.setToolTip("")
        self.definitive_reason.hide()
        if letter is not None and letter.status == "DRAFT":
            user = self.ctx.user.id if self.ctx.user else None
            self.ctx.run(
                letters.definitive_refusal,
                self.ctx.db,
                letter.request_id,
                user,
                on_done=lambda why, lid=letter.id: self._show_refusal(lid, why),
                label="Brief controleren",
            )
        self.save_button.setEnabled(bool(letter))
        self.print_button.setEnabled(bool(letter))
        self.sent_button.setEnabled(
            bool(letter and letter.status == "DEFINITIVE" and self.ctx.user)
        )
        self.addendum_button.setEnabled(addendum_actions.can_addendum(letter))
        self.signed_button.setEnabled(addendum_actions.can_sign(letter) and bool(self.ctx.user))

    def _show_refusal(self, letter_id: str, why: str | None) -> None:
        letter = self.current.letter if self.current else None
        if letter is None or letter.id != letter_id or not why:
            return
        self.definitive_button.setEnabled(False)
        self.definitive_button.setToolTip(why)
        self.definitive_reason.setText(f"Definitief maken kan niet: {why}")
        self.definitive_reason.show()

    def _update_info(self) -> None:
        row = self.current
        x = row.letter if row else None
        if row is None:
            self.heading.setText("Kies een brief of een besluit")
        elif x is None:
            p = row.pending
            self.heading.setText(f"{p.provider_name} – {p.decision_label.lower()}, nog geen brief")  # type: ignore[union-attr]
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

    # -- preview ---------------------------------------------------------------------------------
    def _load_preview(self) -> None:
        row = self.current
        self.pdf = None
        if row is None or row.letter is None:
            self._set_pages([])
            return
        db, letter_id = self.ctx.db, row.letter.id

        def work() -> tuple[bytes, list[PageImage]]:
            pdf = letters.letter_pdf(db, letter_id)
            return pdf, render_pages(pdf, PREVIEW_DPI)

        def done(result: tuple[bytes, list[PageImage]]) -> None:
            if (
                self.current is None
                or self.current.letter is None
                or self.current.letter.id != letter_id
            ):
                return
            self.pdf, pages = result
            self._set_pages(pages)

        self.ctx.run(work, on_done=done, on_error=self._error, label="Voorbeeld maken")

    def _set_pages(self, pages: list[PageImage]) -> None:
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        self._images = [page.to_qimage() for page in pages]
        for i in range(len(self._images)):
            label = QLabel()
            label.setFrameShape(QFrame.Shape.Box)
            label.setAccessibleName(f"Pagina {i + 1} van {len(self._images)}")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self._fit_pages()

    def _fit_pages(self) -> None:
        """Show the pages at the width of the preview (never larger than rendered)."""
        width = max(200, self.preview.viewport().width() - 32)
        for label, image in zip(self.page_labels, getattr(self, "_images", []), strict=False):
            pix = QPixmap.fromImage(image)
            if pix.width() > width:
                pix = pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pix)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt API)
        super().resizeEvent(event)
        if not self._split_placed:
            # Until the user moves the splitter: about half for the list (its five columns fit
            # from 1366 px on), the rest for the preview.
            total = sum(self.split.sizes()) or self.width()
            left = max(self.split.widget(0).minimumSizeHint().width(), min(620, total // 2))
            self.split.setSizes([left, max(0, total - left)])
        if self.page_labels:
            self._fit_pages()

    # -- actions -----------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        route_error(exc, {}, self._show_message, self)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _hide_message(self) -> None:
        self.message.hide()
        self.message.clear()

    def _after_write(self, info: Any, text: str) -> None:
        self._hide_message()
        self.ctx.status_message(text)
        self.ctx.changed.emit("letter")

    def make_letter(self) -> None:
        row = self.current
        if row is None or row.kind != "pending" or self.ctx.user is None:
            return
        db, by, rid = self.ctx.db, self.ctx.user.id, row.request_id
        self._selected_request = rid
        self.ctx.run(
            letters.create_letter,
            db,
            rid,
            by,
            on_done=lambda info: self._after_write(info, "Conceptbrief gemaakt."),
            on_error=self._error,
            label="Brief maken",
        )

    def make_definitive(self) -> None:
        row = self.current
        if row is None or row.letter is None or self.ctx.user is None:
            return
        warning = letters.date_warning(letters.service.today_nl())
        if not self.confirm(
            "Definitief maken",
            f"De brief aan {row.letter.provider_name} krijgt een kenmerk en wordt "
            "definitief opgeslagen. Daarna verandert hij niet meer. Doorgaan?"
            + (f"\n\n{warning}" if warning else ""),
        ):
            return
        db, by, lid = self.ctx.db, self.ctx.user.id, row.letter.id
        self.ctx.run(
            letters.make_definitive,
            db,
            lid,
            by,
            on_done=lambda info: self._after_write(
                info, f"Brief {info.kenmerk} is definitief (SHA-256 {info.sha256[:12]}…)."
            ),
            on_error=self._error,
            label="Brief definitief maken",
        )

    def mark_sent(self) -> None:
        row = self.current
        if row is None or row.letter is None or self.ctx.user is None:
            return
        db, by, lid = self.ctx.db, self.ctx.user.id, row.letter.id
        self.ctx.run(
            letters.mark_sent,
            db,
            lid,
            by,
            on_done=lambda info: self._after_write(info, f"Brief {info.kenmerk} is verzonden."),
            on_error=self._error,
            label="Markeren als verzonden",
        )

    def save_pdf(self) -> None:
        row = self.current
        if row is None or row.letter is None:
            return
        path = self.ask_save_path(letters.file_name(row.letter))
        if not path:
            return
        db, lid = self.ctx.db, row.letter.id

        def work() -> str:
            Path(path).write_bytes(letters.letter_pdf(db, lid))
            return path

        self.ctx.run(
            work,
            on_done=lambda p: self.ctx.offer_open(p),
            on_error=self._error,
            label="PDF opslaan",
        )

    def print_letter(self) -> None:
        row = self.current
        if row is None or row.letter is None:
            return
        printer = self.make_printer()
        if printer is None:
            return
        db, lid = self.ctx.db, row.letter.id
        self._printer = printer  # keep it alive while the worker prints

        def work() -> int:
            return print_pdfs(printer, [letters.letter_pdf(db, lid)])

        self.ctx.run(
            work,
            on_done=lambda n: self.ctx.status_message(f"{n} pagina's afgedrukt."),
            on_error=self._error,
            label="Afdrukken",
        )

    def _batch_region(self) -> str | None:
        region = self._region()
        if region is None:
            self.message.setText("Kies eerst een regio voor de bundel.")
            self.message.show()
        return region

    def _batch_options(self, region: str) -> dict[str, Any] | None:
        """Ask whether approved decisions without a definitive letter join the batch; the keyword
        arguments for batch_letters, or None when the user cancels."""
        waiting = sum(
            1
            for r in self.rows
            if (r.pending is not None and r.pending.region_name == region)
            or (
                r.letter is not None
                and r.letter.status == "DRAFT"
                and r.letter.region_name == region
            )
        )
        if not waiting or self.ctx.user is None:
            return {}
        answer = self.ask_include_pending(region, waiting)
        if answer is None:
            return None
        return {"make_definitive_first": True, "by": self.ctx.user.id} if answer else {}

    def batch_save(self) -> None:
        region = self._batch_region()
        if region is None:
            return
        options = self._batch_options(region)
        if options is None:
            return
        folder = self.ask_folder()
        if not folder:
            return
        db = self.ctx.db

        def work(progress: Any = None) -> letters.BatchResult:
            return letters.batch_letters(
                db, region=region, out_dir=folder, progress=progress, **options
            )

        self.ctx.run(
            work,
            on_done=self._batch_done,
            on_error=self._error,
            label=f"Brieven {region} opslaan",
            cancellable=True,
        )

    def batch_print(self) -> None:
        region = self._batch_region()
        if region is None:
            return
        options = self._batch_options(region)
        if options is None:
            return
        printer = self.make_printer()
        if printer is None:
            return
        db = self.ctx.db
        self._printer = printer

        def work(progress: Any = None) -> tuple[letters.BatchResult, int]:
            pdfs: list[bytes] = []
            result = letters.batch_letters(
                db,
                region=region,
                out_dir=None,
                progress=progress,
                sink=lambda _info, pdf: pdfs.append(pdf),
                **options,
            )
            pages = 0 if result.cancelled else print_pdfs(printer, pdfs, progress)
            return result, pages

        def done(out: tuple[letters.BatchResult, int]) -> None:
            self._batch_report(
                out[0],
                "Afdrukken afgebroken." if out[0].cancelled else f"{out[1]} pagina's afgedrukt.",
            )

        self.ctx.run(
            work,
            on_done=done,
            on_error=self._error,
            label=f"Brieven {region} afdrukken",
            cancellable=True,
        )

    def _batch_done(self, result: letters.BatchResult) -> None:
        self._batch_report(
            result,
            "Bundel afgebroken."
            if result.cancelled
            else f"{len(result.written)} brieven"
            + (f" en {len(result.addenda)} addenda" if result.addenda else "")
            + " opgeslagen.",
        )

    def _batch_report(self, result: letters.BatchResult, status: str) -> None:
        """Status line, a refreshed list, and next to the batch buttons what was made definitive
        and which letters were skipped, with the reason (they stay in the list)."""
        self.last_batch = result
        if result.made_definitive:
            status += f" {result.made_definitive} nieuw definitief gemaakt."
        self.ctx.status_message(status)
        lines = [f"Overgeslagen: {reason}" for reason in result.skipped[:5]]
        if len(result.skipped) > 5:
            lines.append(f"… en nog {len(result.skipped) - 5} andere.")
        self.batch_message.setText("\n".join(lines))
        self.batch_message.setVisible(bool(lines))
        if result.made_definitive:
            self.refresh()
