// Moving a web membership to Zalo or Telegram, and codes brought by links, as tables:
// state + input + the world (ctx.clubs) → messages and effects (flows/clubs/link.ts, fromCode).
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import type { ClubsView, LinkLookup, NewLink } from '../../flows/clubs/types.ts';
import { route } from '../../flows/router.ts';
import type { FlowState, Input, StepContext, StepResult } from '../../flows/types.ts';
import { member as memberOf, NOW, ready, world } from '../support/club-world.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';

const member = memberOf();

const content = loadContent();
function step(state: FlowState | null, input: Input, clubs: ClubsView, platform: StepContext['platform'], locale: 'vi' | 'en' = 'vi'): StepResult {
  return route(state, input, { now: NOW, locale, content, platform, retentionDays: 180, clubs });
}
const kinds = (r: StepResult) => r.effects.map((e) => e.type);

const CODE = 'K7PM2QXW4';
const fresh = (over: Partial<NewLink> = {}): NewLink => ({
  code: CODE,
  hash: 'h-new',
  minutes: 30,
  telegram: { url: `https://t.me/donghanh_bot?start=${CODE}` },
  zalo: { url: 'https://zalo.me/1234567890' },
  ...over,
});

describe('the web: join, then a one-time code to move', () => {
  const table: { name: string; state: () => FlowState; input: Input; clubs: ClubsView; ids: string[]; has: string[]; effects: string[] }[] = [
    {
      name: 'a card says the web sends no reminders, and offers joining',
      state: ready,
      input: choice('clubs.card.xuan-tan'),
      clubs: world(),
      ids: ['clubs.join.xuan-tan', 'menu.clubs'],
      has: ['Trang web này không gửi được nhắc lịch', 'mã dùng một lần'],
      effects: [],
    },
    {
      name: 'joining asks consent in the web\'s own words (nothing about an encrypted chat address)',
      state: ready,
      input: choice('clubs.join.xuan-tan'),
      clubs: world(),
      ids: ['clubs.consent.yes', 'clubs.consent.no'],
      has: ['mã ẩn danh của trình duyệt', 'Zalo hoặc Telegram'],
      effects: [],
    },
    {
      name: 'a member\'s card offers the move and leaving, and promises no reminders',
      state: ready,
      input: choice('clubs.card.xuan-tan'),
      clubs: world({ mine: [member] }),
      ids: ['clubs.move', 'clubs.leave.xuan-tan', 'menu.clubs'],
      has: ['trang web không gửi được nhắc lịch'],
      effects: [],
    },
    {
      name: 'the move shows the code, the Telegram deep link, the Zalo words and what moves',
      state: ready,
      input: choice('clubs.move'),
      clubs: world({ mine: [member], newLink: fresh() }),
      ids: ['clubs.mine', 'menu.main'],
      has: ['K7P-M2Q-XW4', '30 phút', `/start ${CODE}`, 'nhắn mã K7P-M2Q-XW4 cho Đồng Hành trên Zalo', 'chỉ tư cách thành viên câu lạc bộ'],
      effects: ['linkCreate'],
    },
    {
      name: 'Telegram only: no Zalo words',
      state: ready,
      input: choice('clubs.move'),
      clubs: world({ mine: [member], newLink: fresh({ zalo: null }) }),
      ids: ['clubs.mine', 'menu.main'],
      has: ['K7P-M2Q-XW4', 'Telegram'],
      effects: ['linkCreate'],
    },
    {
      name: 'no Zalo and no Telegram: an honest answer, no code',
      state: ready,
      input: choice('clubs.move'),
      clubs: world({ mine: [member], newLink: fresh({ telegram: null, zalo: null }) }),
      ids: ['clubs.mine', 'menu.main'],
      has: ['chưa có Zalo hay Telegram'],
      effects: [],
    },
    {
      name: 'no membership: no code',
      state: ready,
      input: choice('clubs.move'),
      clubs: world({ newLink: fresh() }),
      ids: ['clubs.find', 'clubs.code', 'menu.main'],
      has: [],
      effects: [],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const r = step(c.state(), c.input, c.clubs, 'web');
      expect(ids(r)).toEqual(c.ids);
      for (const h of c.has) expect(text(r)).toContain(h);
      expect(kinds(r)).toEqual(c.effects);
    });
  }

  it('consent given: the join and the words that point to the move', () => {
    const asked = step(ready(), choice('clubs.join.xuan-tan'), world(), 'web');
    const r = step(asked.state, choice('clubs.consent.yes'), world(), 'web');
    expect(r.effects).toEqual([
      { type: 'consent', purpose: 'reminders', granted: true },
      { type: 'clubJoin', clubId: 'xuan-tan', role: 'member', code: null },
    ]);
    expect(text(r)).toContain('Đã ghi bạn vào CLB Xuân Tân');
    expect(text(r)).not.toContain('Bạn sẽ nhận nhắc lịch');
    expect(ids(r)).toContain('clubs.move');
  });

  it('the link opens Telegram with the code; the code is never in a choice id or the state', () => {
    const r = step(ready(), choice('clubs.move'), world({ mine: [member], newLink: fresh() }), 'web', 'en');
    expect(r.messages[0]?.links).toEqual([
      { label: 'Open Telegram', url: `https://t.me/donghanh_bot?start=${CODE}` },
      { label: 'Open Zalo', url: 'https://zalo.me/1234567890' },
    ]);
    expect(r.effects).toEqual([{ type: 'linkCreate', hash: 'h-new' }]);
    expect(JSON.stringify(r.state)).not.toContain(CODE);
    expect(ids(r).join()).not.toContain(CODE.toLowerCase());
  });
});

describe('a chat: a link code sent, by deep link or typed', () => {
  const ok: LinkLookup = { status: 'ok', hash: 'h-1', clubIds: ['xuan-tan'] };
  const table: { name: string; input: Input; link: LinkLookup | undefined; has: string; effects: string[] }[] = [
    { name: '"/start <code>" from the Telegram link', input: { kind: 'start', code: CODE }, link: ok, has: 'Đã chuyển sang đây: CLB Xuân Tân', effects: ['linkRedeem'] },
    { name: 'the code typed, in lower case with dashes', input: say('k7p-m2q-xw4'), link: ok, has: 'Từ nay bạn nhận nhắc lịch ở đây', effects: ['linkRedeem'] },
    { name: 'the code typed with spaces', input: say('K7P M2Q XW4'), link: ok, has: 'CLB Xuân Tân', effects: ['linkRedeem'] },
    { name: 'a right code with nothing left to move', input: say(CODE), link: { status: 'ok', hash: 'h-1', clubIds: [] }, has: 'không còn câu lạc bộ nào', effects: ['linkRedeem'] },
    { name: 'a wrong, expired or used code: a kind answer, and it is counted', input: say(CODE), link: { status: 'wrong' }, has: 'Mã này không dùng được', effects: ['linkFailed'] },
    { name: 'after many wrong codes: refused for a while, not looked up, not counted again', input: { kind: 'start', code: CODE }, link: { status: 'blocked' }, has: 'đợi khoảng một giờ', effects: [] },
  ];
  for (const c of table) {
    it(c.name, () => {
      const r = step(ready(), c.input, world(c.link ? { link: c.link } : {}), 'telegram');
      expect(text(r)).toContain(c.has);
      expect(kinds(r)).toEqual(c.effects);
      if (c.effects.includes('linkRedeem')) expect(r.effects).toContainEqual({ type: 'linkRedeem', hash: 'h-1' });
    });
  }

  it('a first message that is the code: a greeting in the app\'s language, then the move', () => {
    const r = step(null, { kind: 'start', code: CODE }, world({ link: ok }), 'zalo', 'en');
    expect(text(r)).toContain('Hello');
    expect(text(r)).toContain('Moved here: CLB Xuân Tân');
    expect(r.state?.locale).toBe('en');
    expect(kinds(r)).toEqual(['linkRedeem']);
  });

  const notCodes = ['xin chào', 'KHONGBIET', 'ABCDEFGHJ', '123456789', 'K7PM2QXW4X', 'tôi muốn K7PM2QXW4'];
  for (const typed of notCodes) {
    it(`"${typed}" is not taken for a code`, () => {
      expect(kinds(step(ready(), say(typed), world({ link: { status: 'wrong' } }), 'telegram'))).not.toContain('linkFailed');
    });
  }

  it('on the web a typed code is just words (the web makes codes, it does not take them)', () => {
    expect(kinds(step(ready(), say(CODE), world({ link: ok }), 'web'))).toEqual([]);
  });

  it('mid-questionnaire, the code moves the membership and the questionnaire waits to be resumed', () => {
    const screening: FlowState = { ...ready(), flow: 'screening', step: 'q2', data: { answers: [1] } };
    const r = step(screening, say(CODE), world({ link: ok }), 'telegram');
    expect(kinds(r)).toEqual(['linkRedeem']);
    expect(r.state?.paused).toMatchObject({ flow: 'screening', step: 'q2' });
  });

  it('crisis words still come first', () => {
    const r = step(ready(), say('tôi muốn chết'), world({ link: ok }), 'telegram');
    expect(r.state?.flow).toBe('crisis');
    expect(kinds(r)).toEqual([]);
  });
});

describe('an invite link: "/start <invite code>" opens the join', () => {
  const invite = { clubId: 'bau-sen', role: 'member' as const };
  it('a usable code: the consent question, then the join with the code', () => {
    const asked = step(ready(), { kind: 'start', code: 'ABCD2345' }, world({ invite }), 'telegram');
    expect(ids(asked)).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
    expect(text(asked)).toContain('CLB Bàu Sen');
    const joined = step(asked.state, choice('clubs.consent.yes'), world(), 'telegram');
    expect(joined.effects).toContainEqual({ type: 'clubJoin', clubId: 'bau-sen', role: 'member', code: 'ABCD2345' });
  });
  it('a newcomer: greeted in the app\'s language, asked straight away', () => {
    const asked = step(null, { kind: 'start', code: 'ABCD2345' }, world({ invite }), 'telegram', 'en');
    expect(text(asked)).toContain('Hello');
    expect(ids(asked)).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
    expect(asked.state?.locale).toBe('en');
  });
  it('an unusable code: a kind answer, and the code question stays open', () => {
    const r = step(ready(), { kind: 'start', code: 'ABCD2345' }, world({ invite: null }), 'telegram');
    expect(text(r)).toContain('Mã này không dùng được');
    expect(r.state?.step).toBe('code');
    expect(r.effects).toEqual([]);
  });
  it('already a member: the card', () => {
    const r = step(ready(), { kind: 'start', code: 'ABCD2345' }, world({ invite, mine: [{ ...member, clubId: 'bau-sen' }] }), 'telegram');
    expect(text(r)).toContain('Bạn đã ở trong câu lạc bộ này rồi');
  });
  it('a plain "/start" is the welcome, as before', () => {
    expect(ids(step(null, { kind: 'start' }, world(), 'telegram'))).toEqual(['lang.vi', 'lang.en']);
  });
});
