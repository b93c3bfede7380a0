// Request plumbing shared by the console's routes: cookies, locale, session, CSRF, answers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Content } from '../../content/types.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { safeEqual } from '../privacy/compare.ts';
import { type Session, sessionOf } from './auth.ts';
import { esc, html, page, type Html } from './html.ts';
import { type Locale, type Words, words } from './words.ts';

export const SESSION_COOKIE = 'dh_console';
export const PRE_COOKIE = 'dh_console_pre';
export const LANG_COOKIE = 'dh_lang';

export interface ConsoleDeps {
  prisma: PrismaClient;
  /** The bot's reviewed words: band and substance names in the programme view. */
  content: Content;
  /** ADDRESS_KEY: progress notes are sealed with it. */
  addressKey: Buffer;
  /** Keys the sign-in attempt buckets, so the table cannot be read back into addresses. */
  secret: Buffer;
  /** Secure cookies (production, or an https PUBLIC_URL). */
  secure: boolean;
  now: () => Date;
  /** The bot's public address, for invite links. */
  baseUrl: () => string;
  telegramBot?: string | undefined;
  zaloOaId?: string | undefined;
  timeZone: string;
}

export function cookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      try {
        out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // A malformed cookie is ignored, like a missing one.
      }
    }
  }
  return out;
}

export function setCookie(reply: FastifyReply, deps: ConsoleDeps, name: string, value: string, maxAgeSec: number, path = '/console'): void {
  const attrs = [`${name}=${encodeURIComponent(value)}`, `Path=${path}`, `Max-Age=${maxAgeSec}`, 'HttpOnly', 'SameSite=Strict'];
  if (deps.secure) attrs.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev : prev ? [String(prev)] : [];
  reply.header('set-cookie', [...list, attrs.join('; ')]);
}

export function localeOf(req: FastifyRequest): Locale {
  return cookies(req)[LANG_COOKIE] === 'en' ? 'en' : 'vi';
}

export async function currentSession(req: FastifyRequest, deps: ConsoleDeps): Promise<Session | null> {
  return sessionOf(deps.prisma, cookies(req)[SESSION_COOKIE], deps.now());
}

export function body(req: FastifyRequest): URLSearchParams {
  return req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
}

export function csrfOk(req: FastifyRequest, s: Session): boolean {
  const token = body(req).get('csrf');
  return typeof token === 'string' && safeEqual(token, s.csrf);
}

export interface View {
  req: FastifyRequest;
  reply: FastifyReply;
  l: Locale;
  w: Words;
  s: Session | null;
}

export function view(req: FastifyRequest, reply: FastifyReply, s: Session | null): View {
  return { req, reply, l: localeOf(req), w: words(), s };
}

export function send(v: View, title: string, content: Html, nav?: { href: string; label: string; current?: boolean }[], status = 200): FastifyReply {
  const path = (v.req.url.split('?')[0] ?? '/console').slice(0, 200);
  return v.reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page({ title, locale: v.l, w: v.w, session: v.s, path, body: content, ...(nav ? { nav } : {}) }));
}

export function problem(v: View, status: number, title: string, text: string): FastifyReply {
  return send(v, title, html`<p class="notice error">${text}</p><p><a href="/console">${v.w.home[v.l]}</a></p>`, undefined, status);
}

export function flash(text: string | undefined): Html {
  return text ? html`<p class="notice ok" role="status">${text}</p>` : html``;
}

export { esc };
