// contact: a person's channel, reachability and last message time (the Zalo window's clock).
import type { Sql } from './sql.ts';

export type ContactStatus = 'active' | 'blocked' | 'outside_window' | 'unfollowed';

export async function markContact(sql: Sql, subject: string, status: ContactStatus, now: Date): Promise<void> {
  await sql.rows('mark_contact', 'UPDATE contact SET status = $2, updated_at = $3 WHERE subject_key = $1 RETURNING 1', [subject, status, now]);
}

export async function lastInboundAt(sql: Sql, subject: string): Promise<Date | null> {
  const rows = await sql.rows<{ at: Date | null }>('contact_last_inbound', 'SELECT last_inbound_at AS at FROM contact WHERE subject_key = $1', [subject]);
  return rows[0]?.at ?? null;
}

/** The person's address, sealed, kept so reminders can reach them on this channel. */
export async function keepAddress(sql: Sql, subject: string, channel: string, addressEnc: string, now: Date): Promise<void> {
  await sql.rows(
    'contact_keep_address',
    `INSERT INTO contact (subject_key, channel, address_enc, last_inbound_at, updated_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (subject_key) DO UPDATE SET address_enc = EXCLUDED.address_enc, channel = EXCLUDED.channel, updated_at = EXCLUDED.updated_at
     RETURNING 1`,
    [subject, channel, addressEnc, now],
  );
}

/** Nothing left to send them: the address is not kept. */
export async function forgetAddress(sql: Sql, subject: string, now: Date): Promise<void> {
  await sql.rows('contact_forget_address', 'UPDATE contact SET address_enc = NULL, updated_at = $2 WHERE subject_key = $1 RETURNING 1', [subject, now]);
}
