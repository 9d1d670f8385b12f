"""Theme assessments: the rating of one location on one Kwaliteitskader theme.

An assessment is never overwritten: a new one supersedes the previous current assessment of
the same location x theme (`supersedes_id`), so the history stays visible (issue 4 §1).
Reads use the stdlib sqlite3 module (fast paths: diagnosis <= 50 ms, heatmap <= 100 ms).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from db.errors import ValidationError, ValidationErrors
from desktop.services.guards import live
from desktop.services.reference import themes

MIN_RATIONALE = 10


# --- reference data: rating scale and sources --------------------------------------------------


@dataclass(frozen=True)
class RatingInfo:
    code: str
    label: str
    symbol: str
    severity: int  # 0 = goed .. 3 = onvoldoende
    colour: str
    text_colour: str
    definition: str


@cache
def _ratings_data() -> dict:
    text = (
        resources.files("resources.reference").joinpath("ratings.yaml").read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


@cache
def ratings() -> tuple[RatingInfo, ...]:
    """The four-point scale, best first (resources/reference/ratings.yaml)."""
    return tuple(RatingInfo(**r) for r in _ratings_data()["ratings"])


@cache
def rating_info(code: str | None) -> RatingInfo | None:
    for r in ratings():
        if r.code == code:
            return r
    return None


def rating_label(code: str | None) -> str:
    info = rating_info(code)
    return info.label if info else "Nog niet beoordeeld"


def severity(code: str | None) -> int | None:
    info = rating_info(code)
    return info.severity if info else None


@cache
def sources() -> tuple[tuple[str, str], ...]:
    """(code, Dutch label) of the sources an assessment can rest on."""
    return tuple((s["code"], s["label"]) for s in _ratings_data()["sources"])


def source_label(code: str) -> str:
    """Dutch label of a source code; tolerates labels stored as text (older/demo data)."""
    known = dict(sources())
    if code in known:
        return known[code]
    folded = code.casefold()
    for label in known.values():
        if label.casefold() == folded or label.casefold().startswith(folded):
            return label
    return code[:1].upper() + code[1:]


@cache
def theme_codes() -> tuple[str, ...]:
    return tuple(t.code for t in themes())


# --- data returned to callers ---------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInfo:
    id: str
    location_id: str
    theme_code: str
    period_year: int
    rating: str
    rationale: str
    sources: tuple[str, ...]
    subtheme_ratings: tuple[tuple[str, str], ...]
    linked_visit_id: str | None
    assessed_on: date
    author_id: str
    author_name: str
    supersedes_id: str | None
    superseded: bool

    @property
    def rating_label(self) -> str:
        return rating_label(self.rating)

    @property
    def sources_label(self) -> str:
        return ", ".join(source_label(s) for s in self.sources)


def db_file(db: Any) -> Path:
    """Services accept a Database or a path for read-only queries."""
    return Path(getattr(db, "path", db))


def connect_ro(db: Any) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_file(db)}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    return conn


def driver_connection(s: Any) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy session, for the plain-SQL queries above when
    they run inside a use case's own transaction (no second connection)."""
    conn = s.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


_ASSESSMENT_COLS = """a.id, a.location_id, a.theme_code, a.period_year, a.rating, a.rationale,
    a.sources, a.subtheme_ratings, a.linked_visit_id, a.assessed_on, a.author_id,
    COALESCE(u.name, ''), a.supersedes_id,
    EXISTS (SELECT 1 FROM theme_assessment s WHERE s.supersedes_id = a.id AND s.deleted_at IS NULL)"""


def assessment_from_row(row: tuple) -> AssessmentInfo:
    import json

    subs = json.loads(row[7] or "{}")
    return AssessmentInfo(
        id=row[0],
        location_id=row[1],
        theme_code=row[2],
        period_year=row[3],
        rating=row[4],
        rationale=row[5],
        sources=tuple(json.loads(row[6] or "[]")),
        subtheme_ratings=tuple(sorted(subs.items())),
        linked_visit_id=row[8],
        assessed_on=date.fromisoformat(row[9]),
        author_id=row[10],
        author_name=row[11],
        supersedes_id=row[12],
        superseded=bool(row[13]),
    )


def assessment_history(
    db: Any, location_id: str, theme_code: str | None = None
) -> list[AssessmentInfo]:
    """All live assessments of a location (optionally one theme), newest first."""
    conn = connect_ro(db)
    try:
        sql = (
            f"SELECT {_ASSESSMENT_COLS} FROM theme_assessment a "
            "LEFT JOIN app_user u ON u.id = a.author_id "
            "WHERE a.location_id = ? AND a.deleted_at IS NULL"
        )
        args: list[Any] = [location_id]
        if theme_code:
            sql += " AND a.theme_code = ?"
            args.append(theme_code)
        sql += " ORDER BY a.period_year DESC, a.assessed_on DESC, a.created_at DESC"
        return [assessment_from_row(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def current_assessments(db: Any, location_id: str) -> dict[str, AssessmentInfo]:
    """The current (latest) assessment per theme of one location."""
    out: dict[str, AssessmentInfo] = {}
    for a in assessment_history(db, location_id):
        out.setdefault(a.theme_code, a)
    return out


# --- writing --------------------------------------------------------------------------------


def _validate(
    *,
    theme_code: str,
    rating: str,
    rationale: str,
    source_codes: list[str] | tuple[str, ...],
    period_year: int | None,
    assessed_on: object,
    subtheme_ratings: dict[str, str] | None,
) -> tuple[str, date, int, dict[str, str]]:
    from desktop.services.validation import optional_past_date

    errors: list[ValidationError] = []
    if theme_code not in theme_codes():
        errors.append(ValidationError("theme_code", "Kies een van de acht thema's."))
    if not rating:
        errors.append(
            ValidationError("rating", "Kies een oordeel: goed, voldoende, matig of onvoldoende.")
        )
    elif rating_info(rating) is None:
        errors.append(ValidationError("rating", f"Onbekend oordeel '{rating}'."))
    text = (rationale or "").strip()
    if not text:
        errors.append(
            ValidationError("rationale", "Onderbouwing is verplicht: waarop rust dit oordeel?")
        )
    elif len(text) < MIN_RATIONALE:
        errors.append(
            ValidationError(
                "rationale", f"Onderbouwing is te kort; schrijf minstens {MIN_RATIONALE} tekens."
            )
        )
    known = dict(sources())
    if not source_codes:
        errors.append(ValidationError("sources", "Kies minstens één bron waarop het oordeel rust."))
    else:
        for s in source_codes:
            if s not in known:
                errors.append(ValidationError("sources", f"Onbekende bron '{s}'."))
                break
    when = optional_past_date(
        assessed_on,
        "assessed_on",
        "Datum van het oordeel",
        errors,
        "De datum van het oordeel ligt in de toekomst.",
    )
    year = period_year if period_year is not None else when.year
    if not isinstance(year, int) or not 2015 <= year <= date.today().year + 1:
        errors.append(ValidationError("period_year", "Kies een jaar tussen 2015 en volgend jaar."))
    subs: dict[str, str] = {}
    if subtheme_ratings:
        allowed = {c for t in themes() if t.code == theme_code for c, _ in t.subthemes}
        for code, value in subtheme_ratings.items():
            if not value:
                continue
            if code not in allowed:
                errors.append(
                    ValidationError(
                        "subtheme_ratings", f"Subthema {code} hoort niet bij dit thema."
                    )
                )
                break
            if rating_info(value) is None:
                errors.append(
                    ValidationError("subtheme_ratings", f"Onbekend oordeel '{value}' bij {code}.")
                )
                break
            subs[code] = value
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise ValidationErrors(errors)
    return text, when, year, subs


def record_assessment(
    db: Any,
    *,
    location_id: str,
    theme_code: str,
    rating: str,
    rationale: str,
    sources: list[str] | tuple[str, ...],
    actor_id: str,
    period_year: int | None = None,
    assessed_on: object = None,
    linked_visit_id: str | None = None,
    subtheme_ratings: dict[str, str] | None = None,
) -> AssessmentInfo:
    """Record a new rating; it supersedes the current assessment of this location x theme."""
    from sqlmodel import col, select

    from db.models import AppUser, Location, SiteVisit, ThemeAssessment
    from db.repo import UnitOfWork

    text, when, year, subs = _validate(
        theme_code=theme_code,
        rating=rating,
        rationale=rationale,
        source_codes=sources,
        period_year=period_year,
        assessed_on=assessed_on,
        subtheme_ratings=subtheme_ratings,
    )
    with UnitOfWork(db, actor_id) as uow:
        live(uow, Location, location_id, "Deze locatie bestaat niet (meer).")
        if linked_visit_id:
            visit = uow.get(SiteVisit, linked_visit_id)
            if visit is None or visit.location_id != location_id or visit.deleted_at is not None:
                raise ValidationError(
                    "linked_visit_id", "Het gekoppelde locatiebezoek hoort niet bij deze locatie."
                )
        previous = uow.exec(
            select(ThemeAssessment)
            .where(
                ThemeAssessment.location_id == location_id,
                ThemeAssessment.theme_code == theme_code,
                # back-filling an older period supersedes that period, not the newest one
                ThemeAssessment.period_year <= year,
                col(ThemeAssessment.deleted_at).is_(None),
            )
            .order_by(
                col(ThemeAssessment.period_year).desc(),
                col(ThemeAssessment.assessed_on).desc(),
                col(ThemeAssessment.created_at).desc(),
            )
            .limit(1)
        ).first()
        obj = uow.add(
            ThemeAssessment(
                location_id=location_id,
                theme_code=theme_code,
                period_year=year,
                rating=rating,
                rationale=text,
                sources=list(dict.fromkeys(sources)),
                subtheme_ratings=subs,
                linked_visit_id=linked_visit_id or None,
                assessed_on=when,
                author_id=actor_id,
                supersedes_id=previous.id if previous else None,
            )
        )
        author = uow.get(AppUser, actor_id)
        info = AssessmentInfo(
            id=obj.id,
            location_id=location_id,
            theme_code=theme_code,
            period_year=year,
            rating=rating,
            rationale=text,
            sources=tuple(obj.sources),
            subtheme_ratings=tuple(sorted(subs.items())),
            linked_visit_id=obj.linked_visit_id,
            assessed_on=when,
            author_id=actor_id,
            author_name=author.name if author else "",
            supersedes_id=obj.supersedes_id,
            superseded=False,
        )
    return info
