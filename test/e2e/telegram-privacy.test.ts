// Privacy is correctness: after a Telegram conversation, no table, column or log line holds the
// chat id, the person's names, their username or anything they typed.
import { describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type TestApp, type TestDb, withFakeAndApps } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';
import { choiceIds, TelegramChat, telegramEnv, WEBHOOK_SECRET } from '../support/telegram.ts';
import { walkAssist } from '../support/telegram-screening.ts';

let fake: FakeTelegram;
let db: TestDb;
let t: TestApp;

// Every log line, debug ones too, is searched below.
withFakeAndApps(startFakeTelegram, (f) => ({ ...telegramEnv(f), LOG_LEVEL: 'debug' }), 1, (f, [app], database) => {
  [fake, t, db] = [f, app!, database];
});

const CHAT_ID = 7391846205;
const FIRST = 'Xuânthịnhquế';
const LAST = 'Vĩnhphúcđào';
const USERNAME = 'zq_marmoset_lantern';
const SENTENCE = 'Con mèo tam thể nhà tôi thích ngủ trên chiếc ghế mây màu xanh lục';

describe('telegram privacy', () => {
  it('stores and logs none of the chat id, names, username or typed text', async () => {
    const chat = new TelegramChat(fake, t.url, { chatId: CHAT_ID, firstName: FIRST, lastName: LAST, username: USERNAME, languageCode: 'vi' });
    const first = await chat.say('/start');
    await chat.choose(first, 'lang.vi');
    const menu = await chat.tap('consent.yes');
    expect(choiceIds(menu)).toContain('menu.screening');
    const said = async (text: string) => (await chat.say(text)).map((c) => String(c.params['text'])).join('\n');
    // Words the bot cannot place are answered with topics to choose from, never ignored.
    expect(await said(SENTENCE)).toContain('Mình chưa chắc bạn muốn hỏi gì');
    await walkAssist(chat, { typeAlong: SENTENCE });
    expect(await said(SENTENCE.toUpperCase())).toContain('Mình chưa chắc bạn muốn hỏi gì');

    // The conversation did leave traces (so the search below is searching something).
    expect(await t.running.prisma.interactionLog.count()).toBeGreaterThan(5);
    expect(await t.running.prisma.screeningResult.count()).toBeGreaterThan(0);

    const needles = [String(CHAT_ID), FIRST, LAST, USERNAME, SENTENCE, 'mèo tam thể', 'ghế mây'];
    const inDb = await findInSchema(db.url, db.schema, needles);
    expect(inDb).toEqual([]);

    expect(t.logs.length).toBeGreaterThan(5);
    const secrets = [fake.token, fake.token.split(':')[1]!, WEBHOOK_SECRET];
    for (const needle of [...needles, ...secrets]) {
      const hits = t.logs.filter((line) => line.toLowerCase().includes(needle.toLowerCase()));
      expect(hits, `log lines containing ${needle}`).toEqual([]);
    }
  });
});
