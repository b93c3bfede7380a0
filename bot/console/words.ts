// The console's words, from content/console.yaml ({vi, en} each), checked once at first use:
// a missing key or locale stops the page with a clear error rather than showing "undefined".
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export type Locale = 'vi' | 'en';

const KEYS = [
  'brand', 'navLabel', 'home', 'back', 'signedInAs', 'signOut', 'signOutAll', 'printNote', 'signInTitle', 'signInHowCoordinator', 'signInHowOfficer', 'signInConfirm', 'signInButton', 'tooMany', 'tooManyText', 'forbidden', 'forbiddenText', 'csrfText', 'sessionEnded', 'linkRefusedTitle', 'linkRefused', 'linkNotAllowed', 'notFound', 'notFoundText', 'formInvalid', 'navClub', 'navMembers', 'navAttendance', 'navProgress', 'navVolunteers', 'navReport', 'navProgramme', 'clubAndSchedule', 'place', 'noSchedule', 'nextMeetings', 'noMeetings', 'statusCancelled', 'statusMoved', 'moveOrCancel', 'move', 'cancelMeeting', 'membersNotified', 'newMeeting', 'date', 'time', 'duration', 'topic', 'defaultTopic', 'venueOptional', 'repeat', 'repeatOnce', 'repeatMonthly', 'repeatWeekly', 'create', 'meetingInvalid', 'meetingPast', 'doneCreated', 'doneMoved', 'doneCancelled', 'doneInvite', 'doneRevoked', 'doneAttendance', 'doneProgress', 'membersTitle', 'alias', 'role', 'reach', 'roleMember', 'roleVolunteer', 'roleCoordinator', 'reachOk', 'reachBlocked', 'reachOutside', 'reachNoAddress', 'reachOff', 'cannotReach', 'allReachable', 'invitesTitle', 'invitesHelp', 'noInvites', 'qrFor', 'usesLeft', 'until', 'revoke', 'aliasForOne', 'uses', 'createInvite', 'aliasRequired', 'aliasTaken', 'attendanceHelp', 'marked', 'notMarked', 'noPastMeetings', 'tapHelp', 'rsvpYes', 'rsvpNo', 'saveAttendance', 'noMembers', 'month', 'show', 'progressHelp', 'status', 'onTrack', 'needsSupport', 'notSeen', 'note', 'save', 'volunteer', 'looksAfter', 'lastCheckIn', 'nextDue', 'overdue', 'none', 'noAssignments', 'checkInDone', 'checkInRescheduled', 'reportTitle', 'from', 'to', 'downloadCsv', 'summary', 'figure', 'value', 'meetingsHeld', 'meetingsCancelled', 'attendanceRate', 'remindersSent', 'remindersFailed', 'failedBlocked', 'failedOutside', 'failedInvalid', 'failedOther', 'membersActive', 'volunteersActive', 'checkInsDone', 'checkInsHelp', 'chartMeetings', 'chartAttendance', 'chartReminders', 'chartCheckIns', 'suppressedNote', 'programmeTitle', 'by', 'provinceOnly', 'provinceReports', 'noClubs', 'screeningTitle', 'noResults', 'dimInstrument', 'dimBand', 'dimSubstance', 'dimAge', 'dimProvince', 'dimChannel', 'pathTitle', 'personDays', 'pathHelp', 'stageStarted', 'stageConsented', 'stageScreened', 'stageTreatment', 'stageServices', 'stageJoined', 'total', 'navAudit', 'auditHelp', 'auditWhen', 'auditWho', 'auditWhat', 'actSignIn', 'actSignOut', 'actSignOutAll', 'actMeetingCreate', 'actMeetingMove', 'actMeetingCancel', 'actInviteCreate', 'actInviteRevoke', 'actAttendance', 'actProgress',
] as const;

const Text = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const Schema = z.strictObject(Object.fromEntries(KEYS.map((k) => [k, Text])) as { [K in (typeof KEYS)[number]]: typeof Text });
export type Words = z.infer<typeof Schema>;

let cached: Words | undefined;

export function words(): Words {
  cached ??= Schema.parse(parse(readFileSync(new URL('../../content/console.yaml', import.meta.url), 'utf8')));
  return cached;
}
