// Two app instances on one database, as behind a load balancer: updates for the same chat
// arriving at both at the same moment are each processed exactly once, one after the other.
import { describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { eventually, type TestApp, withFakeAndApps } from '../support/app.ts';
import { person, postUpdate, TelegramChat, telegramEnv, updates } from '../support/telegram.ts';

let fake: FakeTelegram;
let a: TestApp;
let b: TestApp;

withFakeAndApps(startFakeTelegram, (f) => telegramEnv(f), 2, (f, [first, second]) => {
  [fake, a, b] = [f, first!, second!];
});

/** Which of the two racing choices was logged first (the lock orders them). */
async function firstOf(): Promise<string | null> {
  const rows = await a.running.prisma.interactionLog.findMany({
    where: { choiceId: { in: ['consent.yes', 'menu.language'] } },
    orderBy: { id: 'asc' },
    take: 1,
  });
  return rows[0]?.choiceId ?? null;
}

describe('telegram on two instances', () => {
  it('processes concurrent updates for one chat exactly once each, with no lost turn', async () => {
    const chat = new TelegramChat(fake, a.url, person());
    const first = await chat.say('/start');
    await chat.choose(first, 'lang.vi');
    const subject = a.running.engine.subjectOf('telegram', String(chat.person.chatId));
    const logsBefore = await a.running.prisma.interactionLog.count();
    const sentBefore = fake.calls('sendMessage').length;

    // Ten "menu" messages: each turn answers with exactly one menu message.
    const burst = Array.from({ length: 10 }, () => updates.text(chat.person, 'menu'));
    const results = await Promise.all(burst.map((u, i) => postUpdate(i % 2 ? b.url : a.url, u)));
    expect(results.map((r) => r.status)).toEqual(burst.map(() => 200));
    expect(await a.running.prisma.interactionLog.count()).toBe(logsBefore + 10);
    // A turn that found the person's earlier replies still going leaves its own to the sender.
    await fake.waitFor(() => fake.calls('sendMessage').length - sentBefore >= 10);
    expect(fake.calls('sendMessage').length - sentBefore).toBe(10);

    // Re-delivered to the other instance: nothing happens.
    const replays = await Promise.all(burst.map((u, i) => postUpdate(i % 2 ? a.url : b.url, u)));
    expect(replays.map((r) => r.status)).toEqual(burst.map(() => 200));
    expect(await a.running.prisma.interactionLog.count()).toBe(logsBefore + 10);
    // A sent row is deleted a few milliseconds after its last message (batched with others).
    await eventually(async () => (await a.running.prisma.outbox.count()) === 0);
    expect(fake.calls('sendMessage').length - sentBefore).toBe(10);

    const row = await b.running.prisma.conversation.findUnique({ where: { subjectKey: subject } });
    expect(row).toMatchObject({ flow: 'menu', step: 'main', locale: 'vi' });
    const processed = await a.running.prisma.processedEvent.count({ where: { channel: 'telegram', externalId: { in: burst.map((u) => String(u.update_id)) } } });
    expect(processed).toBe(10);
  });

  it('keeps the conversation consistent when two different turns race', async () => {
    const chat = new TelegramChat(fake, a.url, person());
    const first = await chat.say('/start');
    await chat.choose(first, 'lang.vi');
    const subject = a.running.engine.subjectOf('telegram', String(chat.person.chatId));
    // The consent answer and a language change land on different instances at once;
    // whichever runs second sees the state the first one left.
    const consent = updates.callback(chat.person, 'consent.yes');
    const language = updates.callback(chat.person, 'menu.language');
    const [r1, r2] = await Promise.all([postUpdate(a.url, consent), postUpdate(b.url, language)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const consentRow = await a.running.prisma.consent.findUnique({ where: { subjectKey_purpose: { subjectKey: subject, purpose: 'screening' } } });
    expect(consentRow?.grantedAt).toBeInstanceOf(Date);
    const row = await a.running.prisma.conversation.findUnique({ where: { subjectKey: subject } });
    expect(row).toMatchObject({ locale: 'vi', flow: 'menu' });
    // Had the second turn started from the state before the first, one of them would be lost.
    expect((row!.data as { consentScreening?: boolean }).consentScreening).toBe(true);
    expect(row?.step).toBe(
      // consent then language → the language question; language then consent → the menu.
      (await firstOf()) === 'consent.yes' ? 'language' : 'main',
    );
    expect(await a.running.prisma.interactionLog.count({ where: { choiceId: { in: ['consent.yes', 'menu.language'] } } })).toBeGreaterThanOrEqual(2);
  });
});
