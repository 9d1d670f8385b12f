"""The review steps a user takes: submit, approve, reject, withdraw, each one unit of work
that checks the vier-ogen rule inside the transaction that records the step."""

from __future__ import annotations

from db.engine import Database
from db.errors import RuleViolation, ValidationError
from db.models import AppUser, ReviewEvent
from db.models.enums import ReviewKind
from db.repo import UnitOfWork
from desktop.services.review.derivation import _derive, status
from desktop.services.review.facts import Approval, ReviewStatus, _editors, _user, has_role
from desktop.services.review.hashing import _hash_in
from desktop.services.review.subjects import SubjectSpec, spec_of


def record_step(
    uow: UnitOfWork,
    subject_type: str,
    subject_id: str,
    kind: ReviewKind,
    by: str,
    digest: str,
    comment: str = "",
) -> ReviewEvent:
    """Append one workflow fact in the caller's unit of work, without the checks of the verbs
    below: for a subject's own service when its rules end a review (an edit after submitting
    withdraws the submission; a withdrawn request withdraws its review)."""
    return uow.add(
        ReviewEvent(
            subject_type=subject_type,
            subject_id=subject_id,
            kind=str(kind),
            actor_id=by,
            content_hash=digest,
            comment=comment,
        )
    )


def _actor(uow: UnitOfWork, by: str) -> AppUser:
    user = _user(uow.session, by)
    if user is None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return user


def _author_status(uow: UnitOfWork, subject_type: str, subject_id: str, by: str) -> ReviewStatus:
    """The status an author's step (submit, withdraw) starts from; `by` must be a known user."""
    _actor(uow, by)
    return _derive(uow.session, subject_type, subject_id)


def _take(
    uow: UnitOfWork,
    spec: SubjectSpec,
    subject_type: str,
    subject_id: str,
    kind: ReviewKind,
    by: str,
    digest: str | None,
    comment: str,
) -> ReviewEvent:
    """A checked step: the subject's own rules and state move (`before`), then the fact, of
    `digest` or (None) of the version as it stands after `before`."""
    if spec.before:
        spec.before(uow, subject_id, kind, by)
    if digest is None:
        digest = _hash_in(uow.session, subject_type, subject_id)
    return record_step(uow, subject_type, subject_id, kind, by, digest, comment)


def submit(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> ReviewStatus:
    """Offer the current version for the vier-ogen review (the teamleider's queue)."""
    spec = spec_of(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _author_status(uow, subject_type, subject_id, by)
        if st.state == "SUBMITTED":
            raise RuleViolation("Deze versie is al ter beoordeling aangeboden.")
        if st.state == "APPROVED":
            raise RuleViolation("Deze versie is al goedgekeurd; opnieuw aanbieden is niet nodig.")
        if st.state == "REJECTED" and not st.stale:
            raise RuleViolation(
                "Deze versie is afgekeurd. Pas het dossier eerst aan en bied het "
                "daarna opnieuw aan."
            )
        _take(uow, spec, subject_type, subject_id, ReviewKind.SUBMITTED, by, None, comment.strip())
    return status(db, subject_type, subject_id)


def _check_reviewer(
    uow: UnitOfWork, spec: SubjectSpec, subject_type: str, subject_id: str, by: str, verb: str
) -> ReviewStatus:
    user = _actor(uow, by)
    if not has_role(uow.session, user.id):
        raise RuleViolation(
            f"Alleen een teamleider mag {verb}. {user.name} heeft die rol niet "
            "(rollen worden toegekend door een teamleider: Extra › Team…)."
        )
    if by in _editors(uow.session, spec, subject_id):
        raise RuleViolation(
            f"U kunt uw eigen werk niet {verb}: u heeft dit dossier opgesteld of "
            "gewijzigd. Een andere teamleider moet het beoordelen (vier-ogenprincipe)."
        )
    st = _derive(uow.session, subject_type, subject_id, with_names=False)
    if st.state == "APPROVED":
        raise RuleViolation("Deze versie is al goedgekeurd.")
    if st.state == "REJECTED":
        raise RuleViolation(
            "Deze versie is afgekeurd. De opsteller moet een aangepaste versie opnieuw aanbieden."
        )
    if st.state == "VOID":
        raise RuleViolation(
            "De eerdere goedkeuring is vervallen door een wijziging. Het dossier "
            "moet opnieuw worden aangeboden."
        )
    if st.state != "SUBMITTED":
        if st.stale and st.last_step is not None and st.last_step.kind == ReviewKind.SUBMITTED:
            raise RuleViolation(
                "Het dossier is gewijzigd nadat het ter beoordeling is aangeboden. "
                "Het moet opnieuw worden aangeboden."
            )
        raise RuleViolation("Deze versie is niet ter beoordeling aangeboden.")
    return st


def approve(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> Approval:
    """Second signature by a teamleider who did not write or edit this version."""
    spec = spec_of(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _check_reviewer(uow, spec, subject_type, subject_id, by, "goedkeuren")
        ev = _take(
            uow,
            spec,
            subject_type,
            subject_id,
            ReviewKind.APPROVED,
            by,
            st.current_hash,
            comment.strip(),
        )
        if spec.after_approve:
            spec.after_approve(uow, subject_id)
        approver = _actor(uow, by)
        result = Approval(approver.id, approver.name, ev.at, ev.content_hash, ev.comment)
    return result


def reject(db: Database, subject_type: str, subject_id: str, by: str, comment: str) -> ReviewStatus:
    """Send back with a comment; the comment is shown to the author."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("comment", "Geef bij afkeuren een toelichting voor de opsteller.")
    spec = spec_of(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _check_reviewer(uow, spec, subject_type, subject_id, by, "afkeuren")
        _take(
            uow, spec, subject_type, subject_id, ReviewKind.REJECTED, by, st.current_hash, comment
        )
    return status(db, subject_type, subject_id)


def withdraw(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> ReviewStatus:
    """The author takes a pending submission back (e.g. to change it)."""
    spec = spec_of(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _author_status(uow, subject_type, subject_id, by)
        last = st.last_step
        if last is None or last.kind != ReviewKind.SUBMITTED:
            raise RuleViolation("Er is geen openstaande aanbieding om terug te trekken.")
        if by != last.actor_id and by not in _editors(uow.session, spec, subject_id):
            raise RuleViolation("Alleen de opsteller kan een aanbieding terugtrekken.")
        _take(
            uow,
            spec,
            subject_type,
            subject_id,
            ReviewKind.WITHDRAWN,
            by,
            st.current_hash,
            comment.strip(),
        )
    return status(db, subject_type, subject_id)
