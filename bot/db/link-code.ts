// link_code and link_attempt: one-time codes that take a web member's club memberships to a
// chat identity (bot/clubs/link-code.ts), and the count of wrong codes per chat identity.
// Codes are looked up only by their HMAC; the code itself never reaches a table.
import type { Sql } from './sql.ts';

/** A visitor holds one live code at a time: a new one replaces the old. */
export async function replaceLinkCode(sql: Sql, hash: string, subject: string, expiresAt: Date): Promise<void> {
  await sql.rows('link_code_clear', 'DELETE FROM link_code WHERE subject_key = $1 RETURNING 1', [subject]);
  await sql.rows('link_code_insert', 'INSERT INTO link_code (code_hash, subject_key, expires_at) VALUES ($1, $2, $3) RETURNING 1', [hash, subject, expiresAt]);
}

/** The web subject a live code belongs to, or null (unknown, expired or used). `take` uses the
 * code up: deleted as it is read, so two sends of it move nothing twice. */
export async function linkCodeOwner(sql: Sql, hash: string, now: Date, take = false): Promise<string | null> {
  const rows = take
    ? await sql.rows<{ subject: string }>('link_code_take', 'DELETE FROM link_code WHERE code_hash = $1 AND expires_at > $2 RETURNING subject_key AS subject', [hash, now])
    : // Locked for the turn (read and take run in one transaction): a second chat sending the same
      // code at once waits, then finds it used, and is told so, not "moved".
      await sql.rows<{ subject: string }>('link_code_find', 'SELECT subject_key AS subject FROM link_code WHERE code_hash = $1 AND expires_at > $2 FOR UPDATE', [hash, now]);
  return rows[0]?.subject ?? null;
}

export async function deleteLinkCodesOf(sql: Sql, subject: string): Promise<void> {
  await sql.rows('link_code_delete_subject', 'DELETE FROM link_code WHERE subject_key = $1 RETURNING 1', [subject]);
}

/** Wrong codes this chat identity sent since `since` (the current window). */
export async function linkFailures(sql: Sql, subject: string, since: Date): Promise<number> {
  const rows = await sql.rows<{ failures: number }>(
    'link_attempt_read',
    'SELECT failures FROM link_attempt WHERE subject_key = $1 AND window_start > $2',
    [subject, since],
  );
  return rows[0]?.failures ?? 0;
}

/** One more wrong code; a window older than `since` starts again from this one. */
export async function recordLinkFailure(sql: Sql, subject: string, now: Date, since: Date): Promise<void> {
  await sql.rows(
    'link_attempt_fail',
    `INSERT INTO link_attempt (subject_key, failures, window_start) VALUES ($1, 1, $2)
     ON CONFLICT (subject_key) DO UPDATE SET
       failures = CASE WHEN link_attempt.window_start > $3 THEN link_attempt.failures + 1 ELSE 1 END,
       window_start = CASE WHEN link_attempt.window_start > $3 THEN link_attempt.window_start ELSE $2 END
     RETURNING 1`,
    [subject, now, since],
  );
}

export async function clearLinkFailures(sql: Sql, subject: string): Promise<void> {
  await sql.rows('link_attempt_clear', 'DELETE FROM link_attempt WHERE subject_key = $1 RETURNING 1', [subject]);
}

/** Retention: expired codes, and attempt windows that no longer refuse anyone. */
export async function purgeLinkRows(sql: Sql, now: Date, windowStartBefore: Date): Promise<number> {
  const codes = await sql.rows('link_code_purge', 'DELETE FROM link_code WHERE expires_at <= $1 RETURNING 1', [now]);
  const attempts = await sql.rows('link_attempt_purge', 'DELETE FROM link_attempt WHERE window_start <= $1 RETURNING 1', [windowStartBefore]);
  return codes.length + attempts.length;
}
