"""Schema version 4 (issue 18 item 2): join images on the team server, the same bytes as the
folder store's `images/<sha256>.img` (db/sync/image.py), stored in chunks of a few MiB so
neither the server nor a laptop ever holds a whole image (~87 MiB at zorgkantoor scale) in
memory. Write-once like segments: an image row and all its chunks are inserted in one
transaction, members may only INSERT and SELECT. Only the store's owner (the user in the
signed store identity) may publish one; the administrator may copy them (store-migrate).
Readers still verify the owner's signature on every image: this rule only keeps the table
clean. A server without this version simply has no images: laptops join segment by segment."""

SQL = r"""
CREATE TABLE hub_image (
    name        text PRIMARY KEY CHECK (name ~ '^images/[A-Za-z0-9._-]+\.img$'),
    size        bigint NOT NULL CHECK (size > 0),
    chunk_size  integer NOT NULL CHECK (chunk_size BETWEEN 65536 AND 16777216),
    chunks      integer NOT NULL CHECK (chunks >= 1),
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    created_by  name NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (chunks = (size + chunk_size - 1) / chunk_size)
);

CREATE TABLE hub_image_chunk (
    name        text NOT NULL REFERENCES hub_image (name),
    idx         integer NOT NULL CHECK (idx >= 0),
    data        bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 16777216),
    PRIMARY KEY (name, idx)
);

CREATE FUNCTION kd_check_image() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me       text;
    owner_id text;
BEGIN
    IF pg_has_role(session_user, (SELECT relowner FROM pg_class
                                  WHERE oid = 'public.hub_image'::regclass), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    SELECT user_id INTO me FROM public.hub_user WHERE db_role = session_user;
    SELECT convert_from(document, 'UTF8')::jsonb -> 'owner' ->> 'user_id' INTO owner_id
        FROM public.hub_identity;
    IF me IS NULL OR owner_id IS NULL OR me <> owner_id THEN
        RAISE EXCEPTION 'kd_image: alleen de eigenaar van de gedeelde opslag mag een aansluitbestand plaatsen'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER hub_image_owner BEFORE INSERT ON hub_image
    FOR EACH ROW EXECUTE FUNCTION kd_check_image();

REVOKE ALL ON hub_image, hub_image_chunk FROM PUBLIC;
GRANT SELECT, INSERT ON hub_image, hub_image_chunk TO kd_member;
"""
