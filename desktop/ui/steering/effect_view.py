"""Tab "Effect per zorgaanbieder", the behaviour: on one screen what was agreed, what it cost,
and whether care got better on the themes aimed at; with the agreements (record, check), the
intervention ladder (start, escalate, close), the signals and the kwaliteitsmonitor PDF. The
widgets and how a bundle fills them: effect_widgets.py."""

from __future__ import annotations

from typing import Any

from desktop.services.changes import ChangeSet, touches
from desktop.services.requests import providers
from desktop.services.steering.view_data import effect_bundle
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.qt import Qt, QWidget
from desktop.ui.steering import dialogs
from desktop.ui.steering.effect_widgets import TARGET, EffectViewWidgets

__all__ = ["TARGET", "EffectView"]

#: what the tab shows
_SHOWN = (
    "custom_agreement",
    "agreement_check",
    "intervention",
    "decision_target",
    "theme_assessment",
)


class EffectView(EffectViewWidgets):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.provider.currentIndexChanged.connect(self.refresh)
        self.new_agreement.clicked.connect(lambda: self.add_agreement())
        self.check_button.clicked.connect(lambda: self.check_agreement())
        self.start_button.clicked.connect(lambda: self.start_intervention())
        self.escalate_button.clicked.connect(lambda: self.escalate())
        self.close_button.clicked.connect(lambda: self.close_intervention())
        self.from_signal.clicked.connect(lambda: self.start_from_signal())
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        ctx.entities_changed.connect(self._on_changes)
        self._pending: str | None = None
        ctx.run(providers, ctx.db, on_done=self._set_providers, label="Zorgaanbieders laden")

    def _on_changes(self, changes: ChangeSet) -> None:
        if touches(changes, *_SHOWN):
            self.refresh()

    # -- data ------------------------------------------------------------------------------------
    def _set_providers(self, items: list[Any]) -> None:
        self.provider.blockSignals(True)
        self.provider.clear()
        for p in items:
            self.provider.addItem(p.name, p.id)
        self.provider.blockSignals(False)
        if self._pending:
            self.show_provider(self._pending)
        elif items:
            self.refresh()

    def show_provider(self, provider_id: str) -> None:
        i = self.provider.findData(provider_id)
        if i < 0:
            self._pending = provider_id
            return
        self._pending = None
        if i == self.provider.currentIndex():
            self.refresh()
        else:
            self.provider.setCurrentIndex(i)

    def refresh(self) -> None:
        pid = self.provider.currentData()
        if pid:
            self.ctx.run(
                effect_bundle, self.ctx.db, pid, on_done=self.show_bundle, label="Effect laden"
            )

    # -- actions -----------------------------------------------------------------------------------
    def _selected(self, table: Any) -> Any:
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _run_dialog(self, dialog: Any, exec_: bool, message: str) -> Any:
        # the dialog saved through ctx.run: the executor announces what it wrote (_on_changes)
        dialog.accepted.connect(lambda: self.banner.ok(message))
        if exec_:
            dialog.exec()
        return dialog

    def add_agreement(self, *, exec_: bool = True) -> Any:
        if self.bundle is None:
            return None
        d = dialogs.AgreementDialog(
            self.ctx,
            self.bundle.effect.provider_id,
            list(self.bundle.locations),
            list(self.bundle.requests),
            parent=self,
        )
        return self._run_dialog(d, exec_, "Maatwerkafspraak vastgelegd.")

    def check_agreement(self, *, exec_: bool = True) -> Any:
        a = self._selected(self.agreements)
        if a is None or self.bundle is None:
            self.banner.error("Kies eerst een afspraak in de lijst.")
            return None
        d = dialogs.CheckDialog(self.ctx, a, list(self.bundle.visits), parent=self)
        return self._run_dialog(d, exec_, "Toets vastgelegd.")

    def start_intervention(
        self,
        *,
        exec_: bool = True,
        themes: tuple[str, ...] = (),
        agreements: tuple[str, ...] = (),
        step: str = "GESPREK",
    ) -> Any:
        if self.bundle is None:
            return None
        d = dialogs.InterventionDialog(
            self.ctx,
            self.bundle.effect.provider_id,
            list(self.bundle.users),
            themes_preset=themes,
            agreement_ids=agreements,
            step=step,
            parent=self,
        )
        return self._run_dialog(d, exec_, "Interventie vastgelegd.")

    def start_from_signal(self, *, exec_: bool = True) -> Any:
        s = self._selected(self.signals)
        if s is None:
            self.banner.error("Kies eerst een signaal in de lijst.")
            return None
        return self.start_intervention(
            exec_=exec_,
            themes=s.theme_codes,
            agreements=(s.agreement_id,) if s.agreement_id else (),
            step=s.suggested_step,
        )

    def escalate(self, *, exec_: bool = True) -> Any:
        i = self._selected(self.ladder)
        if i is None or self.bundle is None or not i.is_open:
            self.banner.error("Kies eerst een lopende interventie in de lijst.")
            return None
        d = dialogs.InterventionDialog(
            self.ctx, i.provider_id, list(self.bundle.users), previous=i, parent=self
        )
        return self._run_dialog(d, exec_, "Interventie opgeschaald.")

    def close_intervention(self, *, exec_: bool = True) -> Any:
        i = self._selected(self.ladder)
        if i is None or not i.is_open:
            self.banner.error("Kies eerst een lopende interventie in de lijst.")
            return None
        d = dialogs.CloseDialog(self.ctx, i, parent=self)
        return self._run_dialog(d, exec_, "Interventie afgesloten.")

    def save_pdf(self, path: str | None = None) -> None:
        if self.bundle is None:
            return
        name = self.bundle.effect.provider_name
        if path is None:
            path, _ = files.save_file_name(
                self, "Kwaliteitsmonitor opslaan", f"Kwaliteitsmonitor {name}.pdf", "PDF (*.pdf)"
            )
            if not path:
                return
        from desktop.services.steering.monitor_report import save_monitor_pdf

        author = self.ctx.user.name if self.ctx.user else ""
        self.ctx.run(
            save_monitor_pdf,
            self.ctx.db,
            self.bundle.effect.provider_id,
            path,
            author=author,
            on_done=lambda p: (
                self.banner.ok(f"Kwaliteitsmonitor opgeslagen: {p}"),
                self.ctx.offer_open(p),
            ),
            on_error=lambda exc: self.banner.error(f"Niet opgeslagen: {exc}"),
            label="Kwaliteitsmonitor maken",
        )
