// POST /webhooks/zalo-bot: X-Bot-Api-Secret-Token first (constant time, before the body is read),
// then the shape (wrapped or not), then one INSERT into the inbox and 200 at once.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import { secretHeaderCheck } from '../webhook-secret.ts';
import { parseExactJson } from '../inbox/exact-json.ts';
import type { IntakeOutcome } from './intake.ts';

export const WEBHOOK_PATH = '/webhooks/zalo-bot';
const SECRET_HEADER = 'x-bot-api-secret-token';

export interface BotWebhookDeps {
  secret: string;
  log: Logger;
  accept: (body: unknown) => Promise<IntakeOutcome>;
}

export function registerBotWebhook(app: FastifyInstance, deps: BotWebhookDeps): void {
  app.register(async (scope) => {
    // This scope only: bytes in, parsed here keeping ids and numbers exact.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(
      WEBHOOK_PATH,
      {
        onRequest: secretHeaderCheck(SECRET_HEADER, deps.secret, (reason) => deps.log.warn({ channel: 'zalo-bot', reason }, 'zalo-bot webhook: refused (401)')),
      },
      async (req, reply) => {
        let body: unknown;
        try {
          body = parseExactJson(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
        } catch {
          return reply.code(400).send({ error: 'Bad request' });
        }
        const outcome = await deps.accept(body);
        if (outcome === 'invalid') return reply.code(400).send({ error: 'Bad request' });
        return reply.code(200).send({ ok: true });
      },
    );
  });
}
