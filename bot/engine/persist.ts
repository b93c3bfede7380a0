// The turn's writes in as few round trips as possible: the turn holds a per-person lock, so
// every statement saved is latency saved for that person's next message.
import { Prisma } from '../../prisma/generated/client.ts';
import type { FlowState } from '../../flows/types.ts';
import { stateToRow } from './state-row.ts';

type Tx = Prisma.TransactionClient;

/** Record the event as taken and, only if it is new, take the person's lock. false = duplicate. */
export async function claimEvent(tx: Tx, channel: string, externalId: string, subject: string): Promise<boolean> {
  // The lock must be a statement of its own before the state is read: a statement's snapshot
  // is taken when it starts, so a read in the same statement could miss the previous turn.
  const n = await tx.$executeRaw`
    WITH ins AS (
      INSERT INTO processed_event (channel, external_id) VALUES (${channel}, ${externalId})
      ON CONFLICT DO NOTHING RETURNING 1
    )
    SELECT pg_advisory_xact_lock(hashtextextended(${subject}, 7)) FROM ins`;
  return n > 0;
}

export interface TurnWrites {
  subject: string;
  channel: string;
  now: Date;
  /** The new state; null deletes the conversation. */
  state: FlowState | null;
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
}

/** State, contact and interaction log in one statement. */
export async function writeTurn(tx: Tx, w: TurnWrites): Promise<void> {
  const parts: Prisma.Sql[] = [];
  if (w.state) {
    const row = stateToRow(w.state);
    parts.push(Prisma.sql`conv AS (
      INSERT INTO conversation (subject_key, channel, locale, flow, step, data, no_storage, updated_at)
      VALUES (${w.subject}, ${w.channel}, ${row.locale}, ${row.flow}, ${row.step}, ${JSON.stringify(row.data)}::jsonb, ${row.noStorage}, ${w.now})
      ON CONFLICT (subject_key) DO UPDATE SET locale = EXCLUDED.locale, flow = EXCLUDED.flow, step = EXCLUDED.step,
        data = EXCLUDED.data, no_storage = EXCLUDED.no_storage, updated_at = EXCLUDED.updated_at
      RETURNING 1)`);
  } else {
    parts.push(Prisma.sql`conv AS (DELETE FROM conversation WHERE subject_key = ${w.subject} RETURNING 1)`);
  }
  const r = w.record;
  if (r) {
    parts.push(Prisma.sql`contact_up AS (
      INSERT INTO contact (subject_key, channel, status, last_inbound_at, updated_at)
      VALUES (${w.subject}, ${w.channel}, ${r.contactStatus}, ${w.now}, ${w.now})
      ON CONFLICT (subject_key) DO UPDATE SET status = EXCLUDED.status, last_inbound_at = EXCLUDED.last_inbound_at,
        updated_at = EXCLUDED.updated_at
      RETURNING 1)`);
    await tx.$executeRaw`WITH ${Prisma.join(parts, ', ')}
      INSERT INTO interaction_log (day, day_key, channel, flow, step, event_kind, choice_id, latency_ms, outcome, created_at)
      VALUES (${r.day}::date, ${r.dayKey}, ${w.channel}, ${r.flow}, ${r.step}, ${r.eventKind}, ${r.choiceId}, ${r.latencyMs}, ${r.outcome}, ${w.now})`;
  } else {
    await tx.$executeRaw`WITH ${Prisma.join(parts, ', ')} SELECT 1`;
  }
}
