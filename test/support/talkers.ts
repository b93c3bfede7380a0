// One person on each channel of one running app, behind the same small interface, so an
// end-to-end test can say the same things on Telegram, Zalo OA, Zalo Bot and the web and read
// what came back. Which choices are on offer comes from the person's conversation row.
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import type { FakeZaloBot } from '../fakes/zalo-bot-server.ts';
import type { FakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { newUserId, OaChat, oaEvents } from '../fakes/zalo-oa-webhook.ts';
import { offeredIds } from '../fakes/zalo-screening.ts';
import type { FakeTelegram } from '../fakes/telegram-server.ts';
import type { TestApp } from './app.ts';
import { person, TelegramChat, updates } from './telegram.ts';
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

/** The app's env for every channel at once, against the given fakes. */
export { updates };
