// Zalo Official Account wiring: token store (seeded from the environment), sender, the durable
// inbox that runs turns after the webhook has answered, and the webhook route. The webhook URL
// itself is set by hand in Zalo's developer console (README "Connecting Zalo").
import type { FastifyInstance } from 'fastify';
import type { Content } from '../../../content/types.ts';
import { detectCrisis } from '../../../flows/crisis.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import type { Config } from '../../config.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import { createInbox } from '../inbox/inbox.ts';
import type { Channel } from '../types.ts';
import { OaApi } from './api.ts';
import { ZaloOaChannel } from './send.ts';
import { OaTokenStore } from './tokens.ts';
import { registerOaWebhook } from './webhook.ts';

export interface ZaloDeps {
  app: FastifyInstance;
  engine: Engine;
  config: Config;
  log: Logger;
  metrics: Metrics;
  prisma: PrismaClient;
  /** ADDRESS_KEY: encrypts the stored tokens and the queued events. */
  addressKey: Buffer;
  /** For the crisis check of messages that get no turn (anonymous OA senders). */
  content?: Content;
}

export interface ZaloHandle {
  channel: Channel;
  stop(): Promise<void>;
  afterListen(): Promise<void>;
  /** Null when ready; else why not (shown by /readyz). */
  readiness(): string | null;
}

export async function startZaloOa(deps: ZaloDeps): Promise<ZaloHandle & { tokens: OaTokenStore }> {
  const { app, engine, config, log, metrics, prisma, addressKey } = deps;
  const appId = config.ZALO_APP_ID;
  const secretKey = config.ZALO_OA_SECRET_KEY;
  if (!appId || !secretKey) throw new Error('startZaloOa needs ZALO_APP_ID and ZALO_OA_SECRET_KEY');
  const subjectOf = (userId: string) => engine.subjectOf('zalo-oa', userId);

  const api = new OaApi({ apiRoot: config.ZALO_OA_API_ROOT, oauthRoot: config.ZALO_OAUTH_ROOT, appId, appSecret: config.ZALO_APP_SECRET });
  const tokens = new OaTokenStore({
    prisma,
    addressKey,
    log,
    api,
    appId,
    seed: { accessToken: config.ZALO_OA_ACCESS_TOKEN, refreshToken: config.ZALO_OA_REFRESH_TOKEN },
  });
  await tokens.init();
  const problem = tokens.readiness();
  if (problem) log.error({ channel: 'zalo-oa', problem }, 'zalo-oa is not ready to send');

  const channel = new ZaloOaChannel({ api, tokens, prisma, log, subjectOf });
  const inbox = createInbox({
    prisma,
    addressKey,
    channel: 'zalo-oa',
    log,
    metrics,
    handle: async (event, truncated) => {
      await engine.handle(event, channel, truncated);
    },
  });
  const content = deps.content;
  registerOaWebhook(app, {
    appId,
    secretKey,
    log,
    metrics,
    inbox,
    subjectOf,
    ...(content ? { crisisTier: (text: string) => detectCrisis(text, content) } : {}),
    crisisFallback: (event) => engine.crisisWithoutDatabase(event, channel),
  });

  return {
    channel,
    tokens,
    readiness: () => tokens.readiness(),
    async afterListen() {
      tokens.start();
      log.info({ channel: 'zalo-oa' }, 'zalo-oa webhook ready');
    },
    async stop() {
      tokens.stop();
      await inbox.stop();
    },
  };
}
