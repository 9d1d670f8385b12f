"""Section "Zoeken": full-text search over notes, rationales and visit observations with
highlighted hits and filters. The main window's Ctrl+F field calls `set_query(text)`."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from db.models.enums import NoteKind
from desktop.services import search as search_service
from desktop.services.formatting import short_date
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import BORDER, FOCUS, MUTED
from desktop.ui.widgets import button_row, muted_label, title_label


class SearchSection(QWidget):
    """Registered in SECTIONS as "zoeken"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: search_service.SearchResult | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(title_label("Zoeken in de kwaliteitsdiagnoses"))
        hint = muted_label(
            "Zoekt in notities, onderbouwingen van oordelen, waarnemingen van "
            "locatiebezoeken en de tekst van stukken. Hoofdletters en accenten maken niet uit; zet woorden tussen "
            "aanhalingstekens om een zinsdeel te zoeken."
        )
        outer.addWidget(hint)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText('bijvoorbeeld: cliëntenraad, medicatie, "dubbele controle"')
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Zoektekst")
        self.button = QPushButton("Zoeken")
        self.button.setProperty("primary", True)
        row.addWidget(self.query, 1)
        row.addWidget(self.button)
        outer.addLayout(row)

        self.region = QComboBox()
        self.region.addItem("Alle regio's", None)
        self.theme = QComboBox()
        self.theme.addItem("Alle thema's", None)
        from desktop.services.reference import themes

        for t in themes():
            self.theme.addItem(f"{t.code} {t.name_nl}", t.code)
        self.kind = QComboBox()
        self.kind.addItem("Alle soorten", (None, None))
        for code, label in NoteKind.choices():
            self.kind.addItem(f"Notitie: {label.lower()}", ("note", code))
        self.kind.addItem("Onderbouwing oordeel", ("assessment", None))
        self.kind.addItem("Locatiebezoek", ("visit", None))
        self.kind.addItem("Stukken (tekst van PDF en Word)", ("document", None))  # issue 20
        self.date_from = QDateEdit(QDate(2015, 1, 1))
        self.date_to = QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd-MM-yyyy")
        pairs: list[QWidget] = []
        for label, w in (
            ("Regio", self.region),
            ("Thema", self.theme),
            ("Soort", self.kind),
            ("Van", self.date_from),
            ("tot en met", self.date_to),
        ):
            lbl = QLabel(label)
            lbl.setBuddy(w)
            w.setAccessibleName(label)
            pair = QWidget()  # label and field stay together when the row wraps
            pl = QHBoxLayout(pair)
            pl.setContentsMargins(0, 0, 0, 0)
            pl.addWidget(lbl)
            pl.addWidget(w)
            pairs.append(pair)
        outer.addWidget(button_row(pairs))  # wraps onto a second line at a large font
        self.count = QLabel()
        self.count.setObjectName("muted")
        outer.addWidget(self.count)
        self.results = QTextBrowser()
        self.results.setOpenLinks(False)
        self.results.anchorClicked.connect(self._open)
        self.results.setAccessibleName("Zoekresultaten")
        self.results.setStyleSheet(
            f"QTextBrowser {{ border: 1px solid {BORDER}; padding: 6px; }}"
            f"QTextBrowser:focus {{ border: 2px solid {FOCUS}; padding: 5px; }}"
        )
        outer.addWidget(self.results, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.run_search)
        self.query.textEdited.connect(lambda _t: self._debounce.start())
        self.query.returnPressed.connect(self.run_search)
        self.button.clicked.connect(self.run_search)
        for w in (self.region, self.theme, self.kind):
            w.currentIndexChanged.connect(self.run_search)
        self.date_from.dateChanged.connect(self.run_search)
        self.date_to.dateChanged.connect(self.run_search)
        self._show_empty()
        from desktop.services.regional import list_regions

        self.ctx.run(list_regions, self.ctx.db_path, on_done=self._set_regions)

    def _set_regions(self, regions: list) -> None:
        for r in regions:
            self.region.addItem(r.name, r.id)

    def set_query(self, text: str) -> None:
        """Called by the main window's Ctrl+F field (Enter)."""
        self.query.setText(text)
        self.query.setFocus()
        self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        text = self.query.text().strip()
        if not text:
            self._show_empty()
            return
        source, kind = self.kind.currentData() or (None, None)
        q = self.date_from.date()
        t = self.date_to.date()
        self.ctx.run(
            search_service.search,
            self.ctx.db_path,
            text,
            region_id=self.region.currentData(),
            theme_code=self.theme.currentData(),
            kind=kind,
            source=source,
            date_from=date(q.year(), q.month(), q.day()),
            date_to=date(t.year(), t.month(), t.day()),
            on_done=self.show_result,
            label="Zoeken",
        )

    def _show_empty(self) -> None:
        self.count.setText("")
        self.results.setHtml(f"<p style='color:{MUTED}'>Typ een zoekterm en druk op Enter.</p>")

    def show_result(self, result: search_service.SearchResult) -> None:
        if result.query != self.query.text().strip():
            return  # an older search came back after a newer one was started
        self.result = result
        n = len(result.hits)
        if n == 0:
            self.count.setText("Geen resultaten.")
            self.results.setHtml(
                f"<p style='color:{MUTED}'>Niets gevonden voor "
                f"<b>{html.escape(result.query)}</b>. Probeer een korter woord of "
                "minder filters.</p>"
            )
            return
        self.count.setText(
            f"De {n} meest recente resultaten; verfijn de zoekterm voor meer."
            if result.more
            else f"{n} resultaat" + ("en" if n != 1 else "") + ", nieuwste eerst."
        )
        parts = []
        for h in result.hits:
            where = html.escape(h.location_name or f"{h.provider_name} (zorgaanbieder)")
            theme = h.theme_codes[0] if h.theme_codes else ""
            link = f"loc:{h.location_id}:{theme}" if h.location_id else ""
            title = f"<a href='{link}'>{where}</a>" if link else f"<b>{where}</b>"
            if h.source == "document":  # Stukken: the file and the page, opens the preview
                title = (
                    f"<a href='doc:{h.ref_id}:{h.page}'>{html.escape(h.title)}, pagina "
                    f"{h.page}</a> · {where}"
                )
            meta = " · ".join(
                x
                for x in (
                    h.source_label,
                    h.kind_label,
                    ", ".join(h.theme_codes),
                    short_date(h.dated),
                    html.escape(h.provider_name),
                )
                if x
            )
            parts.append(
                f"<div style='margin-bottom:10px'>{title}<br>"
                f"<span style='color:{MUTED}; font-size:small'>{meta}</span><br>{h.snippet_html}</div>"
            )
        self.results.setHtml("".join(parts))

    def _open(self, url: QUrl) -> None:
        kind, _, rest = url.toString().partition(":")
        if kind == "loc":
            loc, _, theme = rest.partition(":")
            self.ctx.open_location(loc, theme or None)
        elif kind == "doc":
            from desktop.ui.documents.dialogs import open_document

            doc_id, _, page = rest.partition(":")
            open_document(self.ctx, doc_id, int(page or 1), self)

    def state(self) -> dict[str, Any]:
        return {"count": self.count.text(), "html": self.results.toHtml()}
