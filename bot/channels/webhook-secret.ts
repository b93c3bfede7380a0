// The webhooks of Telegram and the Zalo Bot: a secret-token header, checked in constant time
// before the body is even read (without it anyone could post updates as any chat), then the
// channel's own reading of the body. 400 for a body that is not an update, 200 once accepted,
// 500 when accepting failed, so the platform delivers again (the engine's dedupe makes that safe).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.ts';
import { matchesSecret } from '../privacy/compare.ts';
import type { ChannelName } from './types.ts';

export interface SecretWebhook {
  channel: ChannelName;
  path: string;
  /** The header that carries the secret. */
  header: string;
  secret: string;
  log: Logger;
  /** 'json': Fastify parses the body; 'text': `accept` gets the raw text (to keep big ids exact). */
  body: 'json' | 'text';
  /** 'invalid' answers 400; anything else 200, with a WebhookReply as the response body. */
  accept(body: unknown): Promise<unknown>;
}

/** A Bot API call made in the webhook's response (Telegram runs it; its result is not known). */
export class WebhookReply {
  readonly body: { method: string } & Record<string, unknown>;
  constructor(body: { method: string } & Record<string, unknown>) {
    this.body = body;
  }
}

export function registerSecretWebhook(app: FastifyInstance, w: SecretWebhook): void {
  app.register(async (scope) => {
    if (w.body === 'text') {
      // This scope only: the text as it came, for the channel's own parser.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    }
    const refused = (reason: string) => w.log.warn({ channel: w.channel, reason }, 'webhook: refused (401)');
    scope.post(w.path, { onRequest: secretHeaderCheck(w.header, w.secret, refused) }, async (req, reply) => {
      const accepted = await w.accept(req.body);
      if (accepted === 'invalid') return reply.code(400).send({ error: 'Bad request' });
      return reply.code(200).send(accepted instanceof WebhookReply ? accepted.body : { ok: true });
    });
  });
}

/** An onRequest hook answering 401 unless `header` carries `secret`; `refused` hears why (never the value). */
export function secretHeaderCheck(header: string, secret: string, refused?: (why: 'secret mismatch' | 'secret missing') => void) {
  const matches = matchesSecret(secret);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const got = req.headers[header];
    if (typeof got !== 'string' || !matches(got)) {
      refused?.(typeof got === 'string' ? 'secret mismatch' : 'secret missing');
      return reply.code(401).send({ error: 'Unauthorized' });
    }
  };
}
