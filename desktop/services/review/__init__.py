"""Vier-ogen review: the ONE place of the four-eyes rule (ARCHITECTURE.md "Review").

Workflow steps are append-only `ReviewEvent` facts (submitted / approved / rejected /
withdrawn), never overwritten fields. An approval names the content hash of the exact version
it approves; "approved" is *derived* from those facts on every call:

* an APPROVED event exists whose `content_hash` equals the hash of the CURRENT version;
* its actor holds the TEAM_LEAD role and is neither the author nor any editor of the subject
  (editors = authors of the op-log operations that changed a hashed field, plus audit events);
* no content-changing operation happened after it (an edit voids the approval, even an edit
  that is later undone) and no rejection/withdrawal came after it.

DOMAIN.md §2 "Four-eyes rules": a deviation decision, an assessment letter and any change to
approved amounts need two distinct users; the reviewer holds TEAM_LEAD (NZa S4 §2.3).

Each subject type describes its content through a `SubjectSpec` registered by its own module
(`register_subject`); what a subject does once approved is its `after_approve` hook (a budget
request locks the diagnosis notes its decision rested on), so the review knows no subject.

The package, cut along the rule (issue 19); callers import from here:

* `subjects`    SubjectSpec, register_subject: what a subject is
* `hashing`     the content hash of an exact version
* `facts`       steps, content operations, editors, the granted role; Approval / ReviewStatus;
                `facts_many` / `changes_many` read them for many subjects at once
* `rules`       the verdict on each step (refused_steps) and the sync's push judge
* `derivation`  status / approval, derived from the facts (session-level `*_in` too;
                `approvals_in` for a list: the same rule, one query per kind of fact)
* `verbs`       submit / approve / reject / withdraw, record_step
* `signatories` the letter's vier-ogen rule: who may sign a definitive letter
* `worklist`    the teamleider's queue
* `audit_trail` the history of a subject
"""

from db.models.enums import ReviewKind
from desktop.services.review.audit_trail import (
    _ENTITY_LABELS,
    _FIELD_LABELS,
    _HIDDEN_FIELDS,
    HistoryEntry,
    history,
)
from desktop.services.review.derivation import (
    approval,
    approval_in,
    approvals_in,
    status,
    status_in,
)
from desktop.services.review.facts import (
    Approval,
    ReviewStatus,
    ReviewStep,
    editors_of,
    has_role,
)
from desktop.services.review.hashing import content_hash, content_hash_in, hash_content
from desktop.services.review.rules import push_judge, refused_steps
from desktop.services.review.signatories import (
    APPROVER_SIGNS,
    NOT_APPROVED,
    letter_refusal,
    letter_signer,
)
from desktop.services.review.subjects import SubjectSpec, Watched, register_subject, spec_of
from desktop.services.review.verbs import approve, record_step, reject, submit, withdraw
from desktop.services.review.worklist import QueueItem, queue

__all__ = [
    "APPROVER_SIGNS",
    "NOT_APPROVED",
    "_ENTITY_LABELS",
    "_FIELD_LABELS",
    "_HIDDEN_FIELDS",
    "Approval",
    "HistoryEntry",
    "QueueItem",
    "ReviewKind",
    "ReviewStatus",
    "ReviewStep",
    "SubjectSpec",
    "Watched",
    "approval",
    "approval_in",
    "approvals_in",
    "approve",
    "content_hash",
    "content_hash_in",
    "editors_of",
    "has_role",
    "hash_content",
    "history",
    "letter_refusal",
    "letter_signer",
    "push_judge",
    "queue",
    "record_step",
    "refused_steps",
    "register_subject",
    "reject",
    "spec_of",
    "status",
    "status_in",
    "submit",
    "withdraw",
]
