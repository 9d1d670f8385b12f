"""Location tab "Kwaliteitsdiagnose": the eight themes with rating, trend, rationale and notes;
top three verbeterpunten; what changed since the last visit; add/edit; print or save as PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services import diagnosis as diag_service
from desktop.services.formatting import long_date, short_date
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.dialogs import AssessmentDialog, NoteDialog, TopThreeDialog
from desktop.ui.diagnosis.widgets import RatingBadge, TrendChart
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.ui.style import (
    ACCENT,
    ACCENT_LIGHT,
    BORDER,
    CONTROL_BORDER,
    ERROR,
    FOCUS,
    MUTED,
    SUCCESS_TEXT,
)
from desktop.ui.widgets import Card, button_row, title_label

_ARROWS = {1: ("▲ beter", SUCCESS_TEXT), -1: ("▼ slechter", ERROR), 0: ("", MUTED)}


def _esc(text: str) -> str:
    import html

    return html.escape(text)


class ThemeRow(QFrame):
    """One theme: badge, name + short rationale, trend chart, notes count, visit marker."""

    clicked = Signal(str)

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(12)
        self.badge = RatingBadge()
        lay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.name = QLabel()
        self.name.setStyleSheet("font-weight: 600;")
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.rationale = QLabel()
        self.rationale.setWordWrap(True)
        self.rationale.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name.setWordWrap(True)
        self.meta.setWordWrap(True)
        for w in (self.name, self.meta):
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for w in (self.name, self.meta, self.rationale):
            text.addWidget(w)
        lay.addLayout(text, 1)
        self.trend = TrendChart()
        self.trend.setFixedWidth(150)
        lay.addWidget(self.trend, 0, Qt.AlignmentFlag.AlignTop)
        self.setMinimumHeight(78)

    def show_theme(self, td: diag_service.ThemeDiagnosis, selected: bool) -> None:
        cur = td.current
        self.badge.set_rating(cur.rating if cur else None)
        self.name.setText(f"{td.code}  {td.name}")
        bits = []
        if cur:
            bits.append(f"{cur.period_year} · {short_date(cur.assessed_on)} · {cur.author_name}")
            arrow, colour = _ARROWS[td.direction]
            if arrow:
                bits.append(f"<span style='color:{colour}'>{arrow}</span>")
        else:
            bits.append("nog niet beoordeeld")
        if td.notes:
            bits.append(f"{len(td.notes)} notitie{'s' if len(td.notes) != 1 else ''}")
        if td.disagreement:
            bits.append(f"<span style='color:{ERROR}'>⚑ wijkt af van bezoek</span>")
        self.meta.setText(" · ".join(bits))
        text = cur.rationale if cur else ""
        self.rationale.setText(text if len(text) <= 220 else text[:219] + "…")
        self.rationale.setVisible(bool(text))
        self.trend.set_trend(td.trend)
        # Selected: accent edge on a tint; keyboard focus: a thicker ring in the focus colour.
        self.setStyleSheet(
            (
                f"QFrame#card {{ border: 2px solid {ACCENT}; background: {ACCENT_LIGHT}; }}"
                if selected
                else f"QFrame#card {{ border: 1px solid {CONTROL_BORDER}; margin: 1px; }}"
            )
            + f"QFrame#card:focus {{ border: 3px solid {FOCUS}; margin: 0px; }}"
        )
        self.setAccessibleName(
            f"{td.code} {td.name}: {cur.rating_label if cur else 'nog niet beoordeeld'}"
        )

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.clicked.emit(self.code)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.code)
        else:
            super().keyPressEvent(event)


class DiagnosisTab(QWidget):
    """Registered in LOCATION_TABS as "kwaliteitsdiagnose"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.location_id: str | None = None
        self.selected_theme = "T1"
        self.diagnosis: diag_service.LocationDiagnosis | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.btn_assess = QPushButton("Oordeel vastleggen…")
        self.btn_assess.setProperty("primary", True)
        self.btn_note = QPushButton("Notitie toevoegen…")
        self.btn_top = QPushButton("Top drie kiezen…")
        self.btn_pdf = QPushButton("PDF opslaan…")
        self.btn_print = QPushButton("Afdrukken…")
        bar.addWidget(
            button_row(
                [self.btn_assess, self.btn_note, self.btn_top, self.btn_pdf, self.btn_print],
                align_right=True,
            ),
            2,
        )
        outer.addLayout(bar)

        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.top_card = Card()
        tl = QVBoxLayout(self.top_card)
        tl.addWidget(title_label("Top drie verbeterpunten", "sectionTitle"))
        self.top_text = QLabel()
        self.top_text.setWordWrap(True)
        self.top_text.setTextFormat(Qt.TextFormat.RichText)
        tl.addWidget(self.top_text)
        tl.addStretch(1)
        self.changes_card = Card()
        cl = QVBoxLayout(self.changes_card)
        self.changes_title = title_label("Sinds het laatste bezoek", "sectionTitle")
        self.changes_title.setWordWrap(True)
        cl.addWidget(self.changes_title)
        self.changes_text = QLabel()
        self.changes_text.setWordWrap(True)
        self.changes_text.setTextFormat(Qt.TextFormat.RichText)
        cl.addWidget(self.changes_text)
        cl.addStretch(1)
        for card in (self.top_card, self.changes_card):
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            top.addWidget(card, 1)
        self.rows: dict[str, ThemeRow] = {}
        rows_box = QWidget()
        rl = QVBoxLayout(rows_box)
        rl.setContentsMargins(0, 4, 0, 0)
        rl.setSpacing(6)
        rl.addLayout(top)  # the cards scroll with the themes: never squeezed at a large font
        from desktop.services.reference import themes

        for t in themes():
            row = ThemeRow(t.code)
            row.clicked.connect(self.select_theme)
            self.rows[t.code] = row
            rl.addWidget(row)
        rl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(rows_box)
        # Rows wrap their text instead of pushing the trend chart out of sight.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ll.addWidget(scroll, 1)
        split.addWidget(left)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.detail.linkActivated.connect(self._detail_link)
        self.detail.setContentsMargins(12, 10, 12, 10)
        self.detail.setStyleSheet(
            f"QLabel {{ background: white; border: 1px solid {BORDER}; border-radius: 6px; }}"
            f"QLabel:focus {{ border: 2px solid {FOCUS}; }}"
        )
        self.detail.setAccessibleName("Toelichting bij het gekozen thema")
        dscroll = QScrollArea()
        dscroll.setWidgetResizable(True)
        dscroll.setWidget(self.detail)
        dscroll.setMinimumWidth(240)
        split.addWidget(dscroll)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 3)
        outer.addWidget(split, 1)
        self.split = split

        self.btn_assess.clicked.connect(lambda: self.add_assessment())
        self.btn_note.clicked.connect(lambda: self.add_note())
        self.btn_top.clicked.connect(self.choose_top_three)
        self.btn_pdf.clicked.connect(self.save_pdf)
        self.btn_print.clicked.connect(self.print_pdf)
        ctx.changed.connect(self._on_changed)
        self._set_enabled(False)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Side by side when there is room, the detail under the themes when narrow (a small
        window, 200 % scaling or a large font): the theme rows never get cut off."""
        super().resizeEvent(event)
        need = 2 * (self.fontMetrics().averageCharWidth() * 48) + 240
        wanted = Qt.Orientation.Horizontal if self.width() >= need else Qt.Orientation.Vertical
        if self.split.orientation() != wanted:
            self.split.setOrientation(wanted)

    # -- loading ---------------------------------------------------------------------------------
    def set_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.location_id = location_id
        if theme_code:
            self.selected_theme = theme_code
        self.reload()

    def reload(self) -> None:
        if not self.location_id:
            return
        self.ctx.run(
            diag_service.location_diagnosis,
            self.ctx.db_path,
            self.location_id,
            on_done=self.show_diagnosis,
            label="Kwaliteitsdiagnose laden",
        )

    def _on_changed(self, entity: str) -> None:
        if entity in ("*", "theme_assessment", "diagnosis_note", "site_visit"):
            self.reload()

    def _set_enabled(self, on: bool) -> None:
        for b in (self.btn_assess, self.btn_note, self.btn_top, self.btn_pdf, self.btn_print):
            b.setEnabled(on)

    def show_diagnosis(self, d: diag_service.LocationDiagnosis) -> None:
        if d.location_id != self.location_id:
            return
        self.diagnosis = d
        self._set_enabled(True)
        rated = [t for t in d.themes if t.current]
        concerns = sum(
            1 for t in rated if t.current and t.current.rating in ("MODERATE", "INSUFFICIENT")
        )
        disagree = sum(1 for t in d.themes if t.disagreement)
        parts = [f"{len(rated)} van 8 thema's beoordeeld", f"{concerns} matig of onvoldoende"]
        if disagree:
            parts.append(f"{disagree} wijken af van het laatste bezoek")
        self.summary.setText(" · ".join(parts))
        for td in d.themes:
            self.rows[td.code].show_theme(td, td.code == self.selected_theme)
        if d.top_three:
            self.top_text.setText(
                "".join(
                    f"<p style='margin:2px 0'><b>{n.top_priority}.</b> {_esc(n.text)}"
                    f"{' <span style=color:' + MUTED + '>(' + ', '.join(n.theme_codes) + ')</span>' if n.theme_codes else ''}</p>"
                    for n in d.top_three
                )
            )
        else:
            self.top_text.setText(
                f"<span style='color:{MUTED}'>Nog niet gekozen. Leg verbeterpunten "
                "vast als notitie en kies er drie met <i>Top drie kiezen</i>.</span>"
            )
        if d.last_visit and d.last_visit.visit_date:
            self.changes_title.setText(
                f"Sinds het laatste bezoek ({long_date(d.last_visit.visit_date)})"
            )
            items = [
                f"<p style='margin:2px 0'>{short_date(c.on)} · {c.theme_code or 'algemeen'} · "
                f"{_esc(c.text)}</p>"
                for c in d.changes[:6]
            ]
            more = len(d.changes) - 6
            self.changes_text.setText(
                "".join(items) + (f"<p>… en {more} meer</p>" if more > 0 else "")
                if items
                else f"<span style='color:{MUTED}'>Niets nieuws sinds het bezoek.</span>"
            )
        else:
            self.changes_title.setText("Sinds het laatste bezoek")
            self.changes_text.setText(
                f"<span style='color:{MUTED}'>Nog geen afgerond locatiebezoek.</span>"
            )
        self._show_detail()

    def select_theme(self, code: str) -> None:
        self.selected_theme = code
        if self.diagnosis:
            for td in self.diagnosis.themes:
                self.rows[td.code].show_theme(td, td.code == code)
            self._show_detail()

    def theme(self, code: str) -> diag_service.ThemeDiagnosis | None:
        if not self.diagnosis:
            return None
        return next((t for t in self.diagnosis.themes if t.code == code), None)

    def _show_detail(self) -> None:
        td = self.theme(self.selected_theme)
        if td is None:
            return
        from desktop.services.reference import theme_name
        from desktop.ui.style import rating_style

        h = [f"<h3 style='margin:0'>{td.code} {_esc(td.name)}</h3>"]
        cur = td.current
        if cur:
            st = rating_style(cur.rating)
            h.append(
                f"<p><span style='background:{st.background}; color:{st.foreground}; "
                f"font-weight:600'>&nbsp;{st.symbol} {st.label}&nbsp;</span> "
                f"&nbsp;periode {cur.period_year}, {long_date(cur.assessed_on)}, {_esc(cur.author_name)}</p>"
            )
            h.append(f"<p><b>Onderbouwing</b><br>{_esc(cur.rationale)}</p>")
            h.append(f"<p><b>Bronnen:</b> {_esc(cur.sources_label)}</p>")
            if cur.subtheme_ratings:
                h.append(
                    "<p><b>Subthema's</b><br>"
                    + "<br>".join(
                        f"{rating_style(r).symbol} {_esc(theme_name(c))}: {rating_style(r).label.lower()}"
                        for c, r in cur.subtheme_ratings
                    )
                    + "</p>"
                )
        else:
            h.append(f"<p style='color:{MUTED}'>Nog niet beoordeeld.</p>")
        h.append(
            f"<p><a href='assess:{td.code}'>Nieuw oordeel voor dit thema…</a> &nbsp; "
            f"<a href='note:{td.code}'>Notitie toevoegen…</a></p>"
        )
        if td.visit_signal or td.visit_observation:
            sig = diag_service.SIGNAL_LABELS.get(td.visit_signal or "", "geen signaal")
            flag = (
                f"<br><span style='color:{ERROR}'>⚑ {_esc(td.disagreement)}</span>"
                if td.disagreement
                else ""
            )
            h.append(
                f"<p><b>Laatste bezoek:</b> {sig}{flag}<br><i>{_esc(td.visit_observation)}</i></p>"
            )
        h.append("<p><b>Notities</b></p>")
        if td.notes:
            for n in td.notes:
                actions = (
                    f" <a href='edit:{n.id}'>bewerken</a> · <a href='delete:{n.id}'>verwijderen</a>"
                    if n.editable
                    else f" <span style='color:{MUTED}'>(vastgelegd in besluit)</span>"
                )
                h.append(
                    f"<p style='margin:2px 0 8px 0'><b>{_esc(n.kind_label)}</b> · {short_date(n.noted_on)} · "
                    f"{_esc(n.author_name)}{actions}<br>{_esc(n.text)}"
                    f"{'<br><span style=color:' + MUTED + '>Bron: ' + _esc(n.source) + '</span>' if n.source else ''}</p>"
                )
        else:
            h.append(f"<p style='color:{MUTED}'>Geen notities bij dit thema.</p>")
        wide = [
            n
            for n in (self.diagnosis.provider_notes if self.diagnosis else ())
            if td.code in n.theme_codes
        ]
        if wide:
            h.append("<p><b>Notities over de zorgaanbieder</b></p>")
            for n in wide:
                h.append(
                    f"<p style='margin:2px 0 8px 0'><b>{_esc(n.kind_label)}</b> · "
                    f"{short_date(n.noted_on)} · {_esc(n.author_name)}<br>{_esc(n.text)}</p>"
                )
        if len(td.history) > 1:
            h.append("<p><b>Eerdere oordelen</b></p>")
            for a in td.history[1:8]:
                h.append(
                    f"<p style='margin:1px 0'>{a.period_year} · {rating_style(a.rating).symbol} "
                    f"{a.rating_label} · {short_date(a.assessed_on)} · {_esc(a.author_name)}</p>"
                )
        deleted = [
            n
            for n in (self.diagnosis.deleted_notes if self.diagnosis else ())
            if td.code in n.theme_codes
        ]
        if deleted:
            h.append("<p><b>Verwijderde notities</b></p>")
            for n in deleted:
                h.append(
                    f"<p style='margin:1px 0; color:{MUTED}'><s>{_esc(n.text)}</s> "
                    f"(verwijderd {short_date(n.deleted_at.date() if n.deleted_at else None)})</p>"
                )
        self.detail.setText("".join(h))

    def _detail_link(self, link: str) -> None:
        kind, _, ref = link.partition(":")
        if kind == "assess":
            self.add_assessment(ref)
        elif kind == "note":
            self.add_note(ref)
        elif kind == "edit":
            self.edit_note(ref)
        elif kind == "delete":
            self.delete_note(ref)

    # -- actions ---------------------------------------------------------------------------------
    def _done(self, entity: str, message: str) -> None:
        self.ctx.changed.emit(entity)
        self.ctx.status_message(message)

    def add_assessment(
        self, theme_code: str | None = None, *, exec_: bool = True
    ) -> AssessmentDialog | None:
        if not self.location_id:
            return None
        visits = diag_service.visits_for(self.ctx.db_path, self.location_id)
        dlg = AssessmentDialog(
            self.ctx,
            self.location_id,
            theme_code or self.selected_theme,
            visits=visits,
            parent=self,
        )
        dlg.accepted.connect(lambda: self._done("theme_assessment", "Oordeel vastgelegd."))
        if exec_:
            dlg.open()
        return dlg

    def _note_owner(self) -> tuple[str, str | None]:
        assert self.diagnosis is not None
        return self.diagnosis.provider_id, self.location_id

    def add_note(self, theme_code: str | None = None, *, exec_: bool = True) -> NoteDialog | None:
        if not self.diagnosis:
            return None
        provider_id, location_id = self._note_owner()
        dlg = NoteDialog(
            self.ctx,
            provider_id=provider_id,
            location_id=location_id,
            theme_code=theme_code or self.selected_theme,
            parent=self,
        )
        dlg.accepted.connect(lambda: self._done("diagnosis_note", "Notitie opgeslagen."))
        if exec_:
            dlg.open()
        return dlg

    def _find_note(self, note_id: str) -> diag_service.NoteInfo | None:
        if not self.diagnosis:
            return None
        for td in self.diagnosis.themes:
            for n in td.notes:
                if n.id == note_id:
                    return n
        return next((n for n in self.diagnosis.general_notes if n.id == note_id), None)

    def edit_note(self, note_id: str, *, exec_: bool = True) -> NoteDialog | None:
        note = self._find_note(note_id)
        if note is None or not self.diagnosis:
            return None
        dlg = NoteDialog(
            self.ctx,
            provider_id=note.provider_id,
            location_id=note.location_id,
            note=note,
            parent=self,
        )
        dlg.accepted.connect(lambda: self._done("diagnosis_note", "Notitie gewijzigd."))
        if exec_:
            dlg.open()
        return dlg

    def delete_note(self, note_id: str, *, confirm: bool = True) -> None:
        if self.ctx.user is None:
            return
        if confirm and not ask(
            self,
            "Notitie verwijderen",
            "Deze notitie verwijderen? Ze blijft zichtbaar in de geschiedenis.",
            yes="Verwijderen",
            no="Annuleren",
        ):
            return
        from desktop.ui.errors import report_exception

        self.ctx.run(
            diag_service.delete_note,
            self.ctx.db,
            note_id,
            actor_id=self.ctx.user.id,
            on_done=lambda _r: self._done("diagnosis_note", "Notitie verwijderd."),
            on_error=lambda e: report_exception(e, self),
        )

    def choose_top_three(self, *, exec_: bool = True) -> TopThreeDialog | None:
        if not self.diagnosis or not self.location_id:
            return None
        candidates = [
            n
            for n in diag_service.notes_for(
                self.ctx.db_path, location_id=self.location_id, include_deleted=False
            )
            if n.kind == "IMPROVEMENT_POINT"
        ]
        dlg = TopThreeDialog(
            self.ctx,
            self.location_id,
            candidates,
            [n.id for n in self.diagnosis.top_three],
            parent=self,
        )
        dlg.accepted.connect(lambda: self._done("diagnosis_note", "Top drie opgeslagen."))
        if exec_:
            dlg.open()
        return dlg

    def _pdf_bytes(self) -> bytes:
        from desktop.services.diagnosis_report import location_diagnosis_pdf

        assert self.diagnosis is not None
        author = self.ctx.user.name if self.ctx.user else ""
        return location_diagnosis_pdf(self.diagnosis, as_of=date.today(), author=author)

    def save_pdf(self, path: str | None = None) -> None:
        if not self.diagnosis:
            return
        if path is None:
            safe = "".join(
                c for c in self.diagnosis.location_name if c.isalnum() or c in " -_"
            ).strip()
            path, _ = files.save_file_name(
                self, "Kwaliteitsdiagnose opslaan", f"Kwaliteitsdiagnose {safe}.pdf", "PDF (*.pdf)"
            )
            if not path:
                return
        target = path

        def write() -> str:
            from pathlib import Path

            Path(target).write_bytes(self._pdf_bytes())
            return target

        self.ctx.run(write, on_done=lambda p: self.ctx.offer_open(p), label="PDF maken")

    def print_pdf(self) -> None:
        """Print through the system: the PDF is opened in the default viewer."""
        if not self.diagnosis:
            return
        import tempfile

        from desktop.ui.qt import QDesktopServices, QUrl

        tmp = tempfile.NamedTemporaryFile(prefix="kwaliteitsdiagnose-", suffix=".pdf", delete=False)
        tmp.close()

        def write() -> str:
            from pathlib import Path

            Path(tmp.name).write_bytes(self._pdf_bytes())
            return tmp.name

        self.ctx.run(
            write,
            on_done=lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(p)),
            label="PDF maken",
        )

    def state(self) -> dict[str, Any]:
        """What the tab shows (for tests)."""
        return {
            "summary": self.summary.text(),
            "selected": self.selected_theme,
            "detail": self.detail.text(),
            "top": self.top_text.text(),
        }
