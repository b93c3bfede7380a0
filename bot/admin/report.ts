// The six-monthly report (seed 001: reports every six months and every year): counts only,
// no aliases, so the CSV can travel to the commune and province.
import type { Prisma } from '../../prisma/generated/client.ts';

export interface ClubReportRow {
  club_id: string;
  from: string;
  to: string;
  meetings_held: number;
  meetings_cancelled: number;
  attendance_recorded: number;
  attendance_rate: string;
  members_active: number;
  reminders_sent: number;
  failed_blocked: number;
  failed_outside_window: number;
  failed_invalid: number;
  failed_other: number;
  active_volunteers: number;
  check_ins_done: number;
  check_ins_needs_support: number;
}

export async function clubReport(tx: Prisma.TransactionClient, clubId: string, from: Date, to: Date, now: Date): Promise<ClubReportRow> {
  const end = to < now ? to : now;
  const held = await tx.meetingOccurrence.findMany({ where: { clubId, startsAt: { gte: from, lte: end }, status: { not: 'cancelled' } }, select: { id: true } });
  const cancelled = await tx.meetingOccurrence.count({ where: { clubId, startsAt: { gte: from, lte: to }, status: 'cancelled' } });
  const ids = held.map((h) => h.id);
  const recorded = await tx.attendance.count({ where: { occurrenceId: { in: ids } } });
  const present = await tx.attendance.count({ where: { occurrenceId: { in: ids }, present: true } });
  const sent = await tx.reminderDelivery.count({ where: { clubId, status: 'sent', sentAt: { gte: from, lte: to } } });
  const failed = await tx.reminderDelivery.groupBy({ by: ['reason'], where: { clubId, status: 'failed', dueAt: { gte: from, lte: to } }, _count: { _all: true } });
  const byReason = (r: string) => failed.find((f) => f.reason === r)?._count._all ?? 0;
  const failedTotal = failed.reduce((n, f) => n + f._count._all, 0);
  const volunteers = await tx.membership.count({
    where: { clubId, role: 'volunteer', status: 'active', supporting: { some: { active: true } } },
  });
  const checkIns = await tx.checkIn.groupBy({ by: ['outcome'], where: { assignment: { clubId }, at: { gte: from, lte: to } }, _count: { _all: true } });
  const outcome = (o: string) => checkIns.find((c) => c.outcome === o)?._count._all ?? 0;
  const known = byReason('blocked') + byReason('outside_window') + byReason('invalid');
  return {
    club_id: clubId,
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    meetings_held: held.length,
    meetings_cancelled: cancelled,
    attendance_recorded: recorded,
    attendance_rate: recorded ? (present / recorded).toFixed(2) : '',
    members_active: await tx.membership.count({ where: { clubId, role: 'member', status: 'active' } }),
    reminders_sent: sent,
    failed_blocked: byReason('blocked'),
    failed_outside_window: byReason('outside_window'),
    failed_invalid: byReason('invalid'),
    failed_other: failedTotal - known,
    active_volunteers: volunteers,
    check_ins_done: outcome('done'),
    check_ins_needs_support: outcome('needs_support'),
  };
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(rows: ClubReportRow[]): string {
  const header: (keyof ClubReportRow)[] = [
    'club_id', 'from', 'to', 'meetings_held', 'meetings_cancelled', 'attendance_recorded', 'attendance_rate', 'members_active',
    'reminders_sent', 'failed_blocked', 'failed_outside_window', 'failed_invalid', 'failed_other', 'active_volunteers',
    'check_ins_done', 'check_ins_needs_support',
  ];
  return [header.join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))].join('\n');
}
