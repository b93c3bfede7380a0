// After each meeting: attendance as a tap list; each month: the progress review of every member
// (the note is sealed with ADDRESS_KEY before it reaches the table); volunteers and the people
// they look after, with check-in status.
import type { FastifyInstance } from 'fastify';
import { formatLocal } from '../../flows/clubs/time.ts';
import { audit } from './db/audit.ts';
import { doneText, when } from './club.ts';
import { attendanceSheet, clubById, occurrenceIn, pastMeetings, progressSheet, recordAttendance, saveProgress, volunteers } from './db/club.ts';
import { clubNav, guardClub } from './guard.ts';
import { csrfField, html, raw } from './html.ts';
import { body, type ConsoleDeps, flash, send } from './http.ts';

type P = { Params: { id: string; mid?: string }; Querystring: { done?: string; month?: string } };
const STATUSES = ['on_track', 'needs_support', 'not_seen'] as const;

export function registerCare(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<P>('/console/club/:id/attendance', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const { w, l } = v;
    const club = await clubById(deps.prisma, req.params.id);
    const past = await pastMeetings(deps.prisma, req.params.id, deps.now());
    const base = `/console/club/${encodeURIComponent(club.id)}`;
    return send(
      v,
      w.navAttendance[l],
      html`${flash(doneText(w, l, req.query.done))}<p>${w.attendanceHelp[l]}</p>
      ${past.length
        ? html`<ul class="plain meetings">${past.map((m) => html`<li><a class="row" href="${base}/attendance/${m.id}"><strong>${when(v, m.startsAt, club.timeZone)}</strong><br>${m.topic} · ${m.marked ? `${w.marked[l]}: ${m.marked}` : w.notMarked[l]}</a></li>`)}</ul>`
        : html`<p>${w.noPastMeetings[l]}</p>`}`,
      clubNav(v, club.id, '/attendance'),
    );
  });

  app.get<P>('/console/club/:id/attendance/:mid', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const { w, l } = v;
    const occ = await occurrenceIn(deps.prisma, req.params.id, Number(req.params.mid) || -1);
    if (!occ || occ.status === 'cancelled' || occ.startsAt > deps.now()) return send(v, w.notFound[l], html`<p>${w.notFoundText[l]}</p>`, clubNav(v, req.params.id, '/attendance'), 404);
    const club = await clubById(deps.prisma, req.params.id);
    const sheet = await attendanceSheet(deps.prisma, club.id, occ.id);
    return send(
      v,
      `${w.navAttendance[l]}: ${when(v, occ.startsAt, club.timeZone)}`,
      html`<p>${w.tapHelp[l]}</p>
      <form method="post" action="/console/club/${club.id}/attendance/${occ.id}">${csrfField(v.s)}
        <ul class="plain taplist">${sheet.map(
          (p) => html`<li><label class="tap"><input type="checkbox" name="present" value="${p.id}"${p.present ? raw(' checked') : ''}>
            <span>${p.name}</span><small>${p.rsvp === 'yes' ? w.rsvpYes[l] : p.rsvp === 'no' ? w.rsvpNo[l] : ''}</small></label></li>`,
        )}</ul>
        ${sheet.length ? html`<button class="primary">${w.saveAttendance[l]}</button>` : html`<p>${w.noMembers[l]}</p>`}
      </form>`,
      clubNav(v, club.id, '/attendance'),
    );
  });

  app.post<P>('/console/club/:id/attendance/:mid', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const occ = await occurrenceIn(deps.prisma, req.params.id, Number(req.params.mid) || -1);
    if (!occ || occ.status === 'cancelled' || occ.startsAt > deps.now()) return send(v, v.w.notFound[v.l], html`<p>${v.w.notFoundText[v.l]}</p>`, undefined, 404);
    const present = new Set(body(req).getAll('present').map(Number).filter(Number.isInteger));
    const r = await recordAttendance(deps.prisma, req.params.id, occ.id, present, deps.now());
    await audit(deps.prisma, v.s, 'attendance_record', `meeting:${occ.id}`, deps.now());
    void r;
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}/attendance?done=attendance`, 303);
  });

  app.get<P>('/console/club/:id/progress', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const { w, l } = v;
    const club = await clubById(deps.prisma, req.params.id);
    const month = typeof req.query.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(req.query.month) ? req.query.month : formatLocal(deps.now(), club.timeZone).iso.slice(0, 7);
    const sheet = await progressSheet(deps.prisma, club.id, month, deps.addressKey);
    const label = { on_track: w.onTrack[l], needs_support: w.needsSupport[l], not_seen: w.notSeen[l] };
    return send(
      v,
      `${w.navProgress[l]} ${month.slice(5)}/${month.slice(0, 4)}`,
      html`${flash(doneText(w, l, req.query.done))}
      <form method="get" class="inline"><label>${w.month[l]} <input type="month" name="month" value="${month}"></label> <button>${w.show[l]}</button></form>
      <p class="muted">${w.progressHelp[l]}</p>
      ${sheet.length
        ? sheet.map(
            (p) => html`<section class="card"><h2>${p.name}</h2>
          <form method="post" action="/console/club/${club.id}/progress" class="stack">${csrfField(v.s)}
            <input type="hidden" name="member" value="${p.id}"><input type="hidden" name="month" value="${month}">
            <fieldset><legend>${w.status[l]}</legend>${STATUSES.map(
              (s) => html`<label class="choice"><input type="radio" name="status" value="${s}"${p.status === s ? raw(' checked') : ''} required> ${label[s]}</label>`,
            )}</fieldset>
            <label>${w.note[l]} <textarea name="note" maxlength="2000" rows="3">${p.note}</textarea></label>
            <button>${w.save[l]}</button>
          </form></section>`,
          )
        : html`<p>${w.noMembers[l]}</p>`}`,
      clubNav(v, club.id, '/progress'),
    );
  });

  app.post<P>('/console/club/:id/progress', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const f = body(req);
    const month = f.get('month') ?? '';
    const status = STATUSES.find((s) => s === f.get('status'));
    const member = Number(f.get('member'));
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !status || !Number.isInteger(member)) return send(v, v.w.navProgress[v.l], html`<p class="notice error">${v.w.formInvalid[v.l]}</p>`, clubNav(v, req.params.id, '/progress'), 400);
    const ok = await saveProgress(deps.prisma, req.params.id, member, month, status, (f.get('note') ?? '').trim().slice(0, 2000), deps.addressKey);
    if (!ok) return send(v, v.w.navProgress[v.l], html`<p class="notice error">${v.w.formInvalid[v.l]}</p>`, clubNav(v, req.params.id, '/progress'), 400);
    await audit(deps.prisma, v.s, 'progress_save', `member:${member}:${month}`, deps.now());
    return reply.redirect(`/console/club/${encodeURIComponent(req.params.id)}/progress?month=${month}&done=progress`, 303);
  });

  app.get<P>('/console/club/:id/volunteers', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const { w, l } = v;
    const club = await clubById(deps.prisma, req.params.id);
    const rows = await volunteers(deps.prisma, club.id, deps.now());
    const outcome = (o: string) => ({ done: w.checkInDone[l], needs_support: w.needsSupport[l], rescheduled: w.checkInRescheduled[l] })[o] ?? o;
    return send(
      v,
      w.navVolunteers[l],
      rows.length
        ? html`<table><thead><tr><th scope="col">${w.volunteer[l]}</th><th scope="col">${w.looksAfter[l]}</th><th scope="col">${w.lastCheckIn[l]}</th><th scope="col">${w.nextDue[l]}</th></tr></thead><tbody>
        ${rows.map(
          (r) => html`<tr${r.overdue ? raw(' class="warn"') : ''}><td>${r.volunteer}</td><td>${r.member}</td><td>${r.last ? `${formatLocal(r.last.at, club.timeZone).date} · ${outcome(r.last.outcome)}` : w.none[l]}</td><td>${formatLocal(r.nextDueAt, club.timeZone).date}${r.overdue ? ` · ${w.overdue[l]}` : ''}</td></tr>`,
        )}</tbody></table>`
        : html`<p>${w.noAssignments[l]}</p>`,
      clubNav(v, club.id, '/volunteers'),
    );
  });
}
