// The screening on the Zalo Bot Platform (numbered lists, typed numbers) through the real HTTP
// server against the fake Bot API: the WHO ASSIST Q8 injecting follow-up to its result, CRAFFT
// 2.1+N with typed day counts ("1" is one day, not the first line) and the nicotine checklist,
// and under 16: no conversation row after the turn that learns the age, no log, no contact.
import { describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, type FakeZaloBot, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { numberOf } from '../fakes/zalo-oa-webhook.ts';
import { type TestApp, type TestDb, withFakeAndApps } from '../support/app.ts';

let fake: FakeZaloBot;
let db: TestDb;
let t: TestApp;

withFakeAndApps(startFakeZaloBot, (f) => botEnv(f, 'webhook'), 1, (f, [app], database) => {
  [fake, t, db] = [f, app!, database];
});

/** A person at the screening's age question, typing numbers as a Zalo Bot user does. */
async function atAgeQuestion(): Promise<{ c: BotChat; pick: (label: string) => Promise<string[]>; last: string[] }> {
  const c = new BotChat(fake, db.prisma, t.url);
  const ui = t.running.content.ui;
  let last = await c.say('Chào');
  const pick = async (label: string) => {
    last = await c.say(numberOf(last, label));
    expect(last.length, `after choosing "${label}"`).toBeGreaterThan(0);
    return last;
  };
  await pick('Tiếng Việt');
  await pick(ui.consentAgree.vi);
  await pick(ui.menuScreening.vi);
  expect(last.join('\n')).toContain('bao nhiêu tuổi');
  return {
    c,
    pick,
    get last() {
      return last;
    },
  };
}

const rows = (where: Record<string, unknown>) =>
  db.prisma.screeningResult.findMany({ where: { channel: 'zalo-bot', ...where }, select: { instrument: true, substance: true, score: true, band: true, ageGroup: true }, orderBy: { id: 'asc' } });

describe('ASSIST on Zalo Bot: the injecting follow-up by typed numbers', () => {
  it('Q8 "yes, in the past 3 months" asks how often; "more than weekly" → further assessment and the overdose warning', async () => {
    const { pick } = await atAgeQuestion();
    let got = await pick('18 tuổi trở lên');
    expect(got.join('\n')).toContain('Phần 1/2 · câu 1/10');
    for (let i = 0; i < 10; i++) got = await pick(i === 8 ? 'Có' : 'Không'); // heroin/opioids only
    expect(got.join('\n')).toContain('Phần 2/2 · câu 1, còn nhiều nhất 7 câu nữa');
    await pick('Hằng tuần'); // Q2: 4
    for (let i = 0; i < 3; i++) await pick('Không lần nào'); // Q3-Q5
    await pick('Không, chưa bao giờ'); // Q6
    got = await pick('Không, chưa bao giờ'); // Q7 → Q8
    expect(got.join('\n')).toContain('tiêm chích');
    got = await pick('Có, trong 3 tháng qua');
    const follow = got.join('\n');
    expect(follow).toContain('Phần 2/2 · câu 8/8');
    expect(follow).toMatch(/\n1\. Mỗi tuần 1 lần trở xuống, và không quá 2 ngày liền\n2\. Nhiều hơn 1 lần mỗi tuần, hoặc từ 3 ngày liền trở lên/);
    got = await pick('Nhiều hơn 1 lần mỗi tuần, hoặc từ 3 ngày liền trở lên');
    const result = got.join('\n');
    for (const h of ['Heroin hoặc các chất dạng thuốc phiện: 4 điểm – nguy cơ trung bình', 'đánh giá kỹ hơn', 'Quá liều', 'Đừng tiêm một mình', 'xác định tình trạng nghiện', '5 ngày làm việc', 'cai nghiện bắt buộc']) {
      expect(result).toContain(h);
    }
    expect(await rows({ instrument: 'ASSIST' })).toEqual([{ instrument: 'ASSIST', substance: 'opioids', score: 4, band: 'moderate', ageGroup: '18+' }]);
  });
});

describe('CRAFFT 2.1+N on Zalo Bot: typed day counts and the nicotine checklist', () => {
  it('"1" at a days question records one day; the list there is not numbered; vaping opens the HONC', async () => {
    const { c, pick } = await atAgeQuestion();
    let got = await pick('16-17 tuổi');
    const partA = got.join('\n');
    expect(partA).toContain('Phần 1/2 · câu 1/4');
    expect(partA).toContain('gõ số ngày');
    // Unnumbered, so that a typed number can only mean days.
    expect(partA).toContain('• Không ngày nào\n• 1-5 ngày\n• 6 ngày trở lên');
    expect(partA).not.toMatch(/\n1\. Không ngày nào/);
    got = await c.say('1'); // alcohol: one day
    expect(got.join('\n')).toContain('cần sa');
    got = await c.say('0');
    got = await c.say('0');
    expect(got.join('\n')).toContain('vape');
    got = await c.say('12'); // nicotine: 12 days
    // Part B in full (alcohol > 0), then the checklist: 16 questions, counted exactly.
    expect(got.join('\n')).toContain('Phần 2/2 · câu 1/16');
    let last = got;
    const say = async (label: string) => {
      last = await c.say(numberOf(last, label));
      return last;
    };
    for (let i = 0; i < 6; i++) await say('Không');
    expect(last.join('\n')).toContain('thuốc lá và vape');
    await say('Có'); // HONC 1: tried to quit and couldn't
    for (let i = 0; i < 9; i++) await say('Không');
    const result = last.join('\n');
    expect(result).toContain('CRAFFT 2.1+N: 0/6 điểm');
    expect(result).toContain('Bạn có dùng trong 12 tháng qua'); // any use: brief advice, never "no sign of risk"
    expect(result).toContain('Có ở 1/10 câu');
    expect(await rows({ instrument: 'CRAFFT', ageGroup: '16-17' })).toEqual([
      { instrument: 'CRAFFT', substance: null, score: 0, band: 'none', ageGroup: '16-17' },
      { instrument: 'CRAFFT', substance: 'nicotine', score: 1, band: 'positive', ageGroup: '16-17' },
    ]);
  });
});

describe('under 16 on Zalo Bot: what is said is what is kept', () => {
  it('no conversation row, contact, consent or log line after the turn that learns the age; the screening still finishes', async () => {
    const { c, pick } = await atAgeQuestion();
    const subject = t.running.engine.subjectOf('zalo-bot', c.person.chatId);
    expect(await db.prisma.conversation.count({ where: { subjectKey: subject } })).toBe(1);
    const got = await pick('12-15 tuổi');
    expect(got.join('\n')).toContain('cuộc trò chuyện không được ghi lại');
    const logs = await db.prisma.interactionLog.count();
    const kept = async () => ({
      conversation: await db.prisma.conversation.count({ where: { subjectKey: subject } }),
      contact: await db.prisma.contact.count({ where: { subjectKey: subject } }),
      consent: await db.prisma.consent.count({ where: { subjectKey: subject } }),
    });
    expect(await kept()).toEqual({ conversation: 0, contact: 0, consent: 0 });
    for (const n of ['0', '0', '0', '0']) await c.say(n);
    expect(await kept()).toEqual({ conversation: 0, contact: 0, consent: 0 });
    let last = await c.say('xyz'); // not an answer: the CAR question again, from memory
    expect(last.join('\n')).toContain('đi xe');
    last = await c.say(numberOf(last, 'Không'));
    expect(last.join('\n')).toContain('CRAFFT 2.1+N: 0/6 điểm');
    // The privacy page says exactly that.
    const privacy = await c.say('/privacy');
    expect(privacy.join('\n')).toContain('Vì bạn chưa đủ 16 tuổi, mình không lưu gì về bạn');
    expect(privacy.join('\n')).not.toContain('đồng ý làm sàng lọc');
    expect(await kept()).toEqual({ conversation: 0, contact: 0, consent: 0 });
    expect(await db.prisma.interactionLog.count()).toBe(logs);
    expect(await rows({ instrument: 'CRAFFT', ageGroup: '12-15' })).toEqual([{ instrument: 'CRAFFT', substance: null, score: 0, band: 'none', ageGroup: '12-15' }]);
  });
});
