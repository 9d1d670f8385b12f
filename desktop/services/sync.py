"""Sync use cases: the shared store ("gedeelde opslag"), a sync round, status and conflicts.

The store is a folder on a file share; see db/sync/folder_hub.py. The teamleider creates it
(store identity + team key), invites colleagues with a one-time passphrase, and everyone syncs
with `sync_now`. Keys live in the OS keyring (desktop/services/keys.py).
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from common.progress import Progress, Report, as_progress, callbacks
from db.engine import Database
from db.errors import NotFound, RuleViolation, UserFacingError, ValidationError
from db.models import ENTITIES, AppUser
from db.repo import UnitOfWork
from db.sync import engine, guard, pg_hub, trust
from db.sync.folder_hub import FolderHub, HubError
from db.sync.models import HEAD_FIELDS_SQL
from db.sync.oplog import OUTBOX, decode_value, get_meta, hlc_parse, set_meta
from db.sync.outbox import record_op
from db.sync.pg_hub import is_server_url
from db.sync.segment import (
    Keys,
    canonical,
    key_id,
    new_signing_seed,
    new_team_key,
    public_key_b64,
    sign_document,
    unwrap_secret,
    wrap_secret,
)
from desktop.services import keys as keystore

log = logging.getLogger(__name__)


class StoreUnavailable(UserFacingError):
    """The shared store cannot be used now (offline, foreign, not configured)."""


ENTITY_LABELS = {
    "theme_assessment": "Themabeoordeling",
    "site_visit": "Locatiebezoek",
    "follow_up_action": "Vervolgactie",
    "diagnosis_note": "Diagnosenotitie",
    "quality_plan": "Kwaliteitsplan",
    "plan_assessment": "Planbeoordeling",
    "budget_request": "Budgetaanvraag",
    "deviation_request": "Afwijkingsverzoek",
    "criterion_judgement": "Criteriumoordeel",
    "review_event": "Beoordelingsstap",
    "letter": "Brief",
    "provider": "Zorgaanbieder",
    "location": "Locatie",
    "app_user": "Gebruiker",
    "region": "Regio",
    "care_office": "Zorgkantoor",
    "custom_criterion": "Eigen toetspunt",
    "document": "Stuk",
    "decision_target": "Doelthema's van een besluit",
    "custom_agreement": "Maatwerkafspraak",
    "agreement_check": "Toets van een maatwerkafspraak",
    "intervention": "Interventie",
    "advance_adjustment": "Aanpassing voorschot",
    "realisation_report": "Realisatieopgave",
    "reallocation_round": "Herschikkingsronde",
    "reallocation_proposal": "Herschikkingsvoorstel",
    "final_settlement": "Nacalculatie",
}


@dataclass(frozen=True)
class StoreStatus:
    configured: bool
    store_path: str
    hub_id: str
    user_id: str
    last_sync: str  # ISO UTC or ""
    pending_ops: int
    conflicts: int
    quarantined: int
    held: int = 0  # own changes kept local because the team would refuse them


@dataclass(frozen=True)
class SyncSummary:
    pushed: int
    pulled: int
    conflicts: int
    quarantined: int
    quarantined_total: int
    waiting: int
    skipped: int
    fork: bool
    problems: tuple[str, ...]
    cancelled: bool
    seconds: float
    from_snapshot: int = 0
    held: tuple[str, ...] = ()  # own changes kept local, with what to do (Dutch)
    refused_ops: int = 0  # colleagues' operations refused op by op
    waiting_detail: tuple[dict[str, Any], ...] = ()  # per origin: what waits and why
    republished: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "held": list(self.held),
            "refused_ops": self.refused_ops,
            "waiting_detail": list(self.waiting_detail),
            "republished": self.republished,
            "from_snapshot": self.from_snapshot,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "quarantined_total": self.quarantined_total,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "fork": self.fork,
            "problems": list(self.problems),
            "cancelled": self.cancelled,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class ConflictVersion:
    op_id: str
    value: Any
    text: str
    author: str
    at: datetime | None
    shown: bool  # the version currently shown (the deterministic winner)


@dataclass(frozen=True)
class ConflictInfo:
    kind: str  # field / edit_delete / unapplied
    entity: str
    entity_id: str
    field: str
    entity_label: str
    versions: tuple[ConflictVersion, ...]
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.entity}:{self.entity_id}:{self.field}"


# -- store setup ------------------------------------------------------------------------------
def review_facts(db: Database, team_keys: dict[str, bytes]) -> pg_hub.ReviewFactSource:
    """The review facts a team server needs with each push, with the editors of each subject
    by the vier-ogen rule's one home (desktop.services.review.editors_of)."""
    from desktop.services.review import editors_of

    return pg_hub.ReviewFactSource(db, team_keys, editors_of=editors_of)


def open_hub(
    store: str | Path,
    *,
    db: Database | None = None,
    team_keys: dict[str, bytes] | None = None,
    password: str | None = None,
) -> FolderHub | pg_hub.PostgresHub:
    """The hub for a folder path or a `postgresql://` URL; with `db` and `team_keys` a team
    server also receives the review facts of what this replica pushes."""
    facts = review_facts(db, team_keys) if db is not None and team_keys else None
    return pg_hub.open_hub(store, facts=facts, password=password)


def _user(db: Database, user_id: str) -> AppUser:
    with db.read_session() as s:
        user = s.get(AppUser, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(f"Gebruiker {user_id} bestaat niet in deze database.")
    return user


def find_user(db: Database, who: str) -> str:
    """A user id from an id, initials or exact name (for the command line)."""
    with db.read_session() as s:
        for u in s.exec(select(AppUser)).all():
            if u.deleted_at is None and who in (u.id, u.initials, u.name):
                return u.id
    raise NotFound(f"Geen gebruiker '{who}' gevonden (gebruik id, initialen of volledige naam).")


def team_users(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every colleague, for choosing whom to invite."""
    with db.read_session() as s:
        return sorted(
            ((u.id, u.name) for u in s.exec(select(AppUser)).all() if u.deleted_at is None),
            key=lambda t: t[1],
        )


def _pinned(db: Database) -> dict[str, str | None]:
    with db.read_session() as s:
        return {k: get_meta(s, k) for k in ("hub_id", "hub_owner_key", "store_path", "sync_user")}


def _store_ref(store: Path | str) -> str:
    """A folder path (expanded) or a `postgresql://` team-server URL, kept as text."""
    if is_server_url(store):
        return str(store).strip()
    return str(Path(store).expanduser())


def _pin(db: Database, identity: dict[str, Any], store: str, user_id: str) -> None:
    with db.write_session() as s, s.begin():
        current = get_meta(s, "hub_id")
        if current and current != identity["hub_id"]:
            raise RuleViolation(
                "Deze database synchroniseert al met een andere gedeelde opslag. "
                "Er is niets gewijzigd."
            )
        set_meta(s, "hub_id", identity["hub_id"])
        set_meta(s, "hub_owner_key", identity["owner"]["public_key"])
        set_meta(s, "store_path", str(store))
        set_meta(s, "sync_user", user_id)


def create_store(db: Database, store: Path | str, user_id: str) -> StoreStatus:
    """Teamleider: make a new shared store in an empty folder, with a new team key."""
    store = Path(store).expanduser()
    user = _user(db, user_id)
    if "TEAM_LEAD" not in (user.roles or []):
        raise RuleViolation("Alleen een teamleider kan een gedeelde opslag aanmaken.")
    if store.exists() and any(store.iterdir()):
        raise ValidationError(
            "store",
            f"De map {store} is niet leeg. Kies een lege map voor een nieuwe gedeelde opslag.",
        )
    if _pinned(db)["hub_id"]:
        raise RuleViolation("Deze database synchroniseert al met een gedeelde opslag.")
    keystore.require_backend()
    team_key, seed = new_team_key(), new_signing_seed()
    pub = public_key_b64(seed)
    identity = sign_document(
        {
            "format": engine.FORMAT,
            "hub_id": str(uuid.uuid4()),
            "min_app_version": engine.APP_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "team_key_id": key_id(team_key),
            # No names on the share: a stolen store reveals nothing but random ids.
            "owner": {"user_id": user.id, "public_key": pub},
            "members": [{"user_id": user.id, "public_key": pub}],
        },
        seed,
    )
    keystore.store_team_key(identity["hub_id"], team_key)
    keystore.store_signing_seed(user.id, seed)
    hub = FolderHub(store)
    try:
        hub.create(identity)
        grants = _initial_grants(db, hub, identity, seed)
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    except OSError as exc:
        raise StoreUnavailable(
            f"De map {store} kan niet worden aangemaakt ({exc.strerror})."
        ) from exc
    _pin(db, identity, str(store), user.id)
    with db.write_session() as s, s.begin():
        trust.store_roles(
            s, trust.derive_roles(identity, engine.roster_of(identity, grants), grants)
        )
        # History before the store: published as the owner's baseline (db/sync/trust.py).
        own = get_meta(s, "origin_id")
        last = int(get_meta(s, "next_seq") or 1) - 1
        if own and last > 0:
            trust.add_baseline(s, own, last)
    _set_public_key(db, user.id, pub)
    return status(db)


def _initial_grants(
    db: Database, hub: Any, identity: dict[str, Any], seed: bytes
) -> list[dict[str, Any]]:
    """Creating a store turns the local users' profile roles into grants signed by the
    owner (before a store exists the local profile decides)."""
    owner = identity["owner"]["user_id"]
    docs = []
    with db.read_session() as s:
        users = [
            (u.id, list(u.roles or []))
            for u in s.exec(select(AppUser)).all()
            if u.deleted_at is None
        ]
    for uid, roles in users:
        for role in roles:
            if role in trust.ROLES and not (uid == owner and role == trust.TEAM_LEAD):
                doc = trust.grant_document(identity["hub_id"], uid, role, "grant", 1, owner, seed)
                hub.put_file(trust.grant_name(doc), canonical(doc))
                docs.append(doc)
    return docs


def _set_public_key(db: Database, user_id: str, pub: str) -> None:
    with UnitOfWork(db, user_id) as uow:
        user = uow.get(AppUser, user_id)
        if user is not None and user.signing_public_key != pub:
            uow.update(user, signing_public_key=pub)


def invite_member(db: Database, invitee_id: str, passphrase: str, actor_id: str) -> str:
    """Teamleider: add a colleague to the roster and leave a one-time invitation in the store,
    readable only with `passphrase` (give it to the colleague in person or by phone)."""
    if len(passphrase) < 8:
        raise ValidationError("passphrase", "Kies een wachtzin van minstens 8 tekens.")
    pinned = _pinned(db)
    if not pinned["hub_id"]:
        raise StoreUnavailable("Deze database is nog niet aan een gedeelde opslag gekoppeld.")
    invitee = _user(db, invitee_id)
    owner_seed = keystore.signing_seed(actor_id)
    if owner_seed is None or public_key_b64(owner_seed) != pinned["hub_owner_key"]:
        raise RuleViolation(
            "Alleen de teamleider die de gedeelde opslag heeft aangemaakt kan collega's uitnodigen."
        )
    hub = open_hub(str(pinned["store_path"]))
    try:
        with db.read_session() as s:
            engine.check_identity(s, hub)
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    hub_id = str(pinned["hub_id"])
    team = keystore.team_keys(hub_id)
    seed = new_signing_seed()
    pub = public_key_b64(seed)
    roster_doc = sign_document(
        {"hub_id": hub_id, "user_id": invitee.id, "public_key": pub}, owner_seed
    )
    invite_id = uuid.uuid4().hex
    secret = {
        "hub_id": hub_id,
        "user_id": invitee.id,
        "team_keys": {k: base64.b64encode(v).decode() for k, v in team.items()},
        "seed": base64.b64encode(seed).decode(),
    }
    envelope = wrap_secret(secret, passphrase, f"{hub_id}/{invite_id}".encode())
    envelope["invite_id"] = invite_id
    # The invitee's profile roles as the teamleider sees them become signed grants.
    with db.read_session() as s:
        state = trust.team_state(s) or {"roles": {}, "versions": {}}
    grants = [
        trust.grant_document(
            hub_id,
            invitee.id,
            role,
            "grant",
            int(state["versions"].get(f"{invitee.id}|{role}", 0)) + 1,
            actor_id,
            owner_seed,
        )
        for role in (invitee.roles or [])
        if role in trust.ROLES and role not in state["roles"].get(invitee.id, [])
    ]
    try:
        hub.put_file(
            f"roster/{invitee.id}-{invite_id[:8]}.json",
            json.dumps(roster_doc, indent=2, sort_keys=True).encode(),
        )
        for doc in grants:
            hub.put_file(trust.grant_name(doc), canonical(doc))
        hub.put_file(f"invites/{invite_id}.inv", canonical(envelope))
    except OSError as exc:
        raise StoreUnavailable(
            f"De uitnodiging kon niet worden geschreven ({exc.strerror})."
        ) from exc
    return invite_id


def join_store(db: Database, store: Path | str, passphrase: str) -> StoreStatus:
    """Colleague: join the store with the one-time passphrase of an invitation."""
    store = _store_ref(store)
    hub = open_hub(store)
    try:
        identity = hub.read_identity()
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    keystore.require_backend()
    hub_id = identity["hub_id"]
    documents = hub.invite_documents()
    # An invitation is one-time: joining leaves a marker `invites/<id>.used.inv` (write-once,
    # like everything in the store; listed with the invitations by both hubs).
    used = {str(doc.get("used_invite_id")) for _n, doc in documents if doc.get("used_invite_id")}
    for _name, envelope in documents:
        if envelope.get("used_invite_id"):
            continue
        invite_id = str(envelope.get("invite_id", ""))
        secret = unwrap_secret(envelope, passphrase, f"{hub_id}/{invite_id}".encode())
        if secret is None or secret.get("hub_id") != hub_id:
            continue
        if invite_id in used:
            raise ValidationError(
                "passphrase",
                "Deze uitnodiging is al gebruikt: een uitnodiging "
                "geldt voor één keer aansluiten. Vraag uw teamleider "
                "om een nieuwe uitnodiging.",
            )
        for raw in secret["team_keys"].values():
            keystore.store_team_key(hub_id, base64.b64decode(raw))
        keystore.store_signing_seed(secret["user_id"], base64.b64decode(secret["seed"]))
        _pin(db, identity, store, secret["user_id"])
        with db.write_session() as s, s.begin():
            trust.forget_fresh_reference(s)
        try:
            hub.put_file(
                f"invites/{invite_id}.used.inv",
                canonical(
                    {
                        "used_invite_id": invite_id,
                        "user_id": secret["user_id"],
                        "at": datetime.now(UTC).isoformat(timespec="seconds"),
                    }
                ),
            )
        except OSError as exc:  # joined all the same; the marker is a guard (FileExistsError too)
            log.warning("could not mark invitation %s as used: %s", invite_id, exc)
        return status(db)
    raise ValidationError(
        "passphrase",
        "Geen uitnodiging in deze gedeelde opslag past bij deze "
        "wachtzin. Controleer de wachtzin of vraag een nieuwe "
        "uitnodiging.",
    )


def choose_store(db: Database, store: Path | str) -> StoreStatus:
    """Point this database at the same store in another place (a new drive letter): allowed
    only when the folder holds the very store this database is pinned to."""
    store = _store_ref(store)
    pinned = _pinned(db)
    try:
        identity = open_hub(store).read_identity()
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    if identity.get("hub_id") != pinned["hub_id"]:
        raise StoreUnavailable(
            f"De map {store} bevat een andere gedeelde opslag. Er is niets gewijzigd."
        )
    with db.write_session() as s, s.begin():
        set_meta(s, "store_path", store)
    return status(db)


def load_keys(db: Database) -> Keys:
    pinned = _pinned(db)
    hub_id, user_id = pinned["hub_id"], pinned["sync_user"]
    if not hub_id or not user_id:
        raise StoreUnavailable(
            "Deze database is nog niet aan een gedeelde opslag gekoppeld. "
            "Kies 'Gedeelde opslag' om een opslag te maken of aan te sluiten."
        )
    team = keystore.team_keys(hub_id)
    seed = keystore.signing_seed(user_id)
    if not team or seed is None:
        raise keystore.KeyMissing(
            "De sleutels voor de gedeelde opslag staan niet in de "
            "sleutelbos van deze computer. Sluit opnieuw aan met een "
            "uitnodiging van uw teamleider."
        )
    hub_key = None
    try:
        hub_key = open_hub(str(pinned["store_path"])).read_identity().get("team_key_id")
    except HubError:
        hub_key = None
    current = hub_key if hub_key in team else sorted(team)[0]
    return Keys(team_keys=team, current_key_id=current, user_id=user_id, signing_seed=seed)


# -- sync -------------------------------------------------------------------------------------
def sync_now(
    db: Database,
    store: Path | str | None = None,
    progress: Progress | Report | None = None,
    cancelled: Callable[[], bool] | None = None,
    hub: Any = None,
) -> SyncSummary:
    """One sync round with the shared store: a folder, or a team server (`postgresql://`).
    `progress`: a common.progress.Progress (or the older `(done, total, text)` callback with
    `cancelled()`); cancelling stops between segments."""
    report_to, is_cancelled = callbacks(as_progress(progress, cancelled))
    pinned = _pinned(db)
    if not pinned["store_path"] and store is None:
        raise StoreUnavailable("Er is nog geen gedeelde opslag gekozen.")
    ref = _store_ref(store) if store else str(pinned["store_path"])
    keys = load_keys(db)
    try:
        if hub is None:
            hub = open_hub(ref, db=db, team_keys=keys.team_keys)
        from desktop.services.review import push_judge

        report = engine.sync(db, hub, keys, report_to, is_cancelled, judge=push_judge)
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    return SyncSummary(
        held=tuple(report.held),
        refused_ops=report.refused_ops,
        waiting_detail=tuple(report.waiting_detail),
        republished=report.republished,
        pushed=report.pushed_ops,
        pulled=report.pulled_ops,
        conflicts=report.conflicts,
        quarantined=report.quarantined,
        quarantined_total=report.quarantined_total,
        waiting=report.waiting,
        skipped=report.skipped,
        fork=report.fork,
        problems=tuple(report.problems),
        cancelled=report.cancelled,
        seconds=round(report.seconds, 3),
        from_snapshot=report.from_snapshot,
    )


def make_snapshot(db: Database) -> str | None:
    """Bundle the segments this database knows into one snapshot file (for joining)."""
    pinned = _pinned(db)
    if not pinned["store_path"]:
        raise StoreUnavailable("Er is nog geen gedeelde opslag gekozen.")
    hub = open_hub(str(pinned["store_path"]))
    try:
        with db.read_session() as s:
            engine.check_identity(s, hub)
        return engine.put_snapshot(db, hub, load_keys(db))
    except HubError as exc:
        raise StoreUnavailable(exc.message) from exc
    except OSError as exc:
        raise StoreUnavailable(
            f"De momentopname kon niet worden geschreven ({exc.strerror})."
        ) from exc


def status(db: Database) -> StoreStatus:
    with db.read_session() as s:
        meta = {k: get_meta(s, k) or "" for k in ("hub_id", "store_path", "sync_user", "last_sync")}
        own = get_meta(s, "origin_id") or ""
        pending = s.execute(
            text(f"SELECT COUNT(*) FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0"), {"o": own}
        ).scalar_one()
        conflicts = engine.count_conflicts(s)
        quarantined = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status = 'quarantined'")
        ).scalar_one()
        held = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status IN ('held', 'refused_server')")
        ).scalar_one()
    return StoreStatus(
        bool(meta["hub_id"]),
        meta["store_path"],
        meta["hub_id"],
        meta["sync_user"],
        meta["last_sync"],
        int(pending),
        int(conflicts),
        int(quarantined),
        int(held),
    )


def quarantine_report(db: Database) -> list[tuple[str, str, str]]:
    """(file name, reason, first seen) of every quarantined file; the files stay in place."""
    with db.read_session() as s:
        return [
            (r[0], r[1], r[2])
            for r in s.execute(
                text(
                    "SELECT name, reason, at FROM sync_segment WHERE status = 'quarantined' ORDER BY name"
                )
            )
        ]


# -- conflicts --------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def list_conflicts(db: Database) -> list[ConflictInfo]:
    out: list[ConflictInfo] = []
    with db.read_session() as s:
        names = {r[0]: r[1] for r in s.execute(text("SELECT id, name FROM app_user"))}
        keys = s.execute(text(engine.CONFLICT_SQL)).all()
        for ent, rid, field in keys:
            rows = s.execute(
                text(
                    f"SELECT op_id, hlc, value, author_id FROM ({HEAD_FIELDS_SQL}) WHERE entity = :e "
                    "AND entity_id = :i AND field = :f ORDER BY hlc DESC, op_id DESC"
                ),
                {"e": ent, "i": rid, "f": field},
            ).all()
            versions = []
            for n, (op, hlc, raw, author) in enumerate(rows):
                value = decode_value(json.loads(raw))
                ms, _ = hlc_parse(hlc)
                versions.append(
                    ConflictVersion(
                        op,
                        value,
                        _text(value),
                        names.get(author, "?"),
                        datetime.fromtimestamp(ms / 1000, UTC),
                        n == 0,
                    )
                )
            out.append(
                ConflictInfo("field", ent, rid, field, ENTITY_LABELS.get(ent, ent), tuple(versions))
            )
        for ent, rid, kind, detail in s.execute(
            text("SELECT entity, entity_id, kind, detail FROM sync_flag ORDER BY entity, entity_id")
        ):
            out.append(
                ConflictInfo(
                    kind,
                    ent,
                    rid,
                    "deleted_at" if kind == "edit_delete" else "",
                    ENTITY_LABELS.get(ent, ent),
                    (),
                    detail,
                )
            )
    return out


def resolve_field(
    db: Database, actor_id: str | None, entity: str, entity_id: str, field: str, value: Any
) -> None:
    """Resolve a field conflict with the chosen or merged value; supersedes every version."""
    cls = ENTITIES.get(entity)
    if cls is None or field not in {c.name for c in cls.__table__.columns}:  # type: ignore[attr-defined]
        raise ValidationError("field", "Onbekend veld.")
    with UnitOfWork(db, actor_id) as uow:
        obj = uow.get(cls, entity_id)
        if obj is None:
            raise NotFound("Het record bestaat niet meer.")
        now = datetime.now(UTC)
        record_op(
            uow.session,
            entity=entity,
            entity_id=entity_id,
            kind="update",
            payload={field: value, "updated_at": now},
            author_id=actor_id,
            resolve=True,
        )


def resolve_edit_delete(
    db: Database, actor_id: str | None, entity: str, entity_id: str, keep: bool
) -> None:
    """An edit made while someone else deleted the record: keep it (restore) or delete it."""
    cls = ENTITIES.get(entity)
    if cls is None:
        raise ValidationError("entity", "Onbekend soort gegevens.")
    with UnitOfWork(db, actor_id) as uow:
        obj = uow.get(cls, entity_id)
        if obj is None:
            raise NotFound("Het record bestaat niet meer.")
        now = datetime.now(UTC)
        if keep:
            record_op(
                uow.session,
                entity=entity,
                entity_id=entity_id,
                kind="update",
                payload={"deleted_at": None, "updated_at": now},
                author_id=actor_id,
                resolve=True,
            )
        else:
            record_op(
                uow.session,
                entity=entity,
                entity_id=entity_id,
                kind="delete",
                payload={"deleted_at": now, "updated_at": now},
                author_id=actor_id,
            )


def held_changes(db: Database) -> list[dict[str, Any]]:
    """This laptop's changes that stay local because the team would refuse them."""
    with db.read_session() as s:
        return guard.held_report(s)


@dataclass(frozen=True)
class HeldChange:
    """One of this laptop's changes that the team would refuse, in Dutch (issue 13)."""

    op_id: str
    what: str
    reason: str
    advice: str
    since: str
    can_withdraw: bool


_SUBJECT_LABELS = {
    "provider": "zorgaanbieder",
    "budget_request": "aanvraag kwaliteitsbudget",
    "herschikking_round": "herschikking",
    "quality_plan": "kwaliteitsplan",
}


def held_overview(db: Database) -> list[HeldChange]:
    """This laptop's held changes described for their author: what, why, what to do."""
    from db.models.enums import ReviewKind

    out = []
    for h in held_changes(db):
        p = h["payload"] or {}
        review_step = h["entity"] == "review_event"
        if review_step:
            kind = str(p.get("kind", ""))
            label = ReviewKind(kind).label if kind in ReviewKind.__members__ else "Beoordelingsstap"
            subject = _SUBJECT_LABELS.get(str(p.get("subject_type", "")), "dossier")
            what = f"Beoordelingsstap '{label}' ({subject})"
        else:
            fields = ", ".join(sorted(k for k in p if k not in ("created_at", "updated_at")))
            what = f"Wijziging van {h['entity']}" + (f" ({fields})" if fields else "")
        if h["status"] == "refused_server":
            advice = (
                "De teamserver weigert deze stap definitief; uw andere wijzigingen gaan gewoon mee."
            )
        elif review_step and "naam van een ander" in str(h["reason"]):
            advice = (
                "Deze stap staat op naam van een ander dan wie op deze laptop ondertekent "
                "en telt nergens mee. Trek hem in."
            )
        elif review_step:
            advice = guard.ROLE_ADVICE
        else:
            advice = guard.AUTHOR_ADVICE
        out.append(
            HeldChange(h["op_id"], what, h["reason"], advice, _since(str(h["at"])), review_step)
        )
    return out


def _since(at: str) -> str:
    """`6 december 2026, 18:31` (Dutch time) from a stored UTC timestamp."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from desktop.services.formatting import long_date

    try:
        t = datetime.fromisoformat(at).astimezone(ZoneInfo("Europe/Amsterdam"))
    except ValueError:
        return at
    return f"{long_date(t.date())}, {t:%H:%M}"


def withdraw_held(db: Database, op_id: str, by: str) -> None:
    """The author withdraws a held review step: it is never pushed nor re-checked, and stays
    in this laptop's history as withdrawn (it never counted for anything). Recorded in
    `sync_segment` (status `withdrawn`, who and when) and in the log."""
    from db.sync import trust

    name = f"held#{op_id}"
    with db.write_session() as s, s.begin():
        row = s.execute(
            text("SELECT status, reason, origin_id, first_seq FROM sync_segment WHERE name = :n"),
            {"n": name},
        ).first()
        if row is None or row[0] not in ("held", "refused_server"):
            raise NotFound("Deze tegengehouden wijziging bestaat niet (meer).")
        signer = get_meta(s, "sync_user")
        if signer and signer != by:
            raise RuleViolation("Alleen degene die deze wijziging maakte kan haar intrekken.")
        entity = s.execute(
            text("SELECT entity FROM sync_op WHERE op_id = :o"), {"o": op_id}
        ).scalar()
        if entity != "review_event":
            raise RuleViolation(
                "Alleen een tegengehouden beoordelingsstap kan worden ingetrokken. "
                "Leg deze wijziging opnieuw vast onder uw eigen naam."
            )
        who = s.execute(text("SELECT name FROM app_user WHERE id = :i"), {"i": by}).scalar() or by
        trust.record_status(
            s, name, row[2], row[3], "withdrawn", f"ingetrokken door {who}; was: {row[1]}"
        )
    log.info("held op %s withdrawn by %s", op_id, by)
