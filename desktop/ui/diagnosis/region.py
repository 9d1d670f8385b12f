"""Section "Regio-overzicht": heatmap of locations x the eight themes (colour AND symbol and
word per cell), sortable and filterable; click a cell to open that location at that theme;
export to Excel/CSV; distribution per theme per year.

The controller (TagStudio style): `region_view.RegionOverviewView` builds the widgets, the
heatmap's model and delegate live in `heatmap`; their public names stay importable here."""

from __future__ import annotations

from typing import Any

from desktop.services import regional
from desktop.services.changes import ChangeSet, touches
from desktop.services.reference import themes
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.heatmap import (
    CELL_ROLE,
    FIXED,
    LOC_ROLE,
    RATING_ROLE,
    SORT_ROLE,
    TAIL,
    HeatCellDelegate,
    HeatmapModel,
    attention_words,
)
from desktop.ui.diagnosis.region_view import RegionOverviewView
from desktop.ui.qt import QHeaderView, QModelIndex, Qt, QWidget

__all__ = [
    "CELL_ROLE",
    "FIXED",
    "LOC_ROLE",
    "RATING_ROLE",
    "SORT_ROLE",
    "TAIL",
    "HeatCellDelegate",
    "HeatmapModel",
    "RegionOverview",
    "attention_words",
]


class RegionOverview(RegionOverviewView):
    """Registered in SECTIONS as "regio"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(themes(), parent)
        self.ctx = ctx
        self.heatmap: regional.Heatmap | None = None
        self._filling = False
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by_column)
        self.table.clicked.connect(self._open_cell)
        self.table.activated.connect(self._open_cell)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.provider.currentIndexChanged.connect(self.refresh)
        self.theme.currentIndexChanged.connect(self.refresh)
        self.only_concerns.toggled.connect(self.refresh)
        self.sort.currentIndexChanged.connect(self.refresh)
        self.btn_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.btn_csv.clicked.connect(lambda: self.export("csv"))
        ctx.entities_changed.connect(self._entities_changed)
        self.ctx.run(_scopes, self.ctx.db_path, on_done=self._set_scopes, label="Regio's laden")

    # -- data ------------------------------------------------------------------------------------
    def _set_scopes(self, scopes: list[tuple[str, str, dict]]) -> None:
        self._filling = True
        self.scope.clear()
        for label, _key, kwargs in scopes:
            self.scope.addItem(label, kwargs)
        self._filling = False
        if scopes:
            self.scope.setCurrentIndex(0)
            self._scope_changed()

    def _scope_changed(self) -> None:
        if self._filling:
            return
        self._filling = True
        self.provider.clear()
        self.provider.addItem("Alle zorgaanbieders", None)
        self._filling = False
        self.refresh()

    def current_query(self) -> dict[str, Any]:
        kwargs = dict(self.scope.currentData() or {})
        kwargs["provider_id"] = self.provider.currentData()
        theme = self.theme.currentData()
        kwargs["theme_filter"] = [theme] if theme else None
        kwargs["only_rating_at_least"] = 2 if self.only_concerns.isChecked() else None
        kwargs["sort"] = self.sort.currentData() or "urgency"
        kwargs["title"] = f"Regio-overzicht kwaliteitsdiagnose {self.scope_name()}"
        return kwargs

    def scope_name(self) -> str:
        """'Regio Utrecht' without the location count shown in the combo box."""
        return self.scope.currentText().rsplit(" (", 1)[0]

    def refresh(self) -> None:
        if self._filling or self.scope.count() == 0:
            return
        q = self.current_query()
        self.ctx.run(
            _load, self.ctx.db_path, q, on_done=self.show_heatmap, label="Regio-overzicht laden"
        )

    def show_heatmap(self, result: tuple[regional.Heatmap, tuple]) -> None:
        hm, dist = result
        self.heatmap = hm
        self.model.set_heatmap(hm)
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        if self.provider.count() <= 1 and not self.provider.currentData():
            self._filling = True
            providers = sorted(
                {(r.provider_name, r.provider_id) for r in hm.rows}, key=lambda x: x[0].casefold()
            )
            for name, pid in providers:
                self.provider.addItem(name, pid)
            self._filling = False
        counts = hm.counts()
        concern_locs = sum(1 for r in hm.rows if r.concerns)
        disagree = sum(1 for r in hm.rows if r.disagreements)
        self.title.setText(f"Regio-overzicht · {self.scope_name()}")
        self.subtitle.setText(
            f"{_n(len(hm.rows), 'locatie', 'locaties')} · {concern_locs} met een thema matig of "
            f"onvoldoende · {counts.get('INSUFFICIENT', 0)} × onvoldoende · "
            f"{_n(disagree, 'locatie', 'locaties')} waar het laatste bezoek afwijkt van het oordeel"
        )
        self.table.setVisible(bool(hm.rows))
        self.empty.setVisible(not hm.rows)
        for d in dist:
            self.charts[d.theme_code].set_years(d.years)

    def _sort_by_column(self, column: int) -> None:
        hdr = self.table.horizontalHeader()
        order = (
            Qt.SortOrder.DescendingOrder
            if hdr.sortIndicatorSection() != column
            or hdr.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
            else Qt.SortOrder.AscendingOrder
        )
        if column < len(FIXED) and hdr.sortIndicatorSection() != column:
            order = Qt.SortOrder.AscendingOrder
        hdr.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _open_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        self.ctx.open_location(row.location_id, self.model.theme_at(index.column()))

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "theme_assessment", "site_visit", "location"):
            self.refresh()

    def export(self, kind: str, path: str | None = None) -> None:
        if self.heatmap is None:
            return
        if path is None:
            name = f"Regio-overzicht {self.scope_name()}.{kind}"
            flt = "Excel-werkmap (*.xlsx)" if kind == "xlsx" else "CSV-bestand (*.csv)"
            path, _ = files.save_file_name(self, "Regio-overzicht exporteren", name, flt)
            if not path:
                return
        from desktop.services import exports

        hm = regional.Heatmap(
            self.heatmap.title,
            self.heatmap.theme_codes,
            self.heatmap.theme_names,
            tuple(self.model.rows),
        )  # in the order the user sees
        fn = exports.heatmap_to_xlsx if kind == "xlsx" else exports.heatmap_to_csv
        self.ctx.run(
            fn,
            hm,
            path,
            on_done=lambda p: self.ctx.offer_open(p, "Geëxporteerd"),
            label="Exporteren",
        )

    def select_scope(self, label_part: str) -> bool:
        for i in range(self.scope.count()):
            if label_part.casefold() in self.scope.itemText(i).casefold():
                self.scope.setCurrentIndex(i)
                return True
        return False


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _scopes(db_path: Any) -> list[tuple[str, str, dict]]:
    """Care offices (whole office) first, then regions with locations."""
    from desktop.services.themes import connect_ro

    conn = connect_ro(db_path)
    try:
        offices = conn.execute(
            """SELECT co.id, co.short_name, count(l.id) FROM care_office co
               JOIN region_assignment ra ON ra.care_office_id = co.id AND ra.deleted_at IS NULL
                    AND ra.valid_from <= date('now') AND (ra.valid_to IS NULL OR ra.valid_to >= date('now'))
               JOIN location l ON l.region_id = ra.region_id AND l.deleted_at IS NULL
               GROUP BY co.id ORDER BY 3 DESC"""
        ).fetchall()
        regions = conn.execute(
            """SELECT r.id, r.name, count(l.id) FROM region r
               JOIN location l ON l.region_id = r.id AND l.deleted_at IS NULL
               GROUP BY r.id ORDER BY r.name"""
        ).fetchall()
    finally:
        conn.close()
    out = [(f"Regio {name} ({n})", rid, {"region_id": rid}) for rid, name, n in regions]
    out += [(f"Heel {name} ({n})", cid, {"care_office_id": cid}) for cid, name, n in offices]
    return out


def _load(db_path: Any, q: dict[str, Any]) -> tuple[regional.Heatmap, tuple]:
    hm = regional.heatmap(db_path, **q)
    dist = regional.distribution(
        db_path,
        region_id=q.get("region_id"),
        care_office_id=q.get("care_office_id"),
        provider_id=q.get("provider_id"),
    )
    return hm, dist
