// A verified OA webhook body → what to do with it. Only the fields we use are checked; ids and
// the timestamp are strings throughout (exact JSON), and nothing else of the body is kept.
import { z } from 'zod';
import { safeExternalId } from '../inbox/external-id.ts';
import { type InboundEvent, normaliseText } from '../types.ts';

const Id = z.string().min(1).max(64);
const Timestamp = z.string().regex(/^\d{1,20}$/);

export const OaBody = z.looseObject({ event_name: z.string().min(1).max(100), timestamp: Timestamp.optional() });

const UserMessage = z.looseObject({
  sender: z.looseObject({ id: Id }),
  message: z.looseObject({ msg_id: z.string().min(1).max(128).optional(), text: z.string().optional() }).optional(),
});
const FollowEvent = z.looseObject({ follower: z.looseObject({ id: Id }) });

export type ParsedOaEvent =
  | { type: 'event'; event: InboundEvent; truncated: boolean }
  /** `text`: an anonymous person's words, only to be checked for crisis words in the log line. */
  | { type: 'ignore'; reason: 'echo' | 'event_type' | 'malformed' | 'group' | 'anonymous'; text?: string };

/** OA group chats (GMF, a paid feature): `user_send_group_text`, `oa_send_group_*`, and the
 * group's own events. Never a private turn, never an answer to a screening question. */
export function isGroupEvent(name: string): boolean {
  return /(^|_)group(_|$)/.test(name);
}

/** `subjectOf` turns a user id into the pseudonym used in dedupe keys of events without msg_id. */
export function parseOaEvent(body: z.output<typeof OaBody>, receivedAt: Date, subjectOf: (userId: string) => string): ParsedOaEvent {
  const name = body.event_name;
  const timestamp = body.timestamp ?? '';
  if (isGroupEvent(name)) return { type: 'ignore', reason: 'group' };
  // Our own messages, echoed back: never a turn.
  if (name.startsWith('oa_send_')) return { type: 'ignore', reason: 'echo' };
  // Someone writing without following the OA (reference/zalo.md): whether /cs can answer them
  // is unconfirmed, so there is no turn; the webhook logs and counts them (and flags crisis words).
  if (name.startsWith('anonymous_send_')) {
    const text = (body as { message?: { text?: unknown } }).message?.text;
    return typeof text === 'string' && text.trim() !== '' ? { type: 'ignore', reason: 'anonymous', text: normaliseText(text).text } : { type: 'ignore', reason: 'anonymous' };
  }

  if (name === 'follow' || name === 'unfollow') {
    const f = FollowEvent.safeParse(body);
    if (!f.success) return { type: 'ignore', reason: 'malformed' };
    const address = f.data.follower.id;
    const externalId = eventKey(subjectOf, name, timestamp, address);
    return { type: 'event', event: { channel: 'zalo-oa', externalId, address, kind: name, receivedAt }, truncated: false };
  }

  if (name.startsWith('user_send_')) {
    const m = UserMessage.safeParse(body);
    if (!m.success) return { type: 'ignore', reason: 'malformed' };
    const address = m.data.sender.id;
    const msgId = m.data.message?.msg_id;
    const externalId = msgId !== undefined ? safeExternalId(msgId) : eventKey(subjectOf, name, timestamp, address);
    const head = { channel: 'zalo-oa' as const, externalId, address, receivedAt };
    const raw = name === 'user_send_text' ? m.data.message?.text : undefined;
    if (typeof raw !== 'string') {
      // An image or file may come with words: not answered, but checked for crisis words.
      const caption = typeof m.data.message?.text === 'string' ? normaliseText(m.data.message.text).text.trim() : '';
      return { type: 'event', event: { ...head, kind: 'unsupported', ...(caption ? { text: caption } : {}) }, truncated: false };
    }
    const { text, truncated } = normaliseText(raw);
    if (text.trim() === '') return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
    // Button taps (oa.query.hide) arrive here as text "#c:<id>"; the engine maps them to the choice.
    return { type: 'event', event: { ...head, kind: 'text', text }, truncated };
  }

  // user_seen_message, user_received_message, user_submit_info (a name and a phone number: never
  // recorded), user_click_chatnow and whatever Zalo adds next.
  return { type: 'ignore', reason: 'event_type' };
}

/** Dedupe key for events without a msg_id: event + timestamp + a keyed hash that includes them,
 * so the stored key cannot be matched to the person's subject key. */
function eventKey(subjectOf: (address: string) => string, name: string, timestamp: string, address: string): string {
  return safeExternalId(`${name}:${timestamp}:${subjectOf(`${address}|${name}|${timestamp}`).slice(0, 32)}`);
}
