// Telegram Update → what the engine should do with it. Only the fields we use are checked;
// everything else passes through untouched (Telegram adds fields often) and is never stored.
import { z } from 'zod';
import { readStart } from '../start-payload.ts';
import { type InboundEvent, normaliseText } from '../types.ts';

const User = z.looseObject({ id: z.number().int(), language_code: z.string().optional() });
const Chat = z.looseObject({ id: z.number().int(), type: z.string() });
const Message = z.looseObject({ message_id: z.number().int(), chat: Chat, from: User.optional(), text: z.string().optional(), caption: z.string().optional() });

export const UpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: Message.optional(),
  callback_query: z
    .looseObject({
      id: z.string().min(1),
      from: User,
      // An InaccessibleMessage (too old) still carries its chat.
      message: z.looseObject({ chat: Chat }).optional(),
      data: z.string().optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat: Chat,
      new_chat_member: z.looseObject({ status: z.string() }),
    })
    .optional(),
});
export type TelegramUpdate = z.output<typeof UpdateSchema>;

export type ParsedUpdate =
  | { type: 'event'; event: InboundEvent; truncated: boolean; callbackQueryId?: string }
  /** The person blocked the bot: mark the contact, send nothing. */
  | { type: 'blocked'; address: string }
  /** Nothing to do (edits, groups, unknown update types); a callback query is still answered. */
  | { type: 'ignore'; reason: string; callbackQueryId?: string };

function base(update: TelegramUpdate, chatId: number, locale: string | undefined, receivedAt: Date) {
  return {
    channel: 'telegram' as const,
    externalId: String(update.update_id),
    address: String(chatId),
    ...(locale ? { locale } : {}),
    receivedAt,
  };
}

export function parseUpdate(update: TelegramUpdate, receivedAt: Date): ParsedUpdate {
  const { message, callback_query: cb, my_chat_member: member } = update;
  if (message) {
    // Only one-to-one chats: a screening must never happen in front of a group.
    if (message.chat.type !== 'private') return { type: 'ignore', reason: 'not_private' };
    const head = base(update, message.chat.id, message.from?.language_code, receivedAt);
    if (typeof message.text !== 'string') {
      // A photo or video's caption is not answered, but it is checked for crisis words.
      const caption = message.caption ? normaliseText(message.caption).text : '';
      return { type: 'event', event: { ...head, kind: 'unsupported', ...(caption ? { text: caption } : {}) }, truncated: false };
    }
    // "/start", "/start@Bot", "/start <payload>" (a deep link): a code in the payload is kept.
    const start = readStart(message.text);
    if (start) return { type: 'event', event: { ...head, kind: 'start', ...(start.code ? { startCode: start.code } : {}) }, truncated: false };
    const { text, truncated } = normaliseText(message.text);
    if (text.trim() === '') return { type: 'event', event: { ...head, kind: 'unsupported' }, truncated: false };
    return { type: 'event', event: { ...head, kind: 'text', text }, truncated };
  }
  if (cb) {
    const chat = cb.message?.chat;
    if (chat?.type !== 'private') return { type: 'ignore', reason: 'not_private', callbackQueryId: cb.id };
    const head = base(update, chat.id, cb.from.language_code, receivedAt);
    const event: InboundEvent = cb.data ? { ...head, kind: 'choice', choice: cb.data } : { ...head, kind: 'unsupported' };
    return { type: 'event', event, truncated: false, callbackQueryId: cb.id };
  }
  if (member) {
    if (member.chat.type !== 'private') return { type: 'ignore', reason: 'not_private' };
    // 'kicked' in a private chat means the person blocked the bot. Unblocking needs no
    // action: their next message marks the contact active again.
    if (member.new_chat_member.status === 'kicked') return { type: 'blocked', address: String(member.chat.id) };
    return { type: 'ignore', reason: 'member_status' };
  }
  return { type: 'ignore', reason: 'update_type' };
}
