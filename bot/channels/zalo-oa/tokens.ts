// The OA access/refresh pair, in the database (zalo_oa_token, both encrypted), shared by every
// instance. The refresh token is single-use, so a refresh happens only under the row's lock
// (SELECT … FOR UPDATE) and the new pair is written in that same transaction: an instance that
// waited on the lock finds the new version and uses it instead of refreshing again. Refreshes
// happen ahead of expiry (a periodic check) and when Zalo rejects the token (-216/-220). A
// failed refresh is logged loudly, reported by /readyz and retried only after a growing pause
// that every instance honours (failed_at, failures), never in a loop.
import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { poolOf } from '../../db/client.ts';
import { inTransaction, pgSql, type Sql } from '../../db/sql.ts';
import { lockToken, noteTokenFailure, readToken, saveRefreshedToken, seedToken, type TokenRow } from '../../db/token.ts';
import type { Logger } from '../../logger.ts';
import { decrypt, encrypt } from '../../privacy/crypto.ts';
import type { OaApi } from './api.ts';

export interface TokenStoreOptions {
  prisma: PrismaClient;
  addressKey: Buffer;
  log: Logger;
  api: OaApi;
  appId: string;
  /** ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN: seed the row on first start (or when changed). */
  seed: { accessToken?: string | undefined; refreshToken?: string | undefined };
  /** Refresh when the access token has less than this left. */
  refreshAheadMs?: number;
  /** How often to check the expiry (and pick up other instances' failures for /readyz). */
  checkEveryMs?: number;
  now?: () => Date;
}

export interface AccessToken {
  token: string;
  version: number;
}

type Row = TokenRow;

/** Access tokens live 25 hours; a seeded one is assumed fresh (a -216 corrects that). */
const SEEDED_LIFETIME_MS = 25 * 60 * 60 * 1000;

function failureBackoffMs(failures: number): number {
  return Math.min(60 * 60 * 1000, 30_000 * 2 ** Math.max(0, failures - 1));
}

export class OaTokenStore {
  private readonly o: TokenStoreOptions;
  /** On the pool: a send reads the row every time, and never opens the Prisma client. */
  private readonly sql: Sql;
  private readonly aheadMs: number;
  private readonly now: () => Date;
  private decoded: AccessToken | null = null;
  private inflight: Promise<AccessToken | null> | null = null;
  private backoffUntil = 0;
  private problem: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: TokenStoreOptions) {
    this.o = options;
    this.sql = pgSql(poolOf(options.prisma));
    this.aheadMs = options.refreshAheadMs ?? 60 * 60 * 1000;
    this.now = options.now ?? (() => new Date());
  }

  /** Seed the row from the environment when there is none, or when the environment holds a new pair. */
  async init(): Promise<void> {
    const { accessToken, refreshToken } = this.o.seed;
    if (accessToken || refreshToken) {
      const key = this.o.addressKey;
      const seedHash = createHmac('sha256', key).update(`zalo-oa-seed\n${accessToken ?? ''}\n${refreshToken ?? ''}`).digest('hex');
      // Without an access token the seeded row is expired at once, so the first use refreshes.
      const expiresAt = new Date(accessToken ? this.now().getTime() + SEEDED_LIFETIME_MS : 0);
      const pair = { accessTokenEnc: encrypt(key, accessToken ?? ''), refreshTokenEnc: refreshToken ? encrypt(key, refreshToken) : null, expiresAt };
      const seeded = await seedToken(this.sql, this.o.appId, pair, seedHash);
      if (seeded) this.o.log.info({ channel: 'zalo-oa' }, 'zalo-oa token pair stored from the environment');
    }
    this.note(await this.read());
  }

  start(checkEveryMs = this.o.checkEveryMs ?? 60_000): void {
    this.timer = setInterval(() => {
      this.current().catch((err: Error) => this.o.log.warn({ channel: 'zalo-oa', err: { name: err.name } }, 'zalo-oa token check failed'));
    }, checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Null when ready; otherwise what an operator must fix. */
  readiness(): string | null {
    return this.problem;
  }

  /** The token to send with, refreshed first when it is about to expire. Null when there is none. */
  async current(): Promise<AccessToken | null> {
    let row: Row | null;
    try {
      row = await this.read();
    } catch (err) {
      // Database down: the token last read still works for crisis guidance (bot/engine).
      if (this.decoded?.token) return this.decoded;
      throw err;
    }
    this.note(row);
    if (!row) return null;
    const token = this.decode(row);
    if (row.expiresAt.getTime() - this.now().getTime() > this.aheadMs) return token;
    // Expiring: refresh; if that cannot happen now, the old token may still work for a while.
    return (await this.refresh('expiring', null)) ?? token;
  }

  /** Zalo rejected `version` (-216/-220): refresh unless someone already did. */
  refreshAfterRejection(version: number): Promise<AccessToken | null> {
    return this.refresh('rejected', version);
  }

  private async refresh(reason: 'expiring' | 'rejected', staleVersion: number | null): Promise<AccessToken | null> {
    // One refresh at a time per instance; across instances the row lock does the same.
    if (this.inflight) {
      const joined = await this.inflight;
      // That one may have settled for the very token Zalo just rejected: then look again.
      if (!(reason === 'rejected' && joined?.version === staleVersion)) return joined;
      if (this.inflight) return this.inflight;
    }
    if (this.now().getTime() < this.backoffUntil) return null;
    this.inflight = this.refreshLocked(reason, staleVersion).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refreshLocked(reason: 'expiring' | 'rejected', staleVersion: number | null): Promise<AccessToken | null> {
    const { appId, log } = this.o;
    let obtained = false;
    try {
      return await inTransaction(
        poolOf(this.o.prisma),
        30_000,
        async (tx) => {
          const row = await lockToken(tx, appId);
          this.note(row);
          if (!row) return null;
          const now = this.now();
          const fresh = row.expiresAt.getTime() - now.getTime() > this.aheadMs;
          const rejectedThisOne = reason === 'rejected' && row.version === staleVersion;
          // Another instance (or an earlier turn) refreshed while we waited for the lock.
          if (fresh && !rejectedThisOne) return this.decode(row);
          if (row.failedAt && now.getTime() - row.failedAt.getTime() < failureBackoffMs(row.failures)) {
            this.backoffUntil = row.failedAt.getTime() + failureBackoffMs(row.failures);
            return null;
          }
          const result = row.refreshTokenEnc
            ? await this.o.api.refresh(decrypt(this.o.addressKey, row.refreshTokenEnc))
            : ({ ok: false, reason: 'no refresh token stored' } as const);
          if (result.ok) {
            obtained = true;
            const version = row.version + 1;
            const sealed = {
              accessTokenEnc: encrypt(this.o.addressKey, result.accessToken),
              refreshTokenEnc: encrypt(this.o.addressKey, result.refreshToken),
              expiresAt: new Date(now.getTime() + result.expiresInSeconds * 1000),
            };
            const updated = await saveRefreshedToken(tx, appId, { ...sealed, version }, now);
            this.note(updated);
            this.backoffUntil = 0;
            log.info({ channel: 'zalo-oa', reason, version, expiresInSeconds: result.expiresInSeconds }, 'zalo-oa access token refreshed');
            this.decoded = { token: result.accessToken, version };
            return this.decoded;
          }
          const failures = row.failures + 1;
          const retryInMs = failureBackoffMs(failures);
          const failed = await noteTokenFailure(tx, appId, result.reason, failures, now);
          this.note(failed);
          this.backoffUntil = now.getTime() + retryInMs;
          log.error(
            { channel: 'zalo-oa', reason, error: result.reason, failures, retryInMs },
            'ZALO OA TOKEN REFRESH FAILED: replies on Zalo OA will fail until a refresh succeeds; if this persists, re-authorise the app and set a new ZALO_OA_ACCESS_TOKEN/ZALO_OA_REFRESH_TOKEN pair',
          );
          return null;
        },
      );
    } catch (err) {
      const e = err as Error & { code?: string };
      // After Zalo issued a new pair, losing it means someone must re-authorise the app by hand.
      log.error({ channel: 'zalo-oa', err: { name: e.name, code: e.code }, obtained }, obtained ? 'ZALO OA TOKEN LOST: a refreshed pair could not be stored' : 'zalo-oa token refresh: database error');
      if (obtained) this.problem = 'zalo-oa: a refreshed token pair could not be stored; re-authorise the app';
      return null;
    }
  }

  private read(): Promise<Row | null> {
    return readToken(this.sql, this.o.appId);
  }

  private decode(row: Row): AccessToken | null {
    if (this.decoded?.version !== row.version) {
      this.decoded = { token: decrypt(this.o.addressKey, row.accessTokenEnc), version: row.version };
    }
    return this.decoded.token ? this.decoded : null;
  }

  /** What /readyz says, from the row every instance shares. */
  private note(row: Row | null): void {
    if (!row) this.problem = 'zalo-oa: no token pair stored; set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN';
    else if (row.failedAt) this.problem = `zalo-oa: access token refresh failed (${row.lastError ?? 'unknown'}) at ${row.failedAt.toISOString()}`;
    else if (!this.o.api.canRefresh) this.problem = 'zalo-oa: ZALO_APP_SECRET not set, so the access token cannot be refreshed';
    else if (!row.refreshTokenEnc) this.problem = 'zalo-oa: no refresh token stored; set ZALO_OA_REFRESH_TOKEN';
    else this.problem = null;
  }
}
