// The programme's view for officers: anonymous screening results over time by instrument, band,
// substance, age group, province or channel, and the path people take through the bot. Every
// count goes through cell() before it is printed, drawn or exported.
import type { FastifyInstance } from 'fastify';
import { barChart } from './chart.ts';
import { csv } from './csv.ts';
import { DIMENSIONS, type Dimension, pathByMonth, provinces, STAGES, screeningByMonth } from './db/programme.ts';
import { guardOfficer } from './guard.ts';
import { html, raw } from './html.ts';
import { type ConsoleDeps, send } from './http.ts';
import { period } from './reports.ts';
import { cell } from './suppress.ts';
import type { Words } from './words.ts';

type Q = { from?: string; to?: string; by?: string };
const dimOf = (q: Q): Dimension => DIMENSIONS.find((d) => d === q.by) ?? 'instrument';
const monthLabel = (m: string) => `${m.slice(5)}/${m.slice(2, 4)}`;

function dimWord(w: Words, l: 'vi' | 'en', d: Dimension): string {
  return { instrument: w.dimInstrument[l], band: w.dimBand[l], substance: w.dimSubstance[l], age_group: w.dimAge[l], province: w.dimProvince[l], channel: w.dimChannel[l] }[d];
}
/** A result value as people read it (the CSV keeps the ids). */
function valueWord(deps: ConsoleDeps, l: 'vi' | 'en', by: Dimension, v: string): string {
  if (by === 'band') return deps.content.screening.result.bandNames[v as 'low']?.[l] ?? v;
  if (by === 'substance') return deps.content.assist.classes.find((c) => c.id === v)?.name[l] ?? v;
  if (by === 'channel') return ({ telegram: 'Telegram', 'zalo-oa': 'Zalo OA', 'zalo-bot': 'Zalo Bot', web: 'Web' } as Record<string, string>)[v] ?? v;
  return v;
}

function stageWord(w: Words, l: 'vi' | 'en', s: (typeof STAGES)[number]): string {
  return { started: w.stageStarted[l], consented: w.stageConsented[l], screened: w.stageScreened[l], treatment: w.stageTreatment[l], services: w.stageServices[l], joined: w.stageJoined[l] }[s];
}

async function figures(deps: ConsoleDeps, q: Q, province: string | null) {
  const p = period(q, deps);
  const by = dimOf(q);
  const screening = await screeningByMonth(deps.prisma, by, p.from, p.to, province);
  const path = await pathByMonth(deps.prisma, p.from, p.to);
  return { p, by, screening, path };
}

export function registerProgramme(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Querystring: Q }>('/console/programme', async (req, reply) => {
    const v = await guardOfficer(req, reply, deps);
    if (!v) return reply;
    const { w, l } = v;
    const { p, by, screening, path } = await figures(deps, req.query, v.s.province);
    const all = (await provinces(deps.prisma)).filter((x) => v.s.province === null || x === v.s.province);
    const labels = screening.months.map(monthLabel);
    const shown = screening.values.slice(0, 6);
    const screeningSeries = shown.map((val) => ({ name: valueWord(deps, l, by, val), cells: screening.months.map((m) => cell(screening.count.get(m)?.get(val) ?? 0)) }));
    const stageTotals = STAGES.map((s) => cell(path.months.reduce((n, m) => n + (path.count.get(m)?.[s] ?? 0), 0)));
    const csvHref = `/console/programme.csv?from=${p.from}&to=${p.to}&by=${by}`;
    return send(
      v,
      w.programmeTitle[l],
      html`<form method="get" action="/console/programme" class="inline no-print">
        <label>${w.from[l]} <input type="month" name="from" value="${p.from}"></label>
        <label>${w.to[l]} <input type="month" name="to" value="${p.to}"></label>
        <label>${w.by[l]} <select name="by">${DIMENSIONS.map((d) => html`<option value="${d}"${d === by ? raw(' selected') : ''}>${dimWord(w, l, d)}</option>`)}</select></label>
        <button>${w.show[l]}</button>
        <a class="button" href="${csvHref}" download>${w.downloadCsv[l]}</a>
      </form>
      <p class="muted">${w.suppressedNote[l]}${v.s.province ? ` ${w.provinceOnly[l]}: ${v.s.province}.` : ''}</p>
      <section class="card"><h2>${w.provinceReports[l]}</h2>
        ${all.length ? html`<ul>${all.map((x) => html`<li><a href="/console/province/${encodeURIComponent(x)}/report">${x}</a></li>`)}</ul>` : html`<p>${w.noClubs[l]}</p>`}
      </section>
      <figure class="chart-pair"><figcaption>${w.screeningTitle[l]}: ${dimWord(w, l, by)}</figcaption>
        <div class="chart-box" aria-hidden="true">${raw(barChart(`${w.screeningTitle[l]}: ${dimWord(w, l, by)}`, labels, screeningSeries))}</div>
        <div class="scroll"><table><caption>${w.screeningTitle[l]}: ${dimWord(w, l, by)}</caption>
          <thead><tr><th scope="col">${w.month[l]}</th>${screening.values.map((val) => html`<th scope="col">${valueWord(deps, l, by, val)}</th>`)}</tr></thead>
          <tbody>${screening.months.map((m) => html`<tr><th scope="row">${monthLabel(m)}</th>${screening.values.map((val) => html`<td>${cell(screening.count.get(m)?.get(val) ?? 0).text}</td>`)}</tr>`)}</tbody>
        </table></div>
        ${screening.values.length ? '' : html`<p>${w.noResults[l]}</p>`}
      </figure>
      <figure class="chart-pair"><figcaption>${w.pathTitle[l]}</figcaption>
        <div class="chart-box" aria-hidden="true">${raw(barChart(w.pathTitle[l], STAGES.map((s) => stageWord(w, l, s)), [{ name: w.personDays[l], cells: stageTotals }]))}</div>
        <div class="scroll"><table><caption>${w.pathTitle[l]} (${w.personDays[l]})</caption>
          <thead><tr><th scope="col">${w.month[l]}</th>${STAGES.map((s) => html`<th scope="col">${stageWord(w, l, s)}</th>`)}</tr></thead>
          <tbody>${path.months.map((m) => html`<tr><th scope="row">${monthLabel(m)}</th>${STAGES.map((s) => html`<td>${cell(path.count.get(m)?.[s] ?? 0).text}</td>`)}</tr>`)}
          <tr><th scope="row">${w.total[l]}</th>${stageTotals.map((c) => html`<td>${c.text}</td>`)}</tr></tbody>
        </table></div>
        <p class="muted">${w.pathHelp[l]}</p>
      </figure>`,
      [{ href: '/console/programme', label: w.navProgramme[l], current: true }],
    );
  });

  app.get<{ Querystring: Q }>('/console/programme.csv', async (req, reply) => {
    const v = await guardOfficer(req, reply, deps);
    if (!v) return reply;
    const { p, by, screening, path } = await figures(deps, req.query, v.s.province);
    const rows: string[][] = [
      ['section', 'month', 'dimension', 'value', 'count'],
      ...screening.months.flatMap((m) => screening.values.map((val) => ['screening', m, by, val, cell(screening.count.get(m)?.get(val) ?? 0).text])),
      ...path.months.flatMap((m) => STAGES.map((s) => ['path_person_days', m, 'stage', s, cell(path.count.get(m)?.[s] ?? 0).text])),
    ];
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="programme-${by}-${p.from}-${p.to}.csv"`).send(csv(rows));
  });
}
