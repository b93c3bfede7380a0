// Schema of content/clubs.yaml (the words of the after-care club flow, reminders and nudges)
// and content/clubs.sample.yaml (sample clubs, so a newcomer sees schedules at once).
import { z } from 'zod';
import { IdSchema, TextSchema } from './common.ts';

const keys = [
  'menuClubs', 'intro', 'myClubs', 'findClub', 'haveCode', 'back',
  'chooseProvince', 'chooseCommune', 'chooseClub', 'noClubs',
  'cardPlace', 'cardBoard', 'cardNext', 'cardNone', 'moved', 'sample', 'youAreMember',
  'join', 'joinConsent', 'consentYes', 'consentNo', 'consentDeclined', 'consentUnclear', 'webNoReminders', 'askCode', 'codeInvalid',
  'joinedMember', 'joinedVolunteer', 'joinedCoordinator', 'alreadyMember',
  'rsvpYes', 'rsvpNo', 'rsvpThanksYes', 'rsvpThanksNo', 'rsvpGone', 'notMember',
  'changeTimes', 'chooseTimes', 'timesSaved', 'leave', 'leaveConfirm', 'leaveYes', 'left',
  'stopAll', 'stopAllNone', 'remindersOffNote',
  'myAssignments', 'noAssignments', 'assignmentLine', 'volDone', 'volHelp', 'volNewDate', 'askDate', 'dateInvalid',
  'checkInSaved', 'helpRaised', 'rescheduled',
  'reminder', 'meetingMoved', 'meetingCancelled',
  'volAssigned', 'volCheckInDue', 'volMemberDeclined', 'volMemberMissed', 'volNudgeAgain',
  'coordEscalation', 'coordHelp', 'coordBefore', 'coordAfter', 'coordNone',
  'consoleLink', 'consoleOpen', 'consoleNotBoard', 'consoleUnavailable',
  'webJoin', 'webJoinConsent', 'joinedWeb', 'webMemberNote',
  'linkOffer', 'linkCode', 'linkViaTelegram', 'linkViaZalo', 'linkWhatMoves', 'linkOpenTelegram', 'linkOpenZalo', 'linkNoChannel',
  'linkMoved', 'linkNothing', 'linkWrong', 'linkBlocked',
] as const;

const TimesOption = z.strictObject({ id: IdSchema, offsets: z.array(z.number().int().min(15).max(10_080)).min(1).max(3), label: TextSchema });

export const schema = z.strictObject({
  text: z.strictObject(Object.fromEntries(keys.map((k) => [k, TextSchema])) as { [K in (typeof keys)[number]]: typeof TextSchema }),
  /** Sunday first, as Date.getDay(). */
  weekdays: z.strictObject({ vi: z.array(z.string().min(1)).length(7), en: z.array(z.string().min(1)).length(7) }),
  times: z.array(TimesOption).min(1),
});
export type ClubsContent = z.infer<typeof schema>;

const SampleSeries = z.strictObject({
  rrule: z.string().min(1),
  start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
  durationMin: z.number().int().min(15).max(600),
  topic: z.string().min(1),
});

export const sampleSchema = z.strictObject({
  note: z.string().min(1),
  clubs: z.array(
    z.strictObject({
      id: IdSchema,
      name: z.string().min(1),
      province: z.string().min(1),
      commune: z.string().min(1),
      venue: z.string().min(1),
      board: z.string().default(''),
      timeZone: z.string().default('Asia/Ho_Chi_Minh'),
      requiresInvite: z.boolean().default(false),
      series: z.array(SampleSeries).min(1),
    }),
  ),
});
export type SampleClubs = z.infer<typeof sampleSchema>;
