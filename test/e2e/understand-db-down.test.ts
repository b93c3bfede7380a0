// With the database stopped (a proxy in front of PostgreSQL cuts every connection), a crisis
// message still gets the emergency guidance, once, on every channel: Telegram and Zalo answer
// 500 so the platform delivers again, and the re-delivery sends nothing twice; the web chat
// answers with the guidance itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnv, botUpdates, type FakeZaloBot, postBotUpdate, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { OaChat, oaEnv, oaEvents, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type DbProxy, startDbProxy } from '../support/db-proxy.ts';
import { testDatabase } from '../support/db.ts';
import { person, postUpdate, telegramEnv, updates } from '../support/telegram.ts';
import { webTalker } from '../support/talkers.ts';

let tg: FakeTelegram;
let oa: FakeZaloOa;
let bot: FakeZaloBot;
let db: Awaited<ReturnType<typeof testDatabase>>;
let proxy: DbProxy;
let t: TestApp;

beforeAll(async () => {
  [tg, oa, bot] = await Promise.all([startFakeTelegram(), startFakeZaloOa(), startFakeZaloBot()]);
  db = await testDatabase();
  proxy = await startDbProxy(db.url);
  t = await startTestApp({ env: { ...telegramEnv(tg), ...oaEnv(oa), ...botEnv(bot) }, databaseUrl: proxy.url });
});
afterAll(async () => {
  proxy?.resume();
  await t?.stop();
  await proxy?.close();
  await db?.drop();
  await Promise.all([tg?.close(), oa?.close(), bot?.close()]);
});

const CRISIS = 'tôi muốn t\u200bự t\u200bử';

describe('with the database stopped', () => {
  it('a crisis message gets the guidance once on Telegram, Zalo OA, Zalo Bot and the web', async () => {
    // The OA has sent before (its token was read while the database was up), as a running bot has.
    const oaChat = new OaChat(oa, t.url, db.prisma);
    expect((await oaChat.post(oaEvents.follow(oa.appId, oaChat.userId))).length).toBeGreaterThan(0);
    const web = webTalker(t);
    await web.begin();

    proxy.cut();
    try {
      // Telegram: 500 (re-delivered later), guidance sent; the re-delivery sends nothing more.
      const tgPerson = person();
      const update = updates.text(tgPerson, CRISIS);
      const tgSent = () => tg.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(tgPerson.chatId) && c.status === 200);
      expect((await postUpdate(t.url, update)).status).toBe(500);
      const tgFirst = tgSent().length;
      expect(tgFirst).toBeGreaterThan(0);
      expect(tgSent().map((c) => String(c.params['text'])).join('\n')).toContain('Ngày Mai');
      expect((await postUpdate(t.url, update)).status).toBe(500);
      expect(tgSent().length).toBe(tgFirst);

      // Zalo OA: the inbox cannot record, so the webhook sends the guidance itself.
      const oaEvent = oaEvents.text(oa.appId, oaChat.userId, CRISIS);
      const oaBefore = oa.delivered(oaChat.userId).length;
      expect((await postOaEvent(t.url, oa.appId, oaEvent)).status).toBe(500);
      const oaGot = oa.delivered(oaChat.userId).slice(oaBefore);
      expect(oaGot.map((s) => s.text).join('\n')).toContain('Ngày Mai');
      expect((await postOaEvent(t.url, oa.appId, oaEvent)).status).toBe(500);
      expect(oa.delivered(oaChat.userId).length).toBe(oaBefore + oaGot.length);

      // Zalo Bot: the same.
      const botPerson = { chatId: 'dbdown0123456789abcd', displayName: 'Lan' };
      const botUpdate = botUpdates.wrap(botUpdates.text(botPerson, CRISIS));
      expect((await postBotUpdate(t.url, botUpdate)).status).toBe(500);
      const botGot = bot.texts(botPerson.chatId);
      expect(botGot.join('\n')).toContain('Ngày Mai');
      expect((await postBotUpdate(t.url, botUpdate)).status).toBe(500);
      expect(bot.texts(botPerson.chatId)).toHaveLength(botGot.length);

      // The web chat answers with the guidance (the page shows it), not a 500.
      const webGot = (await web.say(CRISIS)).join('\n');
      expect(webGot).toContain('Ngày Mai');

      // Not a crisis: the platforms will deliver again, nothing is sent now.
      const plain = updates.text(tgPerson, 'methadone ở đâu');
      const n = tgSent().length;
      expect((await postUpdate(t.url, plain)).status).toBe(500);
      expect(tgSent().length).toBe(n);
    } finally {
      proxy.resume();
    }
  });
});
