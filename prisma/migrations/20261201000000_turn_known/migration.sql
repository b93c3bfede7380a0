-- A known person's turn in one statement (bot/engine/turn.ts, "the known turn"). The engine
-- keeps the conversation row each turn wrote, with the row's version (its xmin and updated_at).
-- The next turn of that person runs its flow step on it and sends everything in one call of
-- turn_known: dedupe, the person's lock, the check that the row is still that version, and the
-- writes of turn_write. One round trip instead of two (each is a write to the socket and a
-- wake-up at both ends: on a VM, the largest single cost of a turn), and no BEGIN or COMMIT: a
-- single statement is its own transaction.
-- A row changed by anyone else meanwhile (another instance, the retention job, an erasure) has
-- another version: turn_known then writes nothing and answers 'stale', and the engine runs the
-- turn the usual way (turn_begin, then turn_write).

-- turn_write now also returns the row it wrote and its version, for the engine to keep.
DROP FUNCTION turn_write(text, text, timestamptz, boolean, text, text, text, jsonb, boolean, boolean, text, date, text, text, text, text, text, integer, text, text, double precision, bigint[], bigint[], text[], timestamptz);

-- p_state false: the conversation row goes. p_record false (under 16, after erasure): no contact
-- and no log row. p_payload null: no outbox row. p_settled: this person's rows already sent whose
-- deletion is still on its way (they do not make the new row "behind"). p_sent, p_sent_subjects,
-- p_sent_at: rows of anyone, sent by this instance, deleted here; their people; when they were
-- known to be sent.
-- Returns the outbox row, whether it waits behind older ones, and the conversation row as
-- written (jsonb's own key order: the next turn must see what a read would give), with its
-- version; no row (version null) when it was deleted.
CREATE FUNCTION turn_write(
  p_subject text, p_channel text, p_now timestamptz,
  p_state boolean, p_locale text, p_flow text, p_step text, p_data jsonb, p_no_storage boolean,
  p_record boolean, p_contact_status text, p_day date, p_day_key text, p_log_flow text, p_log_step text,
  p_event_kind text, p_choice_id text, p_latency_ms integer, p_outcome text,
  p_payload text, p_lease_seconds double precision, p_settled bigint[], p_sent bigint[], p_sent_subjects text[], p_sent_at timestamptz)
RETURNS TABLE (outbox_id text, behind boolean, version text, channel text, locale text, flow text, step text, data jsonb, no_storage boolean, updated_at timestamptz(3))
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  v_behind boolean := false;
  v_id bigint;
  v_version text;
  v_channel text;
  v_locale text;
  v_flow text;
  v_step text;
  v_data jsonb;
  v_no_storage boolean;
  v_updated_at timestamptz(3);
BEGIN
  IF cardinality(p_sent) > 0 THEN
    PERFORM outbox_sent(p_sent, p_sent_subjects, p_sent_at);
  END IF;
  IF p_state THEN
    INSERT INTO conversation (subject_key, channel, locale, flow, step, data, no_storage, updated_at)
    VALUES (p_subject, p_channel, p_locale, p_flow, p_step, p_data, p_no_storage, p_now)
    ON CONFLICT (subject_key) DO UPDATE SET locale = EXCLUDED.locale, flow = EXCLUDED.flow, step = EXCLUDED.step,
      data = EXCLUDED.data, no_storage = EXCLUDED.no_storage, updated_at = EXCLUDED.updated_at
    RETURNING conversation.xmin::text, conversation.channel, conversation.locale, conversation.flow, conversation.step,
      conversation.data, conversation.no_storage, conversation.updated_at
    INTO v_version, v_channel, v_locale, v_flow, v_step, v_data, v_no_storage, v_updated_at;
  ELSE
    DELETE FROM conversation WHERE subject_key = p_subject;
  END IF;
  IF p_record THEN
    -- last_inbound_at to the minute: a person writing again within the minute with the same
    -- status leaves the row as it is (one index probe: no new row version, not even a row lock).
    -- It only ever reads earlier than the truth, so the Zalo OA window it feeds closes early,
    -- never late.
    INSERT INTO contact (subject_key, channel, status, last_inbound_at, updated_at)
    SELECT p_subject, p_channel, p_contact_status, p_now, p_now
    WHERE NOT EXISTS (SELECT 1 FROM contact k WHERE k.subject_key = p_subject AND k.status = p_contact_status
                        AND k.last_inbound_at >= p_now - interval '1 minute')
    ON CONFLICT (subject_key) DO UPDATE SET status = EXCLUDED.status, last_inbound_at = EXCLUDED.last_inbound_at,
      updated_at = EXCLUDED.updated_at;
    INSERT INTO interaction_log (day, day_key, channel, flow, step, event_kind, choice_id, latency_ms, outcome, created_at)
    VALUES (p_day, p_day_key, p_channel, p_log_flow, p_log_step, p_event_kind, p_choice_id, p_latency_ms, p_outcome, p_now);
  END IF;
  IF p_payload IS NOT NULL THEN
    -- Older replies to this person still unsent: this row waits for them (any sender may take it
    -- once they are gone); otherwise it is leased to this instance, which sends it at once.
    v_behind := EXISTS (SELECT 1 FROM outbox o WHERE o.subject_key = p_subject AND o.id <> ALL(p_settled));
    INSERT INTO outbox (subject_key, channel, payload_enc, leased_until, created_at)
    VALUES (p_subject, p_channel, p_payload,
      CASE WHEN v_behind THEN NULL ELSE clock_timestamp() + make_interval(secs => p_lease_seconds) END, p_now)
    RETURNING id INTO v_id;
  END IF;
  RETURN QUERY SELECT v_id::text, v_behind, v_version, v_channel, v_locale, v_flow, v_step, v_data, v_no_storage, v_updated_at;
END
$$;
ALTER FUNCTION turn_write(text, text, timestamptz, boolean, text, text, text, jsonb, boolean, boolean, text, date, text, text, text, text, text, integer, text, text, double precision, bigint[], bigint[], text[], timestamptz)
  SET plan_cache_mode = force_generic_plan;

-- The known turn: turn_begin's dedupe and lock, the version check in place of the read, then
-- turn_write. status 'ok' (what turn_write returns follows), 'duplicate' (nothing written), or
-- 'stale' (nothing written, the event not recorded: the engine runs the turn the usual way).
-- p_version null: the engine knows the person has no row.
-- The event is recorded before the lock, as in turn_begin: taking them in the other order, a
-- delivery of the same event on another instance could wait for the lock while holding the
-- event, and this one for the event while holding the lock. A stale turn deletes its own
-- record again (within this statement: nobody else ever saw it).
CREATE FUNCTION turn_known(
  p_external_id text, p_version text, p_updated_at timestamptz,
  p_subject text, p_channel text, p_now timestamptz,
  p_state boolean, p_locale text, p_flow text, p_step text, p_data jsonb, p_no_storage boolean,
  p_record boolean, p_contact_status text, p_day date, p_day_key text, p_log_flow text, p_log_step text,
  p_event_kind text, p_choice_id text, p_latency_ms integer, p_outcome text,
  p_payload text, p_lease_seconds double precision, p_settled bigint[], p_sent bigint[], p_sent_subjects text[], p_sent_at timestamptz)
RETURNS TABLE (status text, outbox_id text, behind boolean, version text, channel text, locale text, flow text, step text, data jsonb, no_storage boolean, updated_at timestamptz(3))
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  v_fresh boolean;
BEGIN
  PERFORM set_config('lock_timeout', '15s', true);
  INSERT INTO processed_event (channel, external_id) VALUES (p_channel, p_external_id) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::text, NULL::boolean, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::boolean, NULL::timestamptz(3);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_subject, 7));
  -- A new snapshot (this is a volatile function's next statement): the row as the last turn to
  -- hold the lock left it.
  IF p_version IS NULL THEN
    v_fresh := NOT EXISTS (SELECT 1 FROM conversation c WHERE c.subject_key = p_subject);
  ELSE
    v_fresh := EXISTS (SELECT 1 FROM conversation c WHERE c.subject_key = p_subject AND c.xmin = p_version::xid AND c.updated_at = p_updated_at);
  END IF;
  IF NOT v_fresh THEN
    DELETE FROM processed_event e WHERE e.channel = p_channel AND e.external_id = p_external_id;
    RETURN QUERY SELECT 'stale'::text, NULL::text, NULL::boolean, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::boolean, NULL::timestamptz(3);
    RETURN;
  END IF;
  RETURN QUERY SELECT 'ok'::text, w.* FROM turn_write(p_subject, p_channel, p_now, p_state, p_locale, p_flow, p_step, p_data, p_no_storage,
    p_record, p_contact_status, p_day, p_day_key, p_log_flow, p_log_step, p_event_kind, p_choice_id, p_latency_ms, p_outcome,
    p_payload, p_lease_seconds, p_settled, p_sent, p_sent_subjects, p_sent_at) w;
END
$$;
ALTER FUNCTION turn_known(text, text, timestamptz, text, text, timestamptz, boolean, text, text, text, jsonb, boolean, boolean, text, date, text, text, text, text, text, integer, text, text, double precision, bigint[], bigint[], text[], timestamptz)
  SET plan_cache_mode = force_generic_plan;
