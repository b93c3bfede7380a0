// POST /webhooks/telegram: the secret header first (before the body is even read), then the
// shape, then one turn. 200 only after the turn is committed; a failure answers 500 so Telegram
// delivers the update again (the engine's dedupe makes that safe).
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import { secretHeaderCheck } from '../webhook-secret.ts';
import { type TelegramUpdate, UpdateSchema } from './parse.ts';

export const WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookDeps {
  secret: string;
  log: Logger;
  process: (update: TelegramUpdate) => Promise<void>;
}

export function registerWebhook(app: FastifyInstance, deps: WebhookDeps): void {
  app.post(
    WEBHOOK_PATH,
    { onRequest: secretHeaderCheck(SECRET_HEADER, deps.secret) },
    async (req, reply) => {
      const parsed = UpdateSchema.safeParse(req.body);
      if (!parsed.success) {
        // The field path only: values may be personal.
        const where = parsed.error.issues[0]?.path.join('.') || '(top level)';
        deps.log.warn({ channel: 'telegram', where }, 'telegram webhook: not an update');
        return reply.code(400).send({ error: 'Bad request' });
      }
      await deps.process(parsed.data);
      return reply.code(200).send({ ok: true });
    },
  );
}
