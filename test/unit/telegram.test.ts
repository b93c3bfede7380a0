// Telegram parsing, rendering and error mapping, without a database or a network.
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { parseUpdate, UpdateSchema } from '../../bot/channels/telegram/parse.ts';
import { MAX_MESSAGE_LENGTH, render, splitText } from '../../bot/channels/telegram/render.ts';
import { classify } from '../../bot/channels/telegram/send.ts';
import { MAX_TEXT_LENGTH } from '../../bot/channels/types.ts';
import { person, updates } from '../support/telegram.ts';

const now = new Date('2026-11-23T10:00:00Z');
const parse = (u: unknown) => parseUpdate(UpdateSchema.parse(u), now);

describe('parseUpdate', () => {
  const p = person({ chatId: 555_000_111, languageCode: 'en' });

  it('turns /start, "/start payload" and "/start@Bot" into start', () => {
    for (const text of ['/start', '/start abc_123', '/start@DongHanhBot', '  /start ']) {
      const r = parse(updates.text(p, text, 10));
      expect(r).toMatchObject({ type: 'event', event: { kind: 'start', externalId: '10', address: '555000111', locale: 'en', channel: 'telegram' } });
    }
  });

  it('passes other text NFC-normalised, and caps it', () => {
    const r = parse(updates.text(p, 'xin cha\u0300o', 11));
    expect(r).toMatchObject({ type: 'event', truncated: false, event: { kind: 'text', text: 'xin chào' } });
    const long = parse(updates.text(p, 'a'.repeat(MAX_TEXT_LENGTH + 5), 12));
    expect(long.type === 'event' && long.truncated).toBe(true);
    expect(long.type === 'event' && long.event.text?.length).toBe(MAX_TEXT_LENGTH);
    expect(parse(updates.text(p, '/startle', 13))).toMatchObject({ event: { kind: 'text' } });
  });

  it('turns a button tap into a choice and keeps the callback query id', () => {
    const u = updates.callback(p, 'menu.screening', 14);
    expect(parse(u)).toMatchObject({ type: 'event', callbackQueryId: u.callback_query.id, event: { kind: 'choice', choice: 'menu.screening' } });
  });

  it('answers stickers and photos as unsupported', () => {
    expect(parse(updates.sticker(p, 15))).toMatchObject({ event: { kind: 'unsupported' } });
    expect(parse(updates.photo(p, 16))).toMatchObject({ event: { kind: 'unsupported' } });
  });

  it('marks a block, and ignores edits, groups and unblocks', () => {
    expect(parse(updates.kicked(p, 17))).toEqual({ type: 'blocked', address: '555000111' });
    expect(parse({ update_id: 18, edited_message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'x' } })).toMatchObject({ type: 'ignore' });
    expect(parse({ update_id: 19, message: { message_id: 1, chat: { id: -5, type: 'group' }, text: '/start' } })).toMatchObject({ type: 'ignore' });
    const unblock = updates.kicked(p, 20);
    unblock.my_chat_member.new_chat_member.status = 'member';
    expect(parse(unblock)).toMatchObject({ type: 'ignore' });
  });

  it('rejects what is not an update', () => {
    expect(UpdateSchema.safeParse({}).success).toBe(false);
    expect(UpdateSchema.safeParse({ update_id: 'x' }).success).toBe(false);
    expect(UpdateSchema.safeParse({ update_id: 1, message: { chat: {} } }).success).toBe(false);
  });
});

describe('render', () => {
  it('makes callback buttons from choices and URL buttons from web links, with no parse_mode', () => {
    const [m] = render({
      text: 'Chọn <b>một</b>',
      choices: [[{ id: 'a.one', label: 'Một' }], [{ id: 'a.two', label: 'Hai' }]],
      links: [{ label: 'Web', url: 'https://example.org' }, { label: 'Cấp cứu', url: 'tel:115' }],
    });
    expect(m).toEqual({
      text: 'Chọn <b>một</b>\nCấp cứu: 115',
      link_preview_options: { is_disabled: true },
      reply_markup: {
        inline_keyboard: [[{ text: 'Một', callback_data: 'a.one' }], [{ text: 'Hai', callback_data: 'a.two' }], [{ text: 'Web', url: 'https://example.org' }]],
      },
    });
    expect(render({ text: 'x' })[0]).not.toHaveProperty('reply_markup');
  });

  it('drops a choice whose id would not fit in callback_data', () => {
    const [m] = render({ text: 'x', choices: [[{ id: 'a'.repeat(65), label: 'too long' }, { id: 'ok', label: 'ok' }]] });
    expect(m!.reply_markup!.inline_keyboard).toEqual([[{ text: 'ok', callback_data: 'ok' }]]);
  });

  it('splits long text and puts the buttons on the last part', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Dòng số ${i} của một văn bản rất dài`).join('\n');
    const parts = render({ text, choices: [[{ id: 'ok', label: 'OK' }]] });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(parts.slice(0, -1).every((p) => !p.reply_markup)).toBe(true);
    expect(parts.at(-1)!.reply_markup).toBeDefined();
    expect(parts.map((p) => p.text).join('\n')).toBe(text);
    expect(splitText('x'.repeat(9000)).map((s) => s.length)).toEqual([4000, 4000, 1000]);
  });
});

describe('classify', () => {
  const err = (code: number, retry?: number) =>
    new GrammyError('x', { ok: false, error_code: code, description: 'd', ...(retry ? { parameters: { retry_after: retry } } : {}) }, 'sendMessage', {});
  it('maps Bot API errors to SendResult reasons', () => {
    expect(classify(err(429, 3))).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(classify(err(403)).kind).toBe('blocked');
    expect(classify(err(400)).kind).toBe('invalid');
    expect(classify(err(502)).kind).toBe('transient');
    expect(classify(new HttpError('network', new Error('ECONNREFUSED'))).kind).toBe('transient');
  });
});
