// "Xóa dữ liệu": erase everything linked to a person, at once, inside the caller's transaction:
// the conversation, consent, contact, replies not yet delivered (sealed address), club
// memberships and what hangs on them, events still queued (sealed address and text), link codes
// and counts of wrong ones (bot/db/erasure.ts), and the log rows.
import { eraseRows } from '../db/erasure.ts';
import type { Sql } from '../db/sql.ts';
import { dayKey, dayOf } from './pseudonym.ts';

export async function eraseSubject(sql: Sql, subject: string, opts: { now: Date; timeZone: string; retentionDays: number; pseudonymSecret: Buffer }): Promise<void> {
  // Log rows carry a per-day pseudonym derived from the subject key: recompute every day still
  // retained and delete those rows too, so nothing linkable is left.
  const keys: string[] = [];
  for (let d = 0; d <= opts.retentionDays + 1; d++) {
    keys.push(dayKey(opts.pseudonymSecret, subject, dayOf(new Date(opts.now.getTime() - d * 86_400_000), opts.timeZone)));
  }
  await eraseRows(sql, subject, keys);
}
