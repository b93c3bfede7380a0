// POST /webhooks/zalo-oa. The raw body bytes are kept (this route's own parser) because the
// signature covers them exactly. Order: JSON (400 if it is not), signature (constant time) and
// the timestamp window (401) before anything is recorded; then the shape; then one INSERT into
// the inbox and 200 at once. The turn runs afterwards, so Zalo gets its answer well inside 2 s
// whatever the flow does; a failed INSERT answers 500 and Zalo delivers again. Group chats and
// people writing without following get no turn: counted, and logged without ids or words.
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import { parseExactJson } from '../inbox/exact-json.ts';
import type { Inbox } from '../inbox/inbox.ts';
import { OaBody, parseOaEvent } from './parse.ts';
import { SIGNATURE_HEADER, timestampFresh, verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/webhooks/zalo-oa';

export interface OaWebhookDeps {
  appId: string;
  secretKey: string;
  log: Logger;
  metrics: Metrics;
  inbox: Inbox;
  subjectOf: (userId: string) => string;
  /** The crisis tier of some words, or null: flags an anonymous message nobody can answer here. */
  crisisTier?: (text: string) => string | null;
  now?: () => Date;
}

/** Saving the webhook URL in Zalo's console is reported to post an unsigned "{}": it carries no event. */
function isUrlCheck(raw: Buffer): boolean {
  const s = raw.toString('utf8').trim();
  return s === '' || s === '{}';
}

const OUTCOME = { echo: 'echo', event_type: 'ignored', malformed: 'ignored', group: 'group', anonymous: 'anonymous' } as const;

/** An event name fit for a log line: Zalo's names are lower-case words and underscores. */
function eventLabel(name: string): string {
  return /^[a-z_]{1,60}$/.test(name) ? name : 'unknown';
}

export function registerOaWebhook(app: FastifyInstance, deps: OaWebhookDeps): void {
  const { log, metrics } = deps;
  const now = deps.now ?? (() => new Date());
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
      const signed = typeof header === 'string' && header.trim() !== '';
      if (!signed && isUrlCheck(raw)) {
        log.info({ channel: 'zalo-oa' }, 'zalo-oa webhook: unsigned empty body (console URL check) answered 200; nothing recorded');
        return reply.code(200).send({ ok: true });
      }
      // The timestamp inside the body is part of the signed string, so the body is read first.
      let body: unknown;
      try {
        body = parseExactJson(raw.toString('utf8'));
      } catch {
        log.warn({ channel: 'zalo-oa' }, 'zalo-oa webhook: body is not JSON (400)');
        return reply.code(400).send({ error: 'Bad request' });
      }
      if (!signed) return reply.code(401).send(unauthorized('signature missing'));
      const timestamp = (body as { timestamp?: unknown } | null)?.timestamp;
      if (typeof timestamp !== 'string') return reply.code(401).send(unauthorized('no timestamp, signature unverifiable'));
      if (!verifySignature(header, deps.appId, raw, timestamp, deps.secretKey)) return reply.code(401).send(unauthorized('signature mismatch'));
      // A correctly signed capture replayed later: older than any re-delivery, refused.
      if (!timestampFresh(timestamp, now())) {
        metrics.updates.inc({ channel: 'zalo-oa', outcome: 'stale' });
        return reply.code(401).send(unauthorized('timestamp outside the accepted window'));
      }

      const shape = OaBody.safeParse(body);
      if (!shape.success) {
        log.warn({ channel: 'zalo-oa', where: shape.error.issues[0]?.path.join('.') || '(top level)' }, 'zalo-oa webhook: not an event');
        return reply.code(400).send({ error: 'Bad request' });
      }
      const parsed = parseOaEvent(shape.data, new Date(), deps.subjectOf);
      if (parsed.type === 'ignore') {
        const event = eventLabel(shape.data.event_name);
        if (parsed.reason === 'malformed') log.warn({ channel: 'zalo-oa', event }, 'zalo-oa webhook: event without the fields we need; ignored');
        if (parsed.reason === 'group') log.info({ channel: 'zalo-oa', event }, 'zalo-oa webhook: group chat event ignored (no private turn)');
        if (parsed.reason === 'anonymous') {
          const crisis = parsed.text ? (deps.crisisTier?.(parsed.text) ?? null) : null;
          // Nobody can be answered through /cs here; crisis words are worth a look in the OA's own inbox.
          if (crisis) log.error({ channel: 'zalo-oa', event, crisis }, 'zalo-oa webhook: ANONYMOUS MESSAGE WITH CRISIS WORDS; no turn possible, check the OA inbox');
          else log.info({ channel: 'zalo-oa', event }, 'zalo-oa webhook: message from a person who does not follow the OA (anonymous); no turn');
        }
        metrics.updates.inc({ channel: 'zalo-oa', outcome: OUTCOME[parsed.reason] });
        return reply.code(200).send({ ok: true });
      }
      // A failure to record is a 500 all the same, so Zalo delivers again (Inbox.accept).
      await deps.inbox.accept(parsed.event, parsed.truncated);
      return reply.code(200).send({ ok: true });
    });
  });
}
