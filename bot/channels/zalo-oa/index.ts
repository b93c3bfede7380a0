// Zalo Official Account wiring: token store (seeded from the environment), sender, the durable
// inbox that runs turns after the webhook has answered, and the webhook route. The webhook URL
// itself is set by hand in Zalo's developer console (README "Connecting Zalo").
import { detectCrisis } from '../../../flows/crisis.ts';
import type { ZaloOaSettings } from '../../config.ts';
import { type ChannelDeps, type ChannelHandle, inboxFor } from '../wiring.ts';
import { OaApi } from './api.ts';
import { ZaloOaChannel } from './send.ts';
import { OaTokenStore } from './tokens.ts';
import { registerOaWebhook } from './webhook.ts';

export async function startZaloOa(deps: ChannelDeps, settings: ZaloOaSettings): Promise<ChannelHandle & { tokens: OaTokenStore }> {
  const { app, engine, log, metrics, prisma, addressKey } = deps;
  const { appId, secretKey } = settings;
  const subjectOf = (userId: string) => engine.subjectOf('zalo-oa', userId);

  const api = new OaApi({ apiRoot: settings.apiRoot, oauthRoot: settings.oauthRoot, appId, appSecret: settings.appSecret });
  const tokens = new OaTokenStore({ prisma, addressKey, log, api, appId, seed: settings.seed });
  await tokens.init();
  const problem = tokens.readiness();
  if (problem) log.error({ channel: 'zalo-oa', problem }, 'zalo-oa is not ready to send');

  const channel = new ZaloOaChannel({ api, tokens, prisma, log, subjectOf });
  const inbox = inboxFor(deps, 'zalo-oa', channel);
  const content = deps.content;
  registerOaWebhook(app, {
    appId,
    secretKey,
    log,
    metrics,
    inbox,
    subjectOf,
    ...(content ? { crisisTier: (text: string) => detectCrisis(text, content) } : {}),
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
