"""Import providers and their locations from a CSV file (`kwaliteitsdialoog import`).

One row per location; the provider columns repeat on every row of that provider. Headers are
Dutch (see COLUMNS and resources/examples/aanbieders_locaties.csv). Excel exports are
accepted: `;` or `,` as delimiter, UTF-8 with or without BOM (Windows-1252 as a fallback).

Every row is validated with desktop.services.validation; every bad row is reported with its
line number in the file and a Dutch reason. Nothing is written unless all rows are valid or
`skip_invalid` is set; what is written, is written in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import select

from db.engine import Database
from db.errors import ValidationError
from db.models import Location, Provider, Region
from db.repo import UnitOfWork
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


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read (empty lines not counted)
    valid_rows: int
    providers_created: int
    locations_created: int
    already_present: int  # locations that were in the database already (skipped)
    errors: tuple[RowError, ...]
    written: bool
    dry_run: bool
    delimiter: str
    providers: tuple[str, ...] = field(default=())  # names of new providers

    @property
    def ok(self) -> bool:
        return not self.errors


# Control characters other than tab/newline: never stored (issue 14 hardening).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError("file", f"Het bestand {path} bestaat niet.") from exc
    except OSError as exc:
        raise ValidationError(
            "file", f"Het bestand {path} kan niet worden gelezen ({exc.strerror})."
        ) from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "file", f"{path} is geen leesbaar tekstbestand (CSV)."
    )  # pragma: no cover


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _norm_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass
class _Row:
    line: int
    provider: dict[str, Any]
    location: dict[str, Any]


def _region_lookup(db: Database) -> dict[str, str]:
    with db.read_session() as s:
        regions = s.exec(select(Region).where(Region.deleted_at == None)).all()  # noqa: E711
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

    def check(column: str, fn, *args, **kw) -> None:  # type: ignore[no-untyped-def]
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


def import_csv(
    db: Database,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    actor_id: str | None = None,
) -> ImportReport:
    """Validate (and unless `dry_run`, write) the providers and locations in `path`.

    Raises ValidationError("file", ...) when the file itself is unusable (missing, no header,
    missing required columns). Bad rows are returned in the report, never raised.
    """
    path = Path(path)
    text = _read_text(path)
    if "\x00" in text:
        raise ValidationError(
            "file",
            f"{path.name} bevat NUL-tekens: het is geen tekstbestand of het is beschadigd. "
            "Er is niets geïmporteerd.",
        )
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ValidationError(
            "file", f"{path.name} is leeg: de eerste regel moet de kolomnamen bevatten."
        )
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_norm_header(h) for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            "file",
            f"{path.name} mist de verplichte kolom(men): {', '.join(missing)}. "
            f"Verwachte kolommen: {', '.join(COLUMNS)}.",
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    regions = _region_lookup(db)
    errors: list[RowError] = []
    rows: list[_Row] = []
    if unknown:
        errors.append(
            RowError(
                1,
                unknown[0],
                f"Onbekende kolom(men): {', '.join(unknown)}. Toegestaan: {', '.join(COLUMNS)}.",
            )
        )
    n = 0
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over csv.field_size_limit() (128 kB), a stray quote
            raise ValidationError(
                "file",
                f"{path.name}, regel {reader.line_num}: een veld is te groot (meer dan "
                f"{csv.field_size_limit() // 1024} kB) of het bestand is geen geldig CSV-bestand. "
                "Er is niets geïmporteerd.",
            ) from exc
        start = line + 1
        line = reader.line_num
        if not any(x.strip() for x in values):
            continue
        n += 1
        if len(values) > len(header):
            errors.append(
                RowError(
                    start,
                    "-",
                    f"Deze regel heeft {len(values)} velden, de kop "
                    f"{len(header)}. Controleer het scheidingsteken ({delimiter}).",
                )
            )
            continue
        rec = {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}
        bad = next(((h, m.group()) for h, v in rec.items() if (m := _CONTROL.search(v))), None)
        if bad is not None:
            errors.append(
                RowError(
                    start,
                    bad[0],
                    f"Bevat een stuurteken (U+{ord(bad[1]):04X}); "
                    "zulke tekens worden niet opgeslagen.",
                )
            )
            continue
        row, row_errors = _validate_row(start, rec, regions)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    rows, dup_errors = _check_consistency(rows)
    errors.extend(dup_errors)
    errors.sort(key=lambda e: e.line)
    bad_lines = {e.line for e in errors}
    rows = [r for r in rows if r.line not in bad_lines]
    write = not dry_run and (not errors or skip_invalid)
    created_p, created_l, present, names = _write(db, rows, actor_id, really=write)
    return ImportReport(
        rows=n,
        valid_rows=len(rows),
        providers_created=created_p,
        locations_created=created_l,
        already_present=present,
        errors=tuple(errors),
        written=write and (created_p + created_l) > 0,
        dry_run=dry_run,
        delimiter=delimiter,
        providers=tuple(names),
    )


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


def _plan(session: Any, rows: list[_Row]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """New providers (matched on KvK-nummer) and locations (matched on AGB-code, or on name
    within the provider) that are not in the database yet."""
    providers = {
        p.kvk_number: p.id
        for p in session.exec(select(Provider).where(Provider.deleted_at == None))  # noqa: E711
    }
    locations = session.exec(select(Location).where(Location.deleted_at == None)).all()  # noqa: E711
    existing_agb = {loc.agb_code for loc in locations if loc.agb_code}
    existing_names = {(loc.provider_id, loc.name.casefold()) for loc in locations}
    new_providers: list[dict[str, Any]] = []
    new_locations: list[dict[str, Any]] = []
    present = 0
    for row in rows:
        kvk = row.provider["kvk_number"]
        if kvk not in providers:
            providers[kvk] = str(uuid.uuid4())
            new_providers.append({"id": providers[kvk], **row.provider})
        pid = providers[kvk]
        loc = row.location
        if (loc["agb_code"] and loc["agb_code"] in existing_agb) or (
            pid,
            loc["name"].casefold(),
        ) in existing_names:
            present += 1
            continue
        new_locations.append({"id": str(uuid.uuid4()), "provider_id": pid, **loc})
    return new_providers, new_locations, present


def _write(
    db: Database, rows: list[_Row], actor_id: str | None, *, really: bool
) -> tuple[int, int, int, list[str]]:
    """Counts the same in a dry run; writes (one transaction) only when `really`."""
    if really:
        with UnitOfWork(db, actor_id) as uow:
            new_p, new_l, present = _plan(uow.session, rows)
            uow.insert_rows(Provider, new_p)
            uow.insert_rows(Location, new_l)
    else:
        with db.read_session() as s:
            new_p, new_l, present = _plan(s, rows)
    return len(new_p), len(new_l), present, [p["name"] for p in new_p]


@dataclass(frozen=True)
class Preview:
    """The first rows of a CSV file as the desktop import dialog shows them (issue 14)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line number in the file, cells)
    total: int  # data rows in the file


def preview_csv(path: Path | str, limit: int = 500) -> Preview:
    """Read the file the way import_csv does (encoding, delimiter); nothing is validated here."""
    path = Path(path)
    text = _read_text(path)
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ValidationError(
            "file", f"{path.name} is leeg: de eerste regel moet de kolomnamen bevatten."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header = tuple(h.strip() for h in next(reader))
    rows: list[tuple[int, tuple[str, ...]]] = []
    total = 0
    for values in reader:
        if not any(c.strip() for c in values):
            continue
        total += 1
        if len(rows) < limit:
            rows.append((reader.line_num, tuple(values)))
    return Preview(header, tuple(rows), total)
