// "Xóa dữ liệu": every row linked to a person, deleted in one transaction (the turn's). One
// statement a table, in this order (bot/privacy/erase.ts says why).
import type { Sql } from './sql.ts';

const BY_SUBJECT: [name: string, table: string][] = [
  ['erase_conversation', 'conversation'],
  ['erase_consent', 'consent'],
  ['erase_contact', 'contact'],
  // Before the memberships: outbox rows, then their plan rows, is the order in which deleting a
  // sent row takes its locks (outbox_sent), so the two cannot deadlock.
  ['erase_outbox', 'outbox'],
  // Cascades to RSVPs, attendance, progress notes, assignments and check-ins; plan rows keep
  // only counts (membership set null).
  ['erase_membership', 'club_membership'],
  ['erase_inbound', 'inbound_event'],
  ['erase_link_code', 'link_code'],
  ['erase_link_attempt', 'link_attempt'],
];

export async function eraseRows(sql: Sql, subject: string, logDayKeys: string[]): Promise<void> {
  for (const [name, table] of BY_SUBJECT) await sql.rows(name, `DELETE FROM ${table} WHERE subject_key = $1`, [subject]);
  await sql.rows('erase_log', 'DELETE FROM interaction_log WHERE day_key = ANY($1::text[])', [logDayKeys]);
}
