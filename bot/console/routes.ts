// The console at /console: sign-in by one-time link, sessions, the language switch, and the
// page groups (club board, reports, programme). Registered in its own Fastify scope, so its form
// parser and headers touch nothing else.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { newToken } from '../privacy/token.ts';
import { allowAttempt, redeemLink, SESSION_MAX_MS, signOut, signOutEverywhere } from './auth.ts';
import { registerAudit } from './audit-page.ts';
import { registerCare } from './care.ts';
import { registerClub } from './club.ts';
import { html } from './html.ts';
import { body, type ConsoleDeps, cookies, csrfOk, currentSession, LANG_COOKIE, PRE_COOKIE, problem, send, SESSION_COOKIE, setCookie, view } from './http.ts';
import { registerProgramme } from './programme.ts';
import { registerReports } from './reports.ts';

const CSS = readFileSync(new URL('./assets/console.css', import.meta.url), 'utf8');

export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, text, done) => {
      done(null, new URLSearchParams(String(text)));
    });
    scope.addHook('onSend', async (_req, reply) => {
      // No script at all; pages and assets come from this server only. The sign-in token is in
      // the URL, so no referrer leaves the page.
      reply.header('content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });

    scope.get('/console/assets/console.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS));

    scope.get('/console', async (req, reply) => {
      const s = await currentSession(req, deps);
      const v = view(req, reply, s);
      if (s?.kind === 'club') return reply.redirect(`/console/club/${encodeURIComponent(s.clubId ?? '')}`, 303);
      if (s?.kind === 'officer') return reply.redirect('/console/programme', 303);
      return send(v, v.w.signInTitle[v.l], html`<p>${v.w.signInHowCoordinator[v.l]}</p><p>${v.w.signInHowOfficer[v.l]}</p>`);
    });

    // Opening the link shows a button; only pressing it uses the link. Link previews and
    // scanners that fetch the URL therefore cannot spend it.
    scope.get<{ Params: { token: string } }>('/console/in/:token', async (req, reply) => {
      const v = view(req, reply, null);
      const pre = newToken();
      setCookie(reply, deps, PRE_COOKIE, pre, 600);
      return send(
        v,
        v.w.signInTitle[v.l],
        html`<p>${v.w.signInConfirm[v.l]}</p>
        <form method="post" action="/console/in">
          <input type="hidden" name="token" value="${req.params.token.slice(0, 100)}">
          <input type="hidden" name="csrf" value="${pre}">
          <button class="primary">${v.w.signInButton[v.l]}</button>
        </form>`,
      );
    });

    scope.post('/console/in', async (req, reply) => {
      const v = view(req, reply, null);
      const now = deps.now();
      if (!(await allowAttempt(deps.prisma, req.ip, deps.secret, now))) {
        reply.header('retry-after', '60');
        return problem(v, 429, v.w.tooMany[v.l], v.w.tooManyText[v.l]);
      }
      const f = body(req);
      const pre = cookies(req)[PRE_COOKIE];
      const sent = f.get('csrf');
      if (!pre || !sent || pre !== sent) return problem(v, 403, v.w.forbidden[v.l], v.w.csrfText[v.l]);
      const r = await redeemLink(deps.prisma, f.get('token') ?? '', now);
      if (!r.ok) {
        const text = r.reason === 'not_allowed' ? v.w.linkNotAllowed[v.l] : v.w.linkRefused[v.l];
        return problem(v, r.reason === 'not_allowed' ? 403 : 410, v.w.linkRefusedTitle[v.l], text);
      }
      setCookie(reply, deps, PRE_COOKIE, '', 0);
      setCookie(reply, deps, SESSION_COOKIE, r.sessionId, Math.floor(SESSION_MAX_MS / 1000));
      return reply.redirect('/console', 303);
    });

    scope.get<{ Params: { l: string }; Querystring: { next?: string } }>('/console/lang/:l', async (req, reply) => {
      const l = req.params.l === 'en' ? 'en' : 'vi';
      setCookie(reply, deps, LANG_COOKIE, l, 365 * 86_400);
      const next = typeof req.query.next === 'string' && /^\/console(\/[\w%.~-]*)*$/.test(req.query.next) ? req.query.next : '/console';
      return reply.redirect(next, 303);
    });

    // This session, or every session of this person.
    for (const [path, end] of [
      ['/console/signout', signOut],
      ['/console/signout-all', signOutEverywhere],
    ] as const) {
      scope.post(path, async (req, reply) => {
        const s = await currentSession(req, deps);
        const v = view(req, reply, s);
        if (s && !csrfOk(req, s)) return problem(v, 403, v.w.forbidden[v.l], v.w.csrfText[v.l]);
        if (s) await end(deps.prisma, s, deps.now());
        setCookie(reply, deps, SESSION_COOKIE, '', 0);
        return reply.redirect('/console', 303);
      });
    }

    registerClub(scope, deps);
    registerCare(scope, deps);
    registerReports(scope, deps);
    registerProgramme(scope, deps);
    registerAudit(scope, deps);
  });
}
