"""The words and numbers a letter fills in: Dutch dates and amounts (fast, same output as
desktop.services.formatting), the template placeholders every letter shares, the subject line
and one maatwerkafspraak in the template's words."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from html import unescape

from desktop.services import formatting as fmt
from desktop.services import pdf_style as ps
from desktop.services.budget import split
from desktop.services.letters.cycle import (
    ADVANCE_PERCENT,
    cycle_dates,
    monthly_advance,
    monthly_amount,
)
from desktop.services.letters.model import AgreedResult, LetterSource
from desktop.services.letters.templates import Template, fill


@cache
def _months() -> tuple[str, ...]:
    """The Dutch month names as formatting.long_date writes them (from Babel, read once)."""
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=fmt.LOCALE)
    return tuple(str(names[m]) for m in range(1, 13))


_CENT = Decimal("0.01")


def long_date(d: date | None) -> str:
    """fmt.long_date without Babel's per-call cost (same output: "23 november 2026")."""
    return "" if d is None else f"{d.day} {_months()[d.month - 1]} {d.year}"


def amount(value: Decimal, nbsp: bool = True) -> str:
    """fmt.money for non-negative amounts without Babel's per-call cost: "€ 1.234.567,89"."""
    if value < 0:
        return fmt.money(value, nbsp=nbsp)
    q = value.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    digits = f"{q:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("€\u00a0" if nbsp else "€ ") + digits


def shares(staff: Decimal | None, other: Decimal | None) -> tuple[str, str]:
    """Staff and other share as shown everywhere (budget.split: whole percents only when exact,
    otherwise one decimal; the two always add up to 100%)."""
    if staff is None or other is None or staff + other <= 0:
        return "–", "–"
    sp = split(staff, other)
    return sp.staff_text, sp.other_text


def amount_or_dash(value: Decimal | None) -> str:
    return "–" if value is None else amount(value)


def letter_values(src: LetterSource, kenmerk: str | None, letter_date: date) -> dict[str, str]:
    """The template placeholders every letter shares (addressee, dates, kenmerk, amounts)."""
    cyc = cycle_dates(src.budget_year)
    lh = src.letterhead
    ap_total = src.approved_total
    ap_staff, ap_other = shares(src.approved_staff_amount, src.approved_other_amount)
    ap_split = (
        ""
        if ap_total is None
        else split(
            src.approved_staff_amount or Decimal(0), src.approved_other_amount or Decimal(0)
        ).label
    )
    above = src.requested_total - (ap_total or Decimal(0))
    raw = {
        "jaar": str(src.budget_year),
        "jaar_vorig": str(src.budget_year - 1),
        "jaar_volgend": str(src.budget_year + 1),
        "aanbieder": src.addressee.organisation,
        "zorgkantoor": lh.name,
        "datum_brief": long_date(letter_date),
        "datum_ontvangst": long_date(src.received_date),
        "uw_brief_van": long_date(src.your_letter_date),
        "uw_kenmerk": src.your_reference,
        "ons_kenmerk": kenmerk or "",
        "initieel_budget": amount(src.initial_reserved_amount),
        "aangevraagd_totaal": amount(src.requested_total),
        "aangevraagd_personeel": amount(src.requested_staff_amount),
        "aangevraagd_overig": amount(src.requested_other_amount),
        "aangevraagd_verhouding": split(
            src.requested_staff_amount, src.requested_other_amount
        ).label,
        "toegekend_totaal": "" if ap_total is None else amount(ap_total),
        "toegekend_personeel": ""
        if src.approved_staff_amount is None
        else amount(src.approved_staff_amount),
        "toegekend_overig": ""
        if src.approved_other_amount is None
        else amount(src.approved_other_amount),
        "toegekend_pct_personeel": "" if ap_total is None else ap_staff,
        "toegekend_pct_overig": "" if ap_total is None else ap_other,
        "toegekend_verhouding": ap_split,
        "boven_gereserveerd": amount(above) if ap_total is not None and above > 0 else "",
        "maandbedrag": "" if not ap_total else amount(monthly_amount(ap_total)),
        "voorschot_per_maand": "" if not ap_total else amount(monthly_advance(ap_total)),
        "addendum_datum": long_date(cyc.addendum_by),
        "voorschot_vanaf": long_date(cyc.advance_from),
        "voorschot_pct": f"{ADVANCE_PERCENT}%",
        "goedkeuring_uiterlijk": long_date(cyc.approval_for_retroactive_advance),
        "realisatie_1": long_date(cyc.realisation_reports[0]),
        "realisatie_2": long_date(cyc.realisation_reports[1]),
        "realisatie_3": long_date(cyc.realisation_reports[2]),
        "herschikking": long_date(cyc.reallocation),
        "verantwoording_jaar": long_date(cyc.year_realisation_by),
        "accountant": long_date(cyc.accountant_report_by),
        "nacalculatie": long_date(cyc.final_accounting_by),
        "behandelaar": src.maker.name if src.maker else "",
        "telefoon": lh.phone,
        "email": src.maker_email or lh.email,
    }
    # Values are inserted into Paragraph markup: escape them; keep no-break spaces.
    return {k: ps.text(v) for k, v in raw.items()}


def kinds(src: LetterSource) -> tuple[str, bool]:
    """(kind of the requested split, whether the approved split deviates)."""
    kind = split(src.requested_staff_amount, src.requested_other_amount).kind
    ap_dev = (
        src.approved_total is not None
        and src.approved_staff_amount is not None
        and src.approved_other_amount is not None
        and src.approved_total > 0
        and split(src.approved_staff_amount, src.approved_other_amount).is_deviation
    )
    return kind, ap_dev


def subject_line(src: LetterSource, template: Template, *, strict: bool) -> str:
    kind, ap_dev = kinds(src)
    key = "deviation" if kind == "DEVIATION" else "deviation_approved" if ap_dev else "default"
    text = template.get("subject", key) or template.get("subject", "default") or ""
    values = {"jaar": str(src.budget_year), "aanbieder": src.addressee.organisation}
    return fill(text, values, where=f"subject.{key}", template=template, strict=strict)


def plain(markup: str) -> str:
    """Markup as plain text (document title and subject)."""
    return unescape(re.sub(r"<[^>]+>", "", markup)).replace("\u00a0", " ")


def and_list(items: tuple[str, ...] | list[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def agreed_result_text(
    a: AgreedResult,
    template: Template,
    values: dict[str, str],
    *,
    strict: bool,
    prefix: tuple[str, ...] = ("blocks",),
) -> str:
    """One recorded maatwerkafspraak in the template's words (`<prefix>.afspraak_punt`, with
    `<prefix>.toetsing.<method>`): themes, locations, the result aimed at, the deadline and how
    it is checked. Shared by the letter and the addendum."""
    check = template.get(*prefix, "toetsing", a.check_method, default="") or a.check_method.lower()
    return fill(
        str(template.get(*prefix, "afspraak_punt", default="")),
        {
            **values,
            "themas": ps.text(a.themes),
            "locaties": ps.text(a.locations),
            "resultaat": ps.text(a.result),
            "termijn": fmt.long_date(a.due),
            "toets": ps.text(str(check)),
        },
        where=".".join((*prefix, "afspraak_punt")),
        template=template,
        strict=strict,
    )
