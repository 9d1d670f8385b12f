"""Tab "Herschikking": the round of a care office and year. Proposals prefilled from the
monitoring signals, edited with a reason (errors at the field), offered and approved as one set
under the vier-ogen rule, and a herschikkingsbrief per changed provider."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting, review
from desktop.services.budget_year import herschikking as hs
from desktop.ui import files
from desktop.ui.budget_year.tab_base import YearTab, align_right
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    Qt,
    QWidget,
)
from desktop.ui.requests.common import (
    fill_table,
    line,
    money_text,
    show_errors,
    text_box,
)

HEADERS = ["Zorgaanbieder", "Regio", "Signaal", "Was", "Wordt", "Verschil", "Aanvraag", "Reden"]


class HerschikkingTab(YearTab):
    loading = "Herschikking laden"

    @staticmethod
    def query(db: Any, year: int, care_office_id: str) -> hs.RoundDetail | None:
        return hs.find_round(db, care_office_id, year)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            HEADERS,
            [
                "Ronde openen",
                "Ter vier-ogen aanbieden",
                "Goedkeuren (teamleider)",
                "Herschikkingsbrieven…",
            ],
            parent,
        )
        self.round: hs.RoundDetail | None = None
        self.open_btn, self.submit_btn, self.approve_btn, self.letters_btn = self.buttons.values()
        self.table.setAccessibleName("Herschikkingsvoorstellen")
        lay = self.layout()
        form = QFormLayout()
        self.fields = {
            "new_staff": line("Nieuw bedrag extra personeel", "Nieuw bedrag extra personeel"),
            "new_other": line(
                "Nieuw bedrag overige investeringen", "Nieuw bedrag overige investeringen"
            ),
            "reason": text_box(48, "Reden van de bijstelling"),
        }
        form.addRow("Extra personeel", self.fields["new_staff"])
        form.addRow("Overige investeringen", self.fields["new_other"])
        form.addRow("Reden", self.fields["reason"])
        edit = QHBoxLayout()
        edit.addLayout(form, 1)
        self.save_btn = QPushButton("Voorstel opslaan")
        edit.addWidget(self.save_btn, 0, Qt.AlignmentFlag.AlignBottom)
        lay.addLayout(edit)
        self.open_btn.clicked.connect(self._open)
        self.submit_btn.clicked.connect(lambda: self._review("submit"))
        self.approve_btn.clicked.connect(lambda: self._review("approve"))
        self.save_btn.clicked.connect(self._save)
        self.letters_btn.clicked.connect(self._letters)
        self.table.itemSelectionChanged.connect(self._selected)
        self._show(None)

    def load(self, year: int, care_office_id: str | None) -> None:
        self.year, self.office = year, care_office_id
        if not care_office_id:
            self._show(None)
            self.status.setText(
                "Kies een zorgkantoor: een herschikkingsronde hoort bij één "
                "zorgkantoor en één jaar."
            )
            return
        super().load(year, care_office_id)

    def _show(self, r: hs.RoundDetail | None) -> None:
        self.round = r
        has = r is not None
        self.open_btn.setEnabled(not has and bool(self.office))
        for b in (self.submit_btn, self.approve_btn, self.letters_btn, self.save_btn):
            b.setEnabled(has)
        if r is None:
            fill_table(self.table, [])
            self.status.setText(
                "Nog geen herschikkingsronde voor dit zorgkantoor en jaar. "
                "Open de ronde: de voorstellen worden vooringevuld uit de signalen."
            )
            return
        self.submit_btn.setEnabled(r.review_state in ("NONE", "REJECTED", "VOID", "WITHDRAWN"))
        self.approve_btn.setEnabled(r.review_state == "SUBMITTED")
        ceiling = (
            f" · plafond {formatting.money(r.ceiling)}, ruimte {formatting.money(r.headroom)}"
            if r.ceiling is not None
            else ""
        )
        self.status.setText(
            f"<b>Herschikking {r.care_office_name} {r.year}</b> · {r.review_label} · "
            f"was {formatting.money(r.previous_total)}, wordt {formatting.money(r.new_total)}{ceiling}"
        )
        keep = self._current_id()
        rows = [
            [
                p.provider_name,
                p.region_name,
                _signal(p.signal),
                formatting.money(p.previous_total),
                formatting.money(p.new_total),
                ("+ " if p.change > 0 else "– " if p.change < 0 else "")
                + formatting.money(abs(p.change)),
                formatting.money(p.requested_total),
                p.reason or "–",
            ]
            for p in r.proposals
        ]
        fill_table(self.table, rows, data=[p.id for p in r.proposals])
        align_right(self.table, range(3, 7))
        for i, p in enumerate(r.proposals):
            if p.id == keep:
                self.table.selectRow(i)

    def _current_id(self) -> str | None:
        items = self.table.selectedItems()
        if not items:
            return None
        return self.table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def current(self) -> hs.ProposalRow | None:
        pid = self._current_id()
        return next((p for p in self.round.proposals if p.id == pid), None) if self.round else None

    def _selected(self) -> None:
        p = self.current()
        for f in self.fields.values():
            f.error.clear_error()
        if p is None:
            return
        self.fields["new_staff"].set_text(money_text(p.new_staff))
        self.fields["new_other"].set_text(money_text(p.new_other))
        self.fields["reason"].set_text(p.reason)

    def _user_id(self) -> str | None:
        if self.ctx.user is None:
            self.banner.error("Log eerst in met uw profiel.")
            return None
        return self.ctx.user.id

    def _done(self, message: str) -> Any:
        def after(result: Any) -> None:
            for f in self.fields.values():
                f.error.clear_error()
            self.banner.ok(message)
            if isinstance(result, hs.RoundDetail):
                self._show(result)
            else:
                self.load(self.year or 0, self.office)

        return after

    def _fail(self, exc: BaseException) -> None:
        show_errors(exc, self.fields, self.banner, self)

    def _open(self) -> None:
        by = self._user_id()
        if by and self.office and self.year:
            self.ctx.run(
                hs.open_round,
                self.ctx.db,
                by,
                self.office,
                self.year,
                on_done=self._done("Ronde geopend en vooringevuld uit de signalen."),
                on_error=self._fail,
                label="Ronde openen",
            )

    def _save(self) -> None:
        by, p = self._user_id(), self.current()
        if not by or p is None:
            if by:
                self.banner.error("Kies eerst een zorgaanbieder in de tabel.")
            return
        self.ctx.run(
            hs.update_proposal,
            self.ctx.db,
            by,
            p.id,
            new_staff=self.fields["new_staff"].text(),
            new_other=self.fields["new_other"].text(),
            reason=self.fields["reason"].text(),
            on_done=self._done(f"Voorstel voor {p.provider_name} opgeslagen."),
            on_error=self._fail,
            label="Opslaan",
        )

    def _review(self, verb: str) -> None:
        by = self._user_id()
        if not by or self.round is None:
            return
        fn = review.submit if verb == "submit" else review.approve
        msg = (
            "Aangeboden ter vier-ogen."
            if verb == "submit"
            else "Goedgekeurd: de herschikte bedragen gelden nu."
        )
        self.ctx.run(
            fn,
            self.ctx.db,
            hs.SUBJECT,
            self.round.id,
            by,
            on_done=self._done(msg),
            on_error=self._fail,
            label="Vier-ogen",
        )

    def _letters(self) -> None:
        if self.round is None:
            return
        folder = files.existing_folder(self, "Map voor de herschikkingsbrieven", "brieven")
        if folder:
            self.write_letters(folder)

    def write_letters(self, folder: str) -> None:
        from desktop.services.budget_year.herschikking_letter import write_letters

        draft = self.round is not None and self.round.review_state != "APPROVED"
        by = None if draft else self._user_id()
        self.ctx.run(
            write_letters,
            self.ctx.db,
            self.round.id,
            folder,
            draft=draft,
            by=by,  # type: ignore[union-attr]
            on_done=lambda paths: self.banner.ok(
                f"{len(paths)} {'concept' if draft else 'definitieve '}brie"
                f"{'f' if len(paths) == 1 else 'ven'} opgeslagen in {folder}"
                + ("." if draft else " en bewaard met kenmerk.")
            ),
            on_error=self._fail,
            label="Brieven maken",
        )


def _signal(code: str) -> str:
    from desktop.services.budget_year.monitoring import SIGNALS

    return " ".join(SIGNALS[code]) if code in SIGNALS else "–"
