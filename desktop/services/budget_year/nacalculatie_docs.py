"""The nacalculatie statement per provider (PDF, signed by both sides) and the care-office
summary for the NZa (xlsx) with the totals the NZa compares against the budget."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.engine import Database
from desktop.services import pdf_style as ps
from desktop.services.budget_year.nacalculatie import (
    ProviderSettlement,
    provider_settlement,
    settlements,
)
from desktop.services.formatting import long_date, money
from desktop.services.letters.cycle import cycle_dates


def statement_pdf(db: Database, year: int, provider_id: str) -> bytes:
    """A4 statement: agreed maximum, realised and reimbursable per part, advances, reclaim,
    §4.2.13 extra, and two signature blocks (zorgkantoor and zorgaanbieder). CONCEPT until the
    settlement is recorded and approved under vier-ogen."""
    from desktop.services.letters.service import get_letterhead

    ps_ = provider_settlement(db, year, provider_id)
    a, st = ps_.agreement, ps_.settlement
    head = get_letterhead(db, a.care_office_id)
    final = ps_.review_state == "APPROVED"
    s = ps.styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=ps.PAGE_SIZE,
        leftMargin=ps.MARGIN_LEFT,
        rightMargin=ps.MARGIN_RIGHT,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        **ps.doc_info(
            title=f"Nacalculatie kwaliteitsbudget {year} – {a.provider_name}",
            author=head.name,
            subject="nacalculatie kwaliteitsbudget",
            keywords=["nacalculatie", str(year)],
        ),
    )
    width = doc.width

    def para(text: str, style: str = "body") -> Paragraph:
        return Paragraph(text, s[style])

    story: list = [
        para(ps.text(head.name), "small"),
        para(f"Nacalculatie kwaliteitsbudget {year}", "title"),
        para(f"<b>{ps.text(a.provider_name)}</b> · zorgkantoorregio {ps.text(a.region_name)}"),
        para(
            f"Inkoopkader §4.2.12-4.2.13. Uiterlijk {long_date(cycle_dates(year).final_accounting_by)} "
            "ingediend bij de NZa.",
            "small",
        ),
        Spacer(1, 6 * mm),
    ]
    if st is None:
        story.append(
            para(
                "De realisatie over het hele jaar (met rondrekening) is nog niet ontvangen. "
                "Deze opstelling kan pas worden gemaakt na ontvangst."
            )
        )
    else:

        def row(label: str, *values: Decimal | str, bold: bool = False) -> list:
            cells = [para(f"<b>{label}</b>" if bold else label, "cell")]
            for v in values:
                txt = money(v) if isinstance(v, Decimal) else v
                cells.append(para(f"<b>{txt}</b>" if bold else txt, "cell_right"))
            return cells

        rows = [
            row("", "Afgesproken maximum", "Gerealiseerd", "Vergoedbaar", bold=True),
            row("Extra zorgpersoneel", st.agreed_staff, st.realised_staff, st.reimbursable_staff),
            row("Overige investeringen", st.agreed_other, st.realised_other, st.reimbursable_other),
            row(
                "Totaal",
                st.agreed_staff + st.agreed_other,
                st.realised_staff + st.realised_other,
                st.reimbursable,
                bold=True,
            ),
        ]
        t = Table(rows, colWidths=[width * 0.31] + [width * 0.23] * 3)
        t.setStyle(TableStyle(ps.table_style_commands()))
        story += [t, Spacer(1, 5 * mm)]
        saldo = (
            "Terug te vorderen of te verrekenen"
            if st.balance > 0
            else "Na te betalen aan de zorgaanbieder"
            if st.balance < 0
            else "Saldo"
        )
        rows2 = [
            row("Betaalde voorschotten", st.advanced),
            row("Vergoedbaar (tot het afgesproken maximum)", st.reimbursable),
            row("Verschil voorschot en vergoedbaar", st.reclaim),
            row("Extra vergoeding §4.2.13 (landelijk onder het plafond)", st.extra_reimbursement),
            row(saldo, abs(st.balance), bold=True),
        ]
        t2 = Table(rows2, colWidths=[width * 0.69, width * 0.31])
        t2.setStyle(TableStyle(ps.table_style_commands(header_rows=0)))
        story += [t2, Spacer(1, 4 * mm)]
        story.append(
            para(
                f"Gerealiseerde verhouding personeel/overig: <b>{st.realised_split}</b> "
                "(de uitkomst kan afwijken van 85/15, §4.2.12)."
            )
        )
        if ps_.extra_fte is not None:
            from desktop.services.formatting import number

            ratio = (
                f"; fte per cliënt {number(ps_.fte_per_client, 3)}"
                if ps_.fte_per_client is not None
                else ""
            )
            story.append(
                para(
                    f"Extra fte ten opzichte van 2018, bij een ongewijzigde cliëntpopulatie "
                    f"(§4.2.4): <b>{number(ps_.extra_fte, 2)}</b>{ratio}."
                )
            )
        if ps_.extra_note:
            story.append(para("Toelichting extra vergoeding: " + ps.text(ps_.extra_note)))
        rec = [f"jaarrealisatie ontvangen op {long_date(ps_.year_report_received)}"]
        rec.append(
            f"rapport van feitelijke bevindingen ontvangen op {long_date(ps_.audit_received)}"
            if ps_.audit_received
            else "rapport van feitelijke bevindingen nog niet ontvangen"
        )
        story.append(para("Grondslag: " + "; ".join(rec) + ".", "small"))
    story.append(Spacer(1, 10 * mm))
    sig = [
        [
            para(f"<b>Namens {ps.text(head.name)}</b>", "cell"),
            para(f"<b>Namens {ps.text(a.provider_name)}</b>", "cell"),
        ]
    ]
    for label in ("Naam", "Functie", "Datum", "Handtekening"):
        sig.append([para(f"{label}: ____________________________", "cell")] * 2)
    sig_t = Table(
        sig, colWidths=[width / 2] * 2, rowHeights=[None, 9 * mm, 9 * mm, 9 * mm, 18 * mm]
    )
    sig_t.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story.append(KeepTogether([para("Voor akkoord", "h2"), sig_t]))
    doc.build(story, canvasmaker=ps.numbered_canvas(watermark=None if final else "CONCEPT"))
    return buf.getvalue()


def nza_rows(items: list[ProviderSettlement]) -> list[list[Any]]:
    head = [
        "Zorgaanbieder",
        "Regio",
        "Afgesproken personeel",
        "Afgesproken overig",
        "Gerealiseerd personeel",
        "Gerealiseerd overig",
        "Vergoedbaar personeel",
        "Vergoedbaar overig",
        "Voorschot",
        "Terugvordering",
        "Extra vergoeding §4.2.13",
        "Saldo",
        "Verhouding gerealiseerd",
        "Vier-ogen",
    ]
    out: list[list[Any]] = [head]
    totals = [Decimal("0.00")] * 10
    for p in items:
        st = p.settlement
        if st is None:
            out.append(
                [
                    p.agreement.provider_name,
                    p.agreement.region_name,
                    p.agreement.agreed_staff,
                    p.agreement.agreed_other,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "jaarrealisatie ontbreekt",
                ]
            )
            continue
        nums = [
            st.agreed_staff,
            st.agreed_other,
            st.realised_staff,
            st.realised_other,
            st.reimbursable_staff,
            st.reimbursable_other,
            st.advanced,
            st.reclaim,
            st.extra_reimbursement,
            st.balance,
        ]
        totals = [t + n for t, n in zip(totals, nums, strict=True)]
        out.append(
            [
                p.agreement.provider_name,
                p.agreement.region_name,
                *nums,
                st.realised_split,
                {"APPROVED": "goedgekeurd", "NONE": "niet vastgelegd"}.get(
                    p.review_state, p.review_state.lower()
                ),
            ]
        )
    out.append(["Totaal", "", *totals, "", ""])
    return out


def nza_summary_xlsx(
    db: Database, year: int, path: Path | str, *, care_office_id: str | None = None
) -> Path:
    from desktop.services import exports
    from desktop.services.ceiling import ceiling_summary

    items = settlements(db, year, care_office_id=care_office_id)
    sheets = [
        (
            "Nacalculatie",
            f"Nacalculatie kwaliteitsbudget {year} – samenvatting voor de NZa",
            nza_rows(items),
        )
    ]
    if care_office_id:
        c = ceiling_summary(db, care_office_id, year)
        reimb = sum(
            (
                p.settlement.reimbursable + p.settlement.extra_reimbursement
                for p in items
                if p.settlement
            ),
            Decimal("0.00"),
        )
        sheets.append(
            (
                "Budget",
                f"Vergelijking met het kwaliteitsbudget {year}",
                [
                    ["Onderdeel", "Bedrag"],
                    [
                        "Kwaliteitsbudget zorgkantoor (plafond)",
                        c.allocated if c.allocated is not None else "niet vastgelegd",
                    ],
                    [
                        "Afgesproken (na herschikking)",
                        sum((p.agreement.agreed_total for p in items), Decimal("0.00")),
                    ],
                    ["Vergoedbaar incl. extra vergoeding", reimb],
                ],
            )
        )
    return exports.rows_to_xlsx(sheets, path)
