// The Zalo OA Channel: the 7-day window first (no call to Zalo outside it), then each rendered
// part through /v3.0/oa/message/cs, with every answer checked for `error !== 0`:
// -216/-220 refresh the token once and retry once; -32 backs off (bounded) and retries; the
// window codes return outside_window; 5xx and network failures get one retry. Nothing about the
// person (address, text) or the token is ever logged.
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { poolOf } from '../../db/client.ts';
import { lastInboundAt } from '../../db/contact.ts';
import { pgSql } from '../../db/sql.ts';
import type { Logger } from '../../logger.ts';
import { policyOf, sendParts, sendWithRetry, type Verdict } from '../retry.ts';
import type { Channel, OutboundMessage, PartProgress, SendResult } from '../types.ts';
import type { OaApi } from './api.ts';
import { classifyOaError, msUntilNightBanEnds } from './errors.ts';
import { type OaMessageBody, renderOa } from './render.ts';
import type { OaTokenStore } from './tokens.ts';
import { outsideWindow } from './window.ts';


export interface ZaloOaChannelOptions {
  api: OaApi;
  tokens: OaTokenStore;
  prisma: PrismaClient;
  log: Logger;
  subjectOf: (address: string) => string;
  /** Longest total wait on -32 for one message before giving up as rate_limited. */
  maxRateLimitWaitMs?: number;
  /** First pause after -32; doubles each time. */
  rateLimitBackoffMs?: number;
  transientRetryDelayMs?: number;
  now?: () => Date;
}

export class ZaloOaChannel implements Channel {
  readonly name = 'zalo-oa' as const;
  private readonly o: ZaloOaChannelOptions;
  private readonly now: () => Date;

  constructor(options: ZaloOaChannelOptions) {
    this.o = options;
    this.now = options.now ?? (() => new Date());
  }

  async send(address: string, message: OutboundMessage, progress?: PartProgress): Promise<SendResult> {
    if (await this.outsideWindow(address)) {
      this.o.log.info({ channel: 'zalo-oa' }, 'zalo-oa send skipped: outside the 7-day window');
      return { ok: false, reason: 'outside_window' };
    }
    return sendParts(renderOa(message), (part) => this.sendPart(address, part), progress);
  }

  /** The contact's last inbound time (kept by the engine every turn). */
  private async outsideWindow(address: string): Promise<boolean> {
    // Without the database (crisis guidance, see bot/engine) the window is unknown: try.
    const last = await lastInboundAt(pgSql(poolOf(this.o.prisma)), this.o.subjectOf(address)).catch(() => null);
    return outsideWindow('zalo-oa', last, this.now());
  }

  private sendPart(address: string, part: OaMessageBody): Promise<SendResult> {
    const { api, tokens, log } = this.o;
    let token: { token: string; version: number } | null = null;
    let refreshed = false;
    return sendWithRetry(
      'zalo-oa',
      log,
      async () => {
        token = await tokens.current();
        return token ? await api.sendCs(token.token, address, part) : null;
      },
      async (r): Promise<Verdict> => {
        if (!r || !token) return { kind: 'transient', detail: { problem: tokens.readiness() } };
        if (r.kind === 'ok') return r.messageId ? { kind: 'ok', messageId: r.messageId } : { kind: 'ok' };
        if (r.kind === 'network') return { kind: 'transient', detail: { failure: r.kind, error: r.name } };
        if (r.kind === 'http') {
          if (r.status >= 500) return { kind: 'transient', detail: { failure: r.kind, status: r.status } };
          return r.status === 429 ? { kind: 'rate_limited', detail: { status: r.status } } : { kind: 'invalid', detail: { status: r.status } };
        }
        const code = r.code;
        const failure: string = classifyOaError(code);
        switch (failure) {
          case 'token':
            if (!refreshed) {
              refreshed = true;
              log.info({ channel: 'zalo-oa', code }, 'zalo-oa access token rejected; refreshing');
              if (await tokens.refreshAfterRejection(token.version)) return { kind: 'again' };
            }
            return { kind: 'transient', detail: { code, problem: 'access token rejected' } };
          case 'rate_limited':
            return { kind: 'rate_limited', detail: { code } };
          case 'night_ban':
            // Refused until 06:00: the outbox waits that long.
            return { kind: 'rate_limited', retryAfterMs: msUntilNightBanEnds(this.now()), detail: { code } };
          case 'outside_window':
          case 'blocked':
          case 'transient':
            return { kind: failure, detail: { code } };
          default:
            return { kind: 'invalid', detail: { code } };
        }
      },
      policyOf(this.o),
    );
  }
}
