"""Colleagues and the profile of the person using this laptop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import AppUser, LocalSetting
from db.models.enums import Role
from db.repo import UnitOfWork
from db.sync import trust
from desktop.services.guards import live
from desktop.services.validation import required_text

CURRENT_USER_KEY = "current_user_id"


@dataclass(frozen=True)
class UserInfo:
    id: str
    name: str
    initials: str
    function_title: str
    roles: tuple[str, ...]
    email: str = ""

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    @property
    def roles_label(self) -> str:
        return ", ".join(Role(r).label for r in self.roles)


def _info(u: AppUser, session: Session | None = None) -> UserInfo:
    """Roles as the team grants them (db.sync.trust.effective_roles): the local profile
    before a store exists, the signed grants afterwards."""
    roles = trust.effective_roles(session, u.id, u.roles) if session is not None else u.roles
    return UserInfo(u.id, u.name, u.initials, u.function_title, tuple(roles), u.email)


def create_user(
    db: Database,
    *,
    name: str,
    initials: str,
    roles: list[str] | tuple[str, ...],
    function_title: str = "",
    email: str = "",
    actor_id: str | None = None,
) -> UserInfo:
    name = required_text(name, "name", "Naam", 200)
    initials = required_text(initials, "initials", "Initialen", 10)
    if not roles:
        raise ValidationError("roles", "Kies minstens één rol.")
    for r in roles:
        if r not in Role.__members__:
            raise ValidationError("roles", f"Onbekende rol '{r}'.")
    if not function_title:
        function_title = Role(roles[0]).label
    with UnitOfWork(db, actor_id) as uow:
        user = uow.add(
            AppUser(
                name=name,
                initials=initials,
                roles=list(roles),
                function_title=function_title,
                email=email,
            )
        )
        if actor_id is None:
            # A profile made on first start is this laptop's user.
            _set_local(uow, CURRENT_USER_KEY, user.id)
        return _info(user, uow.session)


def _set_local(
    uow: UnitOfWork, key: str, value: dict[str, Any] | list[Any] | str | int | float | None
) -> None:
    # Local (never synced) settings are not records: written directly, same transaction.
    row = uow.session.get(LocalSetting, key)
    if row is None:
        row = LocalSetting(key=key, value=value)
    else:
        row.value = value
    uow.session.add(row)


def set_current_user(db: Database, user_id: str) -> None:
    with UnitOfWork(db, user_id) as uow:
        if uow.get(AppUser, user_id) is None:
            raise NotFound("Deze gebruiker bestaat niet.")
        _set_local(uow, CURRENT_USER_KEY, user_id)


def current_user(db: Database) -> UserInfo | None:
    with db.read_session() as s:
        row = s.get(LocalSetting, CURRENT_USER_KEY)
        if row is None or not row.value:
            return None
        user = s.get(AppUser, row.value)
        return _info(user, s) if user else None


def get_user(db: Database, user_id: str) -> UserInfo:
    with db.read_session() as s:
        return user_in(s, user_id)


def user_in(s: Session, user_id: str) -> UserInfo:
    """`get_user` inside the caller's session."""
    user = s.get(AppUser, user_id)
    if user is None:
        raise NotFound("Deze gebruiker bestaat niet.")
    return _info(user, s)


def find_user(db: Database, ref: str) -> UserInfo:
    """By id, initials or exact name (case-insensitive): for the CLI's `--as USER`."""
    with db.read_session() as s:
        users = s.exec(select(AppUser).where(AppUser.deleted_at == None)).all()  # noqa: E711
        ref_f = ref.strip().casefold()
        for u in users:
            if u.id == ref or u.initials.casefold() == ref_f or u.name.casefold() == ref_f:
                return _info(u, s)
    raise NotFound(f"Gebruiker '{ref}' bestaat niet in deze database.")


def list_users(db: Database) -> list[UserInfo]:
    with db.read_session() as s:
        users = s.exec(
            select(AppUser).where(AppUser.deleted_at == None).order_by(AppUser.name)  # noqa: E711
        ).all()
        return [_info(u, s) for u in users]


def update_profile(
    db: Database, user_id: str, *, name: str, initials: str, function_title: str = ""
) -> UserInfo:
    """*Extra › Mijn profiel*: the current user edits her own name, initials and function.
    Never roles: those are granted by a teamleider (desktop.services.team)."""
    name = required_text(name, "name", "Naam", 200)
    initials = required_text(initials, "initials", "Initialen", 10)
    current = current_user(db)
    if current is None or current.id != user_id:
        raise ValidationError("name", "U kunt alleen uw eigen profiel wijzigen.")
    with UnitOfWork(db, user_id) as uow:
        user = uow.get(AppUser, user_id)
        if user is None:
            raise NotFound("Deze gebruiker bestaat niet.")
        uow.update(
            user, name=name, initials=initials, function_title=(function_title or "").strip()[:100]
        )
        return _info(user, uow.session)


# -- Bestand › Gebruiker wisselen (issue 13) --------------------------------------------------
@dataclass(frozen=True)
class SwitchChoice:
    """One colleague in the switch-user list: her granted roles and whether this database
    can be used as her (`why_not`: Dutch reason when not)."""

    user: UserInfo
    current: bool
    allowed: bool
    why_not: str = ""


def _signer(s: Session) -> str | None:
    """The user whose key signs every operation of this database once it is pinned to a
    shared store (db.sync.trust.OpAuthority): the only person this database can act as."""
    from db.sync.oplog import get_meta

    return get_meta(s, "sync_user") if get_meta(s, "hub_id") else None


def _why_not(signer: AppUser | None, target: AppUser) -> str:
    who = signer.name if signer is not None else "een collega"
    return (
        f"Deze database is gekoppeld aan de gedeelde opslag en ondertekent alles met de "
        f"sleutel van {who}: wat hier wordt vastgelegd, telt als werk van {who}. "
        f"{target.name} werkt met een eigen sleutel: in een eigen Windows-account of op een "
        f"eigen laptop (Extra › Gedeelde opslag…, deelnemen met een uitnodiging)."
    )


def switch_choices(db: Database) -> list[SwitchChoice]:
    """The team's users with the roles the team grants them (never the roles a switch would
    claim), the current one marked, and who can be chosen on this database."""
    with db.read_session() as s:
        row = s.get(LocalSetting, CURRENT_USER_KEY)
        current = row.value if row is not None else None
        signer_id = _signer(s)
        signer = s.get(AppUser, signer_id) if signer_id else None
        users = s.exec(
            select(AppUser)
            .where(AppUser.deleted_at == None)  # noqa: E711
            .order_by(AppUser.name)
        ).all()
        out = []
        for u in users:
            allowed = signer_id is None or u.id == signer_id
            out.append(
                SwitchChoice(
                    _info(u, s), u.id == current, allowed, "" if allowed else _why_not(signer, u)
                )
            )
        return out


def switch_user(db: Database, user_id: str) -> UserInfo:
    """Make `user_id` the current user of this laptop's database. Grants no role: the roles
    are those the team grants her (the local profile before a store exists). Once the
    database is pinned to a store, only the person whose key signs it can be chosen; anything
    recorded here is signed with that key, so acting as someone else would be refused by every
    replica anyway (RuleViolation, Dutch)."""
    with db.read_session() as s:
        target = live(s, AppUser, user_id, "Deze gebruiker bestaat niet.")
        signer_id = _signer(s)
        if signer_id is not None and user_id != signer_id:
            raise RuleViolation(_why_not(s.get(AppUser, signer_id), target))
    set_current_user(db, user_id)
    return get_user(db, user_id)
