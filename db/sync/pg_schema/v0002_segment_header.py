"""Schema version 2: the server reads the plaintext segment header (the associated data of the
encryption, see db/sync/segment.py) and refuses a segment whose header does not match the row
it is stored under, that belongs to another store, or that is signed in the name of another
user than the database role pushing it (members only; the administrator may copy history)."""

SQL = r"""
CREATE FUNCTION kd_segment_header(data bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    hlen integer;
BEGIN
    -- MAGIC (8 bytes) | u32 big-endian header length | canonical JSON header | ...
    IF length(data) < 12 OR substring(data from 1 for 8) <> '\x4b4453454700010a'::bytea THEN
        RETURN NULL;
    END IF;
    hlen := (get_byte(data, 8) << 24) | (get_byte(data, 9) << 16) | (get_byte(data, 10) << 8)
            | get_byte(data, 11);
    IF hlen <= 0 OR hlen > length(data) - 12 THEN
        RETURN NULL;
    END IF;
    RETURN convert_from(substring(data from 13 for hlen), 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION kd_check_segment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    h        jsonb;
    me       text;
    is_admin boolean;
BEGIN
    is_admin := pg_has_role(session_user, (SELECT relowner FROM pg_class
                                           WHERE oid = 'public.segment'::regclass), 'MEMBER');
    h := kd_segment_header(NEW.data);
    IF h IS NULL THEN
        RAISE EXCEPTION 'kd_segment: geen segment van Kwaliteitsdialoog'
            USING ERRCODE = 'check_violation';
    END IF;
    IF h->>'o' IS DISTINCT FROM NEW.origin_id OR (h->>'a')::bigint IS DISTINCT FROM NEW.first_seq
       OR (h->>'b')::bigint IS DISTINCT FROM NEW.last_seq THEN
        RAISE EXCEPTION 'kd_segment: de kop past niet bij bron en volgnummers'
            USING ERRCODE = 'check_violation';
    END IF;
    IF h->>'hub' IS DISTINCT FROM (SELECT hub_id FROM public.hub_identity) THEN
        RAISE EXCEPTION 'kd_segment: segment hoort bij een andere gedeelde opslag'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT is_admin THEN
        SELECT user_id INTO me FROM public.hub_user WHERE db_role = session_user;
        IF me IS NULL THEN
            RAISE EXCEPTION 'kd_segment: databasegebruiker % is niet aan een gebruiker van Kwaliteitsdialoog gekoppeld', session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF h->>'u' IS DISTINCT FROM me THEN
            RAISE EXCEPTION 'kd_segment: segment ondertekend op naam van een ander'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER segment_header_check BEFORE INSERT ON segment
    FOR EACH ROW EXECUTE FUNCTION kd_check_segment();
"""
