// consent: a person's yes (or withdrawal) per purpose.
import type { Sql } from './sql.ts';

export async function grantConsent(sql: Sql, subject: string, purpose: string, now: Date): Promise<void> {
  await sql.rows(
    'consent_grant',
    `INSERT INTO consent (subject_key, purpose, granted_at) VALUES ($1, $2, $3)
     ON CONFLICT (subject_key, purpose) DO UPDATE SET granted_at = EXCLUDED.granted_at, withdrawn_at = NULL RETURNING 1`,
    [subject, purpose, now],
  );
}

export async function withdrawConsent(sql: Sql, subject: string, purpose: string, now: Date): Promise<void> {
  await sql.rows('consent_withdraw', 'UPDATE consent SET withdrawn_at = $3 WHERE subject_key = $1 AND purpose = $2 RETURNING 1', [subject, purpose, now]);
}

/** The consent goes with nothing left to consent to (memberships moved to another identity):
 * no row, so no withdrawal time that could be matched with the other identity's grant. */
export async function dropConsent(sql: Sql, subject: string, purpose: string): Promise<void> {
  await sql.rows('consent_drop', 'DELETE FROM consent WHERE subject_key = $1 AND purpose = $2 RETURNING 1', [subject, purpose]);
}

/** Withdraw the purposes still granted (a withdrawal already recorded keeps its time). */
export async function withdrawIfGranted(sql: Sql, subject: string, purposes: string[], now: Date): Promise<void> {
  await sql.rows(
    'consent_withdraw_granted',
    'UPDATE consent SET withdrawn_at = $3 WHERE subject_key = $1 AND purpose = ANY($2::text[]) AND withdrawn_at IS NULL RETURNING 1',
    [subject, purposes, now],
  );
}
