"""Vier-ogen from every angle: no path lets anyone approve their own work."""

from __future__ import annotations

import pytest
from review_helpers import write_review_event
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    db,
    db_path,
    decided_request,
    users,
    world,
)

from db.errors import RuleViolation, ValidationError
from db.models import BudgetRequest, CriterionJudgement, ReviewEvent
from db.repo import UnitOfWork
from desktop.services import requests as rq
from desktop.services import review
from desktop.services.users import create_user

S = "budget_request"


@pytest.fixture
def submitted(db, users, world):  # type: ignore[no-untyped-def]
    r = decided_request(db, users, world)
    rq.submit(db, r.id, users["purchaser"].id)
    return r


def test_teamleader_approves_submitted_request(db, users, submitted):
    a = rq.approve(db, submitted.id, users["lead"].id, "Akkoord.")
    assert a.approver_name == "Carla Bakker"
    assert a.content_hash == review.content_hash(db, S, submitted.id)
    assert review.approval(db, S, submitted.id) == a
    d = rq.get_request(db, submitted.id)
    assert d.state == "DECIDED" and d.decided_on is not None
    assert review.status(db, S, submitted.id).state == "APPROVED"


def test_purchaser_cannot_approve_own_request(db, users, submitted):
    with pytest.raises(RuleViolation, match="teamleider"):
        rq.approve(db, submitted.id, users["purchaser"].id)
    assert review.approval(db, S, submitted.id) is None


def test_teamleader_cannot_approve_own_work(db, users, world):
    """A teamleider who wrote the request is still its author."""
    lead = users["lead"]
    r = decided_request(db, users, world, by=lead.id)
    rq.submit(db, r.id, lead.id)
    with pytest.raises(RuleViolation, match="eigen werk"):
        rq.approve(db, r.id, lead.id)
    with pytest.raises(RuleViolation, match="eigen werk"):
        rq.reject(db, r.id, lead.id, "Zelf afgekeurd")


def test_editor_who_is_not_the_author_cannot_approve(db, users, world):
    """A second teamleider edited one criterion: that makes her an editor of this version."""
    editor = create_user(
        db,
        name="Dirk Smit",
        initials="DS",
        roles=["TEAM_LEAD", "PURCHASER"],
        actor_id=users["purchaser"].id,
    )
    r = decided_request(db, users, world)
    rq.judge_criteria(
        db,
        r.id,
        editor.id,
        {"C4_REGION_CHARACTERISTICS": ("PARTLY", "Regio krimpt; deels passend.")},
    )
    rq.submit(db, r.id, users["purchaser"].id)
    with pytest.raises(RuleViolation, match="eigen werk"):
        rq.approve(db, r.id, editor.id)
    # Carla never touched it: she may.
    assert rq.approve(db, r.id, users["lead"].id).approver_id == users["lead"].id


def test_wrong_role_is_refused(db, users, submitted):
    with pytest.raises(RuleViolation, match="Alleen een teamleider"):
        rq.approve(db, submitted.id, users["advisor"].id)
    with pytest.raises(RuleViolation, match="Alleen een teamleider"):
        rq.reject(db, submitted.id, users["advisor"].id, "Nee")


def test_approve_twice_is_refused(db, users, submitted):
    rq.approve(db, submitted.id, users["lead"].id)
    with pytest.raises(RuleViolation, match="al goedgekeurd"):
        rq.approve(db, submitted.id, users["lead"].id)


def test_unsubmitted_version_cannot_be_approved(db, users, world):
    r = decided_request(db, users, world)
    with pytest.raises(RuleViolation, match="niet ter beoordeling"):
        rq.approve(db, r.id, users["lead"].id)


def test_rejected_version_cannot_be_approved_nor_resubmitted_unchanged(db, users, submitted):
    st = rq.reject(db, submitted.id, users["lead"].id, "Criterium 10 is te mager onderbouwd.")
    assert st.state == "REJECTED"
    assert st.rejection_comment == "Criterium 10 is te mager onderbouwd."
    assert rq.get_request(db, submitted.id).state == "IN_REVIEW"
    with pytest.raises(RuleViolation, match="afgekeurd"):
        rq.approve(db, submitted.id, users["lead"].id)
    with pytest.raises(RuleViolation, match="afgekeurd"):
        rq.submit(db, submitted.id, users["purchaser"].id)
    # After an edit the author may offer it again, and then it can be approved.
    rq.judge_criteria(
        db,
        submitted.id,
        users["purchaser"].id,
        {"C10_BUSINESS_CASE": ("MEETS", "Business case met terugverdientijd 3 jaar.")},
    )
    rq.submit(db, submitted.id, users["purchaser"].id)
    assert rq.approve(db, submitted.id, users["lead"].id)


def test_reject_requires_comment(db, users, submitted):
    with pytest.raises(ValidationError) as exc:
        rq.reject(db, submitted.id, users["lead"].id, "   ")
    assert exc.value.field == "comment"
    assert review.status(db, S, submitted.id).state == "SUBMITTED"


def test_edit_after_approval_voids_it(db, users, submitted):
    rq.approve(db, submitted.id, users["lead"].id)
    rq.update_request(db, submitted.id, users["purchaser"].id, custom_agreements="Extra afspraak")
    assert review.approval(db, S, submitted.id) is None
    st = review.status(db, S, submitted.id)
    assert st.state == "VOID"
    assert rq.get_request(db, submitted.id).state == "IN_REVIEW"
    with pytest.raises(RuleViolation, match="vervallen"):
        rq.approve(db, submitted.id, users["lead"].id)


def test_edit_and_undo_after_approval_still_voids_it(db, users, submitted):
    rq.approve(db, submitted.id, users["lead"].id)
    original = rq.get_request(db, submitted.id).justification
    # A crafted edit straight through the write path, bypassing the request service, and back.
    with UnitOfWork(db, users["purchaser"].id) as uow:
        uow.update(uow.get(BudgetRequest, submitted.id), justification="tijdelijk")
    with UnitOfWork(db, users["purchaser"].id) as uow:
        uow.update(uow.get(BudgetRequest, submitted.id), justification=original)
    assert (
        review.content_hash(db, S, submitted.id) == review.status(db, S, submitted.id).current_hash
    )
    assert review.approval(db, S, submitted.id) is None


def test_criterion_edit_after_approval_voids_it(db, users, submitted):
    rq.approve(db, submitted.id, users["lead"].id)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        from sqlmodel import select

        row = uow.exec(
            select(CriterionJudgement).where(CriterionJudgement.budget_request_id == submitted.id)
        ).first()
        uow.update(row, reasoning="Gewijzigd na goedkeuring")
    assert review.approval(db, S, submitted.id) is None


def test_edit_after_submit_requires_resubmission(db, users, submitted):
    rq.update_request(db, submitted.id, users["purchaser"].id, justification="Nieuwe onderbouwing")
    with pytest.raises(RuleViolation, match="niet ter beoordeling|opnieuw"):
        rq.approve(db, submitted.id, users["lead"].id)


def test_crafted_approval_event_by_author_is_not_an_approval(db, users, submitted):
    """Writing an APPROVED fact directly (no service) does not make it approved."""
    digest = review.content_hash(db, S, submitted.id)
    write_review_event(db, S, submitted.id, "APPROVED", users["purchaser"].id, digest)
    assert review.approval(db, S, submitted.id) is None
    # Nor by a non-teamleider who never touched it.
    write_review_event(db, S, submitted.id, "APPROVED", users["advisor"].id, digest)
    assert review.approval(db, S, submitted.id) is None


def test_crafted_approval_without_submission_is_not_an_approval(db, users, world):
    r = decided_request(db, users, world)
    digest = review.content_hash(db, S, r.id)
    write_review_event(db, S, r.id, "APPROVED", users["lead"].id, digest)
    assert review.approval(db, S, r.id) is None


def test_approval_void_when_approver_loses_teamleader_role(db, users, submitted):
    from db.models import AppUser

    rq.approve(db, submitted.id, users["lead"].id)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        uow.update(uow.get(AppUser, users["lead"].id), roles=["PURCHASER"])
    assert review.approval(db, S, submitted.id) is None


def test_withdraw_and_resubmit(db, users, submitted):
    st = review.withdraw(db, S, submitted.id, users["purchaser"].id)
    assert st.state == "WITHDRAWN"
    assert rq.get_request(db, submitted.id).state == "IN_REVIEW"
    with pytest.raises(RuleViolation):
        rq.approve(db, submitted.id, users["lead"].id)
    rq.submit(db, submitted.id, users["purchaser"].id)
    assert rq.approve(db, submitted.id, users["lead"].id)


def test_review_events_are_append_only(db, users, submitted):
    rq.reject(db, submitted.id, users["lead"].id, "Graag aanvullen.")
    rq.update_request(db, submitted.id, users["purchaser"].id, justification="Aangevuld")
    rq.submit(db, submitted.id, users["purchaser"].id)
    rq.approve(db, submitted.id, users["lead"].id)
    steps = review.status(db, S, submitted.id).steps
    assert [s.kind for s in steps] == ["SUBMITTED", "REJECTED", "SUBMITTED", "APPROVED"]
    with db.read_session() as s:
        from sqlmodel import select

        from db.sync.models import SyncOp

        ops = s.exec(select(SyncOp).where(SyncOp.entity == "review_event")).all()
    assert {o.kind for o in ops} == {"create"}


def test_queue_shows_submitted_and_own_work(db, users, world, submitted):
    items = review.queue(db, viewer_id=users["lead"].id)
    assert [i.subject_id for i in items] == [submitted.id]
    assert not items[0].own_work and "Zorggroep De Linde" in items[0].title
    assert review.queue(db, viewer_id=users["purchaser"].id)[0].own_work
    rq.approve(db, submitted.id, users["lead"].id)
    assert review.queue(db) == []


def test_queue_reads_each_deciders_role_once_not_per_decision(db, users, submitted):
    """Issue 18: the queue looked up the decider's role for every decision it weighed (7,413
    role checks, 22,830 queries at zorgkantoor scale). Decisions by someone who is not a
    teamleider count for nothing: the request stays in the queue, at the same query cost."""
    from sqlalchemy import event

    digest = review.content_hash(db, S, submitted.id)

    def craft(n: int) -> None:
        for _ in range(n):
            write_review_event(db, S, submitted.id, "APPROVED", users["advisor"].id, digest)

    def queue_and_queries() -> tuple[list[str], int]:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            items = review.queue(db, viewer_id=users["lead"].id)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return [i.subject_id for i in items], len(statements)

    craft(1)
    ids_one, queries_one = queue_and_queries()
    craft(6)
    ids_seven, queries_seven = queue_and_queries()
    assert ids_one == ids_seven == [submitted.id]
    assert queries_seven == queries_one


def test_history_shows_changes_and_review_steps(db, users, submitted):
    rq.reject(db, submitted.id, users["lead"].id, "Aanvullen graag.")
    h = review.history(db, S, submitted.id)
    actions = [e.action for e in h]
    assert actions[0] == "Aanvraag: Aangemaakt"
    assert "Vier-ogen: Ter beoordeling aangeboden" in actions
    rejected = [e for e in h if e.action == "Vier-ogen: Afgekeurd"]
    assert rejected and rejected[0].actor_name == "Carla Bakker"
    assert rejected[0].comment == "Aanvullen graag."
    assert any(e.entity == "criterion_judgement" and e.actor_name == "Anna de Vries" for e in h)


def test_hash_is_canonical_and_covers_criteria(db, users, world):
    r = decided_request(db, users, world)
    h1 = review.content_hash(db, S, r.id)
    assert h1 == review.content_hash(db, S, r.id) and len(h1) == 64
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria("PARTLY"))
    assert review.content_hash(db, S, r.id) != h1
    assert review.hash_content({"a": 1, "b": [1, 2]}) == review.hash_content({"b": [1, 2], "a": 1})


def test_deviation_details_edit_after_approval_voids_it(db, users, submitted):
    rq.approve(db, submitted.id, users["lead"].id)
    d = rq.update_deviation(
        db,
        submitted.id,
        users["purchaser"].id,
        support_evidence={"clients": True, "board": True},
        business_case_reference="  Businesscase 2027.pdf ",
    )
    assert d.deviation["support_evidence"] == {
        "clients": True,
        "staff": False,
        "board": True,
        "supervisory_board": False,
    }
    assert d.deviation["business_case_reference"] == "Businesscase 2027.pdf"
    assert review.approval(db, S, submitted.id) is None
    assert d.state == "IN_REVIEW"


def test_approval_requires_decision_even_when_state_was_forced(db, users, world):
    """Data that arrives by sync/import in 'ter vier-ogen' without a decision is not approvable."""
    from test_requests_helpers import deviation_request

    r = deviation_request(db, users, world)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        uow.update(uow.get(BudgetRequest, r.id), state="AWAITING_FOUR_EYES")
        uow.add(
            ReviewEvent(
                subject_type=S,
                subject_id=r.id,
                kind="SUBMITTED",
                actor_id=users["purchaser"].id,
                content_hash=review.content_hash(db, S, r.id),
            )
        )
    with pytest.raises(RuleViolation, match="geen besluit"):
        rq.approve(db, r.id, users["lead"].id)


def test_edit_after_submit_leaves_the_queue(db, users, submitted):
    assert [i.subject_id for i in review.queue(db)] == [submitted.id]
    rq.update_request(db, submitted.id, users["purchaser"].id, justification="Aangepast")
    assert review.queue(db) == []
    st = review.status(db, S, submitted.id)
    assert st.state == "WITHDRAWN" and "opnieuw aanbieden" in st.last_step.comment
    rq.submit(db, submitted.id, users["purchaser"].id)
    assert rq.approve(db, submitted.id, users["lead"].id)


def test_crafted_approval_beyond_the_ceiling_does_not_count(db, users, world):
    """A teamleider's APPROVED fact written around the service still cannot exceed the ceiling."""
    from desktop.services.ceiling import set_ceiling

    set_ceiling(db, world.care_office_id, 2027, "1.000.000,00", users["lead"].id)
    r = decided_request(db, users, world)
    digest = review.content_hash(db, S, r.id)
    with UnitOfWork(db, users["lead"].id) as uow:
        for kind in ("SUBMITTED", "APPROVED"):
            uow.add(
                ReviewEvent(
                    subject_type=S,
                    subject_id=r.id,
                    kind=kind,
                    actor_id=users["lead"].id,
                    content_hash=digest,
                )
            )
        uow.update(uow.get(BudgetRequest, r.id), state="DECIDED")
    assert review.approval(db, S, r.id) is None


def test_approval_freezes_the_providers_diagnosis_notes(db, users, world):
    """Issue 4: notes are editable until included in an approved decision."""
    from datetime import date

    from desktop.services import diagnosis

    note = diagnosis.add_note(
        db,
        actor_id=users["advisor"].id,
        provider_id=world.provider_id,
        location_id=world.location_id,
        kind="IMPROVEMENT_POINT",
        theme_codes=["T6"],
        text="Inzet in de huiskamer 's avonds te laag.",
        source="locatiebezoek",
        noted_on=date(2026, 11, 3),
    )
    r = decided_request(db, users, world)
    rq.submit(db, r.id, users["purchaser"].id)
    assert not diagnosis.notes_for(db, location_id=world.location_id)[0].locked
    rq.approve(db, r.id, users["lead"].id, "Akkoord.")
    locked = diagnosis.notes_for(db, location_id=world.location_id)[0]
    assert locked.id == note.id and locked.locked
    with pytest.raises(RuleViolation):
        diagnosis.edit_note(
            db,
            note.id,
            actor_id=users["advisor"].id,
            kind="IMPROVEMENT_POINT",
            text="Gewijzigd",
            theme_codes=["T6"],
            source="locatiebezoek",
        )


def test_the_review_knows_none_of_its_subjects() -> None:
    """Issue 19: review owns the rule, each subject owns what it does once approved (the budget
    request locks its diagnosis notes in its `after_approve` hook, see the test above). No
    module of the review package imports a subject's service, so the arrow cannot come back."""
    from test_layering import import_graph

    graph = import_graph()
    review_modules = {
        m: deps
        for m, deps in graph.items()
        if m == "desktop.services.review" or m.startswith("desktop.services.review.")
    }
    assert "desktop.services.review.verbs" in review_modules
    subjects = (
        "desktop.services.requests",
        "desktop.services.diagnosis",
        "desktop.services.plans",
        "desktop.services.budget_year",
        "desktop.services.letters",
    )
    arrows = sorted(
        (m, d) for m, deps in review_modules.items() for d in deps if d.startswith(subjects)
    )
    assert not arrows, arrows
    assert review.spec_of(S).after_approve is not None


def test_the_letter_is_signed_by_two_people() -> None:
    """The letter's vier-ogen rule (review.signatories): only an approved decision, and the
    teamleider who approved it never signs the letter as its maker."""
    from datetime import UTC, datetime

    from desktop.services.review import signatories

    approval = review.Approval("lead", "Teamleider", datetime(2027, 1, 5, tzinfo=UTC), "h", "")
    with pytest.raises(RuleViolation, match="goedgekeurd besluit"):
        review.letter_signer(None, "maker", "maker")
    assert review.letter_signer(approval, "maker", "colleague") == "maker"
    # The approver started the draft: whoever finishes it signs.
    assert review.letter_signer(approval, "lead", "colleague") == "colleague"
    assert review.letter_signer(approval, None, "colleague") == "colleague"
    with pytest.raises(RuleViolation, match="kan niet ook de opsteller"):
        review.letter_signer(approval, "lead", "lead")
    assert review.letter_refusal(approval, "lead") == signatories.APPROVER_SIGNS
    assert review.letter_refusal(None, "maker") == signatories.NOT_APPROVED
    assert review.letter_refusal(approval, None) == signatories.NO_PROFILE
    assert review.letter_refusal(approval, "colleague") is None
