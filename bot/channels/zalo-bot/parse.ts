// A Zalo Bot Platform update → what the engine should do with it. Updates arrive wrapped
// ({ok, result: update}, as documented) or bare ({event_name, message}, seen in production);
// both are accepted. Only private chats: a screening never happens in front of a group.
import { z } from 'zod';
import { type InboundEvent, normaliseText } from '../types.ts';

const Message = z.looseObject({
  message_id: z.string().min(1).max(128),
  chat: z.looseObject({ id: z.string().min(1).max(128), chat_type: z.string().optional() }),
  from: z.looseObject({ is_bot: z.boolean().optional() }).optional(),
  text: z.string().optional(),
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
  const head = { channel: 'zalo-bot' as const, externalId: m.message_id, address: m.chat.id, receivedAt };
  // Images, stickers, and "unsupported" (also what arrives from protected users such as children).
  if (name !== 'message.text.received' || typeof m.text !== 'string') return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
  const { text, truncated } = normaliseText(m.text);
  if (text.trim() === '') return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
  return { type: 'event', event: { ...head, kind: 'text', text }, truncated };
}
