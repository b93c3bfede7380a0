// One person on each channel of one running app, behind the same small interface, so an
// end-to-end test can say the same things on Telegram, Zalo OA, Zalo Bot and the web and read
// what came back. Which choices are on offer comes from the person's conversation row.
import { afterAll, beforeAll } from 'vitest';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, type FakeZaloBot, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { newUserId, OaChat, oaEnv, oaEvents } from '../fakes/zalo-oa-webhook.ts';
import { offeredIds } from '../fakes/zalo-screening.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { startTestApp, type TestApp } from './app.ts';
import { testDatabase } from './db.ts';
import { person, TelegramChat, telegramEnv, updates } from './telegram.ts';
import { webClient } from './web-member.ts';

export interface Talker {
  channel: 'telegram' | 'zalo-oa' | 'zalo-bot' | 'web';
  /** The platform's id of this person (a needle for privacy searches). */
  address: string;
  subject: string;
  /** Texts received for one typed message. */
  say(text: string): Promise<string[]>;
  /** Make a choice that is on offer (a tap, or the number typed on Zalo Bot). */
  choose(id: string): Promise<string[]>;
  /** The very first contact (start / follow). */
  begin(): Promise<string[]>;
}

export async function conversation(prisma: PrismaClient, subject: string): Promise<{ flow: string; step: string; offered: string[] } | null> {
  const row = await prisma.conversation.findUnique({ where: { subjectKey: subject } });
  return row ? { flow: row.flow, step: row.step, offered: await offeredIds(prisma, subject) } : null;
}

export function telegramTalker(fake: FakeTelegram, t: TestApp): Talker {
  const chat = new TelegramChat(fake, t.url, person());
  const texts = (calls: { params: Record<string, unknown> }[]) => calls.map((c) => String(c.params['text']));
  const address = String(chat.person.chatId);
  return {
    channel: 'telegram',
    address,
    subject: t.running.engine.subjectOf('telegram', address),
    say: async (text) => texts(await chat.say(text)),
    choose: async (id) => texts(await chat.tap(id)),
    begin: async () => texts(await chat.say('/start')),
  };
}

export function oaTalker(fake: FakeZaloOa, t: TestApp, prisma: PrismaClient): Talker {
  const chat = new OaChat(fake, t.url, prisma, newUserId());
  const texts = (sent: { text: string }[]) => sent.map((s) => s.text);
  return {
    channel: 'zalo-oa',
    address: chat.userId,
    subject: t.running.engine.subjectOf('zalo-oa', chat.userId),
    say: async (text) => texts(await chat.say(text)),
    choose: async (id) => texts(await chat.tap(id)),
    begin: async () => texts(await chat.post(oaEvents.follow(fake.appId, chat.userId))),
  };
}

export function botTalker(fake: FakeZaloBot, t: TestApp, prisma: PrismaClient): Talker {
  const chat = new BotChat(fake, prisma, t.url);
  const subject = t.running.engine.subjectOf('zalo-bot', chat.person.chatId);
  return {
    channel: 'zalo-bot',
    address: chat.person.chatId,
    subject,
    say: (text) => chat.say(text),
    async choose(id) {
      const offered = await offeredIds(prisma, subject);
      const n = offered.indexOf(id) + 1;
      if (n === 0) throw new Error(`choice ${id} not offered; offered: ${offered.join(', ')}`);
      return chat.say(String(n));
    },
    begin: () => chat.say('/start'),
  };
}

/** The web chat's own API, as the page calls it (a cookie names the visitor). */
export function webTalker(t: TestApp): Talker & { cookie(): string | null } {
  const web = webClient(t);
  const post = async (body: Record<string, unknown>) => (await web.post(body)).map((m) => m.text);
  // The cookie is "<id>.<signature>"; the conversation belongs to the id.
  const id = () => web.cookie()?.split('=')[1]?.split('.')[0] ?? '';
  const talker = {
    channel: 'web' as const,
    get address() {
      return id();
    },
    get subject() {
      return t.running.engine.subjectOf('web', id());
    },
    say: (text: string) => post({ kind: 'text', text }),
    choose: (id: string) => post({ kind: 'choice', choice: id }),
    begin: () => post({ kind: 'start' }),
    cookie: web.cookie,
  };
  return talker;
}

/** From first contact to the main menu: language, then consent. */
export async function toMainMenu(p: Talker): Promise<void> {
  await p.begin();
  await p.choose('lang.vi');
  await p.choose('consent.yes');
}

export { updates };

/** One app with every channel, each against its fake platform, on its own database. */
export interface EveryChannel {
  tg: FakeTelegram;
  oa: FakeZaloOa;
  bot: FakeZaloBot;
  db: Awaited<ReturnType<typeof testDatabase>>;
  t: TestApp;
}

/** Started before the file's tests (`env` adds variables, read then) and stopped after. */
export function everyChannelApp(env: () => Record<string, string>, ready: (apps: EveryChannel) => void): void {
  let apps: Partial<EveryChannel> = {};
  beforeAll(async () => {
    const [tg, oa, bot] = await Promise.all([startFakeTelegram(), startFakeZaloOa(), startFakeZaloBot()]);
    apps = { tg, oa, bot };
    const db = await testDatabase();
    apps.db = db;
    apps.t = await startTestApp({ env: { ...telegramEnv(tg), ...oaEnv(oa), ...botEnv(bot), ...env() }, databaseUrl: db.url });
    ready(apps as EveryChannel);
  });
  afterAll(async () => {
    await apps.t?.stop();
    await apps.db?.drop();
    await Promise.all([apps.tg?.close(), apps.oa?.close(), apps.bot?.close()]);
  });
}

/** A new person on each channel, for describe.each. */
export function talkersOn(apps: () => EveryChannel): [string, () => Talker][] {
  return [
    ['telegram', () => telegramTalker(apps().tg, apps().t)],
    ['zalo-oa', () => oaTalker(apps().oa, apps().t, apps().db.prisma)],
    ['zalo-bot', () => botTalker(apps().bot, apps().t, apps().db.prisma)],
    ['web', () => webTalker(apps().t)],
  ];
}
