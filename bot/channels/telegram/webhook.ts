// POST /webhooks/telegram (bot/channels/webhook-secret.ts): the shape, then one turn. 200 once
// the turn is committed; its replies go out from the outbox meanwhile.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import { registerSecretWebhook } from '../webhook-secret.ts';
import { type TelegramUpdate, UpdateSchema } from './parse.ts';

export const WEBHOOK_PATH = '/webhooks/telegram';

export function registerWebhook(app: FastifyInstance, secret: string, log: Logger, process: (update: TelegramUpdate, viaWebhook: true) => Promise<unknown>): void {
  const header = 'x-telegram-bot-api-secret-token';
  const accept = async (body: unknown) => {
    const parsed = UpdateSchema.safeParse(body);
    if (parsed.success) return process(parsed.data, true);
    // The field path only: values may be personal.
    log.warn({ channel: 'telegram', where: parsed.error.issues[0]?.path.join('.') || '(top level)' }, 'telegram webhook: not an update');
    return 'invalid';
  };
  registerSecretWebhook(app, { channel: 'telegram', path: WEBHOOK_PATH, header, secret, log, body: 'json', accept });
}
