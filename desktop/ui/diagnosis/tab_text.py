"""What the Kwaliteitsdiagnose tab says, as rich text: the top three, what changed since the
last visit, and the detail of one theme (rating, rationale, sources, visit, notes, history).
Plain functions of the service's data, so the tab's controller only places the text."""

from __future__ import annotations

import html

from desktop.services import diagnosis as diag_service
from desktop.services.formatting import long_date, short_date
from desktop.services.reference import theme_name
from desktop.ui.style import ERROR, MUTED, rating_style


def _esc(text: str) -> str:
    return html.escape(text)


def _muted(text: str) -> str:
    return f"<span style='color:{MUTED}'>{text}</span>"


def summary_text(d: diag_service.LocationDiagnosis) -> str:
    rated = [t for t in d.themes if t.current]
    concerns = sum(
        1 for t in rated if t.current and t.current.rating in ("MODERATE", "INSUFFICIENT")
    )
    disagree = sum(1 for t in d.themes if t.disagreement)
    parts = [f"{len(rated)} van 8 thema's beoordeeld", f"{concerns} matig of onvoldoende"]
    if disagree:
        parts.append(f"{disagree} wijken af van het laatste bezoek")
    return " · ".join(parts)


def top_three_html(d: diag_service.LocationDiagnosis) -> str:
    if not d.top_three:
        return _muted(
            "Nog niet gekozen. Leg verbeterpunten "
            "vast als notitie en kies er drie met <i>Top drie kiezen</i>."
        )
    return "".join(
        f"<p style='margin:2px 0'><b>{n.top_priority}.</b> {_esc(n.text)}"
        f"{' <span style=color:' + MUTED + '>(' + ', '.join(n.theme_codes) + ')</span>' if n.theme_codes else ''}</p>"
        for n in d.top_three
    )


def changes_title(d: diag_service.LocationDiagnosis) -> str:
    if d.last_visit and d.last_visit.visit_date:
        return f"Sinds het laatste bezoek ({long_date(d.last_visit.visit_date)})"
    return "Sinds het laatste bezoek"


def changes_html(d: diag_service.LocationDiagnosis) -> str:
    if not (d.last_visit and d.last_visit.visit_date):
        return _muted("Nog geen afgerond locatiebezoek.")
    items = [
        f"<p style='margin:2px 0'>{short_date(c.on)} · {c.theme_code or 'algemeen'} · "
        f"{_esc(c.text)}</p>"
        for c in d.changes[:6]
    ]
    if not items:
        return _muted("Niets nieuws sinds het bezoek.")
    more = len(d.changes) - 6
    return "".join(items) + (f"<p>… en {more} meer</p>" if more > 0 else "")


def theme_detail_html(
    td: diag_service.ThemeDiagnosis, d: diag_service.LocationDiagnosis | None
) -> str:
    """The right-hand pane: everything about one theme, with links to act on it."""
    h = [f"<h3 style='margin:0'>{td.code} {_esc(td.name)}</h3>"]
    h += _assessment(td)
    h.append(
        f"<p><a href='assess:{td.code}'>Nieuw oordeel voor dit thema…</a> &nbsp; "
        f"<a href='note:{td.code}'>Notitie toevoegen…</a></p>"
    )
    if td.visit_signal or td.visit_observation:
        sig = diag_service.SIGNAL_LABELS.get(td.visit_signal or "", "geen signaal")
        flag = (
            f"<br><span style='color:{ERROR}'>⚑ {_esc(td.disagreement)}</span>"
            if td.disagreement
            else ""
        )
        h.append(
            f"<p><b>Laatste bezoek:</b> {sig}{flag}<br><i>{_esc(td.visit_observation)}</i></p>"
        )
    h += _notes(td, d)
    h += _block(
        "Eerdere oordelen",
        [
            f"<p style='margin:1px 0'>{a.period_year} · {rating_style(a.rating).symbol} "
            f"{a.rating_label} · {short_date(a.assessed_on)} · {_esc(a.author_name)}</p>"
            for a in td.history[1:8]
        ],
    )
    h += _block(
        "Verwijderde notities",
        [
            f"<p style='margin:1px 0; color:{MUTED}'><s>{_esc(n.text)}</s> "
            f"(verwijderd {short_date(n.deleted_at.date() if n.deleted_at else None)})</p>"
            for n in (d.deleted_notes if d else ())
            if td.code in n.theme_codes
        ],
    )
    return "".join(h)


def _block(title: str, paragraphs: list[str]) -> list[str]:
    """A bold heading over its paragraphs, or nothing at all when there are none."""
    return [f"<p><b>{title}</b></p>", *paragraphs] if paragraphs else []


def _assessment(td: diag_service.ThemeDiagnosis) -> list[str]:
    cur = td.current
    if not cur:
        return [f"<p style='color:{MUTED}'>Nog niet beoordeeld.</p>"]
    st = rating_style(cur.rating)
    h = [
        f"<p><span style='background:{st.background}; color:{st.foreground}; "
        f"font-weight:600'>&nbsp;{st.symbol} {st.label}&nbsp;</span> "
        f"&nbsp;periode {cur.period_year}, {long_date(cur.assessed_on)}, {_esc(cur.author_name)}</p>",
        f"<p><b>Onderbouwing</b><br>{_esc(cur.rationale)}</p>",
        f"<p><b>Bronnen:</b> {_esc(cur.sources_label)}</p>",
    ]
    if cur.subtheme_ratings:
        h.append(
            "<p><b>Subthema's</b><br>"
            + "<br>".join(
                f"{rating_style(r).symbol} {_esc(theme_name(c))}: {rating_style(r).label.lower()}"
                for c, r in cur.subtheme_ratings
            )
            + "</p>"
        )
    return h


def _notes(td: diag_service.ThemeDiagnosis, d: diag_service.LocationDiagnosis | None) -> list[str]:
    h = ["<p><b>Notities</b></p>"]
    if td.notes:
        for n in td.notes:
            actions = (
                f" <a href='edit:{n.id}'>bewerken</a> · <a href='delete:{n.id}'>verwijderen</a>"
                if n.editable
                else f" {_muted('(vastgelegd in besluit)')}"
            )
            h.append(
                f"<p style='margin:2px 0 8px 0'><b>{_esc(n.kind_label)}</b> · {short_date(n.noted_on)} · "
                f"{_esc(n.author_name)}{actions}<br>{_esc(n.text)}"
                f"{'<br><span style=color:' + MUTED + '>Bron: ' + _esc(n.source) + '</span>' if n.source else ''}</p>"
            )
    else:
        h.append(f"<p style='color:{MUTED}'>Geen notities bij dit thema.</p>")
    return h + _block(
        "Notities over de zorgaanbieder",
        [
            f"<p style='margin:2px 0 8px 0'><b>{_esc(n.kind_label)}</b> · "
            f"{short_date(n.noted_on)} · {_esc(n.author_name)}<br>{_esc(n.text)}</p>"
            for n in (d.provider_notes if d else ())
            if td.code in n.theme_codes
        ],
    )
