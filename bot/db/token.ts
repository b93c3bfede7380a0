// zalo_oa_token: the OA access/refresh pair, both sealed by the caller (bot/channels/zalo-oa/
// tokens.ts), one row per app, shared by every instance. A refresh reads the row under its lock
// (`lockToken` in a transaction) so the single-use refresh token is spent once.
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export type TokenRow = NonNullable<Awaited<ReturnType<PrismaClient['zaloOaToken']['findUnique']>>>;

export interface SealedPair {
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  expiresAt: Date;
}

/** Stores the pair from the environment unless the same seed (by its keyed hash) is stored
 * already; a new seed clears the failure record. True when written. */
export async function seedToken(db: Db, appId: string, pair: SealedPair, seedHash: string): Promise<boolean> {
  const written = await db.$executeRaw`
    INSERT INTO zalo_oa_token (app_id, access_token_enc, refresh_token_enc, expires_at, seed_hash)
    VALUES (${appId}, ${pair.accessTokenEnc}, ${pair.refreshTokenEnc}, ${pair.expiresAt}, ${seedHash})
    ON CONFLICT (app_id) DO UPDATE SET
      access_token_enc = EXCLUDED.access_token_enc, refresh_token_enc = EXCLUDED.refresh_token_enc,
      expires_at = EXCLUDED.expires_at, seed_hash = EXCLUDED.seed_hash, version = zalo_oa_token.version + 1,
      last_error = NULL, failed_at = NULL, failures = 0, updated_at = now()
    WHERE zalo_oa_token.seed_hash IS DISTINCT FROM EXCLUDED.seed_hash`;
  return written > 0;
}

export function readToken(db: Db, appId: string): Promise<TokenRow | null> {
  return db.zaloOaToken.findUnique({ where: { appId } });
}

/** The row, locked until the transaction ends: other instances wait, then see the new pair. */
export async function lockToken(tx: Prisma.TransactionClient, appId: string): Promise<TokenRow | null> {
  await tx.$queryRaw`SELECT app_id FROM zalo_oa_token WHERE app_id = ${appId} FOR UPDATE`;
  return readToken(tx, appId);
}

/** A refreshed pair: the version moves on and the failure record is cleared. */
export function saveRefreshedToken(tx: Prisma.TransactionClient, appId: string, pair: SealedPair & { version: number }, now: Date): Promise<TokenRow> {
  return tx.zaloOaToken.update({
    where: { appId },
    data: { ...pair, refreshedAt: now, lastError: null, failedAt: null, failures: 0, updatedAt: now },
  });
}

/** A failed refresh, counted, so every instance waits before the next try. */
export function noteTokenFailure(tx: Prisma.TransactionClient, appId: string, reason: string, failures: number, now: Date): Promise<TokenRow> {
  return tx.zaloOaToken.update({ where: { appId }, data: { lastError: reason, failedAt: now, failures, updatedAt: now } });
}
