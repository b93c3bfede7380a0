// What every platform channel gets from the app and gives back (bot/app.ts starts each one the
// same way): Telegram, the Zalo OA and the Zalo Bot.
import type { FastifyInstance } from 'fastify';
import type { Content } from '../../content/types.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { createInbox, type Inbox } from './inbox/inbox.ts';
import type { Channel, ChannelName, Turns } from './types.ts';

export interface ChannelDeps {
  app: FastifyInstance;
  engine: Turns;
  log: Logger;
  metrics: Metrics;
  prisma: PrismaClient;
  /** ADDRESS_KEY: encrypts the stored tokens and the queued events. */
  addressKey: Buffer;
  /** For the crisis check of messages that get no turn (anonymous OA senders). */
  content?: Content;
}

export interface ChannelHandle {
  channel: Channel;
  /** What reminders are sent through, when it differs (never waiting out a 429 itself). */
  bulkChannel?: Channel;
  stop(): Promise<void>;
  /** Work that needs the HTTP server up: setWebhook, polling, token refresh. */
  afterListen(): Promise<void>;
  /** Null when ready; else why not (shown by /readyz). */
  readiness(): string | null;
}

/** A Zalo channel's durable inbox: each event's turn runs through the engine, and an event the
 * inbox cannot record (database down) still gets crisis guidance. */
export function inboxFor(deps: ChannelDeps, name: ChannelName, channel: Channel): Inbox {
  const { engine } = deps;
  return createInbox({
    prisma: deps.prisma,
    addressKey: deps.addressKey,
    channel: name,
    log: deps.log,
    metrics: deps.metrics,
    subjectOf: (address) => engine.subjectOf(name, address),
    handle: async (event, truncated) => {
      await engine.handle(event, channel, truncated);
    },
    crisisFallback: (event) => engine.crisisWithoutDatabase(event, channel),
  });
}
