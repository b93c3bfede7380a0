-- The opening of a turn in one call (bot/db/turn.ts, beginTurn): record the event's dedupe key,
-- and only for a new event take the person's lock (until the transaction ends) and read their
-- conversation. One round trip instead of three while the person's lock is wanted.
-- VOLATILE on purpose: under READ COMMITTED each statement of a volatile function takes a new
-- snapshot, so the read after the lock sees the turn that held the lock before (a read in the
-- same statement as the lock could miss it).
-- A person's lock is held for one turn's statements; waiting longer than 15 s means something
-- is wrong, so the transaction gives up (set_config(..., true): this transaction only).
CREATE FUNCTION turn_begin(p_channel text, p_external_id text, p_subject text)
RETURNS TABLE (claimed boolean, channel text, locale text, flow text, step text, data jsonb, no_storage boolean, updated_at timestamptz(3))
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('lock_timeout', '15s', true);
  INSERT INTO processed_event AS e (channel, external_id) VALUES (p_channel, p_external_id) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT false, NULL::text, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::boolean, NULL::timestamptz(3);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_subject, 7));
  RETURN QUERY SELECT true, c.channel, c.locale, c.flow, c.step, c.data, c.no_storage, c.updated_at
    FROM conversation c WHERE c.subject_key = p_subject;
  IF NOT FOUND THEN
    RETURN QUERY SELECT true, NULL::text, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::boolean, NULL::timestamptz(3);
  END IF;
END
$$;
