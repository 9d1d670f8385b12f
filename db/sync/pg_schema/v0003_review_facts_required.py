"""Schema version 3 (issue 13): a client that skips review facts cannot get a review step
accepted. The engine lists every review step of a segment in its plaintext header
(`"r": [[op id, kind, subject type, subject id, content hash], ...]`, the associated data of
the encryption, so it cannot be changed without breaking the segment); every replica refuses a
review step that is not listed exactly like that. This deferred trigger refuses, at COMMIT, a
member's segment whose listed steps have no matching `review_fact` row written in the same
transaction (whose own trigger checks actor = login, teamleider, not an editor). Only the
administrator (store-migrate) may copy history without facts."""

SQL = r"""
CREATE FUNCTION kd_check_segment_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    h        jsonb;
    e        jsonb;
    is_admin boolean;
BEGIN
    is_admin := pg_has_role(session_user, (SELECT relowner FROM pg_class
                                           WHERE oid = 'public.segment'::regclass), 'MEMBER');
    IF is_admin THEN
        RETURN NULL;
    END IF;
    h := kd_segment_header(NEW.data);
    IF h IS NULL OR jsonb_typeof(coalesce(h->'r', '[]'::jsonb)) <> 'array' THEN
        RAISE EXCEPTION 'kd_segment: de lijst met beoordelingsstappen in de kop is onleesbaar'
            USING ERRCODE = 'check_violation';
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(coalesce(h->'r', '[]'::jsonb)) LOOP
        IF NOT EXISTS (SELECT 1 FROM public.review_fact f
                       WHERE f.op_id = e->>0 AND f.kind = e->>1 AND f.subject_type = e->>2
                         AND f.subject_id = e->>3 AND f.content_hash = e->>4
                         AND f.origin_id = NEW.origin_id) THEN
            RAISE EXCEPTION 'kd_segment: beoordelingsstap % zonder bijbehorend feit', e->>0
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER segment_review_facts AFTER INSERT ON segment
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kd_check_segment_facts();
"""
