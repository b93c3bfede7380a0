// POST /webhooks/zalo-oa. The raw body bytes are kept (this route's own parser) because the
// signature covers them exactly. Order: signature (constant time) before anything is recorded;
// then the shape; then one INSERT into the inbox and 200 at once. The turn runs afterwards, so
// Zalo gets its answer well inside 2 s whatever the flow does; a failed INSERT answers 500 and
// Zalo delivers again.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import { parseExactJson } from '../inbox/exact-json.ts';
import type { Inbox } from '../inbox/inbox.ts';
import type { InboundEvent } from '../types.ts';
import { OaBody, parseOaEvent } from './parse.ts';
import { SIGNATURE_HEADER, verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/webhooks/zalo-oa';

export interface OaWebhookDeps {
  appId: string;
  secretKey: string;
  log: Logger;
  metrics: Metrics;
  inbox: Inbox;
  subjectOf: (userId: string) => string;
  /** The inbox could not record the event (database down): crisis guidance without a turn. */
  crisisFallback?: (event: InboundEvent) => Promise<unknown>;
}

/** Saving the webhook URL in Zalo's console is reported to post an unsigned "{}": it carries no event. */
function isUrlCheck(raw: Buffer): boolean {
  const s = raw.toString('utf8').trim();
  return s === '' || s === '{}';
}

export function registerOaWebhook(app: FastifyInstance, deps: OaWebhookDeps): void {
  const { log, metrics } = deps;
  const unauthorized = (reason: string) => {
    log.warn({ channel: 'zalo-oa', reason }, 'zalo-oa webhook: refused (401)');
    return { error: 'Unauthorized' };
  };

  app.register(async (scope) => {
    // This scope only: the body as bytes, whatever the content type says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(WEBHOOK_PATH, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers[SIGNATURE_HEADER];
      if (typeof header !== 'string' || header.trim() === '') {
        if (isUrlCheck(raw)) {
          log.info({ channel: 'zalo-oa' }, 'zalo-oa webhook: unsigned empty body (console URL check) answered 200; nothing recorded');
          return reply.code(200).send({ ok: true });
        }
        return reply.code(401).send(unauthorized('signature missing'));
      }
      // The timestamp inside the body is part of the signed string, so the body is read first.
      let body: unknown;
      try {
        body = parseExactJson(raw.toString('utf8'));
      } catch {
        return reply.code(401).send(unauthorized('body unreadable, signature unverifiable'));
      }
      const timestamp = (body as { timestamp?: unknown } | null)?.timestamp;
      if (typeof timestamp !== 'string') return reply.code(401).send(unauthorized('no timestamp, signature unverifiable'));
      if (!verifySignature(header, deps.appId, raw, timestamp, deps.secretKey)) return reply.code(401).send(unauthorized('signature mismatch'));

      const shape = OaBody.safeParse(body);
      if (!shape.success) {
        log.warn({ channel: 'zalo-oa', where: shape.error.issues[0]?.path.join('.') || '(top level)' }, 'zalo-oa webhook: not an event');
        return reply.code(400).send({ error: 'Bad request' });
      }
      const parsed = parseOaEvent(shape.data, new Date(), deps.subjectOf);
      if (parsed.type === 'ignore') {
        if (parsed.reason === 'malformed') log.warn({ channel: 'zalo-oa', event: shape.data.event_name.slice(0, 40) }, 'zalo-oa webhook: event without the fields we need; ignored');
        metrics.updates.inc({ channel: 'zalo-oa', outcome: parsed.reason === 'echo' ? 'echo' : 'ignored' });
        return reply.code(200).send({ ok: true });
      }
      const { event, truncated } = parsed;
      let recorded: boolean;
      try {
        recorded = await deps.inbox.record(event, deps.subjectOf(event.address), truncated);
      } catch (err) {
        // 500 all the same, so Zalo delivers again; the guidance goes once per event.
        await deps.crisisFallback?.(event).catch(() => undefined);
        throw err;
      }
      if (recorded) deps.inbox.kick();
      else metrics.updates.inc({ channel: 'zalo-oa', outcome: 'duplicate' });
      return reply.code(200).send({ ok: true });
    });
  });
}
