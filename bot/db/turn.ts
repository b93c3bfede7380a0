// A turn's two statements: its opening (dedupe, the person's lock, the conversation read, in
// one call of the database function turn_begin) and its writes (the conversation state, the
// contact, the interaction log, the outbox row of its replies and the deletion of rows already
// sent, in one call of turn_write, which also commits on node-postgres: Sql.rows' `last`). The
// turn holds the person's lock, so every round trip saved is latency saved for that person's
// next message. A known person's turn is one statement (knownTurn, the function turn_known):
// the engine kept the row the last turn wrote, and the database checks it is still that one.
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
  /** The conversation row as written, for the person's next turn (knownTurn). */
  known: Known;
}

/** A person's conversation row as a turn left it (null: none) and its version in the database
 * (the row's xmin; null when there is no row): what knownTurn checks. */
export interface Known {
  row: ConversationRow | null;
  version: string | null;
}

interface WrittenRow {
  outboxId: string | null;
  behind: boolean | null;
  version: string | null;
  channel: string | null;
  locale: string | null;
  flow: string | null;
  step: string | null;
  data: unknown;
  noStorage: boolean | null;
  updatedAt: Date | null;
}

const WRITTEN = `outbox_id AS "outboxId", behind, version, channel, locale, flow, step, data, no_storage AS "noStorage", updated_at AS "updatedAt"`;

function written(subject: string, r: WrittenRow | undefined): TurnWritten {
  const row: ConversationRow | null =
    r?.version && r.flow !== null && r.step !== null && r.channel !== null && r.updatedAt !== null
      ? { subjectKey: subject, channel: r.channel, locale: r.locale, flow: r.flow, step: r.step, data: r.data, noStorage: r.noStorage ?? false, updatedAt: r.updatedAt }
      : null;
  return { outboxId: r?.outboxId ?? null, behind: r?.behind ?? false, known: { row, version: row ? (r?.version ?? null) : null } };
}

/** The 25 values of a turn's writes, as turn_write and turn_known take them. */
function writeValues(w: TurnWrites): unknown[] {
  const st = w.state;
  const r = w.record;
  const o = w.outbox;
  return [
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
  ];
}

// Casts name every parameter's type: a call of 25 arguments and more must not depend on how
// each client (node-postgres, Prisma) infers an untyped parameter.
const WRITE_PARAMS = (from: number) =>
  [
    'text', 'text', 'timestamptz', 'boolean', 'text', 'text', 'text', 'jsonb', 'boolean',
    'boolean', 'text', 'date', 'text', 'text', 'text', 'text', 'text', 'integer', 'text',
    'text', 'float8', 'bigint[]', 'bigint[]', 'text[]', 'timestamptz',
  ]
    .map((t, i) => `$${from + i}::${t}`)
    .join(', ');
const TURN_WRITE = `SELECT ${WRITTEN} FROM turn_write(${WRITE_PARAMS(1)})`;
const TURN_KNOWN = `SELECT status, ${WRITTEN} FROM turn_known($1::text, $2::text, $3::timestamptz, ${WRITE_PARAMS(4)})`;

export async function writeTurn(sql: Sql, w: TurnWrites): Promise<TurnWritten> {
  const rows = await sql.rows<WrittenRow>('turn_write', TURN_WRITE, writeValues(w), true);
  return written(w.subject, rows[0]);
}

/** A known person's whole turn in one statement (its own transaction): the event recorded,
 * the person's lock, and the writes, if their conversation row is still `known`'s version.
 * 'duplicate': the event was taken before; 'stale': the row changed meanwhile (or the engine
 * knew an older one), nothing was written and the event is not recorded. */
export async function knownTurn(sql: Sql, externalId: string, known: Known, w: TurnWrites): Promise<TurnWritten | 'duplicate' | 'stale'> {
  const rows = await sql.rows<WrittenRow & { status: 'ok' | 'duplicate' | 'stale' }>(
    'turn_known',
    TURN_KNOWN,
    [externalId, known.version, known.row?.updatedAt ?? null, ...writeValues(w)],
    true,
  );
  const r = rows[0];
  if (r?.status === 'duplicate' || r?.status === 'stale') return r.status;
  if (r?.status !== 'ok') throw new Error('turn_known gave no status');
  return written(w.subject, r);
}
