-- The writes of a turn in one call (bot/db/turn.ts, writeTurn), as turn_begin opens it: the
-- conversation state, the contact, the interaction log, the outbox row of its replies, and the
-- deletion of rows this instance has finished sending (which would otherwise cost a statement
-- of their own). A function's statements keep their plans from call to call; the same writes as
-- one statement of CTEs were parsed and planned on every turn (pgbench, 32 clients: 1,550-1,640
-- turns/s as CTEs, 1,940-2,250 as this function).

-- Rows whose messages are all out: deleted, and the plan rows they delivered become sent. The
-- one statement for it, from the sender (bot/db/outbox.ts) and from a turn's write.
-- Every lookup in these functions is by key. The outbox is a queue: its statistics swing between
-- empty and a few thousand rows waiting for vacuum, and a plan cached while it looked empty (a
-- sequential scan) would later read every dead row on every turn (seen in the bench as turns
-- costing PostgreSQL 0.6 to 0.95 ms from one run to the next). Hence enable_seqscan off, for
-- these functions' statements only.
-- The rows' people come along so that the delete looks them up on the leading column of
-- (subject_key, id): by id alone, a planner that thinks the table empty reads that index whole.
-- PL/pgSQL, not SQL: a SQL function's body is parsed and planned again on every call. The plan
-- rows are updated by id, and only when there are some (a turn's replies have none): joined to
-- the deleted rows instead, a planner that thinks both tables empty read reminder_delivery's
-- whole primary key on every call.
CREATE FUNCTION outbox_sent(p_ids bigint[], p_subjects text[], p_at timestamptz)
RETURNS void
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
DECLARE
  v_plans bigint[];
BEGIN
  WITH gone AS (DELETE FROM outbox WHERE subject_key = ANY(p_subjects) AND id = ANY(p_ids) RETURNING delivery_id)
  SELECT array_agg(delivery_id) FILTER (WHERE delivery_id IS NOT NULL) INTO v_plans FROM gone;
  IF v_plans IS NOT NULL THEN
    UPDATE reminder_delivery SET status = 'sent', reason = NULL, claimed_at = NULL, sent_at = p_at WHERE id = ANY(v_plans);
  END IF;
END
$$;

-- p_state false: the conversation row goes. p_record false (under 16, after erasure): no contact
-- and no log row. p_payload null: no outbox row. p_settled: this person's rows already sent whose
-- deletion is still on its way (they do not make the new row "behind"). p_sent, p_sent_subjects,
-- p_sent_at: rows of anyone, sent by this instance, deleted here; their people; when they were
-- known to be sent.
CREATE FUNCTION turn_write(
  p_subject text, p_channel text, p_now timestamptz,
  p_state boolean, p_locale text, p_flow text, p_step text, p_data jsonb, p_no_storage boolean,
  p_record boolean, p_contact_status text, p_day date, p_day_key text, p_log_flow text, p_log_step text,
  p_event_kind text, p_choice_id text, p_latency_ms integer, p_outcome text,
  p_payload text, p_lease_seconds double precision, p_settled bigint[], p_sent bigint[], p_sent_subjects text[], p_sent_at timestamptz)
RETURNS TABLE (outbox_id text, behind boolean)
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  v_behind boolean := false;
  v_id bigint;
BEGIN
  IF cardinality(p_sent) > 0 THEN
    PERFORM outbox_sent(p_sent, p_sent_subjects, p_sent_at);
  END IF;
  IF p_state THEN
    INSERT INTO conversation (subject_key, channel, locale, flow, step, data, no_storage, updated_at)
    VALUES (p_subject, p_channel, p_locale, p_flow, p_step, p_data, p_no_storage, p_now)
    ON CONFLICT (subject_key) DO UPDATE SET locale = EXCLUDED.locale, flow = EXCLUDED.flow, step = EXCLUDED.step,
      data = EXCLUDED.data, no_storage = EXCLUDED.no_storage, updated_at = EXCLUDED.updated_at;
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
  RETURN QUERY SELECT v_id::text, v_behind;
END
$$;
