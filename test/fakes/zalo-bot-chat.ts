// A person talking to the Zalo Bot, by webhook or by polling: each message waits until its turn
// has run and its replies are out (inbox and outbox empty again) and returns the texts this chat received meanwhile.
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { type BotPerson, botUpdates, type FakeZaloBot, newChatId, postBotUpdate } from './zalo-bot-server.ts';
import { repliesOut } from './zalo-oa-webhook.ts';

export class BotChat {
  readonly person: BotPerson;
  readonly fake: FakeZaloBot;
  readonly prisma: PrismaClient;
  /** The app's URL for the webhook; null: updates go through the fake's getUpdates. */
  readonly appUrl: string | null;
  constructor(fake: FakeZaloBot, prisma: PrismaClient, appUrl: string | null, person: Partial<BotPerson> = {}) {
    this.fake = fake;
    this.prisma = prisma;
    this.appUrl = appUrl;
    this.person = { chatId: newChatId(), displayName: 'Lan', ...person };
  }

  async post(update: Record<string, unknown>, wrap = true): Promise<string[]> {
    const before = this.fake.texts(this.person.chatId).length;
    if (this.appUrl === null) {
      this.fake.queueUpdate(update);
      // Taken by getUpdates, recorded, and its turn begun (the engine's dedupe row exists).
      const externalId = String((update['message'] as { message_id?: unknown } | undefined)?.message_id);
      const deadline = Date.now() + 120_000;
      while (this.queued(update) || (await this.prisma.processedEvent.count({ where: { channel: 'zalo-bot', externalId } })) === 0) {
        if (Date.now() > deadline) throw new Error('polled update not processed within 120 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    } else {
      const res = await postBotUpdate(this.appUrl, wrap ? botUpdates.wrap(update) : update);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }
    await repliesOut(this.prisma, 'zalo-bot');
    return this.fake.texts(this.person.chatId).slice(before);
  }

  /** Whether the fake still holds this update (polling has not taken it yet). */
  private queued(update: Record<string, unknown>): boolean {
    return this.fake.pending().includes(update);
  }

  say(text: string, wrap = true) {
    return this.post(botUpdates.text(this.person, text), wrap);
  }
}
