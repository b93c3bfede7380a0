// The web chat: GET / serves the page; POST /api/chat takes one message and answers with the
// bot's replies. A visitor is known only by a random id in a cookie.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Engine } from '../../engine/engine.ts';
import type { Channel, InboundEvent, OutboundMessage } from '../types.ts';
import { normaliseText } from '../types.ts';

export const VISITOR_COOKIE = 'dh_vid';
const VISITOR_ID = /^[A-Za-z0-9_-]{22,64}$/;

const ChatRequest = z.object({
  /** Random id per message from the page: the dedupe key for retries. */
  id: z.uuid(),
  kind: z.enum(['start', 'text', 'choice']),
  text: z.string().max(100_000).optional(),
  choice: z.string().max(64).optional(),
});

function visitorOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === VISITOR_COOKIE && v && VISITOR_ID.test(v)) return v;
  }
  return null;
}

export function registerWebChat(app: FastifyInstance, deps: { engine: Engine; secureCookie: boolean; pagePath: URL }) {
  const page = readFileSync(deps.pagePath, 'utf8');

  app.get('/', async (_req, reply) => {
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return page;
  });

  app.post('/api/chat', async (req, reply) => {
    const parsed = ChatRequest.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'Bad request' });
    const body = parsed.data;
    let visitor = visitorOf(req.headers.cookie);
    if (!visitor) {
      visitor = randomBytes(18).toString('base64url');
      const secure = deps.secureCookie ? '; Secure' : '';
      // A year: the person's language and place survive a closed tab; "xóa dữ liệu" ends it.
      reply.header('set-cookie', `${VISITOR_COOKIE}=${visitor}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000${secure}`);
    }
    const out: OutboundMessage[] = [];
    const channel: Channel = {
      name: 'web',
      send: async (_address, message) => {
        out.push(message);
        return { ok: true };
      },
    };
    const { text, truncated } = normaliseText(body.text ?? '');
    const kind = body.kind === 'text' && text.trim() === '' ? 'unsupported' : body.kind;
    const event: InboundEvent = {
      channel: 'web',
      externalId: body.id,
      address: visitor,
      kind,
      ...(kind === 'text' ? { text } : {}),
      ...(kind === 'choice' && body.choice ? { choice: body.choice } : {}),
      ...(typeof req.headers['accept-language'] === 'string' ? { locale: req.headers['accept-language'] } : {}),
      receivedAt: new Date(),
    };
    let result: Awaited<ReturnType<Engine['handle']>>;
    try {
      result = await deps.engine.handle(event, channel, truncated);
    } catch (err) {
      // No database: if the engine gave crisis guidance without a turn, that is the answer.
      if (out.length > 0) return { messages: out, duplicate: false };
      throw err;
    }
    // After "xóa dữ liệu" the visitor id goes too: a new conversation starts as someone new.
    if (result.erased) reply.header('set-cookie', `${VISITOR_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    // Under 16: no lasting cookie. The same id as a session cookie (gone when the browser closes).
    else if (result.noStorage) {
      reply.header('set-cookie', `${VISITOR_COOKIE}=${visitor}; Path=/; HttpOnly; SameSite=Strict${deps.secureCookie ? '; Secure' : ''}`);
    }
    return { messages: out, duplicate: result.status === 'duplicate' };
  });
}
