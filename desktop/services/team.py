"""The team: who belongs to it with which roles, granted and revoked by a teamleider.

Before a store exists the local profile decides (a teamleider sets a colleague's roles on
this laptop). Once the database syncs with a store, roles are signed grant documents in the
store (db/sync/trust.py): a teamleider signs a grant or revocation with her own key, every
replica derives the roles from the valid grants only. *Extra › Team…* and the CLI
`team list|grant|revoke` use this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import AppUser
from db.models.enums import Role
from db.repo import UnitOfWork
from db.sync import engine, trust
from db.sync.folder_hub import HubError
from db.sync.oplog import get_meta
from db.sync.segment import canonical
from desktop.services.guards import live


@dataclass(frozen=True)
class GrantStep:
    role: str
    role_label: str
    action: str  # grant / revoke
    by_id: str
    by_name: str
    at: str  # ISO UTC
    refused: str  # Dutch reason when the document does not count


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str
    initials: str
    roles: tuple[str, ...]
    owner: bool
    history: tuple[GrantStep, ...]

    @property
    def roles_label(self) -> str:
        return ", ".join(Role(r).label for r in self.roles) or "geen rol"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.user_id,
            "name": self.name,
            "initials": self.initials,
            "roles": list(self.roles),
            "owner": self.owner,
            "grants": [
                {
                    "role": g.role,
                    "action": g.action,
                    "by": g.by_name,
                    "by_id": g.by_id,
                    "at": g.at,
                    "refused": g.refused,
                }
                for g in self.history
            ],
        }


def _label(role: str) -> str:
    return Role(role).label if role in Role.__members__ else role


def members(db: Database) -> list[Member]:
    """Everyone on this laptop's colleague list, with the roles that count and the grants."""
    with db.read_session() as s:
        users = [
            u for u in s.exec(select(AppUser).order_by(AppUser.name)).all() if u.deleted_at is None
        ]
        state = trust.team_state(s)
        pinned = get_meta(s, "hub_id")
        owner_key = get_meta(s, "hub_owner_key")
        names = {u.id: u.name for u in users}
        out = []
        for u in users:
            roles = tuple(trust.effective_roles(s, u.id, u.roles))
            history = tuple(
                GrantStep(
                    g["role"],
                    _label(g["role"]),
                    g["action"],
                    g["by"],
                    names.get(g["by"], g["by"]),
                    g["at"],
                    g["refused"],
                )
                for g in (state or {}).get("log", [])
                if g["member"] == u.id
            )
            owner = bool(pinned) and bool(owner_key) and u.signing_public_key == owner_key
            out.append(Member(u.id, u.name, u.initials, roles, owner, history))
    return out


def _check_role(role: str) -> str:
    role = (role or "").strip().upper()
    if role not in trust.ROLES:
        raise ValidationError(
            "role", f"Onbekende rol '{role}'. Kies uit: " + ", ".join(trust.ROLES) + "."
        )
    return role


def grant(db: Database, actor_id: str, member_id: str, role: str) -> Member:
    return _change(db, actor_id, member_id, _check_role(role), "grant")


def revoke(db: Database, actor_id: str, member_id: str, role: str) -> Member:
    return _change(db, actor_id, member_id, _check_role(role), "revoke")


def _change(db: Database, actor_id: str, member_id: str, role: str, action: str) -> Member:
    from desktop.services import keys as keystore
    from desktop.services.review import has_role
    from desktop.services.sync import StoreUnavailable, load_keys

    with db.read_session() as s:
        live(s, AppUser, member_id, "Deze collega bestaat niet in deze database.")
        if not has_role(s, actor_id, Role.TEAM_LEAD):
            raise RuleViolation("Alleen een teamleider kan rollen toekennen of intrekken.")
        pinned = get_meta(s, "hub_id")
        store = get_meta(s, "store_path")
        state = trust.team_state(s) or {"roles": {}, "versions": {}}
    if not pinned:
        # Before a store exists the local profile decides.
        with UnitOfWork(db, actor_id) as uow:
            user = uow.get(AppUser, member_id)
            if user is None:
                raise NotFound("Deze collega bestaat niet in deze database.")
            roles = [r for r in (user.roles or []) if r != role]
            if action == "grant":
                roles.append(role)
            uow.update(user, roles=sorted(roles))
        return _member(db, member_id)
    seed = keystore.signing_seed(actor_id)
    if seed is None:
        raise RuleViolation(
            "Uw ondertekensleutel staat niet op deze computer: u kunt hier geen rollen toekennen."
        )
    has = role in state["roles"].get(member_id, [])
    if has == (action == "grant"):
        return _member(db, member_id)
    version = int(state["versions"].get(f"{member_id}|{role}", 0)) + 1
    doc = trust.grant_document(str(pinned), member_id, role, action, version, actor_id, seed)
    from desktop.services.sync import open_hub

    keys = load_keys(db)
    hub = open_hub(str(store), db=db, team_keys=keys.team_keys)
    try:
        with db.read_session() as s:
            engine.check_identity(s, hub)
        hub.put_file(trust.grant_name(doc), canonical(doc))
        refresh(db, hub)
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    except OSError as exc:
        raise StoreUnavailable(f"De toekenning kon niet worden opgeslagen ({exc}).") from exc
    with db.read_session() as s:
        if (role in trust.effective_roles(s, member_id, [])) != (action == "grant"):
            raise RuleViolation(
                "De gedeelde opslag telt deze toekenning niet (is uw sleutel "
                "wel die van een teamleider in dit team?)."
            )
    return _member(db, member_id)


def refresh(db: Database, hub: object) -> None:
    """Read the grants from the store and keep the derived roles."""
    with db.read_session() as s:
        engine.check_identity(s, hub)  # type: ignore[arg-type]
        team = s.info.pop("kd_team", None)
    engine.save_team(db, team)


def _member(db: Database, member_id: str) -> Member:
    for m in members(db):
        if m.user_id == member_id:
            return m
    raise NotFound("Deze collega bestaat niet in deze database.")


def when(at: str) -> str:
    """'23 november 2026 14:05' (local time) for the ISO UTC time of a grant."""
    from desktop.services.formatting import long_date

    try:
        t = datetime.fromisoformat(at).astimezone()
    except ValueError:
        return at
    return f"{long_date(t.date())} {t:%H:%M}"
