"""The rows of a provider/location import: the columns, each row checked with
desktop.services.validation (every problem with its line number and a Dutch reason), and the
file checked as a whole (one name per KvK-nummer, no location twice)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from db.engine import Database
from db.errors import ValidationError
from db.models import Region
from desktop.services import validation as v

# column -> (required, Dutch description). Order = order in the example file.
COLUMNS: dict[str, tuple[bool, str]] = {
    "aanbieder": (True, "naam van de zorgaanbieder (rechtspersoon)"),
    "kvk": (True, "KvK-nummer van de aanbieder, 8 cijfers"),
    "agb_aanbieder": (False, "AGB-code van de aanbieder (onderneming), 8 cijfers"),
    "locatie": (True, "naam van de locatie"),
    "straat": (False, "straat van de locatie"),
    "huisnummer": (False, "huisnummer met eventuele toevoeging"),
    "postcode": (True, "postcode van de locatie, 1234 AB"),
    "plaats": (True, "plaats van de locatie"),
    "agb_locatie": (False, "AGB-code van de locatie (vestiging), 8 cijfers"),
    "vestigingsnummer": (False, "KvK-vestigingsnummer, 12 cijfers"),
    "capaciteit": (False, "aantal plaatsen, heel getal"),
    "regio": (True, "zorgkantoorregio: naam (bijvoorbeeld Utrecht) of nummer 1-31"),
    "doelgroepen": (False, "doelgroepen gescheiden door | (bijvoorbeeld PG|somatiek)"),
}
REQUIRED = tuple(k for k, (req, _) in COLUMNS.items() if req)


@dataclass(frozen=True)
class RowError:
    line: int  # line number in the file (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"regel {self.line}, kolom {self.column}: {self.message}"


def header_errors(
    path: Path, header: Sequence[str], required: Sequence[str], columns: Collection[str]
) -> list[RowError]:
    """Check a sheet's (normalised) header: ValidationError("file") when a required column is
    missing; unknown columns come back as a RowError on line 1, so the rows are still read."""
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            "file",
            f"{path.name} mist de verplichte kolom(men): {', '.join(missing)}. "
            f"Verwachte kolommen: {', '.join(columns)}.",
        )
    unknown = [h for h in header if h and h not in columns]
    if not unknown:
        return []
    return [
        RowError(
            1,
            unknown[0],
            f"Onbekende kolom(men): {', '.join(unknown)}. Toegestaan: {', '.join(columns)}.",
        )
    ]


@dataclass
class _Row:
    line: int
    provider: dict[str, Any]
    location: dict[str, Any]


def _region_lookup(db: Database) -> dict[str, str]:
    with db.read_session() as s:
        regions = s.exec(select(Region).where(col(Region.deleted_at).is_(None))).all()
    out: dict[str, str] = {}
    for r in regions:
        out[str(r.number)] = r.id
        for name in [r.name, *(r.aliases or [])]:
            out[name.casefold().replace("’", "'")] = r.id
    return out


def _validate_row(
    line: int, rec: dict[str, str], regions: dict[str, str]
) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []
    out: dict[str, Any] = {}

    def check(column: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> None:
        try:
            out[column] = fn(*args, **kw)
        except ValidationError as exc:
            errors.append(RowError(line, column, exc.message))

    check("aanbieder", v.required_text, rec.get("aanbieder"), "aanbieder", "Naam aanbieder", 200)
    check("kvk", v.kvk_number, rec.get("kvk"), "kvk")
    if rec.get("agb_aanbieder", "").strip():
        check("agb_aanbieder", v.agb_code, rec["agb_aanbieder"], "agb_aanbieder")
    check("locatie", v.required_text, rec.get("locatie"), "locatie", "Naam locatie", 200)
    check("postcode", v.postcode, rec.get("postcode"), "postcode")
    check("plaats", v.required_text, rec.get("plaats"), "plaats", "Plaats", 100)
    if rec.get("agb_locatie", "").strip():
        check("agb_locatie", v.agb_code, rec["agb_locatie"], "agb_locatie")
    if rec.get("vestigingsnummer", "").strip():
        check("vestigingsnummer", v.kvk_branch_number, rec["vestigingsnummer"], "vestigingsnummer")
    check("capaciteit", v.positive_int, rec.get("capaciteit"), "capaciteit", "Capaciteit")
    if out.get("capaciteit") is not None and not 1 <= out["capaciteit"] <= 2000:
        errors.append(
            RowError(line, "capaciteit", "Capaciteit moet tussen 1 en 2000 plaatsen liggen.")
        )
    for column, limit in (("straat", 200), ("huisnummer", 20)):
        if len(rec.get(column, "").strip()) > limit:
            errors.append(RowError(line, column, f"Mag hoogstens {limit} tekens lang zijn."))
    region_raw = (rec.get("regio") or "").strip()
    region_id = regions.get(region_raw.casefold().replace("’", "'"))
    if not region_raw:
        errors.append(RowError(line, "regio", "Regio is verplicht."))
    elif region_id is None:
        errors.append(
            RowError(
                line,
                "regio",
                f"Onbekende zorgkantoorregio '{region_raw}'. "
                "Gebruik de naam (bijvoorbeeld Utrecht) of het nummer 1-31.",
            )
        )
    if errors:
        return None, errors
    groups = [g.strip() for g in (rec.get("doelgroepen") or "").split("|") if g.strip()]
    provider = {
        "name": out["aanbieder"],
        "kvk_number": out["kvk"],
        "agb_code": out.get("agb_aanbieder", ""),
        "place": out["plaats"],
    }
    location = {
        "name": out["locatie"],
        "street": rec.get("straat", "").strip(),
        "house_number": rec.get("huisnummer", "").strip(),
        "postcode": out["postcode"],
        "place": out["plaats"],
        "agb_code": out.get("agb_locatie", ""),
        "kvk_branch_number": out.get("vestigingsnummer", ""),
        "capacity": out["capaciteit"],
        "region_id": region_id,
        "target_groups": groups,
    }
    return _Row(line, provider, location), []


def _check_consistency(rows: list[_Row]) -> tuple[list[_Row], list[RowError]]:
    """Within the file: one name per KvK-nummer, no location twice."""
    errors: list[RowError] = []
    by_kvk: dict[str, _Row] = {}
    seen_loc: dict[tuple, int] = {}
    for row in rows:
        kvk = row.provider["kvk_number"]
        first = by_kvk.setdefault(kvk, row)
        if first.provider["name"] != row.provider["name"]:
            errors.append(
                RowError(
                    row.line,
                    "aanbieder",
                    f"KvK-nummer {kvk} hoort in regel "
                    f"{first.line} bij '{first.provider['name']}', hier bij "
                    f"'{row.provider['name']}'.",
                )
            )
            continue
        if first.provider["agb_code"] != row.provider["agb_code"] and row.provider["agb_code"]:
            errors.append(
                RowError(
                    row.line,
                    "agb_aanbieder",
                    f"Andere AGB-code dan in regel {first.line} voor dezelfde aanbieder.",
                )
            )
            continue
        key = (
            ("agb", row.location["agb_code"])
            if row.location["agb_code"]
            else ("name", kvk, row.location["name"].casefold())
        )
        if key in seen_loc:
            errors.append(
                RowError(
                    row.line,
                    "agb_locatie" if key[0] == "agb" else "locatie",
                    f"Deze locatie staat ook al in regel {seen_loc[key]}.",
                )
            )
            continue
        seen_loc[key] = row.line
    return rows, errors
