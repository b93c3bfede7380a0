// What people type, on every channel (Telegram, Zalo OA, Zalo Bot, web) of one app without an
// AI key: a typed question lands on its page; a crisis in the middle of the questionnaire
// interrupts it and "quay lại" resumes the same question; a zero-width character does not hide
// a crisis; a question the matcher cannot place gets topics to choose from.
import { describe, expect, it } from 'vitest';
import { conversation, type EveryChannel, everyChannelApp, oaTalker, talkersOn, telegramTalker, toMainMenu } from '../support/talkers.ts';

let apps: EveryChannel;
everyChannelApp(
  () => ({}),
  (started) => {
    apps = started;
  },
);
const talkers = talkersOn(() => apps);
const prisma = () => apps.db.prisma;

describe.each(talkers)('on %s', (_name, make) => {
  it('a typed question lands on its page', async () => {
    const p = make();
    await toMainMenu(p);
    const police = (await p.say('có bị báo công an không?')).join('\n');
    expect(police).toContain('KHÔNG ẩn danh');
    await p.say('methadone o dau');
    expect((await conversation(prisma(), p.subject))?.flow).toBe('services');
    const family = (await p.say('con tôi chơi đá, tôi phải làm sao')).join('\n');
    expect(family).toContain('Bạn không có lỗi');
    expect((await conversation(prisma(), p.subject))?.flow).toBe('family');
  });

  it('a crisis mid-questionnaire interrupts it, and "quay lại" resumes the same question', async () => {
    const p = make();
    await toMainMenu(p);
    await p.choose('menu.screening');
    await p.choose('screen.age.18-plus');
    const before = await conversation(prisma(), p.subject);
    expect(before?.flow).toBe('screening');
    const crisis = (await p.say('tôi uống hết vỉ thuốc rồi')).join('\n');
    expect(crisis).toContain('115');
    expect((await conversation(prisma(), p.subject))?.step).toBe('danger');
    await p.say('quay lại');
    const after = await conversation(prisma(), p.subject);
    expect(after).toEqual(before);
  });

  it('a zero-width character does not hide a crisis, and a question mid-questionnaire is answered', async () => {
    const p = make();
    await toMainMenu(p);
    await p.choose('menu.screening');
    await p.choose('screen.age.18-plus');
    const before = await conversation(prisma(), p.subject);
    const answered = (await p.say('có bị báo công an không?')).join('\n');
    expect(answered).toContain('không ẩn danh');
    expect(await conversation(prisma(), p.subject)).toEqual(before);
    const crisis = (await p.say('tôi muốn t\u200bự t\u200bử')).join('\n');
    expect(crisis).toContain('Ngày Mai');
    expect((await conversation(prisma(), p.subject))?.step).toBe('suicide');
  });

  it('without an AI key, a question the matcher cannot place gets the likeliest topics', async () => {
    const p = make();
    await toMainMenu(p);
    const r = (await p.say('cai methadone')).join('\n');
    expect(r).toContain('Có phải bạn muốn hỏi về');
    const offered = (await conversation(prisma(), p.subject))?.offered ?? [];
    expect(offered.filter((id) => id.startsWith('intent.')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('emergency numbers one tap away', () => {
  it('on Zalo OA the crisis guidance carries a call button for the ambulance number', async () => {
    const p = oaTalker(apps.oa, apps.t, prisma());
    await toMainMenu(p);
    await p.say('cứu tôi');
    const calls = apps.oa
      .delivered(p.address)
      .flatMap((s) => s.buttons)
      .filter((b) => b.type === 'oa.open.phone');
    expect(calls.map((b) => b.payload)).toContainEqual({ phone_code: '115' });
  });

  it('on Telegram the numbers stand on a line of their own', async () => {
    const p = telegramTalker(apps.tg, apps.t);
    await toMainMenu(p);
    const r = (await p.say('help')).join('\n');
    expect(r).toMatch(/^📞 115 · .*: 115$/m);
  });
});
