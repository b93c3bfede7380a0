// The contract between the engine and every channel (docs/architecture.md, "Contracts").
import type { OutboundMessage } from '../../flows/types.ts';

export type { OutboundMessage } from '../../flows/types.ts';

export const CHANNEL_NAMES = ['telegram', 'zalo-oa', 'zalo-bot', 'web'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export type InboundKind = 'start' | 'text' | 'choice' | 'unsupported' | 'follow' | 'unfollow';

export interface InboundEvent {
  channel: ChannelName;
  /** update_id, msg_id, message_id: the dedupe key within the channel. */
  externalId: string;
  /** Where replies go (chat id, Zalo user id). Never logged or stored raw. */
  address: string;
  kind: InboundKind;
  /** NFC-normalised, length-capped (see normaliseText). With 'unsupported': a caption, which
   * is only checked for crisis words. */
  text?: string;
  /** With 'start': what a deep link brought ("/start <payload>"), only when it has the shape of
   * an invite or link code (flows/clubs/codes.ts); any other payload is dropped. */
  startCode?: string;
  /** A neutral choice id that this bot offered earlier. */
  choice?: string;
  /** Platform language hint; the person's own choice wins. */
  locale?: string;
  receivedAt: Date;
}

export type SendResult =
  | { ok: true; messageId?: string }
  | { ok: false; reason: 'blocked' | 'outside_window' | 'invalid' }
  | { ok: false; reason: 'rate_limited' | 'transient'; retryAfterMs?: number };

/** A message cut into several platform messages (a text over the platform's length limit):
 * `from` parts were accepted before, so sending resumes there; `done(n)` records that n parts
 * are accepted, before the next one goes (a crash repeats at most the part in flight). */
export interface PartProgress {
  from: number;
  done(parts: number): Promise<void>;
}

export interface Channel {
  name: ChannelName;
  send(address: string, message: OutboundMessage, progress?: PartProgress): Promise<SendResult>;
}

/** What a channel asks of the engine (bot/engine/engine.ts, `Engine`, provides it). The channels
 * own this interface, so no channel imports the engine, which imports this file. */
export interface Turns {
  /** Runs the event's turn and delivers its replies through `channel`; `atCommit`: resolves
   * once the turn is committed, the replies still going out (Engine.handle). */
  handle(event: InboundEvent, channel: Channel, truncated?: boolean, atCommit?: boolean): Promise<TurnResult>;
  /** The person's pseudonym (bot/privacy/pseudonym.ts). */
  subjectOf(channel: ChannelName, address: string): string;
  /** Crisis guidance from content alone, for an event that cannot get a turn; true if sent. */
  crisisWithoutDatabase(event: InboundEvent, channel: Channel): Promise<boolean>;
  markContact(subject: string, status: 'blocked' | 'outside_window' | 'unfollowed'): Promise<void>;
}

export interface TurnResult {
  status: 'done' | 'duplicate';
  /** The person asked for everything to be erased, and it was. */
  erased?: boolean;
  /** Under-16 mode: nothing about this person is kept. */
  noStorage?: boolean;
}

/** Zalo OA `oa.query.hide` buttons come back as text carrying this prefix and the choice id
 * (bot/engine/input.ts reads it back, only for a choice that was offered). */
export const CHOICE_PAYLOAD_PREFIX = '#c:';

/** Longest text we take from a person; longer text is cut (and answered). */
export const MAX_TEXT_LENGTH = 4000;

/** NFC-normalise and cap inbound text; returns whether it was cut. */
export function normaliseText(raw: string): { text: string; truncated: boolean } {
  const nfc = raw.normalize('NFC');
  if (nfc.length <= MAX_TEXT_LENGTH) return { text: nfc, truncated: false };
  // Do not split a surrogate pair at the cut.
  let end = MAX_TEXT_LENGTH;
  const code = nfc.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: nfc.slice(0, end), truncated: true };
}
