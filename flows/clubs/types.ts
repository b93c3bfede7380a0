// What the clubs flow sees of the world (loaded by the engine before a club-related step, so
// the flow stays pure) and the intents it returns.

export type ClubRole = 'member' | 'volunteer' | 'coordinator';

export interface MeetingView {
  id: number;
  /** ISO instant. */
  startsAt: string;
  topic: string;
  venue: string;
  status: 'scheduled' | 'moved' | 'cancelled';
}

export interface ClubView {
  id: string;
  name: string;
  province: string;
  commune: string;
  venue: string;
  board: string;
  timeZone: string;
  requiresInvite: boolean;
  sample: boolean;
  /** The next three meetings that will happen. */
  next: MeetingView[];
}

export interface MyMembership {
  clubId: string;
  role: ClubRole;
  offsets: number[];
  remindersOn: boolean;
}

export interface MyAssignment {
  id: number;
  clubId: string;
  alias: string;
  nextDueAt: string;
  timeZone: string;
}

export interface ClubsView {
  clubs: ClubView[];
  mine: MyMembership[];
  assignments: MyAssignment[];
  /** The invite code the person just typed, looked up (null: no such usable code). */
  invite?: { clubId: string; role: ClubRole } | null;
  /** The meeting an RSVP choice names, when it is not among a card's next three. */
  occurrence?: MeetingView & { clubId: string };
  /** For "/console": the console's address and fresh random tokens, one per club this person
   * coordinates (the flow stays pure; the tokens are stored, hashed, by the consoleLink effect). */
  console?: { baseUrl: string; tokens: string[] };
  /** A link code the person sent from a chat, looked up (by its HMAC): whose memberships it
   * would bring, or why it brings nothing. Never the code itself. */
  link?: LinkLookup;
  /** For a web member who asked to get reminders elsewhere: a fresh one-time link code and
   * where it can be sent (stored, hashed, by the linkCreate effect). */
  newLink?: NewLink;
}

export type LinkLookup =
  | { status: 'ok'; hash: string; clubIds: string[] }
  | { status: 'wrong' }
  /** Too many wrong codes from this person lately: not even looked up. */
  | { status: 'blocked' };

export interface NewLink {
  code: string;
  hash: string;
  minutes: number;
  /** Telegram is configured: its deep link when the bot's username is known. */
  telegram: { url?: string } | null;
  /** Zalo (OA or Bot) is configured: the OA's page when its id is known. */
  zalo: { url?: string } | null;
}

export type ClubEffect =
  | { type: 'clubJoin'; clubId: string; role: ClubRole; code: string | null }
  | { type: 'clubRsvp'; occurrenceId: number; answer: 'yes' | 'no' }
  | { type: 'clubTimes'; clubId: string; offsets: number[] }
  | { type: 'clubLeave'; clubId: string }
  /** "dừng": every reminder and nudge, for every club, at once. */
  | { type: 'clubStopAll' }
  /** A one-time console sign-in link for this coordinator in this club (bot/console/auth.ts). */
  | { type: 'consoleLink'; clubId: string; token: string }
  /** Keep a new link code's HMAC for this web member (bot/clubs/link-code.ts). */
  | { type: 'linkCreate'; hash: string }
  /** Use a link code up: the web member's active memberships become this person's. */
  | { type: 'linkRedeem'; hash: string }
  /** A wrong link code: counted, so many are refused for a while. */
  | { type: 'linkFailed' }
  | { type: 'checkIn'; assignmentId: number; outcome: 'done' | 'needs_support' | 'rescheduled'; nextAt?: string };
