"""The monitoring's rules: report states, the linear projection and the signals (UNDERSPEND,
OVERSPEND, SPLIT_DRIFT, LATE, MISSING; see the package docstring)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from desktop.services.budget_year.monitoring.model import (
    MONTHS_SHORT,
    SPLIT_DRIFT_POINTS,
    UNDERSPEND_BELOW,
    ReportState,
    Signal,
    pct,
    pct_text,
)
from desktop.services.budget_year.realisation import (
    PERIODS,
    Period,
    Report,
)


def report_states(reps: list[Report], year: int, as_of: date) -> tuple[ReportState, ...]:
    by_period = {r.period: r for r in reps}
    out = []
    for p in Period:
        due = p.due(year)
        r = by_period.get(p.value)
        if r is not None:
            status = "LATE" if r.late else "ON_TIME"
        else:
            status = "MISSING" if as_of > due else "OPEN"
        out.append(ReportState(p.value, p.label, due, r.received_date if r else None, status))
    return tuple(out)


def project(latest: Report | None) -> tuple[Decimal | None, str]:
    if latest is None:
        return None, "Nog geen realisatie ontvangen: geen prognose."
    months = PERIODS[latest.period].months
    if months >= 12:
        return latest.total, "Realisatie van het hele jaar."
    projected = (latest.total * 12 / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return projected, (
        f"Lineair doorgetrokken: gerealiseerd t/m {MONTHS_SHORT[months - 1]} × 12/{months}."
    )


def signals_of(row: dict[str, Any], states: tuple[ReportState, ...]) -> tuple[Signal, ...]:
    from desktop.services.formatting import money

    out: list[Signal] = []
    agreed, projected = row["agreed_total"], row["projected"]
    if projected is not None and agreed:
        if projected < agreed * UNDERSPEND_BELOW:
            out.append(
                Signal(
                    "UNDERSPEND",
                    f"Prognose {money(projected)} is "
                    f"{pct_text(pct(projected, agreed))} van de afspraak: kandidaat voor herschikking.",
                )
            )
        elif projected > agreed:
            out.append(
                Signal(
                    "OVERSPEND",
                    f"Prognose {money(projected - agreed)} boven de afspraak; "
                    "alleen vergoed tot het afgesproken maximum.",
                )
            )
    realised = row["realised_staff"] + row["realised_other"]
    if realised and agreed:
        drift = pct(row["realised_other"], realised) - pct(row["agreed_other"], agreed)
        if abs(drift) > SPLIT_DRIFT_POINTS:
            out.append(
                Signal(
                    "SPLIT_DRIFT",
                    f"Aandeel overige investeringen "
                    f"{pct_text(pct(row['realised_other'], realised))} tegen "
                    f"{pct_text(pct(row['agreed_other'], agreed))} afgesproken.",
                )
            )
    late = [s.label for s in states if s.status == "LATE"]
    missing = [s.label for s in states if s.status == "MISSING"]
    if missing:
        out.append(Signal("MISSING", "Niet ontvangen: " + ", ".join(missing) + "."))
    if late:
        out.append(Signal("LATE", "Te laat ontvangen: " + ", ".join(late) + "."))
    return tuple(out)
