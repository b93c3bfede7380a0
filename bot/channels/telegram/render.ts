// OutboundMessage → sendMessage parameters. Plain text only, no parse_mode: nothing a person
// typed and we echo back can turn into markup. Choices become callback buttons carrying the
// neutral choice id; web links become URL buttons.
import type { InlineKeyboardButton } from 'grammy/types';
import type { OutboundMessage } from '../types.ts';
import { splitText as splitAt } from '../split-text.ts';
import { isWebUrl, linkLine, numberedList } from '../text.ts';

/** Telegram's limit is 4096 characters; stay a little below it. */
export const MAX_MESSAGE_LENGTH = 4000;
/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;
/** Telegram refuses a keyboard of more than 100 inline buttons. */
export const MAX_INLINE_BUTTONS = 100;

export interface RenderedMessage {
  text: string;
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
  link_preview_options: { is_disabled: true };
}

export function splitText(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  return splitAt(text, max);
}

export function keyboardOf(message: OutboundMessage): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  for (const row of message.choices ?? []) {
    const buttons = row
      .filter((c) => Buffer.byteLength(c.id, 'utf8') <= MAX_CALLBACK_BYTES)
      .map((c): InlineKeyboardButton => ({ text: c.label, callback_data: c.id }));
    if (buttons.length) rows.push(buttons);
  }
  for (const link of message.links ?? []) {
    if (isWebUrl(link.url)) rows.push([{ text: link.label, url: link.url }]);
  }
  return rows;
}

/** One OutboundMessage → one or more sendMessage calls (buttons go on the last). */
export function render(message: OutboundMessage): RenderedMessage[] {
  // Telegram refuses tel: and other schemes in buttons: those go into the text instead.
  const extra = (message.links ?? []).filter((l) => !isWebUrl(l.url)).map(linkLine);
  let keyboard = keyboardOf(message);
  let list: string[] = [];
  // Too many for buttons: a numbered list (a typed number answers it, as on Zalo) and links only.
  if (keyboard.flat().length > MAX_INLINE_BUTTONS) {
    list = [numberedList((message.choices ?? []).flat().map((c) => c.label))];
    keyboard = keyboardOf({ text: '', links: message.links ?? [] }).slice(0, MAX_INLINE_BUTTONS);
  }
  const full = [message.text, ...list, ...extra].filter((s) => s.trim() !== '').join('\n');
  const parts = splitText(full === '' ? '…' : full);
  return parts.map((text, i) => {
    const last = i === parts.length - 1;
    return {
      text,
      link_preview_options: { is_disabled: true },
      ...(last && keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
    };
  });
}
