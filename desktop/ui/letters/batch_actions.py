"""Region batch of the Brieven view (issue 6): every approved, unsent letter of a region saved to
a folder or printed, optionally after making the approved decisions definitive first. Qt only;
the work goes through ctx.run to desktop.services.letters.batch_letters."""

from __future__ import annotations

from typing import Any

from desktop.services import letters
from desktop.ui.letters.pdf_pages import print_pdfs
from desktop.ui.qt import QMessageBox, QWidget


def ask_include_pending(view: QWidget, region: str, count: int) -> bool | None:
    """True: make the approved decisions without a definitive letter definitive first and
    include them; False: only the letters that are definitive already; None: cancel."""
    box = QMessageBox(view)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Brieven van de regio")
    one = count == 1
    box.setText(
        f"In regio {region} {'heeft' if one else 'hebben'} {count} goedgekeurde "
        f"{'besluit' if one else 'besluiten'} nog geen definitieve brief."
    )
    warning = letters.date_warning(letters.today_nl())
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


def _batch_region(view: Any) -> str | None:
    region = view._region()
    if region is None:
        view.message.setText("Kies eerst een regio voor de bundel.")
        view.message.show()
    return region


def _batch_options(view: Any, region: str) -> dict[str, Any] | None:
    """Ask whether approved decisions without a definitive letter join the batch; the keyword
    arguments for batch_letters, or None when the user cancels."""
    waiting = sum(
        1
        for r in view.rows
        if (r.pending is not None and r.pending.region_name == region)
        or (r.letter is not None and r.letter.status == "DRAFT" and r.letter.region_name == region)
    )
    if not waiting or view.ctx.user is None:
        return {}
    answer = view.ask_include_pending(region, waiting)
    if answer is None:
        return None
    return {"make_definitive_first": True, "by": view.ctx.user.id} if answer else {}


def _region_and_options(view: Any) -> tuple[str, dict[str, Any]] | None:
    """The chosen region and the batch options, or None when there is none or the user cancels."""
    region = _batch_region(view)
    options = _batch_options(view, region) if region is not None else None
    return None if region is None or options is None else (region, options)


def batch_save(view: Any) -> None:
    chosen = _region_and_options(view)
    if chosen is None:
        return
    region, options = chosen
    folder = view.ask_folder()
    if not folder:
        return
    db = view.ctx.db

    def work(progress: Any = None) -> letters.BatchResult:
        return letters.batch_letters(
            db, region=region, out_dir=folder, progress=progress, **options
        )

    view.ctx.run(
        work,
        on_done=lambda result: _batch_done(view, result),
        on_error=view._error,
        label=f"Brieven {region} opslaan",
        cancellable=True,
    )


def batch_print(view: Any) -> None:
    chosen = _region_and_options(view)
    if chosen is None:
        return
    region, options = chosen
    printer = view.make_printer()
    if printer is None:
        return
    db = view.ctx.db
    view._printer = printer

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
        _batch_report(
            view,
            out[0],
            "Afdrukken afgebroken." if out[0].cancelled else f"{out[1]} pagina's afgedrukt.",
        )

    view.ctx.run(
        work,
        on_done=done,
        on_error=view._error,
        label=f"Brieven {region} afdrukken",
        cancellable=True,
    )


def _batch_done(view: Any, result: letters.BatchResult) -> None:
    _batch_report(
        view,
        result,
        "Bundel afgebroken."
        if result.cancelled
        else f"{len(result.written)} brieven"
        + (f" en {len(result.addenda)} addenda" if result.addenda else "")
        + " opgeslagen.",
    )


def _batch_report(view: Any, result: letters.BatchResult, status: str) -> None:
    """Status line, a refreshed list, and next to the batch buttons what was made definitive
    and which letters were skipped, with the reason (they stay in the list)."""
    view.last_batch = result
    if result.made_definitive:
        status += f" {result.made_definitive} nieuw definitief gemaakt."
    view.ctx.status_message(status)
    lines = [f"Overgeslagen: {reason}" for reason in result.skipped[:5]]
    if len(result.skipped) > 5:
        lines.append(f"… en nog {len(result.skipped) - 5} andere.")
    view.batch_message.setText("\n".join(lines))
    view.batch_message.setVisible(bool(lines))
    if result.made_definitive:
        view.refresh()
