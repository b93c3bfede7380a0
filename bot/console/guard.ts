// Who may open what: a coordinator only their own club's pages; an officer the reports of the
// clubs in their province (or all, for a programme-wide officer). Every POST needs its CSRF token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from './auth.ts';
import { provinceOf } from './db/club.ts';
import { type ConsoleDeps, csrfOk, currentSession, problem, type View, view } from './http.ts';

export type Access = 'board' | 'report';

export async function guardClub(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps, clubId: string, access: Access): Promise<(View & { s: Session }) | null> {
  const s = await currentSession(req, deps);
  const v = view(req, reply, s);
  if (!s) {
    if (req.method === 'GET') await reply.redirect('/console', 303);
    else await problem(v, 401, v.w.signInTitle[v.l], v.w.sessionEnded[v.l]);
    return null;
  }
  let allowed = s.kind === 'club' && s.clubId === clubId;
  if (!allowed && s.kind === 'officer' && access === 'report') {
    const province = await provinceOf(deps.prisma, clubId);
    allowed = province !== undefined && (s.province === null || s.province === province);
  }
  if (!allowed) {
    await problem(v, 403, v.w.forbidden[v.l], v.w.forbiddenText[v.l]);
    return null;
  }
  if (req.method === 'POST' && !csrfOk(req, s)) {
    await problem(v, 403, v.w.forbidden[v.l], v.w.csrfText[v.l]);
    return null;
  }
  return { ...v, s };
}

export async function guardOfficer(req: FastifyRequest, reply: FastifyReply, deps: ConsoleDeps): Promise<(View & { s: Session }) | null> {
  const s = await currentSession(req, deps);
  const v = view(req, reply, s);
  if (!s) {
    await reply.redirect('/console', 303);
    return null;
  }
  if (s.kind !== 'officer') {
    await problem(v, 403, v.w.forbidden[v.l], v.w.forbiddenText[v.l]);
    return null;
  }
  return { ...v, s };
}

export function clubNav(v: View, clubId: string, current: string) {
  const base = `/console/club/${encodeURIComponent(clubId)}`;
  const items: [string, string][] = [
    ['', v.w.navClub[v.l]],
    ['/members', v.w.navMembers[v.l]],
    ['/attendance', v.w.navAttendance[v.l]],
    ['/progress', v.w.navProgress[v.l]],
    ['/volunteers', v.w.navVolunteers[v.l]],
    ['/report', v.w.navReport[v.l]],
    ['/audit', v.w.navAudit[v.l]],
  ];
  if (v.s?.kind === 'officer') return [{ href: '/console/programme', label: v.w.navProgramme[v.l] }, { href: `${base}/report`, label: v.w.navReport[v.l], current: current === '/report' }];
  return items.map(([p, label]) => ({ href: base + p, label, current: p === current }));
}
