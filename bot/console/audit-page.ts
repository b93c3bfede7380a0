// The club's audit log, for its board: who (alias) did what, and when. Read-only.
import type { FastifyInstance } from 'fastify';
import { formatLocal } from '../../flows/clubs/time.ts';
import { clubNav, guardClub } from './guard.ts';
import { html } from './html.ts';
import { type ConsoleDeps, send } from './http.ts';
import type { Words } from './words.ts';
import { auditOf } from './db/audit.ts';
import { clubById } from './db/club.ts';

function actionWord(w: Words, l: 'vi' | 'en', action: string): string {
  const key = (
    {
      sign_in: 'actSignIn',
      sign_out: 'actSignOut',
      sign_out_everywhere: 'actSignOutAll',
      meeting_create: 'actMeetingCreate',
      meeting_move: 'actMeetingMove',
      meeting_cancel: 'actMeetingCancel',
      invite_create: 'actInviteCreate',
      invite_revoke: 'actInviteRevoke',
      attendance_record: 'actAttendance',
      progress_save: 'actProgress',
    } as const
  )[action as 'sign_in'];
  return key ? w[key][l] : action;
}

export function registerAudit(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get<{ Params: { id: string } }>('/console/club/:id/audit', async (req, reply) => {
    const v = await guardClub(req, reply, deps, req.params.id, 'board');
    if (!v) return reply;
    const { w, l } = v;
    const club = await clubById(deps.prisma, req.params.id);
    const rows = await auditOf(deps.prisma, club.id);
    return send(
      v,
      w.navAudit[l],
      html`<p class="muted">${w.auditHelp[l]}</p>
      <div class="scroll"><table><thead><tr><th scope="col">${w.auditWhen[l]}</th><th scope="col">${w.auditWho[l]}</th><th scope="col">${w.auditWhat[l]}</th></tr></thead>
      <tbody>${rows.map((r) => {
        const f = formatLocal(r.at, club.timeZone);
        return html`<tr><td>${f.date} ${f.time}</td><td>${r.actor}</td><td>${actionWord(w, l, r.action)}${r.target ? html` <span class="muted">${r.target}</span>` : ''}</td></tr>`;
      })}</tbody></table></div>`,
      clubNav(v, club.id, '/audit'),
    );
  });
}
