"""Joining a team: the teamleider invites a colleague with a one-time passphrase; the colleague
joins with it (the keys travel wrapped in the invitation)."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from db.engine import Database
from db.errors import RuleViolation, ValidationError
from db.sync import engine, trust
from db.sync.segment import (
    canonical,
    new_signing_seed,
    public_key_b64,
    sign_document,
    unwrap_secret,
    wrap_secret,
)
from desktop.services import keys as keystore
from desktop.services.sync.model import (
    StoreStatus,
    StoreUnavailable,
)
from desktop.services.sync.store import (
    _pin,
    _pinned,
    _store_ref,
    _user,
    open_hub,
    share_errors,
    status,
)

log = logging.getLogger("desktop.services.sync")


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
    with share_errors():
        with db.read_session() as s:
            engine.check_identity(s, hub)
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
    with share_errors():
        identity = hub.read_identity()
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
