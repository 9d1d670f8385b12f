"""Tiny hand-made data for the request/review/plan tests (no zorgkantoor scale)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from db.models import Location, Provider, Region, RegionAssignment
from db.repo import UnitOfWork


@dataclass(frozen=True)
class World:
    provider_id: str
    location_id: str
    region_id: str
    care_office_id: str


def make_world(db, actor_id: str, name: str = "Zorggroep De Linde") -> World:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, actor_id) as uow:
        region = uow.exec(select(Region).order_by(Region.number)).first()
        assignment = uow.exec(
            select(RegionAssignment).where(RegionAssignment.region_id == region.id)
        ).first()
        prov = uow.add(
            Provider(
                name=name,
                street="Lindelaan",
                house_number="12",
                postcode="3511AB",
                place="Utrecht",
                attention_of="t.a.v. de Raad van Bestuur",
                salutation="Geachte mevrouw De Vries,",
            )
        )
        loc = uow.add(
            Location(
                provider_id=prov.id, region_id=region.id, name="Huize De Linde", place="Utrecht"
            )
        )
        return World(prov.id, loc.id, region.id, assignment.care_office_id)


def all_criteria(judgement: str = "MEETS") -> dict[str, tuple[str, str]]:
    from desktop.services.requests import criteria

    return {c.code: (judgement, f"Onderbouwing bij criterium {c.number}.") for c in criteria()}


def deviation_request(db, users, world, **overrides):  # type: ignore[no-untyped-def]
    """An afwijkingsverzoek 80%/20% of € 1.200.000,00, received 2 November 2026."""
    from desktop.services import requests as rq

    args = dict(
        by=users["purchaser"].id,
        provider_id=world.provider_id,
        budget_year=2027,
        received_date="2026-11-02",
        initial_reserved_amount="1.000.000,00",
        requested_total="1.200.000,00",
        requested_staff_amount="960.000,00",
        requested_other_amount="240.000,00",
        external_reference="KP-2027-001",
    )
    args.update(overrides)
    return rq.create_request(db, **args)


def decided_request(db, users, world, **overrides):  # type: ignore[no-untyped-def]
    """A deviation request with all criteria judged and a decision 'akkoord' recorded."""
    from desktop.services import requests as rq

    r = deviation_request(db, users, world, **overrides)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    return rq.record_decision(
        db,
        r.id,
        users["purchaser"].id,
        decision="APPROVED",
        rationale="De afwijking is overtuigend onderbouwd.",
    )


def approved_amounts(total: str, staff: str, other: str) -> dict[str, str]:
    """The approved (total, staff, other) amounts as `record_decision` takes them."""
    return dict(approved_total=total, approved_staff_amount=staff, approved_other_amount=other)


def record_adjusted(db, users, request_id: str, amounts: tuple[str, str, str], **extra):  # type: ignore[no-untyped-def]
    """Record "akkoord, bijgesteld" by the zorginkoper with the approved (total, staff, other)
    amounts; `extra` goes to `record_decision` as it is (rationale, accepted points, ...)."""
    from desktop.services import requests as rq

    return rq.record_decision(
        db,
        request_id,
        users["purchaser"].id,
        decision="APPROVED_ADJUSTED",
        **approved_amounts(*amounts),
        **extra,
    )


def record_accepted(db, users, request_id: str, accepted_points: dict, rationale: str = "Akkoord."):  # type: ignore[no-untyped-def]
    """Record "akkoord" by the zorginkoper, accepting the failing points it names (code ->
    (kind, explanation))."""
    from desktop.services import requests as rq

    return rq.record_decision(
        db,
        request_id,
        users["purchaser"].id,
        decision="APPROVED",
        rationale=rationale,
        accepted_points=accepted_points,
    )


def complete_plan_assessment(  # type: ignore[no-untyped-def]
    db,
    users,
    plan_id: str,
    reasoning: str,
    conclusion: str,
    judgements: dict[str, str] | None = None,
    **answers,
) -> None:
    """The kwaliteitsadviseur of `users` completes the plan's assessment: every requirement
    MEETS with `reasoning`, but those in `judgements` (by code prefix, e.g. "kp_03":
    "DOES_NOT_MEET"); `answers` are set last, as they are."""
    from desktop.services import plans

    judged = judgements or {}
    form: dict = {}
    for fd in plans.assessment_form().walk():
        if fd.name.endswith("_judgement"):
            form[fd.name] = judged.get(fd.name[:5], "MEETS")
        elif fd.name.endswith("_reasoning"):
            form[fd.name] = reasoning
    form.update(answers)
    form["overall_conclusion"] = conclusion
    plans.save_assessment(db, plan_id, users["advisor"].id, form, complete=True)


# -- fast fixtures: one initialised database per session, copied per test ---------------------

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def _request_template(tmp_path_factory):  # type: ignore[no-untyped-def]
    from people_helpers import make_colleagues

    from desktop.services.database import open_database

    path = tmp_path_factory.mktemp("req_template") / "template.sqlite"
    database = open_database(path)
    colleagues = make_colleagues(database)
    w = make_world(database, colleagues["purchaser"].id)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path, colleagues, w


@pytest.fixture
def db(_request_template, tmp_path: Path):  # type: ignore[no-untyped-def]
    from db.engine import Database

    src, _, _ = _request_template
    dst = tmp_path / "test.sqlite"
    shutil.copyfile(src, dst)
    database = Database(dst)
    yield database
    database.dispose()


@pytest.fixture
def db_path(db):  # type: ignore[no-untyped-def]
    return db.path


@pytest.fixture
def users(_request_template, db):  # type: ignore[no-untyped-def]
    return _request_template[1]


@pytest.fixture
def world(_request_template, db):  # type: ignore[no-untyped-def]
    return _request_template[2]
