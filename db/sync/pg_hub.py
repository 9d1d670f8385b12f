"""The team server: a PostgreSQL database as the hub, a drop-in for FolderHub.

It stores exactly the bytes the file-share store holds (the signed, encrypted segments of
db/sync/segment.py, the signed store identity, roster entries and invitations), under the same
names, so a store moves between a file share and a server without re-keying
(`kwaliteitsdialoog teamserver migrate --from PATH --to postgresql://...`).

* Segments are keyed by (origin_id, first_seq, last_seq) and pushed with
  `INSERT ... ON CONFLICT DO NOTHING`: a retry after a lost acknowledgement is harmless, the
  same name with other bytes is refused (FileExistsError, exactly like the folder hub).
* Reading goes by origin and per-origin sequence number; there is no global serial a reader
  could page past while an earlier transaction is still uncommitted.
* Members may only INSERT and SELECT (roles, grants and the vier-ogen trigger live in
  db/sync/pg_schema/). Next to a segment that carries review events the client writes
  plaintext review facts (subject, version hash, actor, kind, editors of the version) in the
  same transaction; a trigger refuses an approval by the author or an editor of that version,
  by someone who is not a teamleider, or in someone else's name (the database login role is
  mapped to an app user in `hub_user`).

Connection problems become HubError (identity, listing: the sync refuses and changes nothing)
or OSError (push, read: the engine retries next time). Idempotent operations are retried once
on a fresh connection, so a server restart between two statements costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from db.sync.folder_hub import FolderHub, HubError, HubRefused, Listing, SegmentRef
from db.sync.pg_schema import LATEST, migrations

KEYRING_SERVICE = "Kwaliteitsdialoog"
URL_PREFIXES = ("postgresql://", "postgres://")
# The folder store's segment names: ops/<origin>/<first:012>-<last:012>[~attempt].seg
_NAME_RE = re.compile(r"^ops/([0-9a-f-]{36})/(\d{12})-(\d{12})(?:~(\d{1,2}))?\.seg$")
T = TypeVar("T")


def segment_name(origin: str, first: int, last: int, attempt: int = 1) -> str:
    """Same names as db.sync.folder_hub.segment_name (so stores are interchangeable)."""
    suffix = f"~{attempt}" if attempt > 1 else ""
    return f"ops/{origin}/{first:012d}-{last:012d}{suffix}.seg"


def _parse_name(name: str) -> tuple[str, int, int, int] | None:
    m = _NAME_RE.match(name)
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4) or 1)


def is_server_url(store: str | Path) -> bool:
    return isinstance(store, str) and store.strip().lower().startswith(URL_PREFIXES)


class ServerAddress(str):
    """The server address shown as a hub's `root` (FolderHub.root is a Path). Supports `/` so
    engine code that builds folder paths from `hub.root` before checking the hub type does
    not fail; such paths never exist."""

    def __truediv__(self, other: str) -> PurePosixPath:
        return PurePosixPath("/nonexistent-teamserver-path") / other


# -- connection settings ----------------------------------------------------------------------
@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    database: str
    user: str
    sslmode: str = "prefer"

    @classmethod
    def from_url(cls, url: str) -> ServerSettings:
        try:
            d = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise HubError(f"Het adres van de teamserver is ongeldig: {url}") from exc
        return cls(host=str(d.get("host") or "localhost"), port=int(d.get("port") or 5432),
                   database=str(d.get("dbname") or d.get("user") or ""),
                   user=str(d.get("user") or ""), sslmode=str(d.get("sslmode") or "prefer"))

    @property
    def url(self) -> str:
        """The address without password (safe to show and to store in settings)."""
        q = "" if self.sslmode == "prefer" else f"?sslmode={self.sslmode}"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}{q}"

    @property
    def keyring_name(self) -> str:
        return f"teamserver:{self.user}@{self.host}:{self.port}/{self.database}"


def stored_password(settings: ServerSettings) -> str | None:
    """The teamserver password from the OS keyring (never from a file)."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_name)
    except keyring.errors.KeyringError:
        return None


def store_password(settings: ServerSettings, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, settings.keyring_name, password)


def _conninfo(url: str, password: str | None, connect_timeout: int) -> str:
    d = conninfo_to_dict(url)
    if password is None and "password" not in d:
        password = stored_password(ServerSettings.from_url(url))
    if password is not None:
        d["password"] = password
    d.setdefault("connect_timeout", str(connect_timeout))
    d.setdefault("application_name", "Kwaliteitsdialoog")
    return make_conninfo("", **d)


def _unreachable(root: str, exc: Exception) -> HubError:
    detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    if "password authentication failed" in str(exc) or "no password supplied" in str(exc):
        return HubError(f"Aanmelden bij de teamserver {root} is mislukt. Controleer de "
                        "gebruikersnaam en het wachtwoord (Teamserver-instellingen).")
    return HubError(f"De teamserver {root} is niet bereikbaar ({detail}). U kunt gewoon "
                    "doorwerken; synchroniseer later opnieuw.")


# -- review facts (what the database needs to see to guard the vier-ogen rule) ---------------
@dataclass(frozen=True)
class ReviewFact:
    op_id: str
    subject_type: str
    subject_id: str
    kind: str
    actor_id: str
    content_hash: str
    origin_id: str
    origin_seq: int
    editors: frozenset[str]


FactSource = Callable[[bytes], list[ReviewFact]]


def segment_ops(data: bytes, team_keys: dict[str, bytes]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Decrypt a segment this replica can read (no roster check: used for own pushes and for
    migration by the teamleider, who verifies nothing new here)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from db.sync.segment import MAGIC, read_header, unb64

    header, hb, ct, _body = read_header(data)
    key = team_keys[header["k"]]
    plain = AESGCM(key).decrypt(unb64(header["n"]), ct, MAGIC + hb)
    return header, json.loads(zlib.decompress(plain))


EditorsOf = Callable[[Any, str, str], Iterable[str]]
"""`(session, subject_type, subject_id) -> editor ids`: who edited the subject's content, by the
vier-ogen rule (desktop.services.review.editors_of). Injected: db never imports desktop."""


class ReviewFactSource:
    """Review facts of a segment pushed from the replica `db`: the review events it carries,
    each with the editors of the subject as this replica knows them (`editors_of`, the rule's
    one home in the service layer; desktop.services.sync.review_facts builds this)."""

    def __init__(self, db: Any, team_keys: dict[str, bytes], *, editors_of: EditorsOf,
                 baseline: bool = False) -> None:
        self.db = db
        self.team_keys = team_keys
        self.editors_of = editors_of
        self.baseline = baseline  # also the owner's baseline (store-migrate imports it)

    def with_baseline(self) -> ReviewFactSource:
        return ReviewFactSource(self.db, self.team_keys, editors_of=self.editors_of,
                                baseline=True)

    def __call__(self, data: bytes) -> list[ReviewFact]:
        header, ops = segment_ops(data, self.team_keys)
        if header.get("bl") == 1 and not self.baseline:
            return []  # the owner's baseline (history before the store): judged by replicas
        out = []
        for op in ops:
            if op.get("e") != "review_event" or op.get("k") != "create":
                continue
            p = op["p"]
            st, sid = str(p.get("subject_type", "")), str(p.get("subject_id", ""))
            out.append(ReviewFact(
                op_id=op["id"], subject_type=st, subject_id=sid, kind=str(p.get("kind", "")),
                actor_id=str(p.get("actor_id") or op.get("a") or ""),
                content_hash=str(p.get("content_hash", "")), origin_id=op["o"],
                origin_seq=int(op["s"]), editors=frozenset(self.editors(st, sid))))
        return out

    def editors(self, subject_type: str, subject_id: str) -> set[str]:
        with self.db.read_session() as s:
            try:
                return set(self.editors_of(s, subject_type, subject_id))
            except Exception:  # noqa: BLE001 - unknown subject: every author of the record
                from sqlalchemy import text

                return {r[0] for r in s.execute(text(
                    "SELECT DISTINCT author_id FROM sync_op WHERE entity_id = :i AND "
                    "entity <> 'review_event' AND author_id IS NOT NULL"), {"i": subject_id})}


# -- schema -----------------------------------------------------------------------------------
def schema_version(conn: psycopg.Connection) -> int:
    exists = conn.execute("SELECT to_regclass('kd_schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM kd_schema_version").fetchone()
    return int(row[0]) if row else 0


def upgrade(url: str, password: str | None = None) -> list[str]:
    """Create or upgrade the server schema (run by the server's administrator). Each version
    in its own transaction, serialised by an advisory lock; returns the versions applied."""
    applied: list[str] = []
    try:
        conn = psycopg.connect(_conninfo(url, password, 10), autocommit=False)
    except psycopg.OperationalError as exc:
        raise _unreachable(ServerSettings.from_url(url).url, exc) from exc
    with conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(4242001)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS kd_schema_version (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
                "applied_by name NOT NULL DEFAULT session_user)")
            conn.execute("GRANT SELECT ON kd_schema_version TO PUBLIC")
        for version, name, text_ in migrations():
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(4242001)")
                if conn.execute("SELECT 1 FROM kd_schema_version WHERE version = %s",
                                (version,)).fetchone():
                    continue
                conn.execute(text_)  # type: ignore[arg-type]  # trusted, ours, no parameters
                conn.execute("INSERT INTO kd_schema_version (version, name) VALUES (%s, %s)",
                             (version, name))
                applied.append(name)
    return applied


def add_user(url: str, login: str, user_id: str, password: str, *, team_lead: bool,
             admin_password: str | None = None) -> None:
    """Administrator: a database login role for one app user (member of kd_member), mapped to
    the app user id; `team_lead` lets the database accept that user's approvals."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", login):
        raise HubError("Kies als databasegebruiker kleine letters, cijfers en _ (begin met een "
                       "letter).")
    with psycopg.connect(_conninfo(url, admin_password, 10), autocommit=False) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        conn.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
            verb, sql.Identifier(login), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT kd_member TO {}").format(sql.Identifier(login)))
        conn.execute(
            "INSERT INTO hub_user (db_role, user_id, is_team_lead) VALUES (%s, %s, %s) "
            "ON CONFLICT (db_role) DO UPDATE SET user_id = EXCLUDED.user_id, "
            "is_team_lead = EXCLUDED.is_team_lead", (login, user_id, team_lead))


# -- the hub ----------------------------------------------------------------------------------
class PostgresHub:
    """Hub interface of FolderHub (read_identity / hub_id / create / roster_documents /
    invite_documents / put_file / push / list_segments / heads / pull / read) plus snapshots."""

    def __init__(self, url: str, *, password: str | None = None, facts: FactSource | None = None,
                 connect_timeout: int = 10) -> None:
        self.url = url
        self.settings = ServerSettings.from_url(url)
        self.root = ServerAddress(self.settings.url)  # shown in messages, like FolderHub.root
        self.facts = facts
        self._password = password
        self._timeout = connect_timeout
        self._conn: psycopg.Connection | None = None
        # Test seams (like db.sync.faults): called inside the push transaction before COMMIT,
        # and after COMMIT before the acknowledgement is returned.
        self.before_commit: Callable[[psycopg.Connection], None] | None = None
        self.after_commit: Callable[[psycopg.Connection], None] | None = None

    # -- connection --------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        try:
            conn = psycopg.connect(_conninfo(self.url, self._password, self._timeout),
                                   autocommit=False)
        except psycopg.OperationalError as exc:
            raise _unreachable(self.root, exc) from exc
        version = schema_version(conn)
        conn.rollback()
        if version == 0:
            conn.close()
            raise HubError(f"Op de teamserver {self.root} staat geen gedeelde opslag van "
                           "Kwaliteitsdialoog. Er is niets gewijzigd.")
        if version > LATEST:
            conn.close()
            raise HubError("De teamserver vraagt een nieuwere versie van Kwaliteitsdialoog. Werk "
                           "het programma bij; er is niets gewijzigd.")
        if version < LATEST:
            conn.close()
            raise HubError("De teamserver heeft een ouder schema. Vraag de beheerder "
                           "'kwaliteitsdialoog teamserver upgrade' uit te voeren.")
        self._conn = conn
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> PostgresHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, fn: Callable[[psycopg.Connection], T], *, as_os_error: bool) -> T:
        """Run `fn` in one transaction; on a lost connection retry once on a fresh one
        (every caller is idempotent)."""
        last: Exception | None = None
        for _attempt in range(2):
            try:
                conn = self._connect()
            except HubError as exc:
                if as_os_error:
                    raise OSError(exc.message) from exc
                raise
            try:
                with conn.transaction():
                    return fn(conn)
            except psycopg.OperationalError as exc:
                last = exc
                self.close()
                continue
        assert last is not None
        if as_os_error:
            raise OSError(f"verbinding met de teamserver verbroken ({last})") from last
        raise _unreachable(self.root, last) from last

    # -- identity ----------------------------------------------------------------------------
    def read_identity(self) -> dict[str, Any]:
        row = self._run(lambda c: c.execute("SELECT document FROM hub_identity").fetchone(),
                        as_os_error=False)
        if row is None:
            raise HubError(f"Op de teamserver {self.root} staat geen gedeelde opslag van "
                           "Kwaliteitsdialoog (de opslagidentiteit ontbreekt). Er is niets "
                           "gewijzigd.")
        try:
            doc = json.loads(bytes(row[0]))
            if not isinstance(doc, dict) or "hub_id" not in doc:
                raise ValueError
        except ValueError as exc:
            raise HubError(f"De opslagidentiteit op de teamserver {self.root} is beschadigd. Er "
                           "is niets gewijzigd.") from exc
        return doc

    def hub_id(self) -> str:
        return str(self.read_identity()["hub_id"])

    def create(self, identity: dict[str, Any]) -> None:
        data = json.dumps(identity, indent=2, sort_keys=True).encode()

        def go(c: psycopg.Connection) -> bool:
            cur = c.execute("INSERT INTO hub_identity (hub_id, document) VALUES (%s, %s) "
                            "ON CONFLICT DO NOTHING", (identity["hub_id"], data))
            return cur.rowcount == 1

        if not self._run(go, as_os_error=False):
            existing = self.read_identity()
            if existing.get("hub_id") != identity["hub_id"]:
                raise HubError(f"Op de teamserver {self.root} staat al een andere gedeelde "
                               "opslag. Er is niets gewijzigd.")

    def _documents(self, prefix: str, suffix: str) -> list[tuple[str, bytes]]:
        rows = self._run(lambda c: c.execute(
            "SELECT name, data FROM hub_document WHERE name LIKE %s ORDER BY name",
            (prefix + "%" + suffix,)).fetchall(), as_os_error=False)
        return [(r[0], bytes(r[1])) for r in rows]

    def roster_documents(self) -> list[dict[str, Any]]:
        out = []
        for _name, data in self._documents("roster/", ".json"):
            try:
                out.append(json.loads(data))
            except ValueError:
                continue
        return out

    def invite_documents(self) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for name, data in self._documents("invites/", ".inv"):
            try:
                out.append((name.rsplit("/", 1)[-1], json.loads(data)))
            except ValueError:
                continue
        return out

    # -- write-once -------------------------------------------------------------------------
    def put_file(self, name: str, data: bytes) -> str:
        """Publish `data` under `name` exactly once: "written", "exists" (same bytes already
        there) or FileExistsError (other bytes)."""
        if name == "hub.json":
            self.create(json.loads(data))
            return "written"
        parsed = _parse_name(name)
        if parsed:
            return self.push(*parsed[:3], data, parsed[3])
        digest = hashlib.sha256(data).digest()

        def go(c: psycopg.Connection) -> str:
            cur = c.execute("INSERT INTO hub_document (name, data, sha256) VALUES (%s, %s, %s) "
                            "ON CONFLICT (name) DO NOTHING", (name, data, digest))
            if cur.rowcount == 1:
                return "written"
            row = c.execute("SELECT sha256 FROM hub_document WHERE name = %s", (name,)).fetchone()
            return "exists" if row and bytes(row[0]) == digest else "conflict"

        result = self._run(go, as_os_error=True)
        if result == "conflict":
            raise FileExistsError(name)
        return result

    def push(self, origin: str, first: int, last: int, data: bytes, attempt: int = 1) -> str:
        facts = self.facts(data) if self.facts is not None else []
        return self._push(origin, first, last, data, facts, imported=False, attempt=attempt)

    def _push(self, origin: str, first: int, last: int, data: bytes, facts: list[ReviewFact],
              *, imported: bool, attempt: int = 1) -> str:
        digest = hashlib.sha256(data).digest()

        def go(c: psycopg.Connection) -> str:
            cur = c.execute(
                "INSERT INTO segment (origin_id, first_seq, last_seq, attempt, data, sha256) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (origin, first, last, attempt, data, digest))
            if cur.rowcount != 1:
                row = c.execute("SELECT sha256 FROM segment WHERE origin_id = %s AND first_seq "
                                "= %s AND last_seq = %s AND attempt = %s",
                                (origin, first, last, attempt)).fetchone()
                return "exists" if row and bytes(row[0]) == digest else "conflict"
            _write_facts(c, facts, imported=imported)
            if self.before_commit is not None:
                self.before_commit(c)
            return "written"

        try:
            result = self._run(go, as_os_error=True)
        except psycopg.errors.RaiseException as exc:  # pragma: no cover - custom codes below
            raise HubRefused(_refusal(exc)) from exc
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation) as exc:
            self._rollback_quietly()
            raise HubRefused(_refusal(exc)) from exc
        if result == "conflict":
            raise FileExistsError(segment_name(origin, first, last, attempt))
        if self.after_commit is not None and self._conn is not None:
            try:
                self.after_commit(self._conn)
            except psycopg.OperationalError as exc:
                self.close()
                raise OSError(f"verbinding verbroken na het vastleggen ({exc})") from exc
        return result

    def _rollback_quietly(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rollback()
        except psycopg.Error:
            self.close()

    # -- reading ----------------------------------------------------------------------------
    def list_segments(self) -> Listing:
        rows = self._run(lambda c: c.execute(
            "SELECT origin_id, first_seq, last_seq, attempt, length(data) FROM segment "
            "ORDER BY origin_id, first_seq, last_seq, attempt").fetchall(), as_os_error=False)
        return Listing([SegmentRef(segment_name(o, a, b, n), o, a, b, z)
                        for o, a, b, n, z in rows], [])

    def heads(self) -> dict[str, int]:
        rows = self._run(lambda c: c.execute(
            "SELECT origin_id, MAX(last_seq) FROM segment GROUP BY origin_id").fetchall(),
            as_os_error=False)
        return {o: int(b) for o, b in rows}

    def pull(self, origin: str, from_seq: int) -> list[SegmentRef]:
        rows = self._run(lambda c: c.execute(
            "SELECT first_seq, last_seq, attempt, length(data) FROM segment WHERE origin_id = %s "
            "AND last_seq > %s ORDER BY first_seq, last_seq, attempt", (origin, from_seq)
        ).fetchall(), as_os_error=False)
        return [SegmentRef(segment_name(origin, a, b, n), origin, a, b, z) for a, b, n, z in rows]

    def read(self, name: str) -> bytes:
        parsed = _parse_name(name)
        if parsed:
            row = self._run(lambda c: c.execute(
                "SELECT data FROM segment WHERE origin_id = %s AND first_seq = %s AND "
                "last_seq = %s AND attempt = %s", parsed).fetchone(), as_os_error=True)
        else:
            row = self._run(lambda c: c.execute(
                "SELECT data FROM hub_document WHERE name = %s", (name,)).fetchone(),
                as_os_error=True)
        if row is None:
            raise FileNotFoundError(name)
        return bytes(row[0])

    # -- snapshots --------------------------------------------------------------------------
    def put_snapshot(self, data: bytes, heads: dict[str, int]) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self._run(lambda c: c.execute(
            "INSERT INTO snapshot (hash, heads, data) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (digest, json.dumps(heads), data)), as_os_error=True)
        return digest

    def list_snapshots(self) -> list[tuple[str, dict[str, int]]]:
        rows = self._run(lambda c: c.execute(
            "SELECT hash, heads FROM snapshot ORDER BY created_at, hash").fetchall(),
            as_os_error=False)
        return [(h, dict(v)) for h, v in rows]

    def get_snapshot(self, digest: str) -> bytes:
        row = self._run(lambda c: c.execute("SELECT data FROM snapshot WHERE hash = %s",
                                            (digest,)).fetchone(), as_os_error=True)
        if row is None:
            raise FileNotFoundError(digest)
        return bytes(row[0])

    def has_file(self, name: str) -> bool:
        """Whether a write-once document exists (document blobs, issue 20)."""
        return self._run(lambda c: c.execute("SELECT 1 FROM hub_document WHERE name = %s",
                                             (name,)).fetchone() is not None, as_os_error=True)


def _write_facts(c: psycopg.Connection, facts: Iterable[ReviewFact], *, imported: bool) -> None:
    for f in facts:
        for editor in sorted(f.editors):
            c.execute("INSERT INTO version_editor (subject_type, subject_id, content_hash, "
                      "editor_id) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                      (f.subject_type, f.subject_id, f.content_hash, editor))
    for f in facts:
        c.execute(
            "INSERT INTO review_fact (op_id, subject_type, subject_id, kind, actor_id, "
            "content_hash, origin_id, origin_seq, imported) VALUES (%s, %s, %s, %s, %s, %s, %s, "
            "%s, %s) ON CONFLICT (op_id) DO NOTHING",
            (f.op_id, f.subject_type, f.subject_id, f.kind, f.actor_id, f.content_hash,
             f.origin_id, f.origin_seq, imported))


def _refusal(exc: psycopg.Error) -> str:
    text_ = str(exc).splitlines()[0] if str(exc) else ""
    text_ = re.sub(r"^.*?kd_(?:vier_ogen|segment):\s*", "", text_)
    return f"De teamserver weigert deze wijziging: {text_}."


# -- choosing a hub ---------------------------------------------------------------------------
def open_hub(store: str | Path, *, facts: FactSource | None = None,
             password: str | None = None) -> FolderHub | PostgresHub:
    """FolderHub for a folder path, PostgresHub for a `postgresql://user@host:port/db` URL.
    With `facts` (a ReviewFactSource) the PostgresHub writes the review facts of its pushes
    (needed for approvals to be accepted by the server). The service layer's
    `desktop.services.sync.open_hub(store, db=..., team_keys=...)` builds them."""
    if is_server_url(store):
        return PostgresHub(str(store).strip(), password=password, facts=facts)
    return FolderHub(Path(store).expanduser())


def point_at_server(db: Any, hub: PostgresHub) -> str:
    """Let the replica `db` sync with the server from now on. Allowed only when the server
    holds the very store this database is pinned to (nothing changes otherwise)."""
    from db.errors import RuleViolation
    from db.sync.oplog import get_meta, set_meta

    identity = hub.read_identity()
    with db.write_session() as s, s.begin():
        pinned = get_meta(s, "hub_id")
        if not pinned:
            raise RuleViolation("Deze database is nog niet aan een gedeelde opslag gekoppeld. "
                                "Sluit eerst aan met een uitnodiging van uw teamleider.")
        if pinned != identity["hub_id"]:
            raise RuleViolation("Op deze teamserver staat een andere gedeelde opslag dan waarmee "
                                "deze database synchroniseert. Er is niets gewijzigd.")
        set_meta(s, "store_path", hub.root)
    return hub.root


def current_server(db: Any) -> ServerSettings | None:
    """The team server this replica syncs with, or None (file share / not configured)."""
    from db.sync.oplog import get_meta

    with db.read_session() as s:
        store = get_meta(s, "store_path") or ""
    return ServerSettings.from_url(store) if is_server_url(store) else None


# -- moving a store from a file share to the server --------------------------------------------
@dataclass(frozen=True)
class MigrationResult:
    segments_copied: int
    segments_present: int
    documents: int
    facts_imported: int
    facts_refused: int

    def as_dict(self) -> dict[str, int]:
        return {"segments_copied": self.segments_copied,
                "segments_present": self.segments_present, "documents": self.documents,
                "facts_imported": self.facts_imported, "facts_refused": self.facts_refused}


def migrate_store(source: FolderHub, target: PostgresHub,
                  facts: FactSource | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> MigrationResult:
    """Copy a file-share store to the server byte for byte (identity, roster, invitations,
    every valid-named segment). Safe to run again: what is there is skipped, never replaced.
    Review facts of the copied segments are imported (as the administrator) so approvals of
    versions submitted before the move are checked by the server too."""
    identity = source.read_identity()
    target.create(identity)
    docs = 0
    for sub in ("roster", "invites"):
        folder = source.root / sub
        if not folder.exists():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                target.put_file(f"{sub}/{path.name}", path.read_bytes())
                docs += 1
    listing = source.list_segments()
    copied = present = 0
    pending: list[ReviewFact] = []
    for i, ref in enumerate(listing.segments):
        if progress:
            progress(i, len(listing.segments), "Segmenten overzetten")
        data = source.read(ref.name)
        parsed = _parse_name(ref.name)
        attempt = parsed[3] if parsed else 1
        if target._push(ref.origin, ref.first, ref.last, data, [], imported=True,
                        attempt=attempt) == "written":
            copied += 1
            if isinstance(facts, ReviewFactSource):  # history is imported as well
                facts = facts.with_baseline()
            pending.extend(facts(data) if facts is not None else [])
        else:
            present += 1
    # Facts after all segments, submissions before decisions (the trigger wants the
    # submission of a version before its approval); each in a savepoint: a fact the rule
    # refuses (an invalid approval the app never honoured) is skipped, its segment kept.
    order = {"SUBMITTED": 0, "WITHDRAWN": 1, "REJECTED": 1, "APPROVED": 2}
    pending.sort(key=lambda f: (order.get(f.kind, 1), f.origin_id, f.origin_seq))

    def go(c: psycopg.Connection) -> tuple[int, int]:
        ok = bad = 0
        for fact in pending:
            try:
                with c.transaction():
                    _write_facts(c, [fact], imported=True)
                ok += 1
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation):
                bad += 1
        return ok, bad

    imported, refused = target._run(go, as_os_error=False) if pending else (0, 0)
    return MigrationResult(copied, present, docs, imported, refused)
