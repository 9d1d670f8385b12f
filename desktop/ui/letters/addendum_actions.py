"""Addendum actions of the Brieven view (issue 15): save the addendum (bijlage 6) of an approved
decision as PDF, and record *addendum getekend* with its date. Qt only; the work goes through
ctx.run to desktop.services.letters."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services import letters
from desktop.ui import files
from desktop.ui.qt import (
    QDate,
    QDateEdit,
    QDialog,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import WrappingLabel, dialog_buttons

APPROVALS = ("APPROVED", "APPROVED_ADJUSTED", "APPROVED_UP_TO_RESERVED")


class SignedDateDialog(QDialog):
    """Asks on which day both parties signed the addendum."""

    def __init__(self, provider: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Addendum getekend")
        lay = QVBoxLayout(self)
        lay.addWidget(
            WrappingLabel(
                f"Op welke datum hebben {provider} en het zorgkantoor het addendum "
                "kwaliteitsbudget allebei getekend?"
            )
        )
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d-M-yyyy")
        self.date.setAccessibleName("Datum getekend")
        lay.addWidget(self.date)
        lay.addWidget(dialog_buttons(self, "Vastleggen"))

    def value(self) -> date:
        return self.date.date().toPython()  # type: ignore[no-any-return]


def can_addendum(letter: Any) -> bool:
    return bool(letter and letter.decision in APPROVALS and letter.status != "DRAFT")


def can_sign(letter: Any) -> bool:
    return bool(letter and letter.decision in APPROVALS and letter.status == "SENT")


def ask_addendum_path(view: QWidget, suggested: str) -> str | None:
    path, _ = files.save_file_name(
        view, "Addendum opslaan als PDF", suggested, "PDF (*.pdf)", "brieven"
    )
    return path or None


def ask_signed_date(view: QWidget, provider: str) -> date | None:
    dialog = SignedDateDialog(provider, view)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def save_addendum(view: Any) -> None:
    row = view.current
    letter = row.letter if row else None
    if not can_addendum(letter):
        return
    path = view.ask_addendum_path(letters.addendum_file_name(letter))
    if not path:
        return
    db, rid = view.ctx.db, letter.request_id

    def work() -> str:
        from pathlib import Path

        Path(path).write_bytes(letters.addendum_pdf(db, rid))
        return path

    view.ctx.run(
        work,
        on_done=lambda p: view.ctx.offer_open(p, "Addendum opgeslagen"),
        on_error=view._error,
        label="Addendum opslaan",
    )


def record_signed(view: Any) -> None:
    row = view.current
    letter = row.letter if row else None
    if not can_sign(letter) or view.ctx.user is None:
        return
    day = view.ask_signed_date(letter.provider_name)
    if day is None:
        return
    db, by, rid = view.ctx.db, view.ctx.user.id, letter.request_id
    from desktop.services.formatting import long_date

    view.ctx.run(
        letters.record_signed,
        db,
        rid,
        by,
        signed_on=day,
        on_done=lambda d: view._after_write(
            d, f"Addendum van {letter.provider_name} getekend op {long_date(day)}."
        ),
        on_error=view._error,
        label="Addendum getekend vastleggen",
    )
