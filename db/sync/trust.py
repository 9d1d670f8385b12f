"""Who may do what in a shared store (issue 13): signed role grants, signer = author, and the
bookkeeping of operations this laptop holds back.

Rules (docs/SYNC.md "Trust model"):

* **Roles are granted, not claimed.** Once a database is pinned to a store, a user's roles are
  derived from signed grant documents only (`roster/grant-<id>.json` in the store): signed by
  the store owner or by someone who holds a valid TEAM_LEAD grant at that point, versioned per
  (member, role). The store owner always holds TEAM_LEAD (the signed store identity says who
  the owner is). `app_user.roles` is the local profile: it decides only before a store exists;
  a change of it that arrives as an ordinary operation is ignored and reported.
* **The signer is the editor.** Every operation's author must be the user whose key signed the
  segment. Reference data loaded by the system (SYSTEM_ENTITIES: themes, care offices, regions
  and their assignments, with ids derived from their natural keys) may carry no author. A
  review event must name the signer as its actor and is create-only. Anything else is refused
  operation by operation; the rest of the segment is applied.
* **History before the store** is published by the owner as a *baseline* (segment header
  `"bl": 1`): its operations keep their historic authors; only the owner's key may attest it,
  and only as the first segments of the owner's origin. Review events in it count only when
  the review rules derive them valid (role from the grants, not an editor, same version).
* **Held back.** An own operation the team would refuse is moved out of the outbox to a local
  origin that is never pushed (`sync_meta` `held_origin`), recorded in `sync_segment` with
  status `held` (name `held#<op id>`, reason in Dutch), and re-checked on every sync; a
  refused remote operation is recorded with status `refused` (name `<segment>#<op id>`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync.op import Op
from db.sync.oplog import get_meta, set_meta

SYSTEM_ENTITIES = frozenset({"theme", "care_office", "region", "region_assignment"})
ROLES = ("PURCHASER", "QUALITY_ADVISOR", "TEAM_LEAD")
TEAM_LEAD = "TEAM_LEAD"
ROLES_META = "team_roles"
BASELINE_META = "baselines"  # {origin: last baseline seq}
HELD_ORIGIN_META = "held_origin"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- grants -----------------------------------------------------------------------------------
def grant_document(
    hub_id: str, member: str, role: str, action: str, version: int, by: str, seed: bytes
) -> dict[str, Any]:
    from db.sync.segment import sign_document  # cryptography: not on the start-up path

    return sign_document(
        {
            "type": "grant",
            "id": uuid.uuid4().hex,
            "hub_id": hub_id,
            "member": member,
            "role": role,
            "action": action,
            "version": int(version),
            "by": by,
            "at": _now(),
        },
        seed,
    )


def grant_name(doc: dict[str, Any]) -> str:
    return f"roster/grant-{doc['id']}.json"


@dataclass(frozen=True)
class TeamRoles:
    roles: dict[str, list[str]]  # user id -> granted roles (sorted)
    versions: dict[str, int]  # "member|role" -> current version
    log: list[dict[str, Any]] = field(default_factory=list)  # every grant document, judged

    def as_json(self) -> str:
        return json.dumps(
            {"roles": self.roles, "versions": self.versions, "log": self.log}, sort_keys=True
        )


def derive_roles(
    identity: dict[str, Any], roster: dict[str, list[str]], documents: list[dict[str, Any]]
) -> TeamRoles:
    """Roles from the valid grants: a pure function of the set of documents."""
    owner = identity["owner"]["user_id"]
    from db.sync.segment import verify_document  # cryptography: not on the start-up path

    hub_id = identity["hub_id"]
    grants = [d for d in documents if d.get("type") == "grant" and d.get("hub_id") == hub_id]
    grants.sort(key=lambda d: (_int(d.get("version")), str(d.get("at", "")), str(d.get("id", ""))))
    state: dict[tuple[str, str], tuple[str, int]] = {(owner, TEAM_LEAD): ("grant", 0)}
    log: list[dict[str, Any]] = []
    for d in grants:
        member, role, action, by = (str(d.get(k, "")) for k in ("member", "role", "action", "by"))
        version = _int(d.get("version"))
        refused = ""
        if role not in ROLES or action not in ("grant", "revoke") or version < 1:
            refused = "onbekende rol of handeling"
        elif not any(verify_document(d, key) for key in roster.get(by, [])):
            refused = "handtekening hoort niet bij de ondertekenaar"
        elif by != owner and state.get((by, TEAM_LEAD), ("", 0))[0] != "grant":
            refused = "ondertekend door iemand zonder teamleidersrol"
        elif member == owner and role == TEAM_LEAD and action == "revoke":
            refused = "de eigenaar van de opslag blijft teamleider"
        elif version <= state.get((member, role), ("", 0))[1]:
            refused = "verouderde versie"
        if not refused:
            state[(member, role)] = (action, version)
        log.append(
            {
                "member": member,
                "role": role,
                "action": action,
                "by": by,
                "at": str(d.get("at", "")),
                "version": version,
                "refused": refused,
            }
        )
    roles: dict[str, list[str]] = {}
    for (member, role), (action, _v) in sorted(state.items()):
        if action == "grant":
            roles.setdefault(member, []).append(role)
    versions = {f"{m}|{r}": v for (m, r), (_a, v) in state.items()}
    return TeamRoles(roles, versions, log)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def store_roles(session: Session, team: TeamRoles) -> None:
    set_meta(session, ROLES_META, team.as_json())


def team_state(session: Session) -> dict[str, Any] | None:
    raw = get_meta(session, ROLES_META)
    return json.loads(raw) if raw else None


def effective_roles(
    session: Session, user_id: str | None, profile_roles: list[str] | None
) -> list[str]:
    """Roles that count on this laptop: the local profile before a store exists, the signed
    grants afterwards (nothing until the first sync has read them)."""
    if not user_id:
        return []
    state = team_state(session)
    if state is None:
        if get_meta(session, "hub_id"):
            return []
        return list(profile_roles or [])
    return list(state["roles"].get(user_id, []))


# -- per-operation rules ----------------------------------------------------------------------
def op_refusal(op: Op, signer: str) -> str | None:
    """Why the team refuses this operation from a segment signed by `signer`, or None."""
    author = op.author
    if author is None:
        if op.entity in SYSTEM_ENTITIES:
            return None
        return "bewerking zonder auteur (alleen referentiegegevens mogen dat)"
    if author != signer:
        return "bewerking op naam van een ander dan wie haar ondertekende"
    if op.entity == "review_event":
        if op.kind != "create":
            return "een beoordelingsstap kan niet worden gewijzigd of verwijderd"
        if op.payload.get("actor_id") != signer:
            return "beoordelingsstap op naam van een ander (vervalste goedkeuring)"
    return None


def role_claim(op: Op) -> bool:
    """A change of someone's roles through an ordinary operation (ignored, reported)."""
    return op.entity == "app_user" and op.kind != "create" and "roles" in op.payload


def baselines(session: Session) -> dict[str, int]:
    raw = get_meta(session, BASELINE_META)
    return {str(k): int(v) for k, v in json.loads(raw).items()} if raw else {}


def add_baseline(session: Session, origin: str, last: int) -> None:
    current = baselines(session)
    if current.get(origin, 0) < last:
        current[origin] = last
        set_meta(session, BASELINE_META, json.dumps(current, sort_keys=True))


def held_origin(session: Session) -> str:
    value = get_meta(session, HELD_ORIGIN_META)
    if value is None:
        value = str(uuid.uuid4())
        set_meta(session, HELD_ORIGIN_META, value)
    return value


def record_status(
    session: Session, name: str, origin: str, seq: int, status: str, reason: str
) -> None:
    session.execute(
        text(
            "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, size, "
            "mtime_ns, reason, at) VALUES (:n, :o, :s, :s, :st, 0, 0, :r, :t)"
        ),
        {"n": name, "o": origin, "s": seq, "st": status, "r": reason, "t": _now()},
    )


@dataclass(frozen=True)
class OpAuthority:
    """How this laptop authenticates the authors of the operations it holds."""

    own: str | None
    signer: str | None  # this laptop's sync user (None before a store exists)
    held: str | None
    base: dict[str, int]

    def author(self, origin: str, seq: int, author: str | None) -> str | None:
        """The authenticated author: own operations after pinning are this laptop's user,
        whatever their author field says (a row written past the program)."""
        if self.signer and origin in (self.own, self.held) and seq > self.base.get(origin, 0):
            return self.signer
        return author

    def in_baseline(self, origin: str, seq: int) -> bool:
        return seq <= self.base.get(origin, 0)


def authority(session: Session) -> OpAuthority:
    return OpAuthority(
        get_meta(session, "origin_id"),
        get_meta(session, "sync_user"),
        get_meta(session, HELD_ORIGIN_META),
        baselines(session),
    )


def forget_fresh_reference(session: Session) -> int:
    """A database that joins a store fresh holds only the reference data its own start-up
    loaded (author-less creates of SYSTEM_ENTITIES, nothing pushed, nothing received). Those
    operations are dropped from the op-log (the rows stay): the store's copies arrive with the
    first sync, and the joiner's later creates would otherwise stand as concurrent versions
    against the team's edits of that data (a care office's letterhead). Returns how many."""
    own = get_meta(session, "origin_id")
    if own is None:
        return 0
    kinds = session.execute(
        text(
            "SELECT COUNT(*), SUM(CASE WHEN author_id IS NULL AND kind = 'create' AND entity IN "
            f"({', '.join(repr(e) for e in sorted(SYSTEM_ENTITIES))}) AND pushed = 0 THEN 1 ELSE 0 "
            "END), SUM(CASE WHEN origin_id <> :o THEN 1 ELSE 0 END) FROM sync_op"
        ),
        {"o": own},
    ).one()
    total, reference, foreign = (int(k or 0) for k in kinds)
    if total == 0 or total != reference or foreign:
        return 0
    session.execute(text("DELETE FROM sync_head WHERE op_id IN (SELECT op_id FROM sync_op)"))
    session.execute(text("DELETE FROM sync_conflict"))
    session.execute(text("DELETE FROM sync_op"))
    session.execute(text("DELETE FROM sync_vv WHERE origin_id = :o"), {"o": own})
    set_meta(session, "next_seq", "1")
    return total
