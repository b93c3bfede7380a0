// The CHECK constraints of prisma/migrations/20261130140000_checks: a value the code never
// writes is refused by the database itself, and every value the code does write is accepted.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../bot/channels/types.ts';
import { migrate } from '../../bot/db/migrate.ts';
import { createTestSchema, dropSchema } from '../support/db.ts';

let schema: string;
let client: pg.Client;

beforeAll(async () => {
  let url: string;
  ({ schema, url } = await createTestSchema('checks'));
  await migrate(url);
  client = new pg.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  if (schema) await dropSchema(schema);
});

/** SQLSTATE of the statement, or 'ok'; rolled back either way. */
async function attempt(sql: string, params: unknown[]): Promise<string> {
  await client.query('BEGIN');
  try {
    await client.query(sql, params);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  } finally {
    await client.query('ROLLBACK');
  }
}

const contact = (channel: string, status: string) =>
  attempt('INSERT INTO contact (subject_key, channel, status) VALUES ($1, $2, $3)', ['s', channel, status]);
const logRow = (eventKind: string, outcome: string) =>
  attempt(
    `INSERT INTO interaction_log (day, day_key, channel, flow, step, event_kind, latency_ms, outcome) VALUES ('2026-11-30', 'k', 'web', 'menu', 'main', $1, 1, $2)`,
    [eventKind, outcome],
  );
const result = (instrument: string, band: string, ageGroup: string) =>
  attempt(
    `INSERT INTO screening_result (instrument, score, band, age_group, day, channel) VALUES ($1, 0, $2, $3, '2026-11-30', 'telegram')`,
    [instrument, band, ageGroup],
  );

describe('CHECK constraints', () => {
  it('accept every channel the code knows, and refuse any other', async () => {
    for (const c of CHANNEL_NAMES) expect(await contact(c, 'active')).toBe('ok');
    expect(await contact('sms', 'active')).toBe('23514');
    expect(await attempt('INSERT INTO processed_event (channel, external_id) VALUES ($1, $2)', ['test', '1'])).toBe('23514');
    expect(await attempt('INSERT INTO outbox (subject_key, channel, payload_enc) VALUES ($1, $2, $3)', ['s', 'Telegram', 'x'])).toBe('23514');
  });

  it('refuse a status, kind or outcome the code never writes', async () => {
    for (const s of ['active', 'blocked', 'outside_window', 'unfollowed']) expect(await contact('web', s)).toBe('ok');
    expect(await contact('web', 'kicked')).toBe('23514');
    expect(await logRow('text', 'ok')).toBe('ok');
    expect(await logRow('text', 'flow_error')).toBe('ok');
    expect(await logRow('sticker', 'ok')).toBe('23514');
    expect(await logRow('text', 'fine')).toBe('23514');
    expect(await attempt('INSERT INTO consent (subject_key, purpose, granted_at) VALUES ($1, $2, now())', ['s', 'marketing'])).toBe('23514');
  });

  it('refuse an unknown instrument, band or age group', async () => {
    expect(await result('CRAFFT', 'positive', '12-15')).toBe('ok');
    expect(await result('ASSIST', 'moderate', '18+')).toBe('ok');
    expect(await result('AUDIT', 'low', '18+')).toBe('23514');
    expect(await result('ASSIST', 'severe', '18+')).toBe('23514');
    expect(await result('ASSIST', 'low', '25-34')).toBe('23514');
  });

  it('refuse an unknown reminder kind, status or reason; a null reason stays allowed', async () => {
    const row = (kind: string, status: string, reason: string | null) =>
      attempt(
        `INSERT INTO reminder_delivery (dedupe_key, club_id, kind, channel, due_at, send_at, status, reason) VALUES ('k', 'c', $1, 'zalo-oa', now(), now(), $2, $3)`,
        [kind, status, reason],
      );
    expect(await row('reminder', 'pending', null)).toBe('ok');
    expect(await row('coord_after', 'failed', 'outside_window')).toBe('ok');
    expect(await row('birthday', 'pending', null)).toBe('23514');
    expect(await row('reminder', 'lost', null)).toBe('23514');
    expect(await row('reminder', 'failed', 'rate_limited')).toBe('23514');
  });

  it('refuse an unknown club role and console kind', async () => {
    const kind = (k: string) => attempt(`INSERT INTO console_link (token_hash, kind, alias, expires_at) VALUES ('h', $1, 'a', now())`, [k]);
    expect(await kind('officer')).toBe('ok');
    expect(await kind('admin')).toBe('23514');
  });
});
