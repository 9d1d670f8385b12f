"""The directory: care office -> region -> provider -> location, search and location pages.

Read-only and on the hot path of start-up (ARCHITECTURE.md: cold start <= 0.8 s), so it uses
the standard sqlite3 module directly: no SQLAlchemy import before the window is painted.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


def fold(text: str) -> str:
    """Lower-case without diacritics: 'Zorggroep Ühlenbeck' matches 'uhlen'."""
    if text.isascii():  # most names; NFKD leaves ASCII as it is (start-up: 3,000 rows)
        return text.casefold()
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class LocationRow:
    id: str
    name: str
    place: str
    postcode: str
    agb_code: str
    capacity: int | None
    provider_id: str
    provider_name: str
    provider_kvk: str
    provider_agb: str
    region_id: str
    region_name: str
    care_office_id: str | None
    care_office_name: str | None
    search_key: str = field(repr=False, default="")


@dataclass(frozen=True)
class Directory:
    """Everything the navigator needs, loaded in one query."""

    locations: tuple[LocationRow, ...]

    def filter(self, query: str) -> list[LocationRow]:
        """Filter-as-you-type: every word must occur in name, place, provider, KvK or AGB."""
        words = fold(query).split()
        if not words:
            return list(self.locations)
        return [r for r in self.locations if all(w in r.search_key for w in words)]


# The columns in LocationRow's field order (every field but the search key): rows are built
# positionally (tests/test_startup_work.py checks each field holds its own column).
_DIRECTORY_SQL = """
SELECT l.id, l.name, l.place, l.postcode, l.agb_code, l.capacity,
       p.id, p.name, p.kvk_number, p.agb_code,
       r.id, r.name, co.id, co.short_name
FROM location l
JOIN provider p ON p.id = l.provider_id
JOIN region r ON r.id = l.region_id
LEFT JOIN region_assignment ra ON ra.region_id = r.id AND ra.deleted_at IS NULL
     AND ra.valid_from <= :today AND (ra.valid_to IS NULL OR ra.valid_to >= :today)
LEFT JOIN care_office co ON co.id = ra.care_office_id
WHERE l.deleted_at IS NULL AND p.deleted_at IS NULL
ORDER BY co.short_name COLLATE NOCASE, r.name COLLATE NOCASE, p.name COLLATE NOCASE,
         l.name COLLATE NOCASE
"""


def load_directory(db_path: Path | str, today: date | None = None) -> Directory:
    conn = _connect(Path(db_path))
    try:
        rows = conn.execute(
            _DIRECTORY_SQL, {"today": (today or date.today()).isoformat()}
        ).fetchall()
    finally:
        conn.close()
    out = []
    for r in rows:
        key = fold(" ".join(str(x) for x in (r[1], r[2], r[3], r[4], r[7], r[8], r[9], r[11]) if x))
        # the query's columns in field order, then the key (mypy cannot know a row's length)
        out.append(LocationRow(*r, search_key=key))  # type: ignore[misc]
    return Directory(tuple(out))


@dataclass(frozen=True)
class ThemeScore:
    theme_code: str
    theme_name: str
    rating: str | None  # Rating code, None when never assessed
    period_year: int | None
    assessed_on: date | None
    rationale: str


@dataclass(frozen=True)
class LocationDetail:
    id: str
    name: str
    street: str
    house_number: str
    postcode: str
    place: str
    agb_code: str
    kvk_branch_number: str
    capacity: int | None
    target_groups: tuple[str, ...]
    provider_id: str
    provider_name: str
    provider_kvk: str
    provider_agb: str
    region_name: str
    care_office_name: str | None
    scores: tuple[ThemeScore, ...]


def location_detail(
    db_path: Path | str, location_id: str, today: date | None = None
) -> LocationDetail | None:
    """One location with its identifiers and the latest rating per theme (<= 50 ms budget)."""
    import json

    from desktop.services.reference import themes

    conn = _connect(Path(db_path))
    try:
        row = conn.execute(
            """
            SELECT l.id, l.name, l.street, l.house_number, l.postcode, l.place, l.agb_code,
                   l.kvk_branch_number, l.capacity, l.target_groups,
                   p.id, p.name, p.kvk_number, p.agb_code, r.name, co.short_name
            FROM location l JOIN provider p ON p.id = l.provider_id
            JOIN region r ON r.id = l.region_id
            LEFT JOIN region_assignment ra ON ra.region_id = r.id AND ra.deleted_at IS NULL
                 AND ra.valid_from <= :today AND (ra.valid_to IS NULL OR ra.valid_to >= :today)
            LEFT JOIN care_office co ON co.id = ra.care_office_id
            WHERE l.id = :id
            """,
            {"id": location_id, "today": (today or date.today()).isoformat()},
        ).fetchone()
        if row is None:
            return None
        latest: dict[str, tuple] = {}
        for code, rating, year, assessed_on, rationale in conn.execute(
            """
            SELECT theme_code, rating, period_year, assessed_on, rationale
            FROM theme_assessment
            WHERE location_id = ? AND deleted_at IS NULL
            ORDER BY period_year, assessed_on, created_at
            """,
            (location_id,),
        ):
            latest[code] = (rating, year, assessed_on, rationale)
    finally:
        conn.close()
    scores = []
    for t in themes():
        rating, year, assessed_on, rationale = latest.get(t.code, (None, None, None, ""))
        scores.append(
            ThemeScore(
                theme_code=t.code,
                theme_name=t.name_nl,
                rating=rating,
                period_year=year,
                assessed_on=date.fromisoformat(assessed_on) if assessed_on else None,
                rationale=rationale or "",
            )
        )
    return LocationDetail(
        id=row[0],
        name=row[1],
        street=row[2],
        house_number=row[3],
        postcode=row[4],
        place=row[5],
        agb_code=row[6],
        kvk_branch_number=row[7],
        capacity=row[8],
        target_groups=tuple(json.loads(row[9] or "[]")),
        provider_id=row[10],
        provider_name=row[11],
        provider_kvk=row[12],
        provider_agb=row[13],
        region_name=row[14],
        care_office_name=row[15],
        scores=tuple(scores),
    )


def counts(db_path: Path | str) -> dict[str, int]:
    """Number of live records per table (the `stats` command)."""
    from db.migrate import _user_tables  # same sqlite3 helper

    conn = _connect(Path(db_path))
    try:
        out = {}
        for table in sorted(_user_tables(conn)):
            if table in {"alembic_version", "local_setting", "sync_meta"} or table.endswith(
                ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")
            ):
                continue
            cols = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
            where = " WHERE deleted_at IS NULL" if "deleted_at" in cols else ""
            out[table] = conn.execute(f'SELECT count(*) FROM "{table}"{where}').fetchone()[0]
        return out
    finally:
        conn.close()
