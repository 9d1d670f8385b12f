"""Importing the checked rows: plan what is new (providers by KvK-nummer, locations by AGB-code
or name) and write it in one transaction, or only count it in a dry run."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from db.engine import Database
from db.errors import ValidationError
from db.models import Location, Provider
from db.repo import UnitOfWork
from desktop.services.importer.csv_file import (
    _CONTROL,
    _delimiter,
    _norm_header,
    _read_text,
    first_line,
)
from desktop.services.importer.rows import (
    COLUMNS,
    REQUIRED,
    RowError,
    _check_consistency,
    _region_lookup,
    _Row,
    _validate_row,
    header_errors,
)


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
    delimiter = _delimiter(first_line(path, text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_norm_header(h) for h in next(reader)]
    errors = header_errors(path, header, REQUIRED, COLUMNS)
    regions = _region_lookup(db)
    rows: list[_Row] = []
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


def _plan(session: Any, rows: list[_Row]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """New providers (matched on KvK-nummer) and locations (matched on AGB-code, or on name
    within the provider) that are not in the database yet."""
    providers = {
        p.kvk_number: p.id
        for p in session.exec(select(Provider).where(col(Provider.deleted_at).is_(None)))
    }
    locations = session.exec(select(Location).where(col(Location.deleted_at).is_(None))).all()
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
