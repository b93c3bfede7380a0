// POST /webhooks/zalo-bot (bot/channels/webhook-secret.ts): the shape (wrapped or not), read
// keeping ids and numbers exact, then one INSERT into the inbox and 200 at once.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import { parseExactJson } from '../inbox/exact-json.ts';
import { registerSecretWebhook } from '../webhook-secret.ts';
import type { IntakeOutcome } from './intake.ts';

export const WEBHOOK_PATH = '/webhooks/zalo-bot';

export function registerBotWebhook(app: FastifyInstance, secret: string, log: Logger, accept: (body: unknown) => Promise<IntakeOutcome>): void {
  const header = 'x-bot-api-secret-token';
  const acceptText = async (text: unknown) => {
    let body: unknown;
    try {
      body = parseExactJson(typeof text === 'string' ? text : '');
    } catch {
      return 'invalid';
    }
    // Outside the try: a failure to record is a 500 (delivered again), not a bad body.
    return accept(body);
  };
  registerSecretWebhook(app, { channel: 'zalo-bot', path: WEBHOOK_PATH, header, secret, log, body: 'text', accept: acceptText });
}
