// Two app instances on one database, as behind a load balancer: the single-use refresh token is
// used once however many instances find the access token expired or rejected at the same moment,
// and events for one person spread over both instances still run once each, in order.
import { describe, expect, it } from 'vitest';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { inboxDrained, OaChat, oaEnv, oaEvents, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { type TestApp, type TestDb, withFakeAndApps } from '../support/app.ts';

let fake: FakeZaloOa;
let db: TestDb;
let a: TestApp;
let b: TestApp;

withFakeAndApps(startFakeZaloOa, (f) => oaEnv(f), 2, (f, [first, second], database) => {
  [fake, a, b, db] = [f, first!, second!, database];
});

const tokenRow = () => db.prisma.zaloOaToken.findUniqueOrThrow({ where: { appId: fake.appId } });

/** Two people past the language question, one talking to each instance. */
async function twoPeople(): Promise<[OaChat, OaChat]> {
  const people: [OaChat, OaChat] = [new OaChat(fake, a.url, db.prisma), new OaChat(fake, b.url, db.prisma)];
  for (const p of people) await p.choose(await p.say('Chào'), 'lang.vi');
  return people;
}

async function bothAtOnce(people: [OaChat, OaChat]): Promise<void> {
  const res = await Promise.all(people.map((p) => postOaEvent(p.appUrl, fake.appId, oaEvents.text(fake.appId, p.userId, 'menu'))));
  expect(res.map((r) => r.status)).toEqual([200, 200]);
  await inboxDrained(db.prisma);
}

/** Both instances at once while Zalo takes 300 ms to refresh, so both meet the token needing one. */
async function bothWhileRefreshIsSlow(people: Awaited<ReturnType<typeof twoPeople>>): Promise<void> {
  fake.setRefreshDelayMs(300);
  try {
    await bothAtOnce(people);
  } finally {
    fake.setRefreshDelayMs(0);
  }
}

describe('zalo-oa on two instances', () => {
  it('seeds the token pair once: the second instance with the same environment keeps the row', async () => {
    expect((await tokenRow()).version).toBe(1);
    expect(b.logs.some((l) => l.includes('token pair stored from the environment'))).toBe(false);
  });

  it('refreshes exactly once when both find the access token expired at the same moment', async () => {
    const people = await twoPeople();
    await db.prisma.zaloOaToken.update({ where: { appId: fake.appId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const before = fake.refreshCalls().length;
    const sends = fake.sends().length;
    await bothWhileRefreshIsSlow(people);
    expect(fake.refreshCalls().slice(before).map((r) => r.ok)).toEqual([true]);
    expect(fake.sends().slice(sends).every((s) => s.error === 0)).toBe(true);
    for (const p of people) expect(fake.delivered(p.userId).at(-1)!.token).toBe(fake.accessToken);
  });

  it('refreshes exactly once when Zalo rejects the token (-216) on both at the same moment', async () => {
    const people = await twoPeople();
    const version = (await tokenRow()).version;
    const before = fake.refreshCalls().length;
    fake.revokeAccessToken();
    await bothWhileRefreshIsSlow(people);
    expect(fake.refreshCalls().slice(before).map((r) => r.ok)).toEqual([true]);
    expect((await tokenRow()).version).toBe(version + 1);
    for (const p of people) expect(fake.delivered(p.userId).at(-1)!.token).toBe(fake.accessToken);
  });

  it('runs one person’s events once each, in order, when they reach both instances', async () => {
    const p = new OaChat(fake, a.url, db.prisma);
    const events = [oaEvents.text(fake.appId, p.userId, 'Chào'), oaEvents.text(fake.appId, p.userId, '#c:lang.vi'), oaEvents.text(fake.appId, p.userId, '#c:consent.yes')];
    for (const [i, e] of events.entries()) expect((await postOaEvent(i % 2 ? b.url : a.url, fake.appId, e)).status).toBe(200);
    // Zalo re-delivers each to the other instance.
    for (const [i, e] of events.entries()) expect((await postOaEvent(i % 2 ? a.url : b.url, fake.appId, e)).status).toBe(200);
    await inboxDrained(db.prisma);
    const subject = a.running.engine.subjectOf('zalo-oa', p.userId);
    expect(await db.prisma.conversation.findUnique({ where: { subjectKey: subject } })).toMatchObject({ flow: 'menu', step: 'main', locale: 'vi' });
    const processed = await db.prisma.processedEvent.count({ where: { channel: 'zalo-oa', externalId: { in: events.map((e) => e.message.msg_id) } } });
    expect(processed).toBe(3);
  });
});
