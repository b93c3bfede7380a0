// A turn's two statements: its opening (dedupe, the person's lock, the conversation read, in
// one call of the database function turn_begin) and its writes (the conversation state, the
// contact, the interaction log and the outbox row of its replies, in one statement that also
// commits on node-postgres: Sql.rows' `last`). The turn holds the person's lock, so every
// round trip saved is latency saved for that person's next message.
import type { ConversationRow } from './conversation.ts';
import type { Sql } from './sql.ts';

/** Record the event as taken and, only if it is new, take the person's lock (until the
 * transaction ends) and read their conversation. null = a duplicate. */
export async function beginTurn(sql: Sql, channel: string, externalId: string, subject: string): Promise<{ row: ConversationRow | null } | null> {
  const rows = await sql.rows<Omit<ConversationRow, 'subjectKey'> & { claimed: boolean }>(
    'turn_begin',
    `SELECT claimed, channel, locale, flow, step, data, no_storage AS "noStorage", updated_at AS "updatedAt" FROM turn_begin($1, $2, $3)`,
    [channel, externalId, subject],
  );
  const r = rows[0];
  if (!r?.claimed) return null;
  if (r.flow === null) return { row: null };
  return { row: { subjectKey: subject, channel: r.channel, locale: r.locale, flow: r.flow, step: r.step, data: r.data, noStorage: r.noStorage, updatedAt: r.updatedAt } };
}

export interface TurnWrites {
  subject: string;
  channel: string;
  now: Date;
  /** The new conversation row; null deletes it. */
  state: { locale: string | null; flow: string; step: string; data: unknown; noStorage: boolean } | null;
  /** Contact status and the log row; absent in under-16 mode and after erasure. */
  record?: {
    contactStatus: 'active' | 'unfollowed';
    day: string;
    dayKey: string;
    flow: string;
    step: string;
    eventKind: string;
    choiceId: string | null;
    latencyMs: number;
    outcome: string;
  };
  /** The replies, sealed; leased to this instance until `leaseSeconds` from now. `settled`:
   * this person's rows already sent whose deletion is still on its way (not "behind"). */
  outbox?: { payloadEnc: string; leaseSeconds: number; settled: string[] };
}

export interface TurnWritten {
  /** The outbox row of this turn's replies. */
  outboxId: string | null;
  /** Older replies to this person are still unsent: these must wait their turn. */
  behind: boolean;
}

export async function writeTurn(sql: Sql, w: TurnWrites): Promise<TurnWritten> {
  const values: unknown[] = [];
  const p = (v: unknown) => `$${values.push(v)}`;
  // Subject, channel and time are bound once, when first used (every parameter must be used).
  let subject = '';
  let channel = '';
  let now = '';
  const S = () => (subject ||= p(w.subject));
  const C = () => (channel ||= p(w.channel));
  const N = () => (now ||= p(w.now));
  const parts: string[] = [];
  let name = 'turn';
  if (w.state) {
    name += '_s';
    parts.push(`conv AS (
      INSERT INTO conversation (subject_key, channel, locale, flow, step, data, no_storage, updated_at)
      VALUES (${S()}, ${C()}, ${p(w.state.locale)}, ${p(w.state.flow)}, ${p(w.state.step)}, ${p(JSON.stringify(w.state.data))}::jsonb, ${p(w.state.noStorage)}, ${N()})
      ON CONFLICT (subject_key) DO UPDATE SET locale = EXCLUDED.locale, flow = EXCLUDED.flow, step = EXCLUDED.step,
        data = EXCLUDED.data, no_storage = EXCLUDED.no_storage, updated_at = EXCLUDED.updated_at
      RETURNING 1)`);
  } else {
    name += '_d';
    parts.push(`conv AS (DELETE FROM conversation WHERE subject_key = ${S()} RETURNING 1)`);
  }
  const r = w.record;
  if (r) {
    name += '_r';
    parts.push(`contact_up AS (
      INSERT INTO contact (subject_key, channel, status, last_inbound_at, updated_at)
      VALUES (${S()}, ${C()}, ${p(r.contactStatus)}, ${N()}, ${N()})
      ON CONFLICT (subject_key) DO UPDATE SET status = EXCLUDED.status, last_inbound_at = EXCLUDED.last_inbound_at,
        updated_at = EXCLUDED.updated_at
      RETURNING 1)`);
    parts.push(`log AS (
      INSERT INTO interaction_log (day, day_key, channel, flow, step, event_kind, choice_id, latency_ms, outcome, created_at)
      VALUES (${p(r.day)}::date, ${p(r.dayKey)}, ${C()}, ${p(r.flow)}, ${p(r.step)}, ${p(r.eventKind)}, ${p(r.choiceId)}, ${p(r.latencyMs)}::int, ${p(r.outcome)}, ${N()})
      RETURNING 1)`);
  }
  if (w.outbox) {
    name += '_o';
    // Leased to this instance only when it sends at once; behind older replies, any sender may
    // take it as soon as they are gone (leased, it waited out the whole lease).
    parts.push(`ob AS (
      INSERT INTO outbox (subject_key, channel, payload_enc, leased_until, created_at)
      VALUES (${S()}, ${C()}, ${p(w.outbox.payloadEnc)},
        CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE subject_key = ${S()} AND id <> ALL(${p(w.outbox.settled)}::bigint[])) THEN NULL
          ELSE clock_timestamp() + make_interval(secs => ${p(w.outbox.leaseSeconds)}::float8) END, ${N()})
      RETURNING id)`);
  }
  // Every CTE sees the snapshot from before the statement: "behind" counts older rows only.
  const select = w.outbox
    ? `SELECT (SELECT id::text FROM ob) AS "outboxId",
         EXISTS (SELECT 1 FROM outbox WHERE subject_key = ${S()} AND id <> ALL(${p(w.outbox.settled)}::bigint[])) AS behind`
    : `SELECT NULL::text AS "outboxId", false AS behind`;
  // Data-modifying CTEs always run to completion, whether or not the SELECT reads them.
  const rows = await sql.rows<TurnWritten>(name, `WITH ${parts.join(', ')} ${select}`, values, true);
  const row = rows[0];
  return { outboxId: row?.outboxId ?? null, behind: row?.behind ?? false };
}
