// A turn's two statements: its opening (dedupe, the person's lock, the conversation read, in
// one call of the database function turn_begin) and its writes (the conversation state, the
// contact, the interaction log, the outbox row of its replies and the deletion of rows already
// sent, in one call of turn_write, which also commits on node-postgres: Sql.rows' `last`). The
// turn holds the person's lock, so every round trip saved is latency saved for that person's
// next message.
import type { ConversationRow } from './conversation.ts';
import type { SentRows } from './outbox.ts';
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
  /** Rows of anyone that this instance has finished sending: deleted in the same call (bot/engine/outbox.ts, rideAlong). */
  sentRows?: SentRows;
}

export interface TurnWritten {
  /** The outbox row of this turn's replies. */
  outboxId: string | null;
  /** Older replies to this person are still unsent: these must wait their turn. */
  behind: boolean;
}

export async function writeTurn(sql: Sql, w: TurnWrites): Promise<TurnWritten> {
  const st = w.state;
  const r = w.record;
  const o = w.outbox;
  // Casts name every parameter's type: a 25-argument call must not depend on how each client
  // (node-postgres, Prisma) infers an untyped parameter.
  const rows = await sql.rows<TurnWritten>(
    'turn_write',
    `SELECT outbox_id AS "outboxId", behind FROM turn_write($1::text, $2::text, $3::timestamptz,
       $4::boolean, $5::text, $6::text, $7::text, $8::jsonb, $9::boolean,
       $10::boolean, $11::text, $12::date, $13::text, $14::text, $15::text, $16::text, $17::text, $18::integer, $19::text,
       $20::text, $21::float8, $22::bigint[], $23::bigint[], $24::text[], $25::timestamptz)`,
    [
      w.subject,
      w.channel,
      w.now,
      st !== null,
      st?.locale ?? null,
      st?.flow ?? null,
      st?.step ?? null,
      st ? JSON.stringify(st.data) : null,
      st?.noStorage ?? null,
      r !== undefined,
      r?.contactStatus ?? null,
      r?.day ?? null,
      r?.dayKey ?? null,
      r?.flow ?? null,
      r?.step ?? null,
      r?.eventKind ?? null,
      r?.choiceId ?? null,
      r?.latencyMs ?? null,
      r?.outcome ?? null,
      o?.payloadEnc ?? null,
      o?.leaseSeconds ?? null,
      o?.settled ?? [],
      w.sentRows?.ids ?? [],
      w.sentRows?.subjects ?? [],
      w.sentRows?.at ?? w.now,
    ],
    true,
  );
  const row = rows[0];
  return { outboxId: row?.outboxId ?? null, behind: row?.behind ?? false };
}
