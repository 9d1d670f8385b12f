"""Import of a realisation sheet (`budget realisation import FILE.xlsx|FILE.csv`).

One row per provider and period; the column layout is in COLUMNS and documented with an example
in resources/examples/realisatie_kwaliteitsbudget.csv. The provider is found by KvK-nummer, else
AGB-code, else exact name. Like the provider import (desktop.services.importer): every bad row
is reported with its line and a Dutch reason, and nothing is written unless every row is valid;
what is written, is written in one transaction (existing reports of the same provider, year and
period are corrected).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from db.engine import Database
from db.errors import ValidationError, ValidationErrors
from db.models import Provider
from db.models.budget_year import RealisationReport
from db.repo import UnitOfWork
from desktop.services.budget_year.realisation import FIELDS, PERIOD_WORDS, validate
from desktop.services.importer import RowError, _delimiter, _norm_header, _read_text

# column -> (model field or key, required, Dutch description). Order = the example file.
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "jaar": ("year", True, "begrotingsjaar, bijvoorbeeld 2027"),
    "periode": ("period", True, "mei, juli, oktober, jaar (met rondrekening) of accountant"),
    "kvk": ("kvk", False, "KvK-nummer van de zorgaanbieder (8 cijfers)"),
    "agb": ("agb", False, "AGB-code van de zorgaanbieder, als er geen KvK-nummer is"),
    "aanbieder": ("name", False, "naam van de zorgaanbieder, als er geen KvK/AGB is"),
    "datum_ontvangst": (
        "received_date",
        True,
        "datum waarop de realisatie binnenkwam (23-11-2027)",
    ),
    "kosten_personeel": (
        "staff_costs",
        True,
        "gerealiseerde kosten extra personeel, cumulatief vanaf 1 januari",
    ),
    "kosten_overig": (
        "other_costs",
        True,
        "gerealiseerde kosten overige investeringen, cumulatief",
    ),
    "fte_2018": ("fte_baseline", False, "fte zorgpersoneel in 2018 (peiljaar)"),
    "fte_gerealiseerd": ("fte_realised", False, "fte zorgpersoneel aan het eind van de periode"),
    "fte_begroot_extra": ("fte_planned", False, "extra fte volgens de begroting van het jaar"),
    "clienten_vv4_vv10": ("clients", False, "aantal cliënten VV4-VV10 (ZZP/VPT)"),
    "clienten_2018": ("clients_baseline", False, "aantal cliënten VV4-VV10 in 2018"),
    "sv_loon": ("sv_wages", False, "rondrekening: SV-loon (verplicht bij periode jaar)"),
    "sv_dagen": ("sv_days", False, "rondrekening: SV-dagen (verplicht bij periode jaar)"),
    "facturen_inhuur": (
        "hired_invoices",
        False,
        "rondrekening: facturen inhuur (verplicht bij jaar)",
    ),
    "omzetontwikkeling": (
        "turnover_change",
        False,
        "rondrekening: omzetontwikkeling, mag negatief",
    ),
    "toelichting": ("note", False, "vrije toelichting"),
}
_BY_FIELD = {f: col for col, (f, _, _) in COLUMNS.items()}
REQUIRED = tuple(c for c, (_, req, _) in COLUMNS.items() if req)


@dataclass(frozen=True)
class RealisationImport:
    rows: int
    valid_rows: int
    created: int
    corrected: int
    errors: tuple[RowError, ...]
    written: bool
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "created": self.created,
            "corrected": self.corrected,
            "written": self.written,
            "dry_run": self.dry_run,
            "errors": [
                {"line": e.line, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text a user would have typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the header and every row, from .xlsx or .csv."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except FileNotFoundError as exc:
            raise ValidationError("file", f"Het bestand {path} bestaat niet.") from exc
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise ValidationError("file", f"{path.name} is geen leesbaar Excel-bestand.") from exc
        ws = wb.worksheets[0]
        out = [
            (i, [_cell(c) for c in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
        wb.close()
        return out
    text = _read_text(path)
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(first))
    out, line = [], 0
    for values in reader:
        out.append((line + 1, values))
        line = reader.line_num
    return out


def _providers(s: Any) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    by_kvk: dict[str, str] = {}
    by_agb: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for pid, kvk, agb, name in s.exec(
        select(
            Provider.id,
            Provider.kvk_number,
            Provider.agb_code,  # type: ignore[call-overload]
            Provider.name,
        ).where(Provider.deleted_at == None)  # noqa: E711
    ):
        if kvk:
            by_kvk[kvk] = pid
        if agb:
            by_agb[agb] = pid
        by_name.setdefault(name.casefold().strip(), []).append(pid)
    return by_kvk, by_agb, by_name


def import_realisation(
    db: Database,
    path: Path | str,
    *,
    by: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> RealisationImport:
    path = Path(path)
    table = [(n, cells) for n, cells in _read_rows(path)]
    if not table or not any(x.strip() for x in table[0][1]):
        raise ValidationError(
            "file", f"{path.name} is leeg: de eerste regel moet de kolomnamen bevatten."
        )
    header = [_norm_header(h) for h in table[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            "file",
            f"{path.name} mist de verplichte kolom(men): {', '.join(missing)}. "
            f"Verwachte kolommen: {', '.join(COLUMNS)}.",
        )
    errors: list[RowError] = []
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1,
                unknown[0],
                f"Onbekende kolom(men): {', '.join(unknown)}. Toegestaan: {', '.join(COLUMNS)}.",
            )
        )
    with db.read_session() as s:
        by_kvk, by_agb, by_name = _providers(s)
    good: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, str], int] = {}
    n = 0
    for line, cells in table[1:]:
        if not any(str(c).strip() for c in cells):
            continue
        n += 1
        rec = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        row_errors: list[RowError] = []
        year = None
        try:
            year = int(rec.get("jaar", ""))
            if not 2019 <= year <= 2100:
                raise ValueError
        except ValueError:
            row_errors.append(
                RowError(
                    line,
                    "jaar",
                    f"Jaar '{rec.get('jaar', '')}' is geen geldig "
                    "begrotingsjaar (bijvoorbeeld 2027).",
                )
            )
        period = PERIOD_WORDS.get(rec.get("periode", "").strip().casefold())
        if period is None:
            row_errors.append(
                RowError(
                    line,
                    "periode",
                    f"Onbekende periode '{rec.get('periode', '')}'. "
                    "Gebruik mei, juli, oktober, jaar of accountant.",
                )
            )
        pid = None
        if rec.get("kvk"):
            pid = by_kvk.get(rec["kvk"].replace(" ", ""))
            if pid is None:
                row_errors.append(
                    RowError(line, "kvk", f"Geen zorgaanbieder met KvK-nummer {rec['kvk']}.")
                )
        elif rec.get("agb"):
            pid = by_agb.get(rec["agb"].replace(" ", ""))
            if pid is None:
                row_errors.append(
                    RowError(line, "agb", f"Geen zorgaanbieder met AGB-code {rec['agb']}.")
                )
        elif rec.get("aanbieder"):
            found = by_name.get(rec["aanbieder"].casefold().strip(), [])
            if len(found) != 1:
                row_errors.append(
                    RowError(
                        line,
                        "aanbieder",
                        (
                            f"Geen zorgaanbieder met de naam '{rec['aanbieder']}'."
                            if not found
                            else f"Meer zorgaanbieders heten '{rec['aanbieder']}'; gebruik het KvK-nummer."
                        ),
                    )
                )
            else:
                pid = found[0]
        else:
            row_errors.append(
                RowError(
                    line,
                    "kvk",
                    "Vul het KvK-nummer, de AGB-code of de naam van de zorgaanbieder in.",
                )
            )
        values = {f: rec.get(col, "") for col, (f, _, _) in COLUMNS.items() if f in FIELDS}
        if period and year:
            try:
                data = validate(period, values, year, today)
            except ValidationErrors as exc:
                row_errors.extend(
                    RowError(line, _BY_FIELD.get(e.field, e.field), e.message) for e in exc.errors
                )
        if not row_errors and pid and period and year:
            key = (pid, year, period)
            if key in seen:
                row_errors.append(
                    RowError(
                        line,
                        "periode",
                        f"Deze zorgaanbieder en periode staan ook al in regel {seen[key]}.",
                    )
                )
            else:
                seen[key] = line
                good.append({"provider_id": pid, "year": year, "period": period, **data})
        errors.extend(row_errors)
    errors.sort(key=lambda e: e.line)
    write = not dry_run and not errors
    created, corrected = _write(db, good, by, really=write)
    return RealisationImport(
        n, len(good), created, corrected, tuple(errors), write and bool(good), dry_run
    )


def _write(
    db: Database, rows: list[dict[str, Any]], by: str | None, *, really: bool
) -> tuple[int, int]:
    def existing_in(s: Any) -> dict[tuple[str, int, str], RealisationReport]:
        years = {r["year"] for r in rows}
        q = select(RealisationReport).where(
            RealisationReport.deleted_at == None,  # noqa: E711
            col(RealisationReport.year).in_(years),
        )
        return {(r.provider_id, r.year, r.period): r for r in s.exec(q).all()}

    if not rows:
        return 0, 0
    if not really:
        with db.read_session() as s:
            old = existing_in(s)
        corrected = sum(1 for r in rows if (r["provider_id"], r["year"], r["period"]) in old)
        return len(rows) - corrected, corrected
    with UnitOfWork(db, by) as uow:
        old = existing_in(uow.session)
        new, corrected = [], 0
        for r in rows:
            hit = old.get((r["provider_id"], r["year"], r["period"]))
            if hit is None:
                new.append({**r, "author_id": by})
            else:
                uow.update(hit, **{k: v for k, v in r.items() if k in FIELDS})
                corrected += 1
        from db.models.base import new_id

        uow.insert_rows(RealisationReport, [{"id": new_id(), **r} for r in new])
    return len(new), corrected
