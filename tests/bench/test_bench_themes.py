"""Benchmarks of issue 4 on the zorgkantoor dataset (run: pytest tests/bench --benchmark-only).

Targets (ARCHITECTURE.md): heatmap 1,000 locations x 8 themes <= 100 ms; full-text search
over >= 200,000 notes <= 50 ms; open a location's kwaliteitsdiagnose <= 50 ms.

The zorgkantoor database comes from the `zorgkantoor_db_path` fixture (tests/bench/conftest.py);
it is copied and topped up with generated diagnosis notes (raw inserts, so the FTS triggers
index them) until there are 200,000. Without that fixture an equivalent synthetic database
is generated here.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

NOTES_TARGET = 200_000
# On a shared, overloaded machine every figure is a multiple of the real one; the targets can
# be scaled for such a run (THEMES_BENCH_SLACK=5), never by default.
SLACK = float(os.environ.get("THEMES_BENCH_SLACK", "1"))

_WORDS = (
    "cliëntenraad medicatieveiligheid personeelsverloop uitzendkrachten dagbesteding "
    "zorgleefplan familieparticipatie vrijheidsbeperking decubitus valincidenten mantelzorg "
    "teamoverleg scholing verpleegkundige specialist ouderengeneeskunde bestuur toezicht "
    "kwaliteitsplan verbeterplan bewoners naasten huiskamer maaltijden ervaringen domotica "
    "zorgkaart verzuim inwerkprogramma leernetwerk gedragsproblematiek dementie palliatieve "
    "vakbekwaamheid roosters nachtdienst aandacht welzijn activiteiten tuin privacy"
).split()
_FILL = "de het een en van op in bij met voor niet wel is zijn wordt worden door naar".split()
_KINDS = ("STRENGTH", "VULNERABILITY", "IMPROVEMENT_POINT", "SIGNAL")
_RATINGS = ("GOOD", "SUFFICIENT", "MODERATE", "INSUFFICIENT")


def _sentence(rng: random.Random, n: int = 18) -> str:
    words = [rng.choice(_WORDS) if rng.random() < 0.45 else rng.choice(_FILL) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def _top_up_notes(path: Path, target: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(str(path))
    try:
        have = conn.execute(
            "SELECT count(*) FROM diagnosis_note WHERE deleted_at IS NULL"
        ).fetchone()[0]
        locs = conn.execute("SELECT id, provider_id FROM location").fetchall()
        author = conn.execute("SELECT id FROM app_user LIMIT 1").fetchone()[0]
        now = "2026-11-23T08:00:00.000000+00:00"
        rows = []
        for _ in range(max(0, target - have)):
            loc, prov = rng.choice(locs)
            d = date(2017, 1, 1) + timedelta(days=rng.randrange(3600))
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    now,
                    now,
                    prov,
                    loc if rng.random() < 0.85 else None,
                    rng.choice(_KINDS),
                    json.dumps([f"T{rng.randint(1, 8)}"]),
                    _sentence(rng),
                    "",
                    d.isoformat(),
                    author,
                    "",
                )
            )
        from db.models.quality import SEARCH_DDL, SEARCH_REBUILD_SQL

        # Bulk load: index the new notes in one statement instead of one trigger per row.
        conn.execute("PRAGMA synchronous=OFF")
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM diagnosis_note").fetchone()[0]
        with conn:
            conn.execute("DROP TRIGGER IF EXISTS diagnosis_note_fts_ai")
            conn.executemany(
                """INSERT INTO diagnosis_note (id, created_at, updated_at, provider_id,
                   location_id, kind, theme_codes, text, source, noted_on, author_id, source_ref)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                rows,
            )
            conn.execute(SEARCH_REBUILD_SQL[1] + " AND t.rowid > ?", (before,))
            conn.execute(next(d for d in SEARCH_DDL if "diagnosis_note_fts_ai" in d))
        conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        conn.commit()
    finally:
        conn.close()


def _synthetic(path: Path, seed: int = 11) -> None:
    """~1,000 locations in the Zilveren Kruis regions, 10 years of assessments, visits."""
    from desktop.services.database import open_database

    open_database(path).dispose()
    rng = random.Random(seed)
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("DROP TRIGGER theme_assessment_cur_ai")
    now = "2026-11-23T08:00:00.000000+00:00"
    uid = lambda: str(uuid.UUID(int=rng.getrandbits(128)))  # noqa: E731
    with conn:
        regions = [r[0] for r in conn.execute("SELECT id FROM region ORDER BY number LIMIT 11")]
        author = uid()
        conn.execute(
            "INSERT INTO app_user (id, created_at, updated_at, name, initials, email, "
            "function_title, roles, signing_public_key) VALUES (?,?,?,?,?,?,?,?,?)",
            (author, now, now, "Bench Adviseur", "BA", "", "", '["QUALITY_ADVISOR"]', ""),
        )
        provs = []
        for i in range(400):
            provs.append(uid())
            conn.execute(
                "INSERT INTO provider (id, created_at, updated_at, name, kvk_number, "
                "agb_code, street, house_number, postcode, place, attention_of, salutation)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (provs[-1], now, now, f"Zorggroep {i}", "", "", "", "", "", "", "", ""),
            )
        locs = []
        for i in range(1000):
            locs.append(uid())
            conn.execute(
                "INSERT INTO location (id, created_at, updated_at, provider_id, region_id,"
                " name, street, house_number, postcode, place, agb_code, kvk_branch_number,"
                " target_groups) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    locs[-1],
                    now,
                    now,
                    rng.choice(provs),
                    rng.choice(regions),
                    f"Locatie {i}",
                    "",
                    "",
                    "",
                    "Plaats",
                    "",
                    "",
                    "[]",
                ),
            )
        rows = []
        for loc in locs:
            for year in range(2017, 2027):
                for t in range(1, 9):
                    rows.append(
                        (
                            uid(),
                            now,
                            now,
                            loc,
                            f"T{t}",
                            "KK2017",
                            year,
                            rng.choice(_RATINGS),
                            _sentence(rng, 25),
                            '["QUALITY_REPORT"]',
                            "{}",
                            f"{year}-06-01",
                            author,
                        )
                    )
        conn.executemany(
            """INSERT INTO theme_assessment (id, created_at, updated_at, location_id, theme_code,
               framework_version, period_year, rating, rationale, sources, subtheme_ratings,
               assessed_on, author_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )
        visits = []
        for loc in rng.sample(locs, 600):
            ans = {}
            for t in range(1, 9):
                ans[f"t{t}_observation"] = _sentence(rng)
                ans[f"t{t}_signal"] = rng.choice(("POSITIEF", "AANDACHTSPUNT", "ZORG"))
            visits.append(
                (
                    uid(),
                    now,
                    now,
                    loc,
                    "locatiebezoek",
                    "2026112301",
                    "COMPLETED",
                    "2026-03-01",
                    json.dumps(ans),
                    author,
                    "",
                )
            )
        conn.executemany(
            """INSERT INTO site_visit (id, created_at, updated_at, location_id, form_id,
               form_version, status, visit_date, answers, author_id, revision_reason)
               VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            visits,
        )
    conn.close()
    from desktop.services.regional import rebuild_current

    rebuild_current(path)  # also recreates the dropped trigger


@pytest.fixture(scope="module")
def themes_bench_db(request, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path_factory.mktemp("themes_bench") / "zorgkantoor.sqlite"
    source = None
    if not os.environ.get("THEMES_BENCH_SYNTHETIC"):  # =1: skip the (slow to build) demo db
        try:
            source = request.getfixturevalue("zorgkantoor_db_path")
        except pytest.FixtureLookupError:
            source = None
    if source is not None:
        src = sqlite3.connect(str(source))
        dst = sqlite3.connect(str(target))
        src.backup(dst)
        src.close()
        dst.close()
        from desktop.services.regional import rebuild_current
        from desktop.services.search import rebuild_index

        names = {
            r[0] for r in sqlite3.connect(str(target)).execute("SELECT name FROM sqlite_master")
        }
        if "search_fts" not in names:
            rebuild_index(target)
        if "theme_current" not in names:
            rebuild_current(target)
    else:
        _synthetic(target)
    _top_up_notes(target, NOTES_TARGET)
    return target


@pytest.fixture(scope="module")
def machine_factor() -> float:
    """How much slower this machine is now than an idle laptop core: a fixed SQLite workload
    (100,000-row recursive CTE, ~20 ms idle) timed here. Reported with the figures."""
    import statistics
    import time

    conn = sqlite3.connect(":memory:")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        conn.execute(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
            "WHERE i < 100000) SELECT count(*) FROM r"
        ).fetchall()
        times.append(time.perf_counter() - t)
    conn.close()
    factor = statistics.median(times) / 0.020
    print(f"\nmachine factor (CTE 100k vs 20 ms idle): {factor:.1f}")
    return factor


def _biggest_scope(path: Path) -> dict:
    """The care office with the most locations (the whole zorgkantoor: ~1,000 locations)."""
    conn = sqlite3.connect(str(path))
    try:
        row = conn.execute(
            """SELECT ra.care_office_id, count(*) FROM location l
               JOIN region_assignment ra ON ra.region_id = l.region_id AND ra.valid_to IS NULL
               GROUP BY ra.care_office_id ORDER BY 2 DESC LIMIT 1"""
        ).fetchone()
    finally:
        conn.close()
    # the demo puts all ~1,000 locations in one care office; the synthetic data spreads them
    return {"care_office_id": row[0]} if row and row[1] >= 900 else {}


def test_bench_heatmap(benchmark, themes_bench_db, machine_factor):  # type: ignore[no-untyped-def]
    from desktop.services.regional import heatmap

    benchmark.extra_info["machine_factor"] = round(machine_factor, 1)
    scope = _biggest_scope(themes_bench_db)
    hm = benchmark(heatmap, themes_bench_db, **scope)
    assert len(hm.rows) >= 900 and len(hm.theme_codes) == 8
    assert benchmark.stats.stats.median <= 0.100 * SLACK


@pytest.mark.parametrize(
    "query", ["clientenraad", "medicatie", "dubbele controle", "verzuim nacht"]
)
def test_bench_search(benchmark, themes_bench_db, query):  # type: ignore[no-untyped-def]
    from desktop.services.search import search

    n = (
        sqlite3.connect(str(themes_bench_db))
        .execute("SELECT count(*) FROM diagnosis_note WHERE deleted_at IS NULL")
        .fetchone()[0]
    )
    assert n >= NOTES_TARGET
    res = benchmark(search, themes_bench_db, query)
    assert res.hits or query == "dubbele controle"
    assert benchmark.stats.stats.median <= 0.050 * SLACK


def test_bench_open_location_diagnosis(benchmark, themes_bench_db):  # type: ignore[no-untyped-def]
    from desktop.services.diagnosis import location_diagnosis

    conn = sqlite3.connect(str(themes_bench_db))
    # the location with the most notes and assessments: the worst case
    loc = conn.execute("""SELECT location_id FROM diagnosis_note WHERE location_id IS NOT NULL
                          GROUP BY location_id ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
    conn.close()
    d = benchmark(location_diagnosis, themes_bench_db, loc)
    assert len(d.themes) == 8
    assert benchmark.stats.stats.median <= 0.050 * SLACK
