// Club words with times in the club's zone: shared by the chat flow and the reminder sender.
import type { Content } from '../../content/types.ts';
import { tr } from '../text.ts';
import type { Choice, Locale, OutboundMessage } from '../types.ts';
import { formatLocal } from './time.ts';
import type { ClubView, MeetingView } from './types.ts';

export function when(content: Content, locale: Locale, at: Date, tz: string): { weekday: string; date: string; time: string } {
  const f = formatLocal(at, tz);
  return { weekday: content.clubs.weekdays[locale][f.weekday]!, date: f.date, time: f.time };
}

export function meetingLine(content: Content, locale: Locale, m: MeetingView, tz: string): string {
  const w = when(content, locale, new Date(m.startsAt), tz);
  const moved = m.status === 'moved' ? ` ${content.clubs.text.moved[locale]}` : '';
  return `• ${w.weekday} ${w.date} ${w.time} · ${m.venue} · ${m.topic}${moved}`;
}

export function cardText(content: Content, locale: Locale, club: ClubView): string {
  const t = content.clubs.text;
  const lines = [club.name];
  if (club.sample) lines.push(t.sample[locale]);
  lines.push(`${club.commune}, ${club.province}`);
  lines.push(tr(t.cardPlace, locale, { venue: club.venue }));
  if (club.board) lines.push(tr(t.cardBoard, locale, { board: club.board }));
  lines.push('');
  if (club.next.length) {
    lines.push(t.cardNext[locale]);
    for (const m of club.next) lines.push(meetingLine(content, locale, m, club.timeZone));
  } else lines.push(t.cardNone[locale]);
  return lines.join('\n');
}

export function rsvpChoices(content: Content, locale: Locale, occurrenceId: number): Choice[] {
  const t = content.clubs.text;
  return [
    { id: `rsvp.${occurrenceId}.yes`, label: t.rsvpYes[locale] },
    { id: `rsvp.${occurrenceId}.no`, label: t.rsvpNo[locale] },
  ];
}

/** A member's reminder: always with a tap to answer (on Zalo a tap reopens the 7-day window). */
export function reminderMessage(
  content: Content,
  locale: Locale,
  kind: 'reminder' | 'meeting_moved',
  club: { name: string; timeZone: string },
  m: { id: number; startsAt: Date; venue: string; topic: string },
): OutboundMessage {
  const w = when(content, locale, m.startsAt, club.timeZone);
  const key = kind === 'reminder' ? 'reminder' : 'meetingMoved';
  return {
    text: tr(content.clubs.text[key], locale, { club: club.name, ...w, venue: m.venue, topic: m.topic }),
    choices: [rsvpChoices(content, locale, m.id)],
  };
}
