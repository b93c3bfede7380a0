// The six-monthly report of a club and of a province: charts drawn by the bot, each with the
// same figures in a table beside it, the same figures as CSV, and a print stylesheet. A club's
// board sees its own exact figures; an officer's view goes through suppress.ts ("<5").
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { barChart, lineChart } from './chart.ts';
import { type MonthFigures, lastSixMonths, type ReportFigures, reportFigures } from './db/report.ts';
import { clubNav, guardClub, guardOfficer } from './guard.ts';
import { type Html, html, raw } from './html.ts';
import { type ConsoleDeps, problem, send, type View } from './http.ts';
import { type Cell, cell, rateCell } from './suppress.ts';
import { csv } from './csv.ts';
import { clubById, clubIdsIn } from './db/club.ts';

type Q = { from?: string; to?: string };
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function period(q: Q, deps: ConsoleDeps): { from: string; to: string } {
  const d = lastSixMonths(deps.now(), deps.timeZone);
  const from = typeof q.from === 'string' && MONTH.test(q.from) ? q.from : d.from;
  const to = typeof q.to === 'string' && MONTH.test(q.to) ? q.to : d.to;
  return from <= to ? { from, to } : { from: to, to: from };
}

/** Exact figures for the club's own board; suppressed ones for anyone else. */
function cells(suppressed: boolean) {
  return {
    n: (x: number): Cell => (suppressed ? cell(x) : { n: x, text: String(x) }),
    rate: (part: number, whole: number): Cell => (suppressed ? rateCell(part, whole) : whole ? { n: Math.round((part / whole) * 100), text: `${Math.round((part / whole) * 100)}%` } : { n: null, text: '—' }),
  };
}

const monthLabel = (m: string) => `${m.slice(5)}/${m.slice(2, 4)}`;

function table(caption: string | null, head: string[], rows: (string | Cell)[][]): Html {
  return html`<div class="scroll"><table>${caption ? html`<caption>${caption}</caption>` : ''}<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
  <tbody>${rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${typeof c === 'string' ? c : c.text}</th>` : html`<td>${typeof c === 'string' ? c : c.text}</td>`))}</tr>`)}</tbody></table></div>`;
}

function figure(chartSvg: string, tbl: Html, caption: string): Html {
  return html`<figure class="chart-pair"><figcaption>${caption}</figcaption><div class="chart-box" aria-hidden="true">${raw(chartSvg)}</div>${tbl}</figure>`;
}

export function reportBody(v: View, f: ReportFigures, suppressed: boolean, csvHref: string, p: { from: string; to: string }, formAction: string): Html {
  const { w, l } = v;
  const c = cells(suppressed);
  const floor = suppressed ? 20 : 4;
  const labels = f.months.map((m) => monthLabel(m.month));
  const col = (pick: (m: MonthFigures) => Cell) => f.months.map(pick);
  const held = col((m) => c.n(m.held));
  const cancelled = col((m) => c.n(m.cancelled));
  const rate = col((m) => c.rate(m.present, m.recorded));
  const sent = col((m) => c.n(m.sent));
  const failed = col((m) => c.n(m.failedBlocked + m.failedOutsideWindow + m.failedInvalid + m.failedOther));
  const done = col((m) => c.n(m.checkInsDone));
  const help = col((m) => c.n(m.checkInsNeedsSupport));
  const t = f.total;
  const rows = (...series: Cell[][]) => f.months.map((m, i) => [monthLabel(m.month), ...series.map((s) => s[i]!)]);
  return html`
  <form method="get" action="${formAction}" class="inline no-print">
    <label>${w.from[l]} <input type="month" name="from" value="${p.from}"></label>
    <label>${w.to[l]} <input type="month" name="to" value="${p.to}"></label>
    <button>${w.show[l]}</button>
    <a class="button" href="${csvHref}?from=${p.from}&amp;to=${p.to}" download>${w.downloadCsv[l]}</a>
  </form>
  ${suppressed ? html`<p class="muted">${w.suppressedNote[l]}</p>` : ''}
  <section class="card summary"><h2>${w.summary[l]}</h2>
  ${table(null, [w.figure[l], w.value[l]], [
    [w.meetingsHeld[l], c.n(t.held)],
    [w.meetingsCancelled[l], c.n(t.cancelled)],
    [w.attendanceRate[l], c.rate(t.present, t.recorded)],
    [w.remindersSent[l], c.n(t.sent)],
    [w.failedBlocked[l], c.n(t.failedBlocked)],
    [w.failedOutside[l], c.n(t.failedOutsideWindow)],
    [w.failedInvalid[l], c.n(t.failedInvalid)],
    [w.failedOther[l], c.n(t.failedOther)],
    [w.membersActive[l], c.n(f.membersActive)],
    [w.volunteersActive[l], c.n(f.volunteersActive)],
    [w.checkInsDone[l], c.n(t.checkInsDone)],
    [w.checkInsHelp[l], c.n(t.checkInsNeedsSupport)],
  ])}</section>
  ${figure(
    barChart(w.chartMeetings[l], labels, [{ name: w.meetingsHeld[l], cells: held }, { name: w.meetingsCancelled[l], cells: cancelled }], floor),
    table(w.chartMeetings[l], [w.month[l], w.meetingsHeld[l], w.meetingsCancelled[l]], rows(held, cancelled)),
    w.chartMeetings[l],
  )}
  ${figure(
    lineChart(w.chartAttendance[l], labels, [{ name: w.attendanceRate[l], cells: rate }]),
    table(w.chartAttendance[l], [w.month[l], w.attendanceRate[l]], rows(rate)),
    w.chartAttendance[l],
  )}
  ${figure(
    barChart(w.chartReminders[l], labels, [{ name: w.remindersSent[l], cells: sent }, { name: w.remindersFailed[l], cells: failed }], floor),
    table(w.chartReminders[l], [w.month[l], w.remindersSent[l], w.remindersFailed[l]], rows(sent, failed)),
    w.chartReminders[l],
  )}
  ${figure(
    barChart(w.chartCheckIns[l], labels, [{ name: w.checkInsDone[l], cells: done }, { name: w.checkInsHelp[l], cells: help }], floor),
    table(w.chartCheckIns[l], [w.month[l], w.checkInsDone[l], w.checkInsHelp[l]], rows(done, help)),
    w.chartCheckIns[l],
  )}`;
}

export function reportCsv(f: ReportFigures, suppressed: boolean): string {
  const c = cells(suppressed);
  const head = ['month', 'meetings_held', 'meetings_cancelled', 'attendance_recorded', 'attendance_present', 'attendance_rate', 'reminders_sent', 'failed_blocked', 'failed_outside_window', 'failed_invalid', 'failed_other', 'check_ins_done', 'check_ins_needs_support', 'members_active', 'volunteers_active'];
  const line = (m: MonthFigures, last: boolean) => [
    m.month,
    ...[m.held, m.cancelled, m.recorded, m.present].map((x) => c.n(x).text),
    c.rate(m.present, m.recorded).text,
    ...[m.sent, m.failedBlocked, m.failedOutsideWindow, m.failedInvalid, m.failedOther, m.checkInsDone, m.checkInsNeedsSupport].map((x) => c.n(x).text),
    last ? c.n(f.membersActive).text : '',
    last ? c.n(f.volunteersActive).text : '',
  ];
  return csv([head, ...f.months.map((m) => line(m, false)), line(f.total, true)]);
}

type ClubReq = FastifyRequest<{ Params: { id: string }; Querystring: Q }>;

export function registerReports(app: FastifyInstance, deps: ConsoleDeps): void {
  /** The signed-in viewer, the club and its figures for the asked period; null: answered already. */
  const clubReport = async (req: ClubReq, reply: FastifyReply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'report');
    if (!v) return null;
    const club = await clubById(deps.prisma, req.params.id);
    const p = period(req.query, deps);
    return { v, club, p, f: await reportFigures(deps.prisma, [club.id], p.from, p.to, club.timeZone, deps.now()) };
  };

  app.get<{ Params: { id: string }; Querystring: Q }>('/console/club/:id/report', async (req, reply) => {
    const r = await clubReport(req, reply);
    if (!r) return reply;
    const { v, club, p, f } = r;
    const base = `/console/club/${encodeURIComponent(club.id)}`;
    return send(v, `${v.w.reportTitle[v.l]}: ${club.name}`, reportBody(v, f, v.s.kind !== 'club', `${base}/report.csv`, p, `${base}/report`), clubNav(v, club.id, '/report'));
  });

  app.get<{ Params: { id: string }; Querystring: Q }>('/console/club/:id/report.csv', async (req, reply) => {
    const r = await clubReport(req, reply);
    if (!r) return reply;
    const { v, club, p, f } = r;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${club.id}-${p.from}-${p.to}.csv"`)
      .send(reportCsv(f, v.s.kind !== 'club'));
  });

  const province = async (req: { params: { p: string }; query: Q }, v: NonNullable<Awaited<ReturnType<typeof guardOfficer>>>) => {
    const name = req.params.p.slice(0, 80);
    if (v.s.province !== null && v.s.province !== name) return null;
    const clubs = await clubIdsIn(deps.prisma, name);
    if (!clubs.length) return null;
    const p = period(req.query, deps);
    return { name, p, f: await reportFigures(deps.prisma, clubs, p.from, p.to, deps.timeZone, deps.now()) };
  };

  app.get<{ Params: { p: string }; Querystring: Q }>('/console/province/:p/report', async (req, reply) => {
    const v = await guardOfficer(req, reply, deps);
    if (!v) return reply;
    const r = await province(req, v);
    if (!r) return problem(v, 403, v.w.forbidden[v.l], v.w.forbiddenText[v.l]);
    const base = `/console/province/${encodeURIComponent(r.name)}`;
    return send(v, `${v.w.reportTitle[v.l]}: ${r.name}`, reportBody(v, r.f, true, `${base}/report.csv`, r.p, `${base}/report`), [{ href: '/console/programme', label: v.w.navProgramme[v.l] }]);
  });

  app.get<{ Params: { p: string }; Querystring: Q }>('/console/province/:p/report.csv', async (req, reply) => {
    const v = await guardOfficer(req, reply, deps);
    if (!v) return reply;
    const r = await province(req, v);
    if (!r) return problem(v, 403, v.w.forbidden[v.l], v.w.forbiddenText[v.l]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="province-${r.p.from}-${r.p.to}.csv"`)
      .send(reportCsv(r.f, true));
  });
}
