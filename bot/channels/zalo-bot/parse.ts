// A Zalo Bot Platform update → what the engine should do with it. Updates arrive wrapped
// ({ok, result: update}, as documented) or bare ({event_name, message}, seen in production);
// both are accepted. Only private chats: a screening never happens in front of a group.
// A photo's caption and the text an "unsupported" event may carry are the person's own words:
// they are a text turn like any other (crisis check first, then the flows), never dropped.
import { z } from 'zod';
import { safeExternalId } from '../inbox/external-id.ts';
import { readStart } from '../start-payload.ts';
import { type InboundEvent, normaliseText } from '../types.ts';

const Message = z.looseObject({
  message_id: z.string().min(1).max(128),
  chat: z.looseObject({ id: z.string().min(1).max(128), chat_type: z.string().optional() }),
  from: z.looseObject({ is_bot: z.boolean().optional() }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

export const BotUpdate = z.looseObject({ event_name: z.string().min(1).max(100), message: Message.optional() });
export type BotUpdate = z.output<typeof BotUpdate>;

export type ParsedBotUpdate =
  | { type: 'event'; event: InboundEvent; truncated: boolean }
  | { type: 'ignore'; reason: 'not_private' | 'from_bot' | 'event_type' };

/** The update inside `{ok, result}`, or the body itself when it is not wrapped. */
export function unwrap(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'result' in body && 'ok' in body) return (body as { result: unknown }).result;
  return body;
}

export function parseBotUpdate(update: BotUpdate, receivedAt: Date): ParsedBotUpdate {
  const m = update.message;
  const name = update.event_name;
  if (!m || !/^message\.\w+\.received$/.test(name)) return { type: 'ignore', reason: 'event_type' };
  if (m.chat.chat_type && m.chat.chat_type.toUpperCase() !== 'PRIVATE') return { type: 'ignore', reason: 'not_private' };
  if (m.from?.is_bot) return { type: 'ignore', reason: 'from_bot' };
  const head = { channel: 'zalo-bot' as const, externalId: safeExternalId(m.message_id), address: m.chat.id, receivedAt };
  const words = wordsOf(name, m);
  // Stickers, and images or "unsupported" events without words: a kind answer.
  if (words === undefined) return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
  // "/start <code>" typed as Telegram's deep links send it: the code opens the join or the move.
  const start = readStart(words);
  if (start?.code) return { type: 'event', event: { ...head, kind: 'start', startCode: start.code }, truncated: false };
  const { text, truncated } = normaliseText(words);
  if (text.trim() === '') return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
  return { type: 'event', event: { ...head, kind: 'text', text }, truncated };
}

/** The person's words in a message: its text, or a photo's caption. */
function wordsOf(name: string, m: z.output<typeof Message>): string | undefined {
  if (name === 'message.sticker.received') return undefined;
  if (typeof m.text === 'string' && m.text.trim() !== '') return m.text;
  if (typeof m.caption === 'string' && m.caption.trim() !== '') return m.caption;
  return undefined;
}
