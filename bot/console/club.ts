// A club board's pages: the club and its schedule, the next meetings (create, move, cancel),
// members by alias and role with who cannot be reached, and invites with QR codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { formatLocal, parseLocalInstant } from '../../flows/clubs/time.ts';
import { audit } from './db/audit.ts';
import { cancelMeeting, clubById, clubOverview, createInvite, createMeeting, invites, members, moveMeeting, occurrenceIn, type Repeat, revokeInvite } from './db/club.ts';
import { clubNav, guardClub } from './guard.ts';
import { csrfField, type Html, html, raw } from './html.ts';
import { body, type ConsoleDeps, flash, send, type View } from './http.ts';
import { scheduleInWords } from './schedule-words.ts';
import type { Words } from './words.ts';

type P = { Params: { id: string; mid?: string }; Querystring: { done?: string } };

const WEEKDAY: Record<'vi' | 'en', string[]> = {
  vi: ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

export function when(v: View, at: Date, tz: string): string {
  const f = formatLocal(at, tz);
  return `${WEEKDAY[v.l][f.weekday]} ${f.date}, ${f.time}`;
}

const doneText = (w: Words, l: 'vi' | 'en', done?: string): string | undefined => {
  const key = ({ created: 'doneCreated', moved: 'doneMoved', cancelled: 'doneCancelled', invite: 'doneInvite', revoked: 'doneRevoked', attendance: 'doneAttendance', progress: 'doneProgress' } as const)[done as 'created'];
  return key ? w[key][l] : undefined;
};
export { doneText };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const clean = (s: string | null, max: number) => (s ?? '').trim().slice(0, max);

function meetingForm(v: View & { s: NonNullable<View['s']> }, action: string, error?: string): Html {
  const { w, l } = v;
  return html`<section class="card"><h2>${w.newMeeting[l]}</h2>
    ${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
    <form method="post" action="${action}" class="stack">${csrfField(v.s)}
      <label>${w.date[l]} <input type="date" name="date" required></label>
      <label>${w.time[l]} <input type="time" name="time" required value="08:00"></label>
      <label>${w.duration[l]} <input type="number" name="duration" min="15" max="600" value="120" required></label>
      <label>${w.topic[l]} <input name="topic" maxlength="200" required value="${w.defaultTopic[l]}"></label>
      <label>${w.venueOptional[l]} <input name="venue" maxlength="200"></label>
      <fieldset><legend>${w.repeat[l]}</legend>
        <label class="choice"><input type="radio" name="repeat" value="once" checked> ${w.repeatOnce[l]}</label>
        <label class="choice"><input type="radio" name="repeat" value="monthly"> ${w.repeatMonthly[l]}</label>
        <label class="choice"><input type="radio" name="repeat" value="weekly"> ${w.repeatWeekly[l]}</label>
      </fieldset>
      <button class="primary">${w.create[l]}</button>
    </form></section>`;
}

async function overview(v: View & { s: NonNullable<View['s']> }, deps: ConsoleDeps, clubId: string, status = 200, error?: string) {
  const { w, l } = v;
  const o = await clubOverview(deps.prisma, clubId, deps.now());
  if (!o) return send(v, w.notFound[l], html`<p>${w.notFoundText[l]}</p>`, undefined, 404);
  const { club } = o;
  const base = `/console/club/${encodeURIComponent(club.id)}`;
  const done = doneText(w, l, (v.req.query as { done?: string }).done);
  const schedule = o.series.map(
    (s) => html`<li><strong>${scheduleInWords(s.rrule, s.dtstart, s.durationMin, l)}</strong> — ${s.topic}<br><code class="rrule">RRULE:${s.rrule}</code> <span class="muted">(${s.timeZone})</span></li>`,
  );
  const next = o.next.map((m) => {
    const status = m.status === 'cancelled' ? w.statusCancelled[l] : m.status === 'moved' ? w.statusMoved[l] : '';
    const f = formatLocal(m.startsAt, club.timeZone);
    const changeable = m.status !== 'cancelled' && m.startsAt > deps.now();
    return html`<li class="meeting${m.status === 'cancelled' ? ' cancelled' : ''}">
      <p><strong>${when(v, m.startsAt, club.timeZone)}</strong> ${status ? html`<span class="tag">${status}</span>` : ''}<br>${m.topic} · ${m.venue}</p>
      ${changeable
        ? html`<details><summary>${w.moveOrCancel[l]}</summary>
        <form method="post" action="${base}/meetings/${m.id}/move" class="stack">${csrfField(v.s)}
          <label>${w.date[l]} <input type="date" name="date" required value="${f.iso.slice(0, 10)}"></label>
          <label>${w.time[l]} <input type="time" name="time" required value="${f.time}"></label>
          <label>${w.venueOptional[l]} <input name="venue" maxlength="200"></label>
          <button>${w.move[l]}</button>
        </form>
        <form method="post" action="${base}/meetings/${m.id}/cancel">${csrfField(v.s)}<button class="danger">${w.cancelMeeting[l]}</button></form>
        <p class="muted">${w.membersNotified[l]}</p>
      </details>`
        : ''}
    </li>`;
  });
  return send(
    v,
    club.name,
    html`${flash(done)}
    <section class="card"><h2>${w.clubAndSchedule[l]}</h2>
      <p>${club.commune}, ${club.province}<br>${w.place[l]}: ${club.venue}</p>
      ${schedule.length ? html`<ul class="plain">${schedule}</ul>` : html`<p>${w.noSchedule[l]}</p>`}
    </section>
    <section class="card"><h2>${w.nextMeetings[l]}</h2>
      ${next.length ? html`<ul class="plain meetings">${next}</ul>` : html`<p>${w.noMeetings[l]}</p>`}
    </section>
    ${v.s.kind === 'club' ? meetingForm(v, `${base}/meetings`, error) : ''}`,
    clubNav(v, club.id, ''),
    status,
  );
}

const reachText = (w: Words, l: 'vi' | 'en', r: string) =>
  ({ ok: w.reachOk[l], blocked: w.reachBlocked[l], outside_window: w.reachOutside[l], no_address: w.reachNoAddress[l], reminders_off: w.reachOff[l] })[r] ?? r;
const roleText = (w: Words, l: 'vi' | 'en', r: string) => ({ member: w.roleMember[l], volunteer: w.roleVolunteer[l], coordinator: w.roleCoordinator[l] })[r] ?? r;
export { roleText };

function inviteLinks(deps: ConsoleDeps, code: string): { label: string; url: string }[] {
  const links: { label: string; url: string }[] = [];
  if (deps.telegramBot) links.push({ label: 'Telegram', url: `https://t.me/${deps.telegramBot}?start=${code}` });
  if (deps.zaloOaId) links.push({ label: 'Zalo OA', url: `https://zalo.me/${deps.zaloOaId}` });
  links.push({ label: 'Web', url: `${deps.baseUrl()}/?start=${code}` });
  return links;
}

async function membersPage(v: View & { s: NonNullable<View['s']> }, deps: ConsoleDeps, clubId: string) {
  const { w, l } = v;
  const now = deps.now();
  const club = await clubById(deps.prisma, clubId);
  const people = await members(deps.prisma, clubId, now);
  const codes = await invites(deps.prisma, clubId, now);
  const base = `/console/club/${encodeURIComponent(clubId)}`;
  const unreachable = people.filter((p) => p.reach !== 'ok');
  const inviteCards: Html[] = [];
  for (const c of codes) {
    const links = inviteLinks(deps, c.code);
    const svg = await QRCode.toString(links[0]!.url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    const shown = `${c.code.slice(0, 4)}-${c.code.slice(4)}`;
    inviteCards.push(html`<li class="invite">
      <div class="qr" role="img" aria-label="${w.qrFor[l]} ${shown}">${raw(svg)}</div>
      <div><p class="code">${shown}</p>
      <p>${roleText(w, l, c.role)}${c.alias ? ` · ${c.alias}` : ''} · ${w.usesLeft[l]}: ${c.maxUses - c.uses}${c.expiresAt ? html` · ${w.until[l]} ${formatLocal(c.expiresAt, club.timeZone).date}` : ''}</p>
      <ul class="links">${links.map((k) => html`<li>${k.label}: <a href="${k.url}">${k.url}</a></li>`)}</ul>
      <form method="post" action="${base}/invites/${c.code}/revoke">${csrfField(v.s)}<button class="link danger">${w.revoke[l]}</button></form></div>
    </li>`);
  }
  return send(
    v,
    w.navMembers[l],
    html`${flash(doneText(w, l, (v.req.query as { done?: string }).done))}
    <section class="card"><h2>${w.membersTitle[l]} (${people.length})</h2>
      <table><thead><tr><th scope="col">${w.alias[l]}</th><th scope="col">${w.role[l]}</th><th scope="col">${w.reach[l]}</th></tr></thead>
      <tbody>${people.map((p) => html`<tr${p.reach !== 'ok' ? raw(' class="warn"') : ''}><td>${p.name}</td><td>${roleText(w, l, p.role)}</td><td>${reachText(w, l, p.reach)}</td></tr>`)}</tbody></table>
      <p>${unreachable.length ? `${w.cannotReach[l]}: ${unreachable.map((p) => p.name).join(', ')}` : w.allReachable[l]}</p>
    </section>
    <section class="card"><h2>${w.invitesTitle[l]}</h2>
      <p class="muted">${w.invitesHelp[l]}</p>
      ${inviteCards.length ? html`<ul class="plain">${inviteCards}</ul>` : html`<p>${w.noInvites[l]}</p>`}
      <form method="post" action="${base}/invites" class="stack">${csrfField(v.s)}
        <label>${w.role[l]} <select name="role"><option value="member">${w.roleMember[l]}</option><option value="volunteer">${w.roleVolunteer[l]}</option><option value="coordinator">${w.roleCoordinator[l]}</option></select></label>
        <label>${w.aliasForOne[l]} <input name="alias" maxlength="40"></label>
        <label>${w.uses[l]} <input type="number" name="uses" min="1" max="500" value="1"></label>
        <button class="primary">${w.createInvite[l]}</button>
      </form>
    </section>`,
    clubNav(v, clubId, '/members'),
  );
}

export function registerClub(app: FastifyInstance, deps: ConsoleDeps): void {
  // The board's pages: the club (meetings) and its members.
  for (const [path, page] of [
    ['', overview],
    ['/members', membersPage],
  ] as const) {
    app.get<P>(`/console/club/:id${path}`, async (req, reply) => {
      const v = await guardClub(req, reply, deps, req.params.id, 'board');
      if (!v) return reply;
      return page(v, deps, req.params.id);
    });
  }

  app.post<P>('/console/club/:id/meetings', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const f = body(req);
    const date = clean(f.get('date'), 10);
    const time = clean(f.get('time'), 5);
    const duration = Number(f.get('duration'));
    const topic = clean(f.get('topic'), 200);
    const venue = clean(f.get('venue'), 200) || null;
    const repeat = (['once', 'weekly', 'monthly'] as const).find((r) => r === f.get('repeat')) ?? 'once';
    if (!DATE.test(date) || !TIME.test(time) || !Number.isInteger(duration) || duration < 15 || duration > 600 || !topic) {
      return overview(v, deps, req.params.id, 400, v.w.meetingInvalid[v.l]);
    }
    const club = await clubById(deps.prisma, req.params.id);
    const at = parseLocalInstant(`${date}T${time}`, club.timeZone);
    if (!at || at <= deps.now()) return overview(v, deps, req.params.id, 400, v.w.meetingPast[v.l]);
    const r = await createMeeting(deps.prisma, req.params.id, { date, time, durationMin: duration, topic, venue, repeat: repeat as Repeat }, deps.now());
    if (!r.ok) return overview(v, deps, req.params.id, 400, v.w.meetingInvalid[v.l]);
    await audit(deps.prisma, v.s, 'meeting_create', `series:${r.seriesId}`, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}?done=created`, 303);
  });

  /** The signed-in board and a future meeting of this club that can still change; else the answer. */
  async function changeable(req: FastifyRequest<P>, reply: FastifyReply) {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return { answer: reply };
    const occ = await occurrenceIn(deps.prisma, req.params.id, Number(req.params.mid) || -1);
    if (!occ || occ.status === 'cancelled' || occ.startsAt <= deps.now()) return { answer: await overview(v, deps, req.params.id, 400, v.w.meetingInvalid[v.l]) };
    return { v, occ };
  }

  app.post<P>('/console/club/:id/meetings/:mid/move', async (req, reply) => {
    const { v, occ, answer } = await changeable(req, reply);
    if (!v || !occ) return answer;
    const f = body(req);
    const date = clean(f.get('date'), 10);
    const time = clean(f.get('time'), 5);
    const club = await clubById(deps.prisma, req.params.id);
    const to = DATE.test(date) && TIME.test(time) ? parseLocalInstant(`${date}T${time}`, club.timeZone) : null;
    if (!to || to <= deps.now()) return overview(v, deps, req.params.id, 400, v.w.meetingPast[v.l]);
    await moveMeeting(deps.prisma, occ.id, to, clean(f.get('venue'), 200) || undefined, deps.now());
    await audit(deps.prisma, v.s, 'meeting_move', `meeting:${occ.id}`, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}?done=moved`, 303);
  });

  app.post<P>('/console/club/:id/meetings/:mid/cancel', async (req, reply) => {
    const { v, occ, answer } = await changeable(req, reply);
    if (!v || !occ) return answer;
    await cancelMeeting(deps.prisma, occ.id, deps.now());
    await audit(deps.prisma, v.s, 'meeting_cancel', `meeting:${occ.id}`, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}?done=cancelled`, 303);
  });

  app.post<P>('/console/club/:id/invites', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const f = body(req);
    const role = (['member', 'volunteer', 'coordinator'] as const).find((r) => r === f.get('role')) ?? 'member';
    const alias = clean(f.get('alias'), 40) || null;
    const uses = alias ? 1 : Math.min(500, Math.max(1, Number(f.get('uses')) || 1));
    if (role !== 'member' && !alias) return send(v, v.w.navMembers[v.l], html`<p class="notice error">${v.w.aliasRequired[v.l]}</p><p><a href="/console/club/${req.params.id}/members">${v.w.back[v.l]}</a></p>`, clubNav(v, req.params.id, '/members'), 400);
    const code = await createInvite(deps.prisma, req.params.id, { role, alias, uses, days: 30 }, deps.now());
    if (!code) return send(v, v.w.navMembers[v.l], html`<p class="notice error">${v.w.aliasTaken[v.l]}</p><p><a href="/console/club/${req.params.id}/members">${v.w.back[v.l]}</a></p>`, clubNav(v, req.params.id, '/members'), 400);
    // The code itself is a credential to join: the audit names the role, not the code.
    await audit(deps.prisma, v.s, 'invite_create', `role:${role}`, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}/members?done=invite`, 303);
  });

  app.post<{ Params: { id: string; code: string } }>('/console/club/:id/invites/:code/revoke', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    await revokeInvite(deps.prisma, req.params.id, req.params.code.slice(0, 20), deps.now());
    await audit(deps.prisma, v.s, 'invite_revoke', null, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}/members?done=revoked`, 303);
  });
}
