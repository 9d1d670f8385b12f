"""Realisatie: the provider's realisation reports of a budget year (Inkoopkader 2020 §4.2.9,
§4.2.12; DOMAIN.md R12, R14, R15 and §7.1).

"Zorgaanbieders leveren in mei, juli en oktober informatie aan over de realisatie" (§4.2.9),
cumulative from 1 January (Vektis: between 1 and 31 May the figures of 1 January - 30 April).
The whole year comes "voor 1 april van jaar t+1" with the rondrekening on "SV-loon, SV-dagen,
facturen inhuur en omzetontwikkeling", and "een rapport van feitelijke bevindingen van de
accountant" (§4.2.12; 1 May t+1 in §4.2.14).

§4.2.4: only extra fte "uitgaande van een ongewijzigde cliëntpopulatie"; population changes are
corrected uniformly: extra fte = fte now - fte 2018 x (clients now / clients 2018).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, ValidationError, ValidationErrors
from db.models import Provider
from db.models.budget_year import RealisationReport
from db.repo import UnitOfWork
from desktop.services import validation as v
from desktop.services.guards import acting_user
from desktop.services.letters.cycle import cycle_dates


class Period(StrEnum):
    MAY = "MAY"
    JUL = "JUL"
    OCT = "OCT"
    YEAR = "YEAR"
    AUDIT = "AUDIT"

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self.value]

    @property
    def months(self) -> int:
        """Months of the year the (cumulative) figures cover."""
        return {"MAY": 4, "JUL": 6, "OCT": 9, "YEAR": 12, "AUDIT": 12}[self.value]

    def due(self, year: int) -> date:
        """Last day on which the report is on time."""
        return _due(self.value, year)


@lru_cache(maxsize=256)
def _due(period: str, year: int) -> date:
    """The report dates of year t, from the one table of cycle dates (letters.cycle)."""
    c = cycle_dates(year)
    return {
        "MAY": c.realisation_reports[0],
        "JUL": c.realisation_reports[1],
        "OCT": c.realisation_reports[2],
        "YEAR": c.year_realisation_by - timedelta(days=1),  # "voor 1 april"
        "AUDIT": c.accountant_report_by,
    }[period]


PERIOD_LABELS = {
    "MAY": "Mei (t/m april)",
    "JUL": "Juli (t/m juni)",
    "OCT": "Oktober (t/m september)",
    "YEAR": "Heel jaar met rondrekening",
    "AUDIT": "Rapport accountant",
}
# Accepted spellings in a sheet.
PERIOD_WORDS = {
    "mei": "MAY",
    "may": "MAY",
    "juli": "JUL",
    "jul": "JUL",
    "oktober": "OCT",
    "okt": "OCT",
    "oct": "OCT",
    "jaar": "YEAR",
    "year": "YEAR",
    "heel jaar": "YEAR",
    "accountant": "AUDIT",
    "audit": "AUDIT",
}
COST_PERIODS = (Period.MAY, Period.JUL, Period.OCT, Period.YEAR)
PERIODS = {p.value: p for p in Period}  # code -> Period without the Enum call


@dataclass(frozen=True)
class Report:
    id: str
    provider_id: str
    year: int
    period: str
    period_label: str
    received_date: date
    due: date
    late: bool
    staff_costs: Decimal
    other_costs: Decimal
    fte_baseline: Decimal | None
    fte_realised: Decimal | None
    fte_planned: Decimal | None
    clients: int | None
    clients_baseline: int | None
    sv_wages: Decimal | None
    sv_days: int | None
    hired_invoices: Decimal | None
    turnover_change: Decimal | None
    note: str

    @property
    def total(self) -> Decimal:
        return self.staff_costs + self.other_costs

    @property
    def fte_per_client(self) -> Decimal | None:
        return ratio(self.fte_realised, self.clients)

    @property
    def extra_fte(self) -> Decimal | None:
        return extra_fte(self.fte_realised, self.fte_baseline, self.clients, self.clients_baseline)

    @property
    def planned_fte_per_client(self) -> Decimal | None:
        """(fte 2018 + planned extra fte) / clients 2018: the ratio the begroting aims at."""
        if self.fte_baseline is None or self.fte_planned is None:
            return None
        return ratio(self.fte_baseline + self.fte_planned, self.clients_baseline)


def ratio(fte: Decimal | None, clients: int | None) -> Decimal | None:
    if fte is None or not clients:
        return None
    return (fte / clients).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def extra_fte(
    now: Decimal | None, base: Decimal | None, clients: int | None, clients_base: int | None
) -> Decimal | None:
    """Extra fte against 2018 for an unchanged client population (§4.2.4)."""
    if now is None or base is None:
        return None
    if clients and clients_base:
        base = base * clients / clients_base
    return (now - base).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_COLUMNS = (
    "id",
    "provider_id",
    "year",
    "period",
    "received_date",
    "staff_costs",
    "other_costs",
    "fte_baseline",
    "fte_realised",
    "fte_planned",
    "clients",
    "clients_baseline",
    "sv_wages",
    "sv_days",
    "hired_invoices",
    "turnover_change",
    "note",
)


def _report(r: Any) -> Report:
    """A Report from a RealisationReport or a row of its _COLUMNS."""
    p = PERIODS[r.period]
    due = p.due(r.year)
    return Report(
        r.id,
        r.provider_id,
        r.year,
        r.period,
        p.label,
        r.received_date,
        due,
        r.received_date > due,
        r.staff_costs,
        r.other_costs,
        r.fte_baseline,
        r.fte_realised,
        r.fte_planned,
        r.clients,
        r.clients_baseline,
        r.sv_wages,
        r.sv_days,
        r.hired_invoices,
        r.turnover_change,
        r.note,
    )


def reports_in(
    s: Session, year: int, provider_ids: list[str] | None = None
) -> dict[str, list[Report]]:
    """provider id -> its reports of `year`, in period order. Reads columns, not ORM objects
    (the monitoring of a care office reads a thousand reports)."""
    cols = [getattr(RealisationReport, c) for c in _COLUMNS]
    q = select(*cols).where(RealisationReport.year == year, RealisationReport.deleted_at == None)  # noqa: E711
    if provider_ids is not None and len(provider_ids) <= 900:
        q = q.where(RealisationReport.provider_id.in_(provider_ids))  # type: ignore[attr-defined]
    wanted = None if provider_ids is None else set(provider_ids)
    out: dict[str, list[Report]] = {}
    order = list(Period)
    for r in s.exec(q).all():
        if wanted is not None and r.provider_id not in wanted:
            continue
        out.setdefault(r.provider_id, []).append(_report(r))
    for reps in out.values():
        reps.sort(key=lambda x: order.index(PERIODS[x.period]))
    return out


def reports(db: Database, provider_id: str, year: int) -> list[Report]:
    with db.read_session() as s:
        return reports_in(s, year, [provider_id]).get(provider_id, [])


def latest_costs(reps: list[Report]) -> Report | None:
    """The most recent report with costs (cumulative): YEAR over OCT over JUL over MAY."""
    with_costs = [r for r in reps if r.period != "AUDIT"]
    return with_costs[-1] if with_costs else None


# -- entry (form and import share the validation) ----------------------------------------------

# field -> (Dutch label, kind, required)
FIELDS: dict[str, tuple[str, str, bool]] = {
    "received_date": ("Datum ontvangst", "date", True),
    "staff_costs": ("Gerealiseerde kosten extra personeel", "money", True),
    "other_costs": ("Gerealiseerde kosten overige investeringen", "money", True),
    "fte_baseline": ("Fte 2018 (peiljaar)", "fte", False),
    "fte_realised": ("Fte gerealiseerd", "fte", False),
    "fte_planned": ("Extra fte volgens begroting", "fte", False),
    "clients": ("Cliënten VV4-VV10", "int", False),
    "clients_baseline": ("Cliënten VV4-VV10 in 2018", "int", False),
    "sv_wages": ("SV-loon", "money", False),
    "sv_days": ("SV-dagen", "int", False),
    "hired_invoices": ("Facturen inhuur", "money", False),
    "turnover_change": ("Omzetontwikkeling", "signed", False),
    "note": ("Toelichting", "text", False),
}
RECONCILIATION = ("sv_wages", "sv_days", "hired_invoices", "turnover_change")


def _fte(value: object, field: str, label: str) -> Decimal:
    text = str(value).strip().replace(",", ".")
    try:
        d = Decimal(text)
    except Exception as exc:  # noqa: BLE001 - decimal raises several kinds
        raise ValidationError(
            field, f"{label} '{value}' is geen getal; gebruik bijvoorbeeld 12,5."
        ) from exc
    if not d.is_finite() or d < 0 or d >= 100000:
        raise ValidationError(field, f"{label} moet tussen 0 en 100.000 liggen.")
    if d != d.quantize(Decimal("0.01")):
        raise ValidationError(field, f"{label} mag hoogstens 2 cijfers achter de komma hebben.")
    return d.quantize(Decimal("0.01"))


def validate(
    period: str, values: dict[str, Any], year: int, today: date | None = None
) -> dict[str, Any]:
    """Checked, typed values of one report; ValidationErrors with a Dutch message per field."""
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}
    try:
        p = Period(period)
    except ValueError:
        raise ValidationErrors(
            [
                ValidationError(
                    "period",
                    f"Onbekende periode '{period}'. Kies mei, juli, oktober, jaar of accountant.",
                )
            ]
        ) from None
    for name, (label, kind, required) in FIELDS.items():
        raw = values.get(name)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            needed = required and not (p == Period.AUDIT and kind == "money")
            needed = needed or (p == Period.YEAR and name in RECONCILIATION)
            if needed:
                extra = " (rondrekening bij de jaarrealisatie)" if name in RECONCILIATION else ""
                errors.append(ValidationError(name, f"{label} is verplicht{extra}."))
            out[name] = (
                Decimal("0.00")
                if kind == "money" and required
                else ("" if kind == "text" else None)
            )
            continue
        try:
            if kind == "date":
                out[name] = v.iso_date(raw, name, label)
            elif kind in ("money", "signed"):
                out[name] = v.amount(raw, name, label, allow_negative=kind == "signed")
            elif kind == "fte":
                out[name] = _fte(raw, name, label)
            elif kind == "int":
                text = str(raw).strip()
                if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # Dutch thousands: 112.400
                    text = text.replace(".", "")
                n = v.positive_int(text, name, label)
                if n is not None and n > 10_000_000:
                    raise ValidationError(name, f"{label} is onwaarschijnlijk groot.")
                out[name] = n
            else:
                out[name] = str(raw).strip()[:2000]
        except ValidationError as exc:
            errors.append(exc)
    received = out.get("received_date")
    if isinstance(received, date):
        if received > (today or date.today()):
            errors.append(
                ValidationError("received_date", "De datum van ontvangst ligt in de toekomst.")
            )
        elif received < date(year, 1, 1):
            errors.append(
                ValidationError(
                    "received_date",
                    f"Een realisatie over {year} kan niet vóór 1 januari {year} zijn ontvangen.",
                )
            )
    if errors:
        raise ValidationErrors(errors)
    return out


def record_report(
    db: Database,
    by: str,
    *,
    provider_id: str,
    year: int,
    period: str,
    today: date | None = None,
    **values: Any,
) -> Report:
    """Enter (or correct) one report by hand; one report per provider, year and period."""
    data = validate(period, values, year, today)
    with UnitOfWork(db, by) as uow:
        acting_user(uow, by)
        if uow.get(Provider, provider_id) is None:
            raise NotFound("Deze zorgaanbieder bestaat niet.")
        existing = uow.exec(
            select(RealisationReport).where(
                RealisationReport.provider_id == provider_id,
                RealisationReport.year == year,
                RealisationReport.period == period,
                RealisationReport.deleted_at == None,  # noqa: E711
            )
        ).first()
        if existing is not None:
            uow.update(existing, **data)
            row = existing
        else:
            row = uow.add(
                RealisationReport(
                    provider_id=provider_id, year=year, period=period, author_id=by, **data
                )
            )
        return _report(row)
