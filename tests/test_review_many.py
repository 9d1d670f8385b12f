"""Issue 18: `review.approvals_in` derives the approvals of many subjects at once (the Brieven
list's decisions still without a letter). It must say exactly what `approval_in` says of each
subject alone, in every case the vier-ogen rule refuses, with a number of queries that does not
grow with the number of subjects."""

from __future__ import annotations

import pytest
from review_helpers import write_review_event
from sqlalchemy import event
from sqlmodel import select
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    db,
    db_path,
    decided_request,
    make_world,
    users,
    world,
)

from db.errors import NotFound
from db.models import BudgetRequest, CriterionJudgement
from db.repo import UnitOfWork
from desktop.services import letters, review
from desktop.services import requests as rq
from desktop.services.ceiling import set_ceiling

S = "budget_request"


def _crafted_approval(db, users, request_id: str, approver: str, *, submit: bool = True) -> None:  # type: ignore[no-untyped-def]
    """A SUBMITTED (by the purchaser) and APPROVED fact written around the review service, and
    the state the service would have moved the request to."""
    digest = review.content_hash(db, S, request_id)
    if submit:
        write_review_event(db, S, request_id, "SUBMITTED", users["purchaser"].id, digest)
    write_review_event(db, S, request_id, "APPROVED", approver, digest)
    with UnitOfWork(db, users["lead"].id) as uow:
        uow.update(uow.get(BudgetRequest, request_id), state="DECIDED")


def _request(db, users, world, name: str, year: int = 2027) -> str:  # type: ignore[no-untyped-def]
    """A decided request of a provider of its own (one request per provider and year)."""
    own = make_world(db, users["purchaser"].id, name)
    return decided_request(db, users, own, budget_year=year, received_date=f"{year - 1}-11-02").id


def _approved(db, users, request_id: str) -> None:  # type: ignore[no-untyped-def]
    rq.submit(db, request_id, users["purchaser"].id)
    rq.approve(db, request_id, users["lead"].id, "Akkoord.")


@pytest.fixture
def cases(db, users, world):  # type: ignore[no-untyped-def]
    """Request ids by what the vier-ogen rule must say of them."""
    lead, purchaser = users["lead"].id, users["purchaser"].id
    c: dict[str, str] = {}
    c["approved"] = _request(db, users, world, "Zorggroep Akkoord")
    _approved(db, users, c["approved"])
    c["edited after approval"] = _request(db, users, world, "Zorggroep Gewijzigd")
    _approved(db, users, c["edited after approval"])
    rq.update_request(db, c["edited after approval"], purchaser, custom_agreements="Extra")
    c["criterion edited after approval"] = _request(db, users, world, "Zorggroep Criterium")
    _approved(db, users, c["criterion edited after approval"])
    with UnitOfWork(db, purchaser) as uow:
        row = uow.exec(
            select(CriterionJudgement).where(
                CriterionJudgement.budget_request_id == c["criterion edited after approval"]
            )
        ).first()
        uow.update(row, reasoning="Gewijzigd na goedkeuring")
    c["approved by its author"] = _request(db, users, world, "Zorggroep Eigen Werk")
    _crafted_approval(db, users, c["approved by its author"], purchaser)
    c["approved by a non-teamleider"] = _request(db, users, world, "Zorggroep Adviseur")
    _crafted_approval(db, users, c["approved by a non-teamleider"], users["advisor"].id)
    c["approved without submission"] = _request(db, users, world, "Zorggroep Ongevraagd")
    _crafted_approval(db, users, c["approved without submission"], lead, submit=False)
    c["submitted only"] = _request(db, users, world, "Zorggroep Aangeboden")
    rq.submit(db, c["submitted only"], purchaser)
    c["no step"] = _request(db, users, world, "Zorggroep Stil")
    c["deleted after approval"] = _request(db, users, world, "Zorggroep Weg")
    _approved(db, users, c["deleted after approval"])
    with UnitOfWork(db, lead) as uow:
        uow.delete(uow.get(BudgetRequest, c["deleted after approval"]))
    # 2028: a regional ceiling of exactly the approved amount (the request does not count
    # against itself: it fits) and the care office's of twice that.
    set_ceiling(db, world.care_office_id, 2028, "2.400.000,00", lead)
    set_ceiling(db, world.care_office_id, 2028, "1.200.000,00", lead, region_id=world.region_id)
    c["approved at the regional ceiling"] = _request(db, users, world, "Zorggroep Plafond", 2028)
    _approved(db, users, c["approved at the regional ceiling"])
    # 2029: a teamleider's crafted approval above the care office's ceiling.
    set_ceiling(db, world.care_office_id, 2029, "1.000.000,00", lead)
    c["crafted beyond the ceiling"] = _request(db, users, world, "Zorggroep Boven", 2029)
    _crafted_approval(db, users, c["crafted beyond the ceiling"], lead)
    return c


def _one_by_one(db, ids: list[str], honour: bool = True) -> dict:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return {i: review.approval_in(s, S, i, honour_refusals=honour) for i in ids}


def _many(db, ids: list[str], honour: bool = True) -> dict:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return review.approvals_in(s, S, ids, honour_refusals=honour)


def test_many_at_once_says_what_each_alone_says(db, users, cases) -> None:  # type: ignore[no-untyped-def]
    ids = list(cases.values())
    for honour in (True, False):
        alone = _one_by_one(db, ids, honour)
        assert _many(db, ids, honour) == alone
    approved = {what for what, i in cases.items() if alone[i] is not None}
    assert approved == {"approved", "approved at the regional ceiling"}
    assert alone[cases["approved"]].approver_id == users["lead"].id
    # Every refusal case is refused for its own reason, not for a shared one.
    assert _many(db, [cases["approved"], cases["crafted beyond the ceiling"]]) == {
        cases["approved"]: alone[cases["approved"]],
        cases["crafted beyond the ceiling"]: None,
    }


def test_the_request_reads_each_fact_of_many_as_of_one(db, users, cases) -> None:  # type: ignore[no-untyped-def]
    """The budget request's batch forms (content, watched records, author, still valid) give
    for each request what the single forms give, deleted judgements and requests included."""
    with UnitOfWork(db, users["purchaser"].id) as uow:
        row = uow.exec(
            select(CriterionJudgement).where(
                CriterionJudgement.budget_request_id == cases["submitted only"]
            )
        ).first()
        uow.delete(row)
    ids = list(cases.values())
    spec = review.spec_of(S)
    with db.read_session() as s:
        assert spec.contents_of(s, ids) == {i: spec.content(s, i) for i in ids}
        watched = spec.watched_of(s, ids)
        assert {i: sorted(w) for i, w in watched.items()} == {
            i: sorted(spec.watched(s, i)) for i in ids
        }
        assert spec.authors_of(s, ids) == {i: spec.author(s, i) for i in ids}
        assert spec.still_valid is not None
        valid = spec.valid_of(s, ids)
        assert valid == {i: spec.still_valid(s, i) for i in ids}
    assert not valid[cases["crafted beyond the ceiling"]]
    assert not valid[cases["deleted after approval"]]
    assert valid[cases["approved at the regional ceiling"]]


def test_a_second_approval_at_the_ceiling_voids_both(db, users, world, cases) -> None:  # type: ignore[no-untyped-def]
    """The ceiling is re-checked with the sums of the others: a crafted approval of another
    request in the same region and year takes both over the regional ceiling."""
    other = _request(db, users, world, "Zorggroep Erbij", 2028)
    _crafted_approval(db, users, other, users["lead"].id)
    ids = [cases["approved at the regional ceiling"], other, cases["approved"]]
    many = _many(db, ids)
    assert many == _one_by_one(db, ids)
    assert many[ids[0]] is None and many[ids[1]] is None and many[ids[2]] is not None


def test_the_queries_do_not_grow_with_the_subjects(db, users, world, cases) -> None:  # type: ignore[no-untyped-def]
    def queries(ids: list[str]) -> list[str]:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            _many(db, ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return statements

    before = queries(list(cases.values()))
    more = [_request(db, users, world, f"Zorggroep Extra {n}") for n in range(4)]
    for i in more[:2]:
        _approved(db, users, i)
    after = queries(list(cases.values()) + more)
    # One query per kind of fact (and one role check per decider), whatever the number of
    # subjects: 10 requests or 14 read the same way.
    assert len(after) == len(before) <= 30, "\n".join(after)


def test_a_subject_that_does_not_exist_is_not_found(db, cases) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        _many(db, [cases["approved"], "no-such-request"])
    assert _many(db, []) == {}


def test_the_brieven_list_shows_the_approved_decisions(db, users, cases) -> None:  # type: ignore[no-untyped-def]
    pending = {p.request_id for p in letters.pending_decisions(db)}
    assert pending == {cases["approved"], cases["approved at the regional ceiling"]}
