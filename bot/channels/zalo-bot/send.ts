// The Zalo Bot Channel: sendMessage per rendered part, failures mapped onto SendResult.
// 429 backs off (bounded) and retries; 403 means blocked; 400/401/404 mean the request (or the
// token) is wrong; 408, 5xx and network failures get one retry.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import type { Channel, OutboundMessage, SendResult } from '../types.ts';
import type { BotApi } from './api.ts';
import { renderBot } from './render.ts';

export interface ZaloBotChannelOptions {
  api: BotApi;
  log: Logger;
  maxRateLimitWaitMs?: number;
  rateLimitBackoffMs?: number;
  transientRetryDelayMs?: number;
}

const Sent = z.looseObject({ message_id: z.union([z.string(), z.number()]).transform(String).optional() });

export class ZaloBotChannel implements Channel {
  readonly name = 'zalo-bot' as const;
  private readonly o: ZaloBotChannelOptions;

  constructor(options: ZaloBotChannelOptions) {
    this.o = options;
  }

  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    let last: SendResult = { ok: true };
    for (const text of renderBot(message)) {
      last = await this.sendOne(address, text);
      if (!last.ok) return last;
    }
    return last;
  }

  private async sendOne(address: string, text: string): Promise<SendResult> {
    const { api, log } = this.o;
    const maxWait = this.o.maxRateLimitWaitMs ?? 10_000;
    let backoff = this.o.rateLimitBackoffMs ?? 1000;
    let waited = 0;
    let retried = false;
    for (;;) {
      const r = await api.call('sendMessage', { chat_id: address, text });
      if (r.kind === 'ok') {
        const sent = Sent.safeParse(r.result);
        return sent.success && sent.data.message_id ? { ok: true, messageId: sent.data.message_id } : { ok: true };
      }
      const code = r.kind === 'error' ? r.code : null;
      if (code === 429) {
        if (waited + backoff <= maxWait) {
          await sleep(backoff);
          waited += backoff;
          backoff *= 2;
          continue;
        }
        log.warn({ channel: 'zalo-bot', code, waitedMs: waited }, 'zalo-bot rate limit: giving up on this message');
        return { ok: false, reason: 'rate_limited', retryAfterMs: backoff };
      }
      if (code === null || code === 408 || code >= 500) {
        if (!retried) {
          retried = true;
          await sleep(this.o.transientRetryDelayMs ?? 500);
          continue;
        }
        log.warn({ channel: 'zalo-bot', code, error: r.kind === 'network' ? r.name : undefined }, 'zalo-bot send failed: transient');
        return { ok: false, reason: 'transient' };
      }
      const description = r.kind === 'error' ? r.description : undefined;
      if (code === 403) {
        log.info({ channel: 'zalo-bot', code, description }, 'zalo-bot send failed: blocked');
        return { ok: false, reason: 'blocked' };
      }
      log[code === 401 || code === 404 ? 'error' : 'warn']({ channel: 'zalo-bot', code, description }, 'zalo-bot send failed: invalid');
      return { ok: false, reason: 'invalid' };
    }
  }
}
