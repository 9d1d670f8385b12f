"""Visit report PDF (reportlab, house style): a visit rendered from its **own** form version.

The layout is generated from the definition: one heading per top-level group, long texts as
paragraphs, short answers as label/value lines, repeats as tables. Only relevant, filled-in
answers are printed. A draft gets a "CONCEPT" watermark. Deterministic bytes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from desktop.services import formatting
from desktop.services import pdf_style as ps

_SIGNAL_COLOURS = {"POSITIEF": "#2E7D32", "AANDACHTSPUNT": "#B26A00", "ZORG": "#B3261E"}


def _styles():  # type: ignore[no-untyped-def]
    from reportlab.lib.styles import ParagraphStyle

    st = ps.styles()
    extra = {
        "meta": ParagraphStyle(
            "visit_meta",
            parent=st["body"],
            fontSize=9,
            leading=12,
            textColor=ps.MUTED,
            spaceAfter=4,
        ),
        "obs": ParagraphStyle("visit_obs", parent=st["body"], spaceAfter=2),
        "pairs": ParagraphStyle(
            "visit_pairs", parent=st["body"], fontSize=9, leading=12, spaceAfter=4
        ),
        "field_label": ParagraphStyle("visit_field_label", parent=st["label"], spaceBefore=2),
    }
    return st, extra


def _label(text: str) -> str:
    """A form label as printed: "(optioneel)" is a hint for the one filling in, not the reader."""
    return re.sub(r"\s*\(optioneel\)\s*$", "", text)


def _multiline(text: str) -> str:
    return "<br/>".join(ps.text(line) for line in str(text).splitlines())


def build_report(visit: Any, form: Any, today_label: str | None = None) -> bytes:
    """PDF bytes for a VisitInfo (`desktop.services.visits`) and its FormDefinition."""
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    from forms import display_value, evaluate, is_empty

    answers = visit.answers or {}
    state = evaluate(form, answers, visit.visit_date)
    st, ex = _styles()
    # the platypus frame pads 6 pt on each side
    width = ps.PAGE_SIZE[0] - ps.MARGIN_LEFT - ps.MARGIN_RIGHT - 12
    story: list[Any] = []

    date_text = formatting.long_date(visit.visit_date) if visit.visit_date else "datum onbekend"
    title = f"Verslag {form.title.lower()}" if form.title else "Verslag locatiebezoek"
    story.append(Paragraph(ps.text(title), st["title"]))
    story.append(
        Paragraph(
            f"<b>{ps.text(visit.location_name)}</b> · {ps.text(visit.provider_name)} · "
            f"{ps.text(date_text)}",
            st["body"],
        )
    )
    status = "Afgerond" if visit.is_completed else "Concept (nog niet afgerond)"
    meta = f"Status: {status}"
    if visit.completed_at and visit.completed_by_name:
        meta += f" door {ps.text(visit.completed_by_name)}"
    meta += f" · Formulier {ps.text(form.form_id)} versie {ps.text(form.version)}"
    story.append(Paragraph(meta, ex["meta"]))
    if visit.revision_of_id:
        story.append(
            Paragraph(
                "Dit is een gecorrigeerde versie van een eerder afgerond verslag. "
                f"Reden van de correctie: {ps.text(visit.revision_reason)}",
                ex["meta"],
            )
        )
    story.append(Spacer(1, 2 * mm))

    def value_text(fd, value) -> str:  # type: ignore[no-untyped-def]
        shown = display_value(form, fd, value)
        if fd.type in ("select_one", "rating") and fd.list_name == "signal":
            colour = _SIGNAL_COLOURS.get(str(value))
            if colour:
                return f'<font color="{colour}"><b>{ps.text(shown)}</b></font>'
        return ps.text(shown)

    def render_repeat(fd, first: bool = False) -> list[Any]:  # type: ignore[no-untyped-def]
        rows = answers.get(fd.name)
        if not isinstance(rows, list) or not rows:
            return []
        cols = [c for c in fd.children if c.is_input]
        used = [
            c
            for c in cols
            if any(isinstance(r, dict) and not is_empty(r.get(c.name)) for r in rows)
        ]
        if not used:
            return []
        header = [Paragraph(ps.text(_label(c.label)), st["cell_header"]) for c in used]
        data = [header]
        for i, r in enumerate(rows):
            if not isinstance(r, dict):
                continue
            cells = []
            for c in used:
                path = f"{fd.name}[{i}].{c.name}"
                v = r.get(c.name) if state.is_relevant(path) else None
                cells.append(Paragraph(value_text(c, v) if not is_empty(v) else "", st["cell"]))
            data.append(cells)
        weights = [3 if c.type in ("text", "multiline") else 1.4 for c in used]
        total = sum(weights)
        table = Table(data, colWidths=[width * w / total for w in weights], repeatRows=1)
        table.setStyle(TableStyle(ps.table_style_commands()))
        lead = [] if first else [Paragraph(ps.text(fd.label), ex["field_label"])]
        return [*lead, table, Spacer(1, 2 * mm)]

    def render_fields(rows) -> list[Any]:  # type: ignore[no-untyped-def]
        out: list[Any] = []
        pairs: list[tuple[str, str]] = []

        def flush() -> None:
            if not pairs:
                return
            if len(pairs) <= 3 and all(len(lbl) + len(val) < 60 for lbl, val in pairs):
                # a few short answers (source, signal, rating): one line, no table
                line = " &nbsp;·&nbsp; ".join(
                    f'<font color="#5F6B76">{ps.text(lbl)}:</font> {val}' for lbl, val in pairs
                )
                out.append(Paragraph(line, ex["pairs"]))
                pairs.clear()
                return
            data = [
                [Paragraph(ps.text(lbl), st["cell"]), Paragraph(val, st["cell"])]
                for lbl, val in pairs
            ]
            t = Table(data, colWidths=[width * 0.3, width * 0.7])
            t.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("TEXTCOLOR", (0, 0), (0, -1), ps.MUTED),
                    ]
                )
            )
            out.append(t)
            out.append(Spacer(1, 1.5 * mm))
            pairs.clear()

        for fd in rows:
            if not state.is_relevant(fd.name):
                continue
            if fd.type == "group":
                flush()
                out.extend(render_fields(fd.children))
            elif fd.type == "repeat":
                flush()
                out.extend(render_repeat(fd, first=not out))
            elif fd.is_input:
                v = answers.get(fd.name)
                if is_empty(v):
                    continue
                if fd.type == "multiline":
                    flush()
                    out.append(Paragraph(ps.text(_label(fd.label)), ex["field_label"]))
                    out.append(Paragraph(_multiline(str(v)), ex["obs"]))
                else:
                    pairs.append((_label(fd.label), value_text(fd, v)))
        flush()
        return out

    empty_sections: list[str] = []
    for section in form.survey:
        if not state.is_relevant(section.name):
            continue
        if section.type == "group":
            body = render_fields(section.children)
        elif section.type == "repeat":
            body = render_repeat(section, first=True)
        elif section.is_input:
            body = render_fields([section])
        else:
            body = []
        if not body:
            if section.type == "group":
                empty_sections.append(section.label)
            continue
        heading = Paragraph(ps.text(section.label), st["h1"])
        story.append(KeepTogether([heading, body[0]]))
        story.extend(body[1:])
    if empty_sections:
        story.append(Spacer(1, 3 * mm))
        story.append(
            Paragraph(
                "Zonder waarnemingen of antwoorden: " + ps.text(", ".join(empty_sections)) + ".",
                ex["meta"],
            )
        )

    buf = io.BytesIO()
    footer = (
        f"{form.title} {visit.location_name} · {formatting.short_date(visit.visit_date)}"
        if visit.visit_date
        else form.title
    )
    doc = ps.house_document(
        buf,
        title=f"{title} {visit.location_name} {date_text}",
        author=visit.completed_by_name or visit.author_name or "Zorgkantoor",
        subject=f"{form.form_id} {form.version}",
    )
    doc.build(
        story,
        canvasmaker=ps.numbered_canvas(
            footer_left=footer, watermark=None if visit.is_completed else "CONCEPT"
        ),
    )
    return buf.getvalue()


def render_visit_report(db: Any, visit_id: str) -> bytes:
    """PDF of one visit, rendered with the visit's own form version."""
    from desktop.services.visits import get_visit
    from forms import load_form

    visit = get_visit(db, visit_id)
    form = load_form(visit.form_id, visit.form_version)
    return build_report(visit, form)


def write_visit_report(db: Any, visit_id: str, out: Path | str) -> Path:
    data = render_visit_report(db, visit_id)
    path = Path(out)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
