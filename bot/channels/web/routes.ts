// The web chat: GET / serves the page; POST /api/chat takes one message and answers with the
// bot's replies. A visitor is known only by a random id in a signed cookie, and nothing is
// written for a visitor until they do something that needs state: greeting a newcomer is
// answered from content alone, so a flood of cookie-less requests leaves no rows.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Content } from '../../../content/types.ts';
import { route } from '../../../flows/router.ts';
import type { Input, Locale, StepContext } from '../../../flows/types.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { poolOf } from '../../db/client.ts';
import { conversationFlags } from '../../db/conversation.ts';
import { pgSql } from '../../db/sql.ts';
import type { Logger } from '../../logger.ts';
import type { Channel, OutboundMessage, TurnResult, Turns } from '../types.ts';
import { normaliseText } from '../types.ts';
import { codeOf } from '../../../flows/clubs/codes.ts';
import { renderPages } from './page.ts';
import { ADDRESS_RULE, RateLimiter, VISITOR_RULE } from './rate-limit.ts';
import { cookieValue, VISITOR_COOKIE, visitorIds } from './visitor.ts';

export { VISITOR_COOKIE } from './visitor.ts';

const ChatRequest = z.object({
  /** Random id per message from the page: the dedupe key for retries. */
  id: z.uuid(),
  kind: z.enum(['start', 'text', 'choice']),
  text: z.string().max(100_000).optional(),
  choice: z.string().max(64).optional(),
  /** With 'start': the page's `?start=` (an invite link from the console); only an invite code is kept. */
  start: z.string().max(64).optional(),
});

export interface WebChatDeps {
  engine: Turns;
  prisma: PrismaClient;
  content: Content;
  log: Logger;
  pseudonymSecret: Buffer;
  defaultLocale: Locale;
  retentionDays: number;
  secureCookie: boolean;
  pagePath: URL;
  /** Injected clock (tests): the rate limits' time. */
  now?: () => Date;
}

interface ChatResponse {
  messages: OutboundMessage[];
  duplicate: boolean;
  /** The person's language after this turn, so the page can follow it; null when unknown. */
  locale: Locale | null;
  erased?: true;
}

const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function hintLocale(header: unknown): Locale | null {
  if (typeof header !== 'string') return null;
  const h = header.trim().toLowerCase();
  return h.startsWith('vi') ? 'vi' : h.startsWith('en') ? 'en' : null;
}

export function registerWebChat(app: FastifyInstance, deps: WebChatDeps) {
  const pages = renderPages(deps.pagePath, deps.content);
  const ids = visitorIds(deps.pseudonymSecret);
  const sql = pgSql(poolOf(deps.prisma));
  const clock = () => (deps.now?.() ?? new Date()).getTime();
  const byVisitor = new RateLimiter(VISITOR_RULE, clock);
  const byAddress = new RateLimiter(ADDRESS_RULE, clock);
  const secure = deps.secureCookie ? '; Secure' : '';

  /** A year, so the language and place survive a closed tab; a session cookie in under-16 mode. */
  function setVisitor(reply: FastifyReply, value: string, lasting: boolean): void {
    reply.header('set-cookie', `${VISITOR_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${lasting ? '; Max-Age=31536000' : ''}${secure}`);
  }

  /** One pure step with no stored state (a newcomer's greeting, or crisis guidance): no row. */
  function stateless(input: Input, locale: Locale) {
    const ctx: StepContext = { now: new Date(clock()), locale, content: deps.content, platform: 'web', retentionDays: deps.retentionDays };
    return route(null, input, ctx);
  }
  function greeting(locale: Locale): OutboundMessage[] {
    return stateless({ kind: 'start' }, locale).messages;
  }
  /** Crisis guidance for this text if it has crisis words, else null. */
  function crisisOnly(text: string, locale: Locale): OutboundMessage[] | null {
    const r = stateless({ kind: 'text', text }, locale);
    return r.state?.flow === 'crisis' ? r.messages : null;
  }

  app.get('/', async (req, reply) => {
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-language')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CSP);
    return pages[hintLocale(req.headers['accept-language']) ?? deps.defaultLocale];
  });

  app.post('/api/chat', async (req, reply) => {
    const parsed = ChatRequest.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'Bad request' });
    const body = parsed.data;
    const hint = hintLocale(req.headers['accept-language']) ?? deps.defaultLocale;
    const presented = cookieValue(req.headers.cookie);
    let visitor = presented ? ids.verify(presented) : null;
    const invite = body.kind === 'start' && body.start ? codeOf(body.start) : null;
    const startCode = invite?.kind === 'invite' ? invite.code : null;
    const { text, truncated } = normaliseText(body.text ?? '');

    // Too fast: a kind answer (the page shows it in the person's language and keeps what they
    // typed), and still the crisis guidance if the text asks for help.
    const wait = Math.max(byAddress.take(req.ip), visitor ? byVisitor.take(visitor) : 0);
    if (wait > 0) {
      const crisis = body.kind === 'text' ? crisisOnly(text, hint) : null;
      reply.code(429).header('retry-after', String(Math.ceil(wait / 1000)));
      return { messages: crisis ?? [], duplicate: false, locale: null, limited: true };
    }

    // No visitor we signed (none yet, cookies blocked, expired, or forged): a new id (a forged one
    // is never adopted), and an answer as to a newcomer, from content alone; but an invite link
    // opens the join, which needs a conversation.
    if (!visitor) {
      const fresh = ids.issue();
      setVisitor(reply, fresh.cookie, true);
      if (startCode) visitor = fresh.id;
    }
    if (!visitor) {
      const lost = presented !== null || body.kind === 'choice' ? [{ text: deps.content.ui.webSessionLost[hint] }] : [];
      const crisis = body.kind === 'text' ? crisisOnly(text, hint) : null;
      return { messages: crisis ?? [...lost, ...greeting(hint)], duplicate: false, locale: null } satisfies ChatResponse;
    }

    const subject = deps.engine.subjectOf('web', visitor);
    const stateOf = () =>
      conversationFlags(sql, subject).catch(() => null);
    // A known visitor who has not chosen anything yet (a reload): still nothing to store.
    if (body.kind === 'start' && !startCode && !(await stateOf())) return { messages: greeting(hint), duplicate: false, locale: null } satisfies ChatResponse;

    const turn = await webTurn(deps, { visitor, body, text, truncated, hint, startCode }, async () => !(await stateOf()));
    if (!turn.result) return { messages: turn.out, duplicate: false, locale: null } satisfies ChatResponse;
    const { out, result } = turn;
    // After "xóa dữ liệu" the visitor id goes too: a new conversation starts as someone new.
    if (result.erased) {
      reply.header('set-cookie', `${VISITOR_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
      return { messages: out, duplicate: false, locale: null, erased: true } satisfies ChatResponse;
    }
    // Under 16 nothing lasting is kept: the same id, as a session cookie (gone when the browser closes).
    if (result.noStorage) setVisitor(reply, presented!, false);
    const after = result.noStorage ? null : await stateOf();
    const locale = after?.locale === 'vi' || after?.locale === 'en' ? after.locale : null;
    return { messages: out, duplicate: result.status === 'duplicate', locale } satisfies ChatResponse;
  });
}

/** One web message through the engine; the replies are collected instead of sent. `result` is
 * null when the database failed but crisis guidance was still collected (a throw otherwise). */
async function webTurn(
  deps: WebChatDeps,
  m: { visitor: string; body: z.infer<typeof ChatRequest>; text: string; truncated: boolean; hint: Locale; startCode: string | null | undefined },
  isNew: () => Promise<boolean>,
): Promise<{ out: OutboundMessage[]; result: TurnResult | null }> {
  const { visitor, body, text, truncated, hint, startCode } = m;
  const out: OutboundMessage[] = [];
  const channel: Channel = {
    name: 'web',
    send: async (_address, message) => {
      out.push(message);
      return { ok: true };
    },
  };
  const kind = body.kind === 'text' && text.trim() === '' ? 'unsupported' : body.kind;
  const event = (k: typeof kind, externalId: string) => ({
    channel: 'web' as const,
    externalId,
    address: visitor,
    kind: k,
    ...(k === 'text' ? { text } : {}),
    ...(k === 'choice' && body.choice ? { choice: body.choice } : {}),
    ...(k === 'start' && startCode ? { startCode } : {}),
    locale: hint,
    receivedAt: new Date(),
  });
  try {
    // A newcomer's first tap answers the greeting that was never stored: store it first (its
    // words were shown already), so the language question is on record as offered.
    if (kind === 'choice' && body.choice?.startsWith('lang.') && (await isNew())) {
      await deps.engine.handle(event('start', `${body.id}:start`), { name: 'web', send: async () => ({ ok: true }) });
    }
    return { out, result: await deps.engine.handle(event(kind, body.id), channel, truncated) };
  } catch (err) {
    // The database failed: the engine has still put crisis guidance in `out` if the text needed it.
    if (out.length === 0) throw err;
    deps.log.error({ err: { name: (err as Error).name } }, 'web turn failed; crisis guidance sent without a turn');
    return { out, result: null };
  }
}
