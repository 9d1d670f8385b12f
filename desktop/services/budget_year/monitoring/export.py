"""The monitoring as spreadsheet rows and an .xlsx file."""

from __future__ import annotations

from typing import Any

from desktop.services.budget_year.monitoring.model import MONTHS_SHORT, SIGNALS, Monitor


def monitor_rows(m: Monitor) -> list[list[Any]]:
    head = [
        "Zorgaanbieder",
        "Regio",
        "Afgesproken",
        "Voorschot betaald",
        "Gerealiseerd",
        "Realisatie t/m maand",
        "Prognose jaar",
        "Prognose % afspraak",
        "Overig afgesproken %",
        "Overig gerealiseerd %",
        "Extra fte",
        "Fte/cliënt",
        "Fte/cliënt begroot",
        "Signalen",
        "Toelichting",
    ]
    out: list[list[Any]] = [head]
    for r in m.rows:
        out.append(
            [
                r.provider_name,
                r.region_name,
                r.agreed_total,
                r.advanced,
                r.realised,
                MONTHS_SHORT[r.realised_months - 1] if r.realised_months else "",
                r.projected if r.projected is not None else "",
                r.projected_pct if r.projected_pct is not None else "",
                r.agreed_other_pct,
                r.realised_other_pct if r.realised_other_pct is not None else "",
                r.extra_fte if r.extra_fte is not None else "",
                r.fte_per_client if r.fte_per_client is not None else "",
                r.planned_fte_per_client if r.planned_fte_per_client is not None else "",
                ", ".join(g.text for g in r.signals),
                " ".join(g.detail for g in r.signals),
            ]
        )
    return out


def region_rows(m: Monitor) -> list[list[Any]]:
    out: list[list[Any]] = [
        ["Regio", "Aanbieders", "Afgesproken", "Voorschot betaald", "Gerealiseerd", "Prognose"]
        + [v[1] for v in SIGNALS.values()]
    ]
    for t in m.regions:
        out.append(
            [
                t.region_name,
                t.providers,
                t.agreed,
                t.advanced,
                t.realised,
                t.projected,
                *[t.signals.get(code, 0) for code in SIGNALS],
            ]
        )
    return out


def export_xlsx(m: Monitor, path: Any) -> Any:
    from desktop.services import exports
    from desktop.services.formatting import long_date

    title = f"Monitoring kwaliteitsbudget {m.year} (stand {long_date(m.as_of)})"
    legend = (
        [["Teken", "Signaal", "Betekenis"]]
        + [
            [sym, label, text]
            for (sym, label), text in zip(
                SIGNALS.values(),
                (
                    "Prognose onder 90% van de afspraak: kandidaat voor herschikking naar beneden.",
                    "Prognose boven de afspraak: alleen vergoed tot het afgesproken maximum (§4.2.12).",
                    "Aandeel overige investeringen wijkt meer dan 5 procentpunt af van de afspraak.",
                    "Realisatie na de uiterste datum ontvangen.",
                    "Uiterste datum verstreken zonder realisatie.",
                ),
                strict=True,
            )
        ]
        + [[], ["", "Prognose", "Laatste cumulatieve realisatie × 12 / aantal maanden."]]
    )
    return exports.rows_to_xlsx(
        [
            ("Zorgaanbieders", title, monitor_rows(m)),
            ("Regio's", title, region_rows(m)),
            ("Toelichting", "Toelichting signalen", legend),
        ],
        path,
    )
