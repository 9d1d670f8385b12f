"""The kwaliteitsdiagnose of one location as a printable PDF in the house style."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from desktop.services import pdf_style as ps
from desktop.services.diagnosis import SIGNAL_LABELS, LocationDiagnosis, location_diagnosis
from desktop.services.formatting import long_date, short_date
from desktop.services.themes import rating_info, ratings

# Liberation Sans has no U+2716; the multiplication sign reads the same on paper.
_PDF_SYMBOL = {"✖": "×"}


def _symbol(code: str | None) -> str:
    info = rating_info(code)
    if info is None:
        return "–"
    return _PDF_SYMBOL.get(info.symbol, info.symbol)


def _rating_text(code: str | None) -> str:
    info = rating_info(code)
    return f"{_symbol(code)} {info.label}" if info else "– Niet beoordeeld"


def location_diagnosis_pdf(diag: LocationDiagnosis, *, as_of: date, author: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        ListFlowable,
        ListItem,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    st = ps.styles()
    t = ps.text
    buf = io.BytesIO()
    title = f"Kwaliteitsdiagnose {diag.location_name}"
    doc = ps.house_document(
        buf,
        title=title,
        author=author or "Kwaliteitsdialoog",
        subject=f"Kwaliteitsdiagnose per thema, {diag.provider_name}",
    )
    story: list[Any] = [
        Paragraph(t(title), st["title"]),
        Paragraph(
            t(f"{diag.provider_name} · {diag.place} · regio {diag.region_name}"), st["body_tight"]
        ),
        Paragraph(
            t(
                f"Stand per {long_date(as_of)}"
                + (
                    f" · laatste locatiebezoek {long_date(diag.last_visit.visit_date)}"
                    if diag.last_visit and diag.last_visit.visit_date
                    else " · nog geen afgerond locatiebezoek"
                )
            ),
            st["small"],
        ),
        Spacer(1, 5 * mm),
        Paragraph("Overzicht per thema", st["h1"]),
    ]
    rows: list[list[Any]] = [
        [
            Paragraph(h, st["cell_header"])
            for h in ("Thema", "Oordeel", "Verloop", "Beoordeeld", "Bezoek")
        ]
    ]
    cmds = ps.table_style_commands(stripes=False)
    for i, td in enumerate(diag.themes, start=1):
        cur = td.current
        trend = " → ".join(f"{y} {_symbol(r)}" for y, r in td.trend[-3:]) or "–"
        visit = SIGNAL_LABELS.get(td.visit_signal or "", "–")
        if td.disagreement:
            visit += " (wijkt af)"
        rows.append(
            [
                Paragraph(t(f"{td.code} {td.name}"), st["cell"]),
                Paragraph(t(_rating_text(cur.rating if cur else None)), st["cell_bold"]),
                Paragraph(t(trend), st["cell"]),
                Paragraph(
                    t(f"{short_date(cur.assessed_on)}, {cur.author_name}" if cur else "–"),
                    st["cell"],
                ),
                Paragraph(t(visit), st["cell"]),
            ]
        )
        info = rating_info(cur.rating if cur else None)
        if info:
            cmds.append(("BACKGROUND", (1, i), (1, i), colors.HexColor(info.colour)))
            cmds.append(("TEXTCOLOR", (1, i), (1, i), colors.HexColor(info.text_colour)))
    table = Table(rows, colWidths=[47 * mm, 30 * mm, 36 * mm, 26 * mm, 26 * mm], repeatRows=1)
    table.setStyle(TableStyle(cmds))
    # Paragraph colour wins over TEXTCOLOR: recolour the rating paragraphs themselves.
    for i, td in enumerate(diag.themes, start=1):
        info = rating_info(td.current.rating if td.current else None)
        if info:
            p = rows[i][1]
            p.style = p.style.clone(f"r{i}", textColor=colors.HexColor(info.text_colour))
    story.append(table)

    story.append(Paragraph("Top drie verbeterpunten", st["h1"]))
    if diag.top_three:
        story.append(
            ListFlowable(
                [
                    ListItem(Paragraph(t(n.text) + _themes_suffix(n.theme_codes), st["body"]))
                    for n in diag.top_three
                ],
                bulletType="1",
                leftIndent=6 * mm,
            )
        )
    else:
        story.append(Paragraph("Er zijn nog geen verbeterpunten gekozen.", st["body"]))

    story.append(
        Paragraph(
            "Wat is er veranderd sinds het laatste bezoek"
            + (
                f" ({long_date(diag.last_visit.visit_date)})"
                if diag.last_visit and diag.last_visit.visit_date
                else ""
            ),
            st["h1"],
        )
    )
    if diag.changes:
        for c in diag.changes:
            story.append(
                Paragraph(
                    t(
                        f"{short_date(c.on)}  {c.theme_code + ' · ' if c.theme_code else ''}{c.text}"
                    ),
                    st["bullet"],
                    bulletText="•",
                )
            )
    elif diag.last_visit:
        story.append(
            Paragraph("Geen nieuwe oordelen of notities sinds het laatste bezoek.", st["body"])
        )
    else:
        story.append(
            Paragraph("Er is nog geen afgerond locatiebezoek om mee te vergelijken.", st["body"])
        )

    story.append(Paragraph("Diagnose per thema", st["h1"]))
    for td in diag.themes:
        block: list[Any] = [Paragraph(t(f"{td.code} {td.name}"), st["h2"])]
        cur = td.current
        if cur:
            block.append(
                Paragraph(
                    f"<b>Oordeel {t(cur.period_year)}:</b> {t(_rating_text(cur.rating))} · "
                    f"{t(long_date(cur.assessed_on))}, {t(cur.author_name)}",
                    st["body_tight"],
                )
            )
            block.append(Paragraph(f"<b>Onderbouwing:</b> {t(cur.rationale)}", st["body_tight"]))
            block.append(Paragraph(f"<b>Bronnen:</b> {t(cur.sources_label)}", st["body_tight"]))
            if cur.subtheme_ratings:
                from desktop.services.reference import theme_name

                subs = "; ".join(
                    f"{theme_name(c)}: {_rating_text(r)}" for c, r in cur.subtheme_ratings
                )
                block.append(Paragraph(f"<b>Subthema's:</b> {t(subs)}", st["body_tight"]))
        else:
            block.append(Paragraph("Nog niet beoordeeld.", st["body_tight"]))
        if td.disagreement:
            block.append(Paragraph(f"<b>Let op:</b> {t(td.disagreement)}.", st["body_tight"]))
        for n in td.notes:
            block.append(
                Paragraph(
                    f"<b>{t(n.kind_label)}</b> ({t(short_date(n.noted_on))}, {t(n.author_name)}): {t(n.text)}",
                    st["bullet"],
                    bulletText="•",
                )
            )
        block.append(Spacer(1, 2 * mm))
        story.append(KeepTogether(block))
    if diag.general_notes or diag.provider_notes:
        story.append(Paragraph("Overige notities", st["h1"]))
        for n in (*diag.general_notes, *diag.provider_notes):
            scope = "zorgaanbieder" if n.location_id is None else "locatie"
            story.append(
                Paragraph(
                    f"<b>{t(n.kind_label)}</b> ({t(scope)}, {t(short_date(n.noted_on))}): {t(n.text)}",
                    st["bullet"],
                    bulletText="•",
                )
            )

    legend = [[Paragraph("Oordeel", st["cell_header"]), Paragraph("Betekenis", st["cell_header"])]]
    lcmds = ps.table_style_commands(stripes=False)
    for i, r in enumerate(ratings(), start=1):
        legend.append(
            [
                Paragraph(
                    t(f"{_symbol(r.code)} {r.label}"),
                    st["cell_bold"].clone(f"l{i}", textColor=colors.HexColor(r.text_colour)),
                ),
                Paragraph(t(r.definition), st["cell"]),
            ]
        )
        lcmds.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(r.colour)))
    lt = Table(legend, colWidths=[30 * mm, 135 * mm])
    lt.setStyle(TableStyle(lcmds))
    story += [Paragraph("Betekenis van de oordelen", st["h1"]), lt]

    doc.build(story, canvasmaker=ps.numbered_canvas(footer_left=title))
    return buf.getvalue()


def _themes_suffix(codes: tuple[str, ...]) -> str:
    return f" <font color='#5F6B76'>({', '.join(codes)})</font>" if codes else ""


def save_location_diagnosis_pdf(
    db: Any, location_id: str, path: Path | str, *, as_of: date | None = None, author: str = ""
) -> Path:
    path = Path(path)
    data = location_diagnosis_pdf(
        location_diagnosis(db, location_id), as_of=as_of or date.today(), author=author
    )
    path.write_bytes(data)
    return path
