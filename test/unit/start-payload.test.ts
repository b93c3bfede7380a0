// "/start <payload>" as Telegram's deep links and the Zalo Bot bring it, and the shapes of the
// codes it may carry: a code is kept (normalised), anything else is dropped, nothing crashes.
import { describe, expect, it } from 'vitest';
import { readStart } from '../../bot/channels/start-payload.ts';
import { parseUpdate, UpdateSchema } from '../../bot/channels/telegram/parse.ts';
import { BotUpdate, parseBotUpdate } from '../../bot/channels/zalo-bot/parse.ts';
import { unseal, seal } from '../../bot/channels/inbox/seal.ts';
import { hashLinkCode, newLinkCode } from '../../bot/clubs/link-code.ts';
import { codeOf, typedLinkCode } from '../../flows/clubs/codes.ts';
import { botUpdates } from '../fakes/zalo-bot-server.ts';

const now = new Date('2026-03-01T03:00:00Z');

describe('readStart', () => {
  const table: [string, { code: string | null } | null][] = [
    ['/start', { code: null }],
    ['/start@DongHanhBot', { code: null }],
    ['/START', { code: null }],
    ['/start ABCD2345', { code: 'ABCD2345' }],
    ['/start abcd-2345', { code: 'ABCD2345' }],
    ['/start@DongHanhBot K7PM2QXW4', { code: 'K7PM2QXW4' }],
    ['/start k7p-m2q-xw4', { code: 'K7PM2QXW4' }],
    ['/start utm_source-newsletter', { code: null }],
    ['/start ABCDEFGHJ', { code: null }],
    ['/start ABCD0123', { code: null }],
    // Not what a deep link can carry: typed by a person, so a text like any other.
    [`/start ${'A'.repeat(5000)}`, null],
    ['/start <script>alert(1)</script>', null],
    ['/start \u0000\u202e', null],
    ['/start tôi muốn chết', null],
    ['/starting', null],
    ['start', null],
    ['hello /start ABCD2345', null],
  ];
  for (const [text, want] of table) {
    it(`${JSON.stringify(text.slice(0, 40))} → ${JSON.stringify(want)}`, () => expect(readStart(text)).toEqual(want));
  }
});

describe('code shapes', () => {
  it('invite codes are 8, link codes 9 characters of the alphabet, link codes mixing letters and digits', () => {
    expect(codeOf('ABCD-2345')).toEqual({ kind: 'invite', code: 'ABCD2345' });
    expect(codeOf('K7P-M2Q-XW4')).toEqual({ kind: 'link', code: 'K7PM2QXW4' });
    expect(codeOf('KKKKKKKKK')).toBeNull();
    expect(codeOf('222222222')).toBeNull();
    expect(typedLinkCode('xin chào bạn')).toBeNull();
    expect(typedLinkCode(' k7p m2q xw4 ')).toBe('K7PM2QXW4');
  });
  it('new link codes have the shape they are recognised by, and their HMAC depends on the key', () => {
    for (let i = 0; i < 200; i++) expect(codeOf(newLinkCode())?.kind).toBe('link');
    const code = newLinkCode();
    const a = hashLinkCode(Buffer.alloc(32, 1), code);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain(code);
    expect(hashLinkCode(Buffer.alloc(32, 2), code)).not.toBe(a);
  });
});

describe('channels keep a code from "/start <payload>", and only a code', () => {
  const tg = (text: string) => parseUpdate(UpdateSchema.parse({ update_id: 1, message: { message_id: 1, chat: { id: 42, type: 'private' }, from: { id: 42 }, text } }), now);
  it('Telegram: a deep link with a code', () => {
    expect(tg('/start K7PM2QXW4')).toMatchObject({ type: 'event', event: { kind: 'start', startCode: 'K7PM2QXW4' } });
  });
  it('Telegram: words after /start are a text, so the crisis check reads them', () => {
    expect(tg('/start tôi muốn chết')).toMatchObject({ type: 'event', event: { kind: 'text', text: '/start tôi muốn chết' } });
  });
  it('Telegram: another payload is a plain start, the payload gone', () => {
    const r = tg('/start ref-facebook_ad_12');
    expect(r).toMatchObject({ type: 'event', event: { kind: 'start' } });
    expect(JSON.stringify(r)).not.toContain('facebook');
  });
  it('Zalo Bot: "/start <code>" is a start with the code; other words stay words', () => {
    const person = { chatId: 'abcdef0123456789abcd', displayName: 'Lan' };
    expect(parseBotUpdate(BotUpdate.parse(botUpdates.text(person, '/start ABCD2345')), now)).toMatchObject({ type: 'event', event: { kind: 'start', startCode: 'ABCD2345' } });
    expect(parseBotUpdate(BotUpdate.parse(botUpdates.text(person, '/start')), now)).toMatchObject({ type: 'event', event: { kind: 'text', text: '/start' } });
  });
  it('the inbox keeps the code through its seal', () => {
    const key = Buffer.alloc(32, 7);
    const event = { channel: 'zalo-bot' as const, externalId: 'm1', address: 'a1', kind: 'start' as const, startCode: 'K7PM2QXW4', receivedAt: now };
    expect(unseal(key, seal(key, event, false)).event).toEqual(event);
  });
});
