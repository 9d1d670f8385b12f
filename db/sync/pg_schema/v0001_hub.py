"""Schema version 1 of the team server: hub tables, roles, the vier-ogen trigger."""

SQL = r"""
-- Kwaliteitsdialoog team server (PostgreSQL hub), schema version 1.
-- Applied by db/sync/pg_hub.py:upgrade() in one transaction, as the hub administrator.
-- The hub stores exactly the bytes the file-share store holds (signed, encrypted segments);
-- everything a member may do is append-only: INSERT and SELECT, never UPDATE or DELETE.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kd_member') THEN
        CREATE ROLE kd_member NOLOGIN;
    END IF;
END
$$;

-- The store identity (the signed hub.json document): exactly one row.
CREATE TABLE hub_identity (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    hub_id      text NOT NULL,
    document    bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Write-once documents: roster entries (roster/<user>-<id>.json), invitations
-- (invites/<id>.inv) and any other put_file name. Same names as in the file-share store.
CREATE TABLE hub_document (
    name        text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$'),
    data        bytea NOT NULL,
    sha256      bytea NOT NULL,
    created_by  name NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Segments (the folder store's ops/<origin>/<first>-<last>[~N].seg): one writer per origin, client-assigned per-origin sequence numbers. Pulls go by
-- (origin_id, last_seq > cursor); there is deliberately no global serial to page over, so a
-- transaction that commits late can never be skipped by a reader.
CREATE TABLE segment (
    origin_id   text NOT NULL
                CHECK (origin_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    first_seq   bigint NOT NULL CHECK (first_seq >= 1),
    last_seq    bigint NOT NULL CHECK (last_seq >= first_seq),
    -- > 1 only if the engine publishes a second attempt under the name `<first>-<last>~N`
    attempt     smallint NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 99),
    data        bytea NOT NULL,
    sha256      bytea NOT NULL,
    pushed_by   name NOT NULL DEFAULT session_user,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin_id, first_seq, last_seq, attempt)
);
CREATE INDEX segment_origin_last ON segment (origin_id, last_seq);

-- Snapshots for joining (content-addressed, additive).
CREATE TABLE snapshot (
    hash        text PRIMARY KEY,
    heads       jsonb NOT NULL DEFAULT '{}'::jsonb,
    data        bytea NOT NULL,
    created_by  name NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Database login role -> app user. Maintained only by the administrator
-- (`kwaliteitsdialoog teamserver add-user`).
CREATE TABLE hub_user (
    db_role      name PRIMARY KEY,
    user_id      text NOT NULL UNIQUE,
    is_team_lead boolean NOT NULL DEFAULT false,
    added_at     timestamptz NOT NULL DEFAULT now()
);

-- Plaintext review facts, written by the client in the same transaction as the encrypted
-- segment that carries the review event, so the database can check the vier-ogen rule.
CREATE TABLE review_fact (
    op_id        text PRIMARY KEY,
    subject_type text NOT NULL,
    subject_id   text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
    actor_id     text NOT NULL,
    content_hash text NOT NULL,
    origin_id    text,
    origin_seq   bigint,
    imported     boolean NOT NULL DEFAULT false,
    pushed_by    name NOT NULL DEFAULT session_user,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_fact_subject ON review_fact (subject_type, subject_id, content_hash);

-- Per version (content hash) of a subject: everyone who edited it, as known to the pushing
-- replicas (the union over all pushes).
CREATE TABLE version_editor (
    subject_type text NOT NULL,
    subject_id   text NOT NULL,
    content_hash text NOT NULL,
    editor_id    text NOT NULL,
    pushed_by    name NOT NULL DEFAULT session_user,
    PRIMARY KEY (subject_type, subject_id, content_hash, editor_id)
);

-- The vier-ogen rule, enforced by the database for every insert, whoever writes it.
CREATE FUNCTION kd_check_review_fact() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me        hub_user%ROWTYPE;
    actor     hub_user%ROWTYPE;
    is_admin  boolean;
BEGIN
    is_admin := pg_has_role(session_user, (SELECT relowner FROM pg_class
                                           WHERE oid = 'public.review_fact'::regclass), 'MEMBER');
    SELECT * INTO me FROM public.hub_user WHERE db_role = session_user;
    IF NEW.imported THEN
        IF NOT is_admin THEN
            RAISE EXCEPTION 'kd_vier_ogen: alleen de beheerder van de teamserver mag historie importeren'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT * INTO actor FROM public.hub_user WHERE user_id = NEW.actor_id;
    ELSE
        IF me.db_role IS NULL THEN
            RAISE EXCEPTION 'kd_vier_ogen: databasegebruiker % is niet aan een gebruiker van Kwaliteitsdialoog gekoppeld', session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF me.user_id <> NEW.actor_id THEN
            RAISE EXCEPTION 'kd_vier_ogen: een beoordelingsstap op naam van een ander is niet toegestaan'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        actor := me;
    END IF;

    IF NEW.kind = 'APPROVED' THEN
        IF NOT NEW.imported AND NOT coalesce(actor.is_team_lead, false) THEN
            RAISE EXCEPTION 'kd_vier_ogen: alleen een teamleider mag goedkeuren'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM public.review_fact f
                       WHERE f.subject_type = NEW.subject_type AND f.subject_id = NEW.subject_id
                         AND f.content_hash = NEW.content_hash AND f.kind = 'SUBMITTED') THEN
            RAISE EXCEPTION 'kd_vier_ogen: deze versie is niet ter beoordeling aangeboden'
                USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM public.review_fact f
                   WHERE f.subject_type = NEW.subject_type AND f.subject_id = NEW.subject_id
                     AND f.content_hash = NEW.content_hash AND f.kind = 'SUBMITTED'
                     AND f.actor_id = NEW.actor_id)
           OR EXISTS (SELECT 1 FROM public.version_editor e
                      WHERE e.subject_type = NEW.subject_type AND e.subject_id = NEW.subject_id
                        AND e.content_hash = NEW.content_hash AND e.editor_id = NEW.actor_id) THEN
            RAISE EXCEPTION 'kd_vier_ogen: de auteur of een bewerker van deze versie mag haar niet goedkeuren'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER review_fact_vier_ogen BEFORE INSERT ON review_fact
    FOR EACH ROW EXECUTE FUNCTION kd_check_review_fact();

-- Append-only for members.
REVOKE ALL ON hub_identity, hub_document, segment, snapshot, hub_user, review_fact,
    version_editor FROM PUBLIC;
GRANT SELECT ON hub_identity, hub_user TO kd_member;
GRANT SELECT, INSERT ON hub_document, segment, snapshot, review_fact, version_editor TO kd_member;
"""
