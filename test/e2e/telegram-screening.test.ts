// A whole Telegram conversation: /start → language → consent → the adult screening (WHO ASSIST)
// walked to a result by tapping the inline buttons the bot sent.
import { describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { choiceIds, person, TelegramChat, telegramEnv } from '../support/telegram.ts';
import { walkAssist } from '../support/telegram-screening.ts';

let fake: FakeTelegram;
let t: TestApp;

withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f) }), (f, app) => {
  fake = f;
  t = app;
});

describe('telegram screening conversation', () => {
  it('goes from /start to an ASSIST result and its next steps', async () => {
    const chat = new TelegramChat(fake, t.url, person());
    const welcome = await chat.say('/start');
    expect(choiceIds(welcome)).toEqual(['lang.vi', 'lang.en']);
    const consent = await chat.choose(welcome, 'lang.vi');
    expect(choiceIds(consent)).toContain('consent.yes');
    const menu = await chat.choose(consent, 'consent.yes');
    expect(choiceIds(menu)).toContain('menu.screening');
    expect(choiceIds(menu)).toContain('menu.urgent');

    const walk = await walkAssist(chat);
    expect(walk.finalChoices).toContain('menu.main');
    expect(walk.finalChoices.some((id) => id.startsWith('screen.'))).toBe(false);

    // One anonymous result row per substance class used, with nothing that points at the person.
    const rows = await t.running.prisma.screeningResult.findMany();
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ instrument: 'ASSIST', ageGroup: '18+', channel: 'telegram' });
    // The answers are wiped from the conversation once the result is given.
    const subject = t.running.engine.subjectOf('telegram', String(chat.person.chatId));
    const conv = await t.running.prisma.conversation.findUnique({ where: { subjectKey: subject } });
    expect(conv?.flow).not.toBe('screening');
    expect(JSON.stringify(conv?.data ?? {})).not.toContain('weekly');
    // Every tap was answered.
    const taps = fake.calls('answerCallbackQuery').length;
    expect(taps).toBeGreaterThanOrEqual(walk.taps + 2);
    // Every message was plain text, within Telegram's limits.
    for (const c of fake.calls('sendMessage')) {
      expect(c.params['parse_mode']).toBeUndefined();
      expect(String(c.params['text']).length).toBeLessThanOrEqual(4096);
    }
  });
});
