// The Zalo Bot Channel: sendMessage per rendered part, failures mapped onto SendResult.
// 429 backs off (bounded) and retries; 403 means blocked; 400/401/404 mean the request (or the
// token) is wrong; 408, 5xx and network failures get one retry.
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { policyOf, sendParts, sendWithRetry, type Verdict } from '../retry.ts';
import type { Channel, OutboundMessage, PartProgress, SendResult } from '../types.ts';
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

  async send(address: string, message: OutboundMessage, progress?: PartProgress): Promise<SendResult> {
    return sendParts(renderBot(message), (text) => this.sendOne(address, text), progress);
  }

  private sendOne(address: string, text: string): Promise<SendResult> {
    return sendWithRetry('zalo-bot', this.o.log, () => this.o.api.call('sendMessage', { chat_id: address, text }), classifyBotAnswer, policyOf(this.o));
  }
}

type BotAnswer = Awaited<ReturnType<BotApi['call']>>;

/** 429 backs off; 408, 5xx and network failures are transient; 403 blocked; the rest invalid. */
export function classifyBotAnswer(r: BotAnswer): Verdict {
  if (r.kind === 'ok') {
    const sent = Sent.safeParse(r.result);
    return sent.success && sent.data.message_id ? { kind: 'ok', messageId: sent.data.message_id } : { kind: 'ok' };
  }
  const code = r.kind === 'error' ? r.code : null;
  const description = r.kind === 'error' ? r.description : undefined;
  if (code === 429) return { kind: 'rate_limited', detail: { code } };
  if (code === null || code === 408 || code >= 500) return { kind: 'transient', detail: { code, error: r.kind === 'network' ? r.name : undefined } };
  if (code === 403) return { kind: 'blocked', detail: { code, description } };
  return { kind: 'invalid', detail: { code, description } };
}
