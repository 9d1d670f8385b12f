"""Theme assessments, site visits, follow-up actions and diagnosis notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Index, event
from sqlmodel import Field, SQLModel

from db.models.base import Record
from db.types import JSONText, UTCDateTime


class ThemeAssessment(Record, table=True):
    """Rating of one location on one theme for one period. Never overwritten: a new
    assessment supersedes the previous one (`supersedes_id`), so history stays visible."""

    __tablename__ = "theme_assessment"
    __table_args__ = (
        # The heatmap and the diagnosis read "latest per location x theme" through this index.
        Index(
            "ix_theme_assessment_loc_theme_period",
            "location_id",
            "theme_code",
            "period_year",
            "assessed_on",
        ),
    )

    location_id: str = Field(foreign_key="location.id", index=True)
    theme_code: str = Field(max_length=8, index=True)  # "T1".."T8"
    framework_version: str = Field(default="KK2017", max_length=10)
    period_year: int = Field(index=True)
    rating: str = Field(max_length=20)  # Rating
    rationale: str
    sources: list = Field(default_factory=list, sa_type=JSONText)
    subtheme_ratings: dict = Field(default_factory=dict, sa_type=JSONText)  # {"T1.1": "GOOD"}
    linked_visit_id: str | None = Field(default=None, foreign_key="site_visit.id")
    assessed_on: date
    author_id: str = Field(foreign_key="app_user.id")
    supersedes_id: str | None = Field(default=None, foreign_key="theme_assessment.id", index=True)


class SiteVisit(Record, table=True):
    """Locatiebezoek: answers to one immutable form version (`form_id`, `form_version`)."""

    __tablename__ = "site_visit"

    location_id: str = Field(foreign_key="location.id", index=True)
    form_id: str = Field(max_length=60)
    form_version: str = Field(max_length=20)
    status: str = Field(default="DRAFT", max_length=12)  # VisitStatus
    visit_date: date | None = Field(default=None, index=True)
    answers: dict = Field(default_factory=dict, sa_type=JSONText)
    author_id: str = Field(foreign_key="app_user.id")
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_by_id: str | None = Field(default=None, foreign_key="app_user.id")
    revision_of_id: str | None = Field(default=None, foreign_key="site_visit.id")
    revision_reason: str = ""
    autosaved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FollowUpAction(Record, table=True):
    __tablename__ = "follow_up_action"

    location_id: str = Field(foreign_key="location.id", index=True)
    visit_id: str | None = Field(default=None, foreign_key="site_visit.id", index=True)
    description: str
    owner: str = Field(max_length=12)  # ActionOwner
    responsible_user_id: str | None = Field(default=None, foreign_key="app_user.id")
    due_date: date | None = Field(default=None, index=True)
    status: str = Field(default="OPEN", max_length=8)  # ActionStatus
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_by_id: str | None = Field(default=None, foreign_key="app_user.id")


class DiagnosisNote(Record, table=True):
    """Kwaliteitsdiagnose note on a provider or one of its locations (S4 §2.2)."""

    __tablename__ = "diagnosis_note"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    kind: str = Field(max_length=20)  # NoteKind
    theme_codes: list = Field(default_factory=list, sa_type=JSONText)
    text: str
    source: str = Field(default="", max_length=200)
    noted_on: date
    author_id: str = Field(foreign_key="app_user.id")
    source_visit_id: str | None = Field(default=None, foreign_key="site_visit.id")
    source_ref: str = Field(default="", max_length=200)  # e.g. "visit:<id>#T3" (observation)
    top_priority: int | None = None  # 1..3: chosen as one of the top three verbeterpunten
    locked_by_request_id: str | None = Field(default=None, foreign_key="budget_request.id")


# --- Full-text search (FTS5) ------------------------------------------------------------------
# One contentful FTS5 table over diagnosis notes, assessment rationales and visit observations,
# kept in sync by triggers. The FTS rowid is derived from the source row's rowid (x4 + tag) so a
# trigger can replace exactly one index row without scanning. "remove_diacritics 2" lets
# 'clientenraad' find 'cliëntenraad'. desktop/services/search.py reads it and can rebuild it.

SEARCH_FTS_TABLE = "search_fts"

_NOTE_ROW = """
SELECT NEW.rowid * 4 + 1, NEW.text, 'note', NEW.id, NEW.location_id, NEW.provider_id,
       ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(NEW.theme_codes)), '') || ' ',
       NEW.kind, NEW.noted_on
WHERE NEW.deleted_at IS NULL
"""
_ASSESSMENT_ROW = """
SELECT NEW.rowid * 4 + 2, NEW.rationale, 'assessment', NEW.id, NEW.location_id,
       (SELECT provider_id FROM location WHERE id = NEW.location_id),
       ' ' || NEW.theme_code || ' ', NEW.rating, NEW.assessed_on
WHERE NEW.deleted_at IS NULL
"""
# Free-text answers of the locatiebezoek form (forms/locatiebezoek/2026112301.yaml): the
# per-theme observations and the narrative fields; codes and names are not indexed.
_VISIT_TEXT = (
    "FROM json_tree(NEW.answers) WHERE type = 'text' AND value <> '' AND "
    "(key LIKE '%observation' OR key LIKE '%notes' OR key IN "
    "('overall_summary', 'maatwerk_proposed', 'visit_reason_signal'))"
)
_VISIT_THEMES = (
    "(SELECT group_concat(upper(substr(key, 1, 2)), ' ') FROM json_tree(NEW.answers) "
    "WHERE key GLOB 't[1-8]_observation' AND type = 'text' AND value <> '')"
)
_VISIT_ROW = f"""
SELECT NEW.rowid * 4 + 3, (SELECT group_concat(value, ' ') {_VISIT_TEXT}), 'visit', NEW.id,
       NEW.location_id, (SELECT provider_id FROM location WHERE id = NEW.location_id),
       ' ' || COALESCE({_VISIT_THEMES}, '') || ' ',
       NEW.status, COALESCE(NEW.visit_date, substr(NEW.created_at, 1, 10))
WHERE NEW.deleted_at IS NULL AND EXISTS (SELECT 1 {_VISIT_TEXT})
"""
_COLUMNS = "rowid, body, source, ref_id, location_id, provider_id, theme_codes, note_kind, dated"

SEARCH_DDL: tuple[str, ...] = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_FTS_TABLE} USING fts5(
        body, source UNINDEXED, ref_id UNINDEXED, location_id UNINDEXED,
        provider_id UNINDEXED, theme_codes UNINDEXED, note_kind UNINDEXED, dated UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2")""",
)
for _table, _tag, _row in (
    ("diagnosis_note", 1, _NOTE_ROW),
    ("theme_assessment", 2, _ASSESSMENT_ROW),
    ("site_visit", 3, _VISIT_ROW),
):
    SEARCH_DDL += (
        f"""CREATE TRIGGER IF NOT EXISTS {_table}_fts_ai AFTER INSERT ON {_table} BEGIN
            INSERT INTO {SEARCH_FTS_TABLE} ({_COLUMNS}) {_row};
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {_table}_fts_au AFTER UPDATE ON {_table} BEGIN
            DELETE FROM {SEARCH_FTS_TABLE} WHERE rowid = OLD.rowid * 4 + {_tag};
            INSERT INTO {SEARCH_FTS_TABLE} ({_COLUMNS}) {_row};
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {_table}_fts_ad AFTER DELETE ON {_table} BEGIN
            DELETE FROM {SEARCH_FTS_TABLE} WHERE rowid = OLD.rowid * 4 + {_tag};
        END""",
    )


def _rebuild_sql(table: str, row: str) -> str:
    body = row.replace("NEW.", "t.").replace(
        "\nWHERE t.deleted_at", f"\nFROM {table} t\nWHERE t.deleted_at"
    )
    return f"INSERT INTO {SEARCH_FTS_TABLE} ({_COLUMNS}) {body}"


SEARCH_REBUILD_SQL = (
    f"DELETE FROM {SEARCH_FTS_TABLE}",
    _rebuild_sql("diagnosis_note", _NOTE_ROW),
    _rebuild_sql("theme_assessment", _ASSESSMENT_ROW),
    _rebuild_sql("site_visit", _VISIT_ROW),
)

# --- Current rating per location x theme (derived, for the heatmap) -------------------------
# Reading "latest of 80,000 assessments" with a window function costs far more than the
# heatmap budget (<= 100 ms for 1,000 x 8), so triggers keep one row per location x theme
# with the current and the previous rating. Derived data: never synced, rebuilt on demand.

CURRENT_TABLE = "theme_current"
_ORDER = "ORDER BY period_year DESC, assessed_on DESC, created_at DESC"


def _recompute(loc: str, theme: str) -> str:
    return f"""
        DELETE FROM {CURRENT_TABLE} WHERE location_id = {loc} AND theme_code = {theme};
        INSERT INTO {CURRENT_TABLE} (location_id, theme_code, assessment_id, rating, assessed_on,
                                     period_year, previous_rating)
        SELECT a.location_id, a.theme_code, a.id, a.rating, a.assessed_on, a.period_year,
               (SELECT b.rating FROM theme_assessment b WHERE b.location_id = a.location_id
                  AND b.theme_code = a.theme_code AND b.deleted_at IS NULL AND b.id <> a.id
                {_ORDER} LIMIT 1)
        FROM theme_assessment a
        WHERE a.location_id = {loc} AND a.theme_code = {theme} AND a.deleted_at IS NULL
        {_ORDER} LIMIT 1;"""


CURRENT_DDL: tuple[str, ...] = (
    f"""CREATE TABLE IF NOT EXISTS {CURRENT_TABLE} (
        location_id VARCHAR(36) NOT NULL, theme_code VARCHAR(8) NOT NULL,
        assessment_id VARCHAR(36) NOT NULL, rating VARCHAR(20) NOT NULL,
        assessed_on DATE NOT NULL, period_year INTEGER NOT NULL, previous_rating VARCHAR(20),
        PRIMARY KEY (location_id, theme_code)) WITHOUT ROWID""",
    f"""CREATE TRIGGER IF NOT EXISTS theme_assessment_cur_ai AFTER INSERT ON theme_assessment
        BEGIN {_recompute("NEW.location_id", "NEW.theme_code")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS theme_assessment_cur_au AFTER UPDATE ON theme_assessment
        BEGIN {_recompute("OLD.location_id", "OLD.theme_code")}
              {_recompute("NEW.location_id", "NEW.theme_code")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS theme_assessment_cur_ad AFTER DELETE ON theme_assessment
        BEGIN {_recompute("OLD.location_id", "OLD.theme_code")} END""",
)
# One row per location with the current cells of all eight themes side by side, kept in step
# with theme_current by its own triggers (issue 18 item 4): the heatmap reads one row per
# location instead of eight theme_current rows (24,000 lookups at national scale). A deleted
# cell leaves NULLs, read as "not assessed" like a missing row. Derived, never synced.
RATINGS_TABLE = "location_ratings"
RATINGS_THEMES: tuple[str, ...] = tuple(f"T{i}" for i in range(1, 9))  # resources/reference themes


def ratings_columns(code: str) -> tuple[str, str, str]:
    """The (rating, assessed_on, previous_rating) columns of theme `code` in location_ratings."""
    n = code[1:].lower()
    return f"t{n}_rating", f"t{n}_on", f"t{n}_previous"


def _ratings_triggers(code: str) -> tuple[str, str]:
    rating, on, previous = ratings_columns(code)
    name = code.lower()
    return (
        f"""CREATE TRIGGER IF NOT EXISTS theme_current_{name}_ai AFTER INSERT ON {CURRENT_TABLE}
        WHEN NEW.theme_code = '{code}' BEGIN
            INSERT INTO {RATINGS_TABLE} (location_id, {rating}, {on}, {previous})
            VALUES (NEW.location_id, NEW.rating, NEW.assessed_on, NEW.previous_rating)
            ON CONFLICT (location_id) DO UPDATE SET {rating} = excluded.{rating},
                {on} = excluded.{on}, {previous} = excluded.{previous}; END""",
        f"""CREATE TRIGGER IF NOT EXISTS theme_current_{name}_ad AFTER DELETE ON {CURRENT_TABLE}
        WHEN OLD.theme_code = '{code}' BEGIN
            UPDATE {RATINGS_TABLE} SET {rating} = NULL, {on} = NULL, {previous} = NULL
            WHERE location_id = OLD.location_id; END""",
    )


_RATINGS_COLUMN_DDL = ", ".join(
    f"{r} VARCHAR(20), {o} DATE, {p} VARCHAR(20)"
    for r, o, p in (ratings_columns(c) for c in RATINGS_THEMES)
)
RATINGS_DDL: tuple[str, ...] = (
    f"""CREATE TABLE IF NOT EXISTS {RATINGS_TABLE} (
        location_id VARCHAR(36) NOT NULL PRIMARY KEY, {_RATINGS_COLUMN_DDL}) WITHOUT ROWID""",
    *(t for c in RATINGS_THEMES for t in _ratings_triggers(c)),
)
_RATINGS_SELECT = ", ".join(
    f"MAX(CASE WHEN theme_code = '{c}' THEN {col} END)"
    for c in RATINGS_THEMES
    for col in ("rating", "assessed_on", "previous_rating")
)
RATINGS_REBUILD_SQL: tuple[str, ...] = (
    f"DELETE FROM {RATINGS_TABLE}",
    f"""INSERT INTO {RATINGS_TABLE} SELECT location_id, {_RATINGS_SELECT}
        FROM {CURRENT_TABLE} GROUP BY location_id""",
)

CURRENT_REBUILD_SQL: tuple[str, ...] = (
    f"DELETE FROM {CURRENT_TABLE}",
    f"""INSERT INTO {CURRENT_TABLE} (location_id, theme_code, assessment_id, rating, assessed_on,
                                    period_year, previous_rating)
        SELECT location_id, theme_code, id, rating, assessed_on, period_year, prev FROM (
          SELECT location_id, theme_code, id, rating, assessed_on, period_year,
                 LEAD(rating) OVER w AS prev, ROW_NUMBER() OVER w AS rn
          FROM theme_assessment WHERE deleted_at IS NULL
          WINDOW w AS (PARTITION BY location_id, theme_code {_ORDER}))
        WHERE rn = 1""",
    *RATINGS_REBUILD_SQL,  # after theme_current: its triggers may not exist during a bulk pull
)
CURRENT_DDL += RATINGS_DDL  # one derived family: a bulk pull drops and restores them together

for _ddl in (*SEARCH_DDL, *CURRENT_DDL):
    # DDL() applies %-formatting: escape the LIKE wildcards.
    event.listen(SQLModel.metadata, "after_create", DDL(_ddl.replace("%", "%%")))
