// zalo_oa_token: the OA access/refresh pair, both sealed by the caller (bot/channels/zalo-oa/
// tokens.ts), one row per app, shared by every instance. A refresh reads the row under its lock
// (`lockToken` in a transaction) so the single-use refresh token is spent once.
import type { Sql } from './sql.ts';

export interface TokenRow {
  appId: string;
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  expiresAt: Date;
  version: number;
  seedHash: string | null;
  refreshedAt: Date | null;
  lastError: string | null;
  failedAt: Date | null;
  failures: number;
  updatedAt: Date;
}

export interface SealedPair {
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  expiresAt: Date;
}

const TOKEN = `app_id AS "appId", access_token_enc AS "accessTokenEnc", refresh_token_enc AS "refreshTokenEnc",
  expires_at AS "expiresAt", version, seed_hash AS "seedHash", refreshed_at AS "refreshedAt", last_error AS "lastError",
  failed_at AS "failedAt", failures, updated_at AS "updatedAt"`;

/** Stores the pair from the environment unless the same seed (by its keyed hash) is stored
 * already; a new seed clears the failure record. True when written. */
export async function seedToken(sql: Sql, appId: string, pair: SealedPair, seedHash: string): Promise<boolean> {
  const written = await sql.rows(
    'token_seed',
    `INSERT INTO zalo_oa_token (app_id, access_token_enc, refresh_token_enc, expires_at, seed_hash)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (app_id) DO UPDATE SET
       access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
       expires_at = EXCLUDED.expires_at, seed_hash = EXCLUDED.seed_hash, version = zalo_oa_token.version + 1,
       last_error = NULL, failed_at = NULL, failures = 0, updated_at = now()
     WHERE zalo_oa_token.seed_hash IS DISTINCT FROM EXCLUDED.seed_hash
     RETURNING 1`,
    [appId, pair.accessTokenEnc, pair.refreshTokenEnc, pair.expiresAt, seedHash],
  );
  return written.length > 0;
}

export async function readToken(sql: Sql, appId: string): Promise<TokenRow | null> {
  const rows = await sql.rows<TokenRow>('token_read', `SELECT ${TOKEN} FROM zalo_oa_token WHERE app_id = $1`, [appId]);
  return rows[0] ?? null;
}

/** The row, locked until the transaction ends: other instances wait, then see the new pair. */
export async function lockToken(sql: Sql, appId: string): Promise<TokenRow | null> {
  const rows = await sql.rows<TokenRow>('token_lock', `SELECT ${TOKEN} FROM zalo_oa_token WHERE app_id = $1 FOR UPDATE`, [appId]);
  return rows[0] ?? null;
}

/** A refreshed pair: the version moves on and the failure record is cleared. */
export async function saveRefreshedToken(sql: Sql, appId: string, pair: SealedPair & { version: number }, now: Date): Promise<TokenRow> {
  const rows = await sql.rows<TokenRow>(
    'token_save_refreshed',
    `UPDATE zalo_oa_token SET access_token_enc = $2, refresh_token_enc = $3, expires_at = $4, version = $5,
       refreshed_at = $6, last_error = NULL, failed_at = NULL, failures = 0, updated_at = $6
     WHERE app_id = $1 RETURNING ${TOKEN}`,
    [appId, pair.accessTokenEnc, pair.refreshTokenEnc, pair.expiresAt, pair.version, now],
  );
  return only(rows);
}

/** A failed refresh, counted, so every instance waits before the next try. */
export async function noteTokenFailure(sql: Sql, appId: string, reason: string, failures: number, now: Date): Promise<TokenRow> {
  const rows = await sql.rows<TokenRow>(
    'token_note_failure',
    `UPDATE zalo_oa_token SET last_error = $2, failed_at = $4, failures = $3, updated_at = $4 WHERE app_id = $1 RETURNING ${TOKEN}`,
    [appId, reason, failures, now],
  );
  return only(rows);
}

function only(rows: TokenRow[]): TokenRow {
  // The row was locked by this transaction: it cannot have gone.
  if (!rows[0]) throw new Error('zalo_oa_token: the row is gone');
  return rows[0];
}
