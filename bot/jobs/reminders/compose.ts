// A ledger row → the message to send, in the recipient's language, rendered at send time so
// it always says the meeting's current time and place. Every message invites a tap (on Zalo
// a tap reopens the 7-day window).
import type { Content } from '../../../content/types.ts';
import { reminderMessage, when } from '../../../flows/clubs/render.ts';
import { column, tr } from '../../../flows/text.ts';
import type { Choice, Locale, OutboundMessage } from '../../../flows/types.ts';
import { assignmentById } from '../../db/assignment.ts';
import { clubClocks } from '../../db/club.ts';
import { failedFor } from '../../db/delivery.ts';
import { answersTo, occurrenceById } from '../../db/meeting.ts';
import { activeMembers, membershipAlias } from '../../db/membership.ts';
import type { Sql } from '../../db/sql.ts';

type Row = { kind: string; clubId: string; occurrenceId: number | null; assignmentId: number | null; membershipId: number | null };

function volChoices(content: Content, l: Locale, id: number): Choice[] {
  const t = content.clubs.text;
  return [
    { id: `vol.done.${id}`, label: t.volDone[l] },
    { id: `vol.help.${id}`, label: t.volHelp[l] },
    { id: `vol.date.${id}`, label: t.volNewDate[l] },
  ];
}

const nameOf = (m: { alias: string | null; id: number }) => m.alias ?? `#${m.id}`;

/** null: nothing to say any more (meeting gone, assignment ended). */
export async function compose(sql: Sql, content: Content, row: Row, locale: Locale): Promise<OutboundMessage | null> {
  const t = content.clubs.text;
  const l = locale;
  const [club] = await clubClocks(sql, row.clubId);
  if (!club) return null;
  const occ = row.occurrenceId ? await occurrenceById(sql, row.occurrenceId) : null;
  const a = row.assignmentId ? await assignmentById(sql, row.assignmentId) : null;
  const back: Choice = { id: `clubs.card.${club.id}`, label: club.name };
  switch (row.kind) {
    case 'reminder':
    case 'meeting_moved':
      if (!occ || occ.status === 'cancelled') return null;
      return reminderMessage(content, l, row.kind, club, occ);
    case 'meeting_cancelled': {
      if (!occ) return null;
      const w = when(content, l, occ.originalStart, club.timeZone);
      return { text: tr(t.meetingCancelled, l, { club: club.name, ...w }), choices: column([back]) };
    }
    case 'vol_assigned':
      if (!a?.active) return null;
      return { text: tr(t.volAssigned, l, { alias: a.memberAlias, club: club.name, days: a.cadenceDays }), choices: column([{ id: 'vol.list', label: t.myAssignments[l] }]) };
    case 'checkin_due':
    case 'nudge_again':
    case 'vol_declined':
    case 'vol_missed': {
      if (!a?.active) return null;
      const key = { checkin_due: 'volCheckInDue', nudge_again: 'volNudgeAgain', vol_declined: 'volMemberDeclined', vol_missed: 'volMemberMissed' } as const;
      const date = occ ? when(content, l, occ.startsAt, club.timeZone).date : '';
      return { text: tr(t[key[row.kind]], l, { alias: a.memberAlias, date }), choices: column(volChoices(content, l, a.id)) };
    }
    case 'escalation':
    case 'coord_help': {
      if (!a) return null;
      const member = await membershipAlias(sql, a.memberId);
      const words = row.kind === 'escalation' ? t.coordEscalation : t.coordHelp;
      return { text: tr(words, l, { volunteer: nameOf(a.volunteer), alias: member ? nameOf(member) : a.memberAlias }) };
    }
    case 'coord_before':
    case 'coord_after': {
      if (!occ || occ.status === 'cancelled') return null;
      const members = await activeMembers(sql, club.id);
      const { rsvp: answer, present } = await answersTo(sql, occ.id);
      const w = when(content, l, occ.startsAt, club.timeZone);
      if (row.kind === 'coord_before') {
        const failed = await failedFor(sql, club.id, occ.id, new Date(occ.startsAt.getTime() - 30 * 86_400_000));
        const unreachable = members.filter((m) => failed.some((f) => f.membershipId === m.id));
        const yes = members.filter((m) => answer.get(m.id) === 'yes').length;
        const no = members.filter((m) => answer.get(m.id) === 'no').length;
        const list = unreachable.map((m) => `${nameOf(m)} (${failed.find((f) => f.membershipId === m.id)?.reason})`).join(', ') || t.coordNone[l];
        return { text: tr(t.coordBefore, l, { club: club.name, ...w, yes, no, none: members.length - yes - no, unreachable: list }), choices: column([back]) };
      }
      // Who needs a check-in: said no, did not answer, or recorded absent.
      const need = members.filter((m) => present.get(m.id) === false || (present.get(m.id) === undefined && answer.get(m.id) !== 'yes'));
      return { text: tr(t.coordAfter, l, { club: club.name, date: w.date, list: need.map(nameOf).join(', ') || t.coordNone[l] }), choices: column([back]) };
    }
    default:
      return null;
  }
}
