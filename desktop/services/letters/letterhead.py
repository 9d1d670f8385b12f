"""The briefhoofd (letterhead) of a care office: read from the CareOffice row and its
letter_settings, edited by a checked update (issue 6)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, ValidationError
from db.models import CareOffice
from db.repo import UnitOfWork
from desktop.services.letters.model import KENMERK_DOMAIN, EnvelopeWindow, Letterhead


def letterhead_of(office: CareOffice) -> Letterhead:
    """Letterhead from the CareOffice row; letter_settings may override or add any field
    (visiting_address, iban, logo_path, ...) and set "envelope_window": {left_mm, top_mm,
    width_mm, height_mm, padding_mm}."""
    cfg: dict[str, Any] = dict(office.letter_settings or {})
    win_cfg = cfg.get("envelope_window") or {}
    window = EnvelopeWindow(
        **{k: float(v) for k, v in win_cfg.items() if k in EnvelopeWindow.__dataclass_fields__}
    )

    def pick(name: str, column: str | None = None) -> str:
        value = cfg.get(name)
        if value in (None, ""):
            value = getattr(office, column or name, "") or ""
        return str(value)

    return Letterhead(
        code=office.code,
        name=pick("name"),
        postal_address=pick("postal_address"),
        postcode=pick("postcode"),
        place=pick("place"),
        visiting_address=str(cfg.get("visiting_address", "")),
        phone=pick("phone"),
        email=pick("email"),
        website=pick("website"),
        kvk_number=pick("kvk_number"),
        iban=str(cfg.get("iban", "")),
        logo_path=pick("logo_path"),
        window=window,
        kenmerk_domain=str(cfg.get("kenmerk_domain") or KENMERK_DOMAIN),
    )


_COLUMN_FIELDS = (
    "name",
    "postal_address",
    "postcode",
    "place",
    "phone",
    "email",
    "website",
    "kvk_number",
    "logo_path",
)
_SETTING_FIELDS = ("visiting_address", "iban", "kenmerk_domain")
_WINDOW_FIELDS = ("left_mm", "top_mm", "width_mm", "height_mm", "padding_mm")


def set_letterhead(db: Database, care_office: str, by: str | None, **changes: Any) -> Letterhead:
    """Change the letterhead of a care office (code or id): CareOffice columns, extra settings
    (visiting_address, iban, kenmerk_domain) and the envelope window (window_left_mm, ...).
    Values are checked first; nothing is written when one is wrong."""
    from desktop.services import validation as val

    errors: list[ValidationError] = []
    columns: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    window: dict[str, float] = {}
    for key, value in changes.items():
        if value is None:
            continue
        text = str(value).strip()
        try:
            if key == "postcode":
                columns[key] = val.postcode(text) if text else ""
            elif key == "kvk_number":
                columns[key] = val.kvk_number(text) if text else ""
            elif key == "email":
                if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
                    raise ValidationError("email", f"'{text}' is geen geldig e-mailadres.")
                columns[key] = text
            elif key == "logo_path":
                if text and not Path(text).expanduser().is_file():
                    raise ValidationError("logo_path", f"Het logobestand {text} bestaat niet.")
                columns[key] = str(Path(text).expanduser().resolve()) if text else ""
            elif key in _COLUMN_FIELDS:
                columns[key] = text
            elif key in _SETTING_FIELDS:
                settings[key] = text
            elif key.startswith("window_") and key[7:] in _WINDOW_FIELDS:
                try:
                    number = float(text.replace(",", "."))
                except ValueError:
                    raise ValidationError(key, f"'{text}' is geen getal (millimeters).") from None
                if not 0 <= number <= 297:
                    raise ValidationError(key, "Een maat moet tussen 0 en 297 mm liggen.")
                window[key[7:]] = number
            else:
                raise ValidationError(key, f"Onbekend onderdeel van het briefhoofd: '{key}'.")
        except ValidationError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        from db.errors import ValidationErrors

        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        office = _office(uow.session, care_office)
        cfg = dict(office.letter_settings or {})
        cfg.update(settings)
        if window:
            cfg["envelope_window"] = {**(cfg.get("envelope_window") or {}), **window}
        uow.update(office, letter_settings=cfg, **columns)
        return letterhead_of(office)


def get_letterhead(db: Database, care_office: str) -> Letterhead:
    with db.read_session() as s:
        return letterhead_of(_office(s, care_office))


def _office(s: Session, ref: str) -> CareOffice:
    office = s.get(CareOffice, ref)
    if office is None:
        office = s.exec(
            select(CareOffice).where(func.upper(CareOffice.code) == ref.strip().upper())
        ).first()
    if office is None or office.deleted_at is not None:
        raise NotFound(f"Zorgkantoor '{ref}' bestaat niet.")
    return office


def care_offices(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every care office, for choosing whose letterhead to edit."""
    with db.read_session() as s:
        rows = s.exec(
            select(CareOffice)
            .where(CareOffice.deleted_at == None)  # noqa: E711
            .order_by(CareOffice.name)
        ).all()
        return [(o.code, o.name) for o in rows]
