"""Export of the regional heatmap: Excel (.xlsx), CSV (Dutch Excel dialect) and JSON data."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from desktop.services.formatting import short_date
from desktop.services.regional import Heatmap
from desktop.services.themes import rating_info, rating_label, ratings

_FIXED_HEADERS = ["Locatie", "Plaats", "Zorgaanbieder", "Regio"]
_TAIL_HEADERS = [
    "Aantal matig/onvoldoende",
    "Verslechterd",
    "Afwijking bezoek",
    "Oudste oordeel",
    "Laatste bezoek",
]


def _cell_text(rating: str | None) -> str:
    info = rating_info(rating)
    return f"{info.label} ({info.symbol})" if info else "—"


def heatmap_rows(hm: Heatmap) -> list[list[Any]]:
    """Header + one row per location, as plain text/numbers."""
    header = (
        _FIXED_HEADERS
        + [f"{c} {n}" for c, n in zip(hm.theme_codes, hm.theme_names, strict=False)]
        + _TAIL_HEADERS
    )
    out: list[list[Any]] = [header]
    for r in hm.rows:
        # names come from imports and colleagues: never a formula in Excel (safe_cell)
        out.append(
            [
                *(safe_cell(v) for v in (r.location_name, r.place, r.provider_name, r.region_name)),
                *[(rating_label(c.rating) if c.rating else "") for c in r.cells],
                r.concerns,
                r.worsened,
                r.disagreements,
                short_date(r.oldest_assessment),
                short_date(r.last_visit),
            ]
        )
    return out


def location_fields(r: Any) -> dict[str, Any]:
    """Who a row of a JSON export is about: the location and its provider, by id and name (the
    same keys in every export)."""
    return {
        "location_id": r.location_id,
        "location": r.location_name,
        "place": r.place,
        "provider_id": r.provider_id,
        "provider": r.provider_name,
    }


def heatmap_to_dict(hm: Heatmap) -> dict[str, Any]:
    return {
        "title": hm.title,
        "themes": [
            {"code": c, "name": n} for c, n in zip(hm.theme_codes, hm.theme_names, strict=False)
        ],
        "locations": [
            {
                **location_fields(r),
                "region": r.region_name,
                "concerns": r.concerns,
                "worsened": r.worsened,
                "disagreements": r.disagreements,
                "last_visit": r.last_visit.isoformat() if r.last_visit else None,
                "cells": {
                    c.theme_code: {
                        "rating": c.rating,
                        "label": rating_label(c.rating) if c.rating else None,
                        "previous_rating": c.previous_rating,
                        "assessed_on": c.assessed_on.isoformat() if c.assessed_on else None,
                        "visit_signal": c.visit_signal,
                        "visit_rating": c.visit_rating,
                        "disagreement": c.disagreement,
                    }
                    for c in r.cells
                },
            }
            for r in hm.rows
        ],
        "counts": hm.counts(),
    }


def heatmap_to_csv(hm: Heatmap, path: Path | str) -> Path:
    """Semicolon-separated UTF-8 with BOM, so Dutch Excel opens it with the diacritics intact."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerows(heatmap_rows(hm))
    return path


def heatmap_to_xlsx(hm: Heatmap, path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Regio-overzicht"
    rows = heatmap_rows(hm)
    ws.append([safe_cell(hm.title or "Regio-overzicht kwaliteitsdiagnose")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(rows[0])
    header_row = 3
    thin = Side(style="thin", color="BBBBBB")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_theme_col = len(_FIXED_HEADERS) + 1
    for r, data in zip(hm.rows, rows[1:], strict=False):
        ws.append(data)
        excel_row = ws.max_row
        for i, c in enumerate(r.cells):
            cell = ws.cell(row=excel_row, column=first_theme_col + i)
            info = rating_info(c.rating)
            cell.value = _cell_text(c.rating) if info else ""
            if info:
                cell.fill = PatternFill("solid", fgColor=info.colour.lstrip("#").upper())
                cell.font = Font(color=info.text_colour.lstrip("#").upper())
            cell.alignment = Alignment(horizontal="center")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    ws.auto_filter.ref = (
        f"A{header_row}:{get_column_letter(len(rows[0]))}{max(ws.max_row, header_row)}"
    )
    widths = [34, 16, 30, 18] + [16] * len(hm.theme_codes) + [14, 12, 14, 14, 14]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[header_row].height = 45

    legend = wb.create_sheet("Toelichting")
    legend.append(["Oordeel", "Teken", "Betekenis"])
    for cell in legend[1]:
        cell.font = Font(bold=True)
    for info in ratings():
        legend.append([info.label, info.symbol, info.definition])
        legend.cell(row=legend.max_row, column=1).fill = PatternFill(
            "solid", fgColor=info.colour.lstrip("#").upper()
        )
        legend.cell(row=legend.max_row, column=1).font = Font(
            color=info.text_colour.lstrip("#").upper()
        )
    legend.column_dimensions["A"].width = 14
    legend.column_dimensions["C"].width = 100
    wb.save(path)
    return path


# -- generic tables (budget year exports) ------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value that a spreadsheet shows as data, never runs: text starting with = + - @ (or a
    tab/return) gets a leading apostrophe (CSV/formula injection). Numbers pass through."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if value is None:
        return ""
    return str(safe_cell(value) if isinstance(value, str) else value)


def rows_to_csv(rows: list[list[Any]], path: Path | str) -> Path:
    """Header + rows as Dutch Excel CSV (`;`, UTF-8 with BOM, decimal comma), injection-safe."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerows([[_csv_value(v) for v in row] for row in rows])
    return path


def rows_to_xlsx(sheets: list[tuple[str, str, list[list[Any]]]], path: Path | str) -> Path:
    """Workbook with one sheet per (name, title, header + rows). Decimals are numbers with the
    euro format; text is injection-safe; the header row is bold, frozen and filterable."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, title, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append([safe_cell(title)])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([])
        for i, row in enumerate(rows):
            ws.append([safe_cell(v) if isinstance(v, str) else v for v in row])
            if i == 0:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
                continue
            for col, v in enumerate(row, start=1):
                if isinstance(v, Decimal):
                    ws.cell(row=ws.max_row, column=col).number_format = "€ #,##0.00"
        if rows:
            ws.freeze_panes = "B4"
            ws.auto_filter.ref = f"A3:{get_column_letter(len(rows[0]))}{ws.max_row}"
            for col in range(1, len(rows[0]) + 1):
                ws.column_dimensions[get_column_letter(col)].width = 30 if col == 1 else 15
    wb.save(path)
    return path
