// The clubs flow as tables: state + input + the world (ctx.clubs) → messages and effects.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { parseDayMonth, placeId } from '../../flows/clubs/index.ts';
import type { ClubsView, } from '../../flows/clubs/types.ts';
import { route } from '../../flows/router.ts';
import type { FlowState, Input, StepResult } from '../../flows/types.ts';
import { member, NOW, ready, world } from '../support/club-world.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';

const content = loadContent();
function step(state: FlowState | null, input: Input, clubs: ClubsView = world(), locale: 'vi' | 'en' = 'vi', platform: 'telegram' | 'web' = 'telegram'): StepResult {
  return route(state, input, { now: NOW, locale, content, platform, retentionDays: 180, clubs });
}

describe('clubs: browse', () => {
  it('the main menu offers clubs', () => {
    expect(ids(step(ready(), say('menu')))).toContain('menu.clubs');
  });
  it('province → commune → card (no district level) with the next three meetings (no identity needed)', () => {
    let r = step(ready(), choice('menu.clubs'));
    expect(ids(r)).toEqual(['clubs.find', 'clubs.code', 'menu.main']);
    r = step(r.state, choice('clubs.find'));
    expect(ids(r)).toEqual([`clubs.p.${placeId('Tỉnh Đồng Nai')}`, 'menu.clubs']);
    r = step(r.state, choice('clubs.p.tinh-dong-nai'));
    expect(ids(r)).toEqual(['clubs.c.phuong-bau-sen', 'clubs.c.phuong-xuan-tan', 'clubs.find']);
    r = step(r.state, choice('clubs.c.phuong-xuan-tan'));
    expect(text(r)).toContain('CLB Xuân Tân');
    expect(text(r)).toContain('• Thứ Bảy 14/03/2026 08:00 · Nhà văn hóa · Chia sẻ');
    expect(text(r)).toContain('• Chủ nhật 12/04/2026 09:00 · UBND phường · Việc làm (đã dời)');
    expect(text(r)).toContain('Thứ Bảy 09/05/2026 08:00');
    expect(ids(r)).toEqual(['clubs.join.xuan-tan', 'menu.clubs']);
    expect(r.effects).toEqual([]);
  });
  it('says so when no club is listed', () => {
    expect(text(step(ready(), choice('clubs.find'), world({ clubs: [] })))).toContain('Chưa có câu lạc bộ');
  });
});

describe('clubs: join, RSVP, times, leave, stop', () => {
  it('joins an open club only after explicit consent', () => {
    let r = step(ready(), choice('clubs.join.xuan-tan'));
    expect(text(r)).toContain('mã hóa');
    expect(ids(r)).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
    expect(r.effects).toEqual([]);
    const declined = step(r.state, choice('clubs.consent.no'));
    expect(declined.effects).toEqual([]);
    r = step(r.state, choice('clubs.consent.yes'));
    expect(r.effects).toEqual([
      { type: 'consent', purpose: 'reminders', granted: true },
      { type: 'clubJoin', clubId: 'xuan-tan', role: 'member', code: null },
    ]);
    expect(ids(r)).toContain('rsvp.11.yes');
  });
  it('a consent choice out of context does nothing', () => {
    expect(step(ready(), choice('clubs.consent.yes')).effects).toEqual([]);
  });
  it('a club that requires an invite asks for the code; a bad code is refused kindly', () => {
    let r = step(ready(), choice('clubs.join.bau-sen'));
    expect(r.state?.step).toBe('code');
    const bad = step(r.state, say('WRONG-CODE'), world({ invite: null }));
    expect(text(bad)).toContain('không dùng được');
    expect(bad.effects).toEqual([]);
    r = step(r.state, say('abcd-2345'), world({ invite: { clubId: 'bau-sen', role: 'member' } }));
    expect(ids(r)).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
    r = step(r.state, choice('clubs.consent.yes'));
    expect(r.effects).toContainEqual({ type: 'clubJoin', clubId: 'bau-sen', role: 'member', code: 'abcd-2345' });
  });
  it('a volunteer registers with a volunteer code from "I have an invite code"', () => {
    let r = step(ready(), choice('clubs.code'));
    r = step(r.state, say('VOLU-NTER'), world({ invite: { clubId: 'xuan-tan', role: 'volunteer' } }));
    r = step(r.state, choice('clubs.consent.yes'));
    expect(r.effects).toEqual([
      { type: 'consent', purpose: 'volunteering', granted: true },
      { type: 'clubJoin', clubId: 'xuan-tan', role: 'volunteer', code: 'VOLU-NTER' },
    ]);
  });
  it('RSVPs from the card or a reminder (whatever the current flow)', () => {
    const mine = world({ mine: [member()] });
    const r = step({ ...ready(), flow: 'treatment', step: 'x' }, choice('rsvp.11.yes'), mine);
    expect(r.effects).toEqual([{ type: 'clubRsvp', occurrenceId: 11, answer: 'yes' }]);
    expect(text(r)).toContain('Hẹn gặp bạn Thứ Bảy 14/03/2026 lúc 08:00');
    expect(step(ready(), choice('rsvp.11.no'), mine).effects).toEqual([{ type: 'clubRsvp', occurrenceId: 11, answer: 'no' }]);
    // A meeting beyond the card's three comes through ctx.clubs.occurrence.
    const far = world({ mine: [member()], occurrence: { id: 99, clubId: 'xuan-tan', startsAt: '2026-09-12T01:00:00Z', topic: 't', venue: 'v', status: 'scheduled' } });
    expect(step(ready(), choice('rsvp.99.no'), far).effects).toEqual([{ type: 'clubRsvp', occurrenceId: 99, answer: 'no' }]);
    // Not a member, or a cancelled meeting: no effect.
    expect(step(ready(), choice('rsvp.11.yes')).effects).toEqual([]);
    const cancelled = world({ mine: [member()], occurrence: { id: 98, clubId: 'xuan-tan', startsAt: '2026-09-12T01:00:00Z', topic: 't', venue: 'v', status: 'cancelled' } });
    expect(text(step(ready(), choice('rsvp.98.yes'), cancelled))).toContain('đã hủy');
  });
  it('changes reminder times and leaves', () => {
    const mine = world({ mine: [member()] });
    let r = step(ready(), choice('clubs.times.xuan-tan'), mine);
    expect(ids(r)).toEqual(['clubs.t.t24-2', 'clubs.t.t24', 'clubs.t.t2', 'clubs.t.t72-24', 'clubs.card.xuan-tan']);
    r = step(r.state, choice('clubs.t.t72-24'), mine);
    expect(r.effects).toEqual([{ type: 'clubTimes', clubId: 'xuan-tan', offsets: [4320, 1440] }]);
    // The confirmation says which times were saved.
    expect(text(r)).toContain('Đã lưu giờ nhắc: 3 ngày và 24 giờ trước.');
    r = step(r.state, choice('clubs.leave.xuan-tan'), mine);
    expect(r.effects).toEqual([]);
    r = step(r.state, choice('clubs.leave.yes'), mine);
    expect(r.effects).toEqual([{ type: 'clubLeave', clubId: 'xuan-tan' }]);
    expect(ids(r)).toContain('clubs.join.xuan-tan');
  });
  it('"dừng" outside a questionnaire stops every reminder at once', () => {
    const r = step(ready(), say('dừng'), world({ mine: [member(), member('bau-sen')] }));
    expect(r.effects).toEqual([{ type: 'clubStopAll' }]);
    expect(text(r)).toContain('Đã dừng mọi nhắc nhở');
    const none = step(ready(), say('dung'));
    expect(none.effects).toEqual([]);
    expect(text(none)).toContain('không có nhắc nhở');
  });
  it('works in English', () => {
    const r = step({ ...ready(), locale: 'en' }, choice('clubs.card.xuan-tan'), world(), 'en');
    expect(text(r)).toContain('• Saturday 14/03/2026 08:00');
    expect(r.messages.at(-1)?.choices?.flat()[0]?.label).toBe('Get reminders');
  });
});

describe('clubs: volunteers', () => {
  const vol = world({
    mine: [{ clubId: 'xuan-tan', role: 'volunteer', offsets: [1440], remindersOn: true }],
    assignments: [{ id: 5, clubId: 'xuan-tan', alias: 'Tư', nextDueAt: '2026-03-08T02:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' }],
  });
  it('sees assignments and answers a nudge: done, needs support, a new date', () => {
    let r = step(ready(), choice('vol.list'), vol);
    expect(text(r)).toContain('Tư: lần liên lạc tới trước 08/03/2026');
    expect(ids(r)).toEqual(['vol.done.5', 'vol.help.5', 'vol.date.5']);
    expect(step(ready(), choice('vol.done.5'), vol).effects).toEqual([{ type: 'checkIn', assignmentId: 5, outcome: 'done' }]);
    expect(step(ready(), choice('vol.help.5'), vol).effects).toEqual([{ type: 'checkIn', assignmentId: 5, outcome: 'needs_support' }]);
    r = step(ready(), choice('vol.date.5'), vol);
    const bad = step(r.state, say('ngày mai'), vol);
    expect(bad.effects).toEqual([]);
    r = step(r.state, say('10/3'), vol);
    expect(r.effects).toEqual([{ type: 'checkIn', assignmentId: 5, outcome: 'rescheduled', nextAt: '2026-03-10T02:00:00.000Z' }]);
    // Someone else's assignment: nothing.
    expect(step(ready(), choice('vol.done.6'), vol).effects).toEqual([]);
  });
  it('parses day/month within 60 days', () => {
    expect(parseDayMonth('31/2', NOW, 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(parseDayMonth('1/12', NOW, 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(parseDayMonth('05/04/2026', NOW, 'Asia/Ho_Chi_Minh')?.toISOString()).toBe('2026-04-05T02:00:00.000Z');
  });
});

describe('clubs: words typed at the consent question, and the web', () => {
  const atConsent = () => step(ready(), choice('clubs.join.xuan-tan')).state;
  const table: { typed: string; effects: string[]; has: string }[] = [
    { typed: 'có', effects: ['consent', 'clubJoin'], has: 'Đã xong' },
    { typed: 'Dong y', effects: ['consent', 'clubJoin'], has: 'Đã xong' },
    { typed: 'ok', effects: ['consent', 'clubJoin'], has: 'Đã xong' },
    { typed: 'không', effects: [], has: 'Không sao' },
    { typed: 'ko', effects: [], has: 'Không sao' },
    { typed: 'để mình nghĩ đã', effects: [], has: 'Mình chưa rõ ý bạn' },
  ];
  for (const c of table) {
    it(`"${c.typed}" is understood or answered, never dropped`, () => {
      const r = step(atConsent(), say(c.typed));
      expect(r.effects.map((e) => e.type)).toEqual(c.effects);
      expect(text(r)).toContain(c.has);
      if (c.has === 'Mình chưa rõ ý bạn') {
        expect(r.state?.step).toBe('consent');
        expect(ids(r)).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
      }
    });
  }
});
