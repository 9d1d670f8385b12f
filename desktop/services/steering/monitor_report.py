"""The kwaliteitsmonitor: one PDF per provider for the conversation with the provider (seed 004
§2.4: DSW "heeft een eigen gestructureerde monitor ontwikkeld over de kwaliteit van zorg bij de
zorgaanbieders en bespreekt de uitkomsten daarvan met de zorgaanbieder").

Sections: diagnosis per location, maatwerkafspraken and their status, money agreed (and
realised when available), effect (with one figure), open interventions, and what the figures
cannot tell. Readable without colour: every rating carries a symbol and a word, the figure
labels every bar with its number. The template is versioned (`TEMPLATE_VERSION`, printed in
the footer and the metadata) so a printed monitor can be traced to its layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from desktop.services import pdf_style as ps
from desktop.services.diagnosis_report import _rating_text, _symbol
from desktop.services.formatting import long_date, money, short_date
from desktop.services.steering.effect import CAVEATS, ProviderEffect, provider_effect
from desktop.services.steering.interventions import InterventionInfo, list_interventions
from desktop.services.steering.summary import DiagnosisSummary, diagnosis_summary

TEMPLATE_VERSION = "kwaliteitsmonitor 2026.1"
SECTIONS = (
    "1. Kwaliteitsdiagnose per locatie",
    "2. Maatwerkafspraken",
    "3. Kwaliteitsbudget: afgesproken en gerealiseerd",
    "4. Effect: merkbaar, meetbaar, voelbaar",
    "5. Lopende interventies",
    "6. Wat deze monitor niet kan zeggen",
)
_ARROW = {1: " ↑", -1: " ↓", 0: ""}


@dataclass(frozen=True)
class MonitorData:
    summary: DiagnosisSummary
    effect: ProviderEffect
    interventions: tuple[InterventionInfo, ...]
    as_of: date


def monitor_data(db: Any, provider_id: str, today: date | None = None) -> MonitorData:
    today = today or date.today()
    return MonitorData(
        diagnosis_summary(db, provider_id, today),
        provider_effect(db, provider_id, today),
        tuple(list_interventions(db, provider_id=provider_id, open_only=True)),
        today,
    )


def _effect_figure(e: ProviderEffect) -> Any:
    """Figure 1: per theme the locations improved / same / worsened since the money, as
    labelled bars (shades of grey and a number on each bar: no colour needed)."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    width, row_h = 165 * mm, 11
    d = Drawing(width, row_h * (len(e.themes) + 2) + 4)
    shades = (colors.Color(0.25, 0.25, 0.25), colors.Color(0.62, 0.62, 0.62), colors.white)
    labels = ("beter", "gelijk", "slechter")
    most = max((len(t.locations) for t in e.themes), default=1) or 1
    unit = (width - 62 * mm) / most
    y = d.height - row_h
    for i, (lab, shade) in enumerate(zip(labels, shades, strict=True)):
        d.add(
            Rect(
                62 * mm + i * 28 * mm,
                y + 1,
                8,
                7,
                fillColor=shade,
                strokeColor=colors.black,
                strokeWidth=0.4,
            )
        )
        d.add(String(62 * mm + i * 28 * mm + 11, y + 2, lab, fontName=ps.FONT, fontSize=7))
    for t in e.themes:
        y -= row_h
        mark = " (doel)" if t.targeted else ""
        d.add(
            String(
                0,
                y + 2,
                f"{t.code}{mark}",
                fontName=ps.FONT_BOLD if t.targeted else ps.FONT,
                fontSize=8,
            )
        )
        x = 22 * mm
        d.add(
            String(
                x,
                y + 2,
                f"{len(t.locations) - t.unknown}/{len(t.locations)} te vergelijken",
                fontName=ps.FONT,
                fontSize=7,
            )
        )
        x = 62 * mm
        for count, shade in zip((t.count(1), t.count(0), t.count(-1)), shades, strict=True):
            if count:
                d.add(
                    Rect(
                        x,
                        y,
                        count * unit,
                        9,
                        fillColor=shade,
                        strokeColor=colors.black,
                        strokeWidth=0.4,
                    )
                )
                d.add(
                    String(
                        x + 2,
                        y + 2,
                        str(count),
                        fontName=ps.FONT_BOLD,
                        fontSize=7,
                        fillColor=colors.white if shade == shades[0] else colors.black,
                    )
                )
                x += count * unit
    return d


def monitor_pdf(data: MonitorData, *, author: str = "") -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    st, t = ps.styles(), ps.text
    s, e = data.summary, data.effect
    buf = io.BytesIO()
    title = f"Kwaliteitsmonitor {s.provider_name}"
    doc = ps.house_document(
        buf,
        title=title,
        author=author or "Kwaliteitsdialoog",
        subject=f"Kwaliteitsmonitor voor het gesprek met {s.provider_name}",
        keywords=["kwaliteitsmonitor", TEMPLATE_VERSION],
    )

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        out = Table(
            [[Paragraph(t(c), st["cell_header"]) for c in rows[0]]]
            + [
                [c if not isinstance(c, str) else Paragraph(t(c), st["cell"]) for c in r]
                for r in rows[1:]
            ],
            colWidths=[w * mm for w in widths],
            repeatRows=1,
        )
        out.setStyle(TableStyle(ps.table_style_commands()))
        return out

    story: list[Any] = [
        Paragraph(t(title), st["title"]),
        Paragraph(
            t(
                f"Stand per {long_date(data.as_of)} · voor het kwaliteitsgesprek met de zorgaanbieder"
            ),
            st["body_tight"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(SECTIONS[0], st["h1"]),
    ]
    codes = s.theme_codes
    rows: list[list[Any]] = [["Locatie", *codes]]
    for loc in s.locations:
        rows.append(
            [
                loc.name,
                *(
                    f"{_symbol(r)}{_ARROW[d]}"
                    for r, d in zip(loc.ratings, loc.directions, strict=True)
                ),
            ]
        )
    story.append(
        table(rows, [53.0] + [14.0] * len(codes))
        if s.locations
        else Paragraph("Deze zorgaanbieder heeft geen locaties.", st["body"])
    )
    story.append(
        Paragraph(
            t(
                "Per thema het actuele oordeel: ● goed, ◐ voldoende, ▲ matig, × onvoldoende, – niet beoordeeld; "
                "↑ beter en ↓ slechter dan het vorige oordeel. "
                f"Open vervolgacties: {s.open_actions} (waarvan {s.overdue_actions} te laat)."
            ),
            st["small"],
        )
    )
    if s.top_three:
        story.append(Paragraph("Top drie verbeterpunten", st["h2"]))
        for i, n in enumerate(s.top_three, 1):
            story.append(
                Paragraph(
                    t(f"{i}. {n.text} ({', '.join(n.theme_codes) or 'algemeen'})"), st["body_tight"]
                )
            )

    story.append(Paragraph(SECTIONS[1], st["h1"]))
    if e.agreements:
        rows = [["Thema's · locaties", "Beoogd resultaat", "Termijn", "Toets", "Status"]]
        for a in e.agreements:
            last = a.checks[-1] if a.checks else None
            status = a.status_label + (
                f" ({short_date(last.checked_on)}, {last.source_label})" if last else ""
            )
            rows.append(
                [a.scope_text, a.result_text, short_date(a.due_date), a.method_label, status]
            )
        story.append(table(rows, [36, 56, 20, 23, 30]))
    else:
        story.append(
            Paragraph("Er zijn nog geen maatwerkafspraken als afspraak vastgelegd.", st["body"])
        )

    story.append(Paragraph(SECTIONS[2], st["h1"]))
    if e.investments:
        rows = [["Budgetjaar", "Toegekend", "Gerealiseerd", "Doelthema's"]]
        for inv in e.investments:
            rows.append(
                [
                    str(inv.year),
                    money(inv.approved),
                    inv.realised_text,
                    ", ".join(inv.theme_codes) or "niet benoemd",
                ]
            )
        realised = e.total_realised
        rows.append(
            [
                "Totaal",
                money(e.total_approved),
                "nog niet gemeld" if realised is None else money(realised),
                "",
            ]
        )
        story.append(table(rows, [25, 40, 50, 50]))
        story.append(
            Paragraph(
                t(
                    "Gerealiseerd: de personeels- en overige kosten uit de laatste realisatieopgave van de "
                    "zorgaanbieder over dat begrotingsjaar (cumulatief vanaf 1 januari; tussen haakjes de "
                    "periode). Een opgave over een deel van het jaar is nog geen jaarcijfer; het totaal telt "
                    "alleen de jaren met een opgave."
                ),
                st["small"],
            )
        )
    else:
        story.append(Paragraph("Er is geen toegekend kwaliteitsbudget vastgelegd.", st["body"]))

    story.append(Paragraph(SECTIONS[3], st["h1"]))
    rows = [
        ["Thema", "Doel in", "Locaties voor → na", "Merkbaar", "Meetbaar", "Voelbaar", "Afspraken"]
    ]
    for th in e.themes:
        rows.append(
            [
                f"{th.code} {th.name}",
                ", ".join(map(str, th.invest_years)) or "–",
                th.change_text,
                str(th.effects["MERKBAAR"]),
                str(th.effects["MEETBAAR"]),
                str(th.effects["VOELBAAR"]),
                th.agreements_text,
            ]
        )
    story.append(table(rows, [39, 12, 33, 19, 19, 19, 24]))
    story.append(Spacer(1, 3 * mm))
    story.append(
        Paragraph(
            "Figuur 1. Locaties per thema: oordeel na het geld vergeleken met ervoor", st["h2"]
        )
    )
    story.append(_effect_figure(e))
    detail = [
        f"{x.location_name} {th.code}: {_rating_text(x.before[1])} ({x.before[0]}) → "
        f"{_rating_text(x.after[1])} ({x.after[0]})"
        for th in e.themes
        if th.targeted
        for x in th.locations
        if x.before is not None and x.after is not None  # those with a change
    ]
    if detail:
        story.append(Paragraph("Doelthema's per locatie", st["h2"]))
        story += [Paragraph(t(line), st["bullet"], bulletText="•") for line in detail[:24]]

    story.append(Paragraph(SECTIONS[4], st["h1"]))
    if data.interventions:
        rows = [["Stap", "Sinds", "Eigenaar", "Wat", "Termijn / vervolg"]]
        for iv in data.interventions:
            what = iv.description + (
                f" Thema's: {', '.join(iv.theme_codes)}." if iv.theme_codes else ""
            )
            if iv.igj_reported_on:
                what += f" Melding IGJ {short_date(iv.igj_reported_on)}."
            rows.append(
                [
                    f"{iv.step_number}. {iv.step_label}",
                    short_date(iv.started_on),
                    iv.owner_name or "–",
                    what,
                    " / ".join(
                        x for x in (short_date(iv.deadline), short_date(iv.follow_up_on)) if x
                    )
                    or "–",
                ]
            )
        story.append(table(rows, [40, 21, 26, 54, 24]))
    else:
        story.append(Paragraph("Er lopen geen interventies.", st["body"]))

    story.append(Paragraph(SECTIONS[5], st["h1"]))
    story += [Paragraph(t(c), st["bullet"], bulletText="•") for c in (*CAVEATS, *e.notes)]
    doc.build(
        story, canvasmaker=ps.numbered_canvas(footer_left=f"{title} · sjabloon {TEMPLATE_VERSION}")
    )
    return buf.getvalue()


def save_monitor_pdf(
    db: Any, provider_id: str, path: Path | str, *, today: date | None = None, author: str = ""
) -> Path:
    path = Path(path)
    path.write_bytes(monitor_pdf(monitor_data(db, provider_id, today), author=author))
    return path
