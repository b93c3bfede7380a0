// The Zalo OA Channel: the 7-day window first (no call to Zalo outside it), then each rendered
// part through /v3.0/oa/message/cs, with every answer checked for `error !== 0`:
// -216/-220 refresh the token once and retry once; -32 backs off (bounded) and retries; the
// window codes return outside_window; 5xx and network failures get one retry. Nothing about the
// person (address, text) or the token is ever logged.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import type { Logger } from '../../logger.ts';
import type { Channel, OutboundMessage, SendResult } from '../types.ts';
import type { OaApi } from './api.ts';
import { classifyOaError, msUntilNightBanEnds } from './errors.ts';
import { type OaMessageBody, renderOa } from './render.ts';
import type { OaTokenStore } from './tokens.ts';

/** Zalo rejects consultation messages 7 days after the person's last interaction. */
export const WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

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

  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    if (await this.outsideWindow(address)) {
      this.o.log.info({ channel: 'zalo-oa' }, 'zalo-oa send skipped: outside the 7-day window');
      return { ok: false, reason: 'outside_window' };
    }
    let last: SendResult = { ok: true };
    for (const part of renderOa(message)) {
      last = await this.sendPart(address, part);
      if (!last.ok) return last;
    }
    return last;
  }

  /** The contact's last inbound time (kept by the engine every turn). No row: nothing known, so try. */
  private async outsideWindow(address: string): Promise<boolean> {
    // Without the database (crisis guidance, see bot/engine) the window is unknown: try.
    const contact = await this.o.prisma.contact
      .findUnique({ where: { subjectKey: this.o.subjectOf(address) }, select: { lastInboundAt: true } })
      .catch(() => null);
    const last = contact?.lastInboundAt;
    return Boolean(last && this.now().getTime() - last.getTime() > WINDOW_MS);
  }

  private async sendPart(address: string, part: OaMessageBody): Promise<SendResult> {
    const { api, tokens, log } = this.o;
    const maxWait = this.o.maxRateLimitWaitMs ?? 10_000;
    let backoff = this.o.rateLimitBackoffMs ?? 1000;
    let waited = 0;
    let refreshed = false;
    let retried = false;
    for (;;) {
      const token = await tokens.current();
      if (!token) {
        log.warn({ channel: 'zalo-oa', problem: tokens.readiness() }, 'zalo-oa send failed: no usable access token');
        return { ok: false, reason: 'transient' };
      }
      const r = await api.sendCs(token.token, address, part);
      if (r.kind === 'ok') return r.messageId ? { ok: true, messageId: r.messageId } : { ok: true };
      if (r.kind === 'network' || (r.kind === 'http' && r.status >= 500) || (r.kind === 'error' && classifyOaError(r.code) === 'transient')) {
        if (!retried) {
          retried = true;
          await sleep(this.o.transientRetryDelayMs ?? 500);
          continue;
        }
        log.warn(
          { channel: 'zalo-oa', failure: r.kind, status: r.kind === 'http' ? r.status : undefined, code: r.kind === 'error' ? r.code : undefined, error: r.kind === 'network' ? r.name : undefined },
          'zalo-oa send failed: transient',
        );
        return { ok: false, reason: 'transient' };
      }
      const failure = r.kind === 'http' ? (r.status === 429 ? 'rate_limited' : 'invalid') : classifyOaError(r.code);
      const code = r.kind === 'error' ? r.code : undefined;
      const status = r.kind === 'http' ? r.status : 200;
      switch (failure) {
        case 'transient':
          return { ok: false, reason: 'transient' };
        case 'token': {
          if (!refreshed) {
            refreshed = true;
            log.info({ channel: 'zalo-oa', code }, 'zalo-oa access token rejected; refreshing');
            if (await tokens.refreshAfterRejection(token.version)) continue;
          }
          log.warn({ channel: 'zalo-oa', code }, 'zalo-oa send failed: access token rejected');
          return { ok: false, reason: 'transient' };
        }
        case 'rate_limited':
          if (waited + backoff <= maxWait) {
            await sleep(backoff);
            waited += backoff;
            backoff *= 2;
            continue;
          }
          log.warn({ channel: 'zalo-oa', code, status, waitedMs: waited }, 'zalo-oa rate limit: giving up on this message');
          return { ok: false, reason: 'rate_limited', retryAfterMs: backoff };
        case 'night_ban':
          log.info({ channel: 'zalo-oa', code }, 'zalo-oa send refused until 06:00');
          return { ok: false, reason: 'rate_limited', retryAfterMs: msUntilNightBanEnds(this.now()) };
        case 'outside_window':
          log.info({ channel: 'zalo-oa', code }, 'zalo-oa send failed: outside the messaging window');
          return { ok: false, reason: 'outside_window' };
        case 'blocked':
          log.info({ channel: 'zalo-oa', code }, 'zalo-oa send failed: the person restricted these messages');
          return { ok: false, reason: 'blocked' };
        case 'invalid':
          log.warn({ channel: 'zalo-oa', code, status }, 'zalo-oa send failed: invalid');
          return { ok: false, reason: 'invalid' };
      }
    }
  }
}
