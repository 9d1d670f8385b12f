"""The location page: identifiers, capacity, region and the latest rating per theme, plus the
tabs other areas register (visits, diagnosis, ...)."""

from __future__ import annotations

import logging
from datetime import date

from desktop.services.changes import ChangeSet, touches
from desktop.services.directory import LocationDetail, location_detail
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QResizeEvent,
    QScrollArea,
    QSizePolicy,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.sections import LOCATION_TABS, load
from desktop.ui.style import rating_edge, rating_style
from desktop.ui.widgets import Card, muted_label, title_label

log = logging.getLogger(__name__)


class ThemeTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        self.code = QLabel()
        self.code.setObjectName("muted")
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.name.setStyleSheet("font-weight: 600;")
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.meta = muted_label()
        for w in (self.code, self.name, self.badge, self.meta):
            lay.addWidget(w)
        lay.addStretch(1)
        self.setMinimumHeight(112)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_score(
        self, code: str, name: str, rating: str | None, year: int | None, assessed_on: date | None
    ) -> None:
        style = rating_style(rating)
        self.code.setText(code)
        self.name.setText(name)
        self.badge.setText(f" {style.symbol}  {style.label} ")
        self.badge.setStyleSheet(
            f"background:{style.background}; color:{style.foreground}; border-radius:4px;"
            f"border: 1px solid {rating_edge(rating) if rating else style.background};"
            "padding:3px 6px; font-weight:600;"
        )
        self.badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        if rating:
            from desktop.services import formatting  # Babel: kept out of the start-up path

            self.meta.setText(f"Periode {year} · beoordeeld {formatting.long_date(assessed_on)}")
        else:
            self.meta.setText("Nog geen beoordeling. Voeg er een toe bij Kwaliteitsdiagnose.")
        self.setAccessibleName(f"{code} {name}: {style.label}")


class OverviewTab(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Overzicht van de locatie")
        self.setAccessibleDescription("Gegevens van de locatie en het laatste oordeel per thema")
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.setSpacing(12)
        ids = Card()
        self.grid = QGridLayout(ids)
        self.grid.setContentsMargins(14, 10, 14, 10)
        self.grid.setHorizontalSpacing(24)
        self.fields: dict[str, QLabel] = {}
        self.captions: dict[str, str] = {}
        self._id_pairs: list[tuple[QLabel, QLabel]] = []
        labels = [
            ("provider", "Zorgaanbieder"),
            ("address", "Adres"),
            ("region", "Regio"),
            ("care_office", "Zorgkantoor"),
            ("agb", "AGB-code locatie"),
            ("branch", "KvK-vestigingsnummer"),
            ("kvk", "KvK-nummer aanbieder"),
            ("capacity", "Capaciteit"),
            ("groups", "Doelgroepen"),
        ]
        for key, text in labels:
            caption = QLabel(text)
            caption.setObjectName("muted")
            value = QLabel("–")
            value.setWordWrap(True)  # a long address wraps on a narrow page
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self.captions[key] = text
            self._id_pairs.append((caption, value))
        lay.addWidget(ids)
        lay.addWidget(title_label("Laatste beoordeling per thema", "sectionTitle"))
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.tile_grid = tiles
        self.tile_columns = 0
        self.tiles: list[ThemeTile] = [ThemeTile() for _ in range(8)]
        self._place_tiles(4)
        lay.addLayout(tiles)
        lay.addStretch(1)
        self.setWidget(body)

    def _place_tiles(self, columns: int) -> None:
        """Four tiles a row, two on a narrow page (1024×600): never a sideways scroll."""
        if columns == self.tile_columns:
            return
        self.tile_columns = columns
        for tile in self.tiles:
            self.tile_grid.removeWidget(tile)
        for c in range(4):
            self.tile_grid.setColumnStretch(c, 1 if c < columns else 0)
        for i, tile in enumerate(self.tiles):
            self.tile_grid.addWidget(tile, i // columns, i % columns)
        per_row = 3 if columns == 4 else 2  # the identifiers above the tiles follow
        for caption, value in self._id_pairs:
            self.grid.removeWidget(caption)
            self.grid.removeWidget(value)
        for i, (caption, value) in enumerate(self._id_pairs):
            row, col = divmod(i, per_row)
            self.grid.addWidget(caption, row * 2, col)
            self.grid.addWidget(value, row * 2 + 1, col)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_tiles(4 if event.size().width() >= 720 else 2)

    def show_detail(self, d: LocationDetail) -> None:
        from desktop.services import formatting

        f = self.fields
        f["provider"].setText(d.provider_name)
        f["address"].setText(
            f"{d.street} {d.house_number}, {formatting.postcode(d.postcode)} {d.place}".strip(", ")
        )
        f["region"].setText(d.region_name)
        f["care_office"].setText(d.care_office_name or "–")
        f["agb"].setText(d.agb_code or "–")
        f["branch"].setText(d.kvk_branch_number or "–")
        f["kvk"].setText(d.provider_kvk or "–")
        f["capacity"].setText(f"{d.capacity} plaatsen" if d.capacity else "onbekend")
        f["groups"].setText(", ".join(d.target_groups) or "–")
        for tile, s in zip(self.tiles, d.scores, strict=False):
            tile.show_score(s.theme_code, s.theme_name, s.rating, s.period_year, s.assessed_on)
        # A screen reader reaches this page as one area: its description carries the content.
        self.setAccessibleDescription(
            ". ".join(f"{self.captions[k]}: {label.text()}" for k, label in f.items())
            + ". "
            + ". ".join(t.accessibleName() for t in self.tiles[: len(d.scores)])
        )


class LocationPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.location_id: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        text = QVBoxLayout()
        self.title = title_label("")
        self.subtitle = title_label("", "pageSubtitle")
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        head.addLayout(text, 1)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.overview = OverviewTab()
        self.tabs.addTab(self.overview, "Overzicht")
        # Area tabs are built when first shown: their modules stay out of the start-up path.
        self._specs = list(LOCATION_TABS)
        self._built: dict[int, QWidget] = {}
        self._pending_theme: str | None = None
        for spec in self._specs:
            self.tabs.addTab(QWidget(), spec.label)
        self.tabs.currentChanged.connect(self._ensure_tab)
        lay.addWidget(self.tabs, 1)
        self.last_detail: LocationDetail | None = None
        ctx.entities_changed.connect(self._entities_changed)

    def set_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.location_id = location_id
        self._pending_theme = theme_code
        self.ctx.run(
            location_detail,
            self.ctx.db_path,
            location_id,
            on_done=self._show,
            label="Locatie openen",
        )
        for index in list(self._built):
            self._tell(index)
        if theme_code is not None:
            self.show_tab("kwaliteitsdiagnose")

    def show_tab(self, key: str) -> None:
        for i, spec in enumerate(self._specs, start=1):
            if spec.key == key:
                self.tabs.setCurrentIndex(i)
                self._ensure_tab(i)

    def tab_widget(self, key: str) -> QWidget | None:
        """The built widget of an area tab (building it if needed)."""
        for i, spec in enumerate(self._specs, start=1):
            if spec.key == key:
                return self._ensure_tab(i)
        return None

    def _ensure_tab(self, index: int) -> QWidget | None:
        if index <= 0:
            return None
        if index in self._built:
            return self._built[index]
        spec = self._specs[index - 1]
        try:
            widget = load(spec.factory)(self.ctx)
        except Exception:  # one broken tab must not take the window down
            log.exception("cannot build location tab %s", spec.key)
            return None
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, spec.label)
        if placeholder is not None:
            placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        self._built[index] = widget
        if self.location_id is not None:
            self._tell(index)
        return widget

    def _tell(self, index: int) -> None:
        widget = self._built[index]
        spec = self._specs[index - 1]
        setter = getattr(widget, "set_location", None)
        if setter is None or self.location_id is None:
            return
        try:
            if self._pending_theme is not None and "theme_code" in setter.__code__.co_varnames:
                setter(self.location_id, theme_code=self._pending_theme)
            else:
                setter(self.location_id)
        except Exception:
            log.exception("location tab %s failed", spec.key)

    def _show(self, detail: LocationDetail | None) -> None:
        if detail is None or detail.id != self.location_id:
            return
        self.last_detail = detail
        self.title.setText(detail.name)
        self.subtitle.setText(
            f"{detail.provider_name} · {detail.place} · regio {detail.region_name}"
        )
        self.overview.show_detail(detail)

    def _entities_changed(self, changes: ChangeSet) -> None:
        if self.location_id and touches(changes, "theme_assessment", "location", "provider"):
            self.ctx.run(location_detail, self.ctx.db_path, self.location_id, on_done=self._show)
