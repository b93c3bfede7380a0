// The Zalo OA webhook through the real HTTP server against a fake OA API: signatures, fast
// acknowledgement, dedupe of re-delivered events, echoes, follow/unfollow, ids beyond 2^53,
// arrival order per person, and events left in the inbox by a crash.
import { describe, expect, it } from 'vitest';
import { seal } from '../../bot/channels/inbox/seal.ts';
import { startFakeZaloOa, type FakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { inboxDrained, newUserId, numberOf, OaChat, oaEnv, oaEvents, payloadIds, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { eventually, type TestApp, withFakeAndApp } from '../support/app.ts';

let fake: FakeZaloOa;
let t: TestApp;

withFakeAndApp(startFakeZaloOa, (f) => ({ env: oaEnv(f) }), (f, app) => {
  fake = f;
  t = app;
});

const prisma = () => t.running.prisma;
const logCount = () => prisma().interactionLog.count();
const chat = () => new OaChat(fake, t.url, prisma());
const contactOf = (userId: string) => prisma().contact.findUnique({ where: { subjectKey: t.running.engine.subjectOf('zalo-oa', userId) } });

async function personInVietnamese(): Promise<OaChat> {
  const c = chat();
  const first = await c.say('Chào');
  await c.choose(first, 'lang.vi');
  return c;
}

describe('zalo-oa webhook: signature', () => {
  it('accepts a correct signature and answers the first message with the language buttons', async () => {
    const c = chat();
    const replies = await c.say('Chào');
    // One message: the welcome runs into the language question, which carries the buttons.
    const ui = t.running.content.ui;
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}`);
    expect(payloadIds(replies)).toEqual(['lang.vi', 'lang.en']);
    expect(replies.at(-1)!.buttons.every((b) => b.type === 'oa.query.hide')).toBe(true);
  });

  it.each([
    ['wrong', { signature: 'mac=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
    ['missing', { signature: null }],
    ['made with the app secret', { key: 'fake-app-secret-Qw3rty' }],
    ['without the mac= prefix', { signature: 'not-a-mac' }],
  ] as const)('refuses a %s signature with 401 and records nothing', async (_name, opts) => {
    const userId = newUserId();
    const logs = await logCount();
    const sent = fake.sends().length;
    const res = await postOaEvent(t.url, fake.appId, oaEvents.text(fake.appId, userId, 'Chào'), opts);
    expect(res.status).toBe(401);
    expect(await prisma().inboundEvent.count()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await logCount()).toBe(logs);
    expect(fake.sends().length).toBe(sent);
    expect(await contactOf(userId)).toBeNull();
  });

  it('refuses a body changed after signing', async () => {
    const event = oaEvents.text(fake.appId, newUserId(), 'Chào');
    const raw = JSON.stringify(event);
    const { sign } = await import('../fakes/zalo-oa-webhook.ts');
    const header = sign(fake.appId, raw, event.timestamp, 'oa-secret-key-Zx81_test');
    const res = await postOaEvent(t.url, fake.appId, raw.replace('Chào', 'Chao'), { signature: header });
    expect(res.status).toBe(401);
  });

  it('answers the console’s unsigned empty URL check with 200 and records nothing', async () => {
    const res = await postOaEvent(t.url, fake.appId, '{}', { signature: null });
    expect(res.status).toBe(200);
    expect(await prisma().inboundEvent.count()).toBe(0);
  });

  it('answers a body over 1 MB with 413', async () => {
    const big = oaEvents.text(fake.appId, newUserId(), 'x'.repeat(1024 * 1024 + 10));
    expect((await postOaEvent(t.url, fake.appId, big)).status).toBe(413);
  });

  it('answers signed JSON that is not an event with 400', async () => {
    const body = { timestamp: String(Date.now()), hello: 'world' };
    expect((await postOaEvent(t.url, fake.appId, body)).status).toBe(400);
  });
});

describe('zalo-oa webhook: events', () => {
  it('answers 200 before the reply is sent, even when Zalo is slow to take our replies', async () => {
    const c = chat();
    // Zalo does not answer our send until released: the acknowledgement must not wait for it
    // (a condition, not a clock: the reply is still on its way when the 200 arrives).
    const release = fake.holdSends();
    try {
      const res = await postOaEvent(t.url, fake.appId, oaEvents.text(fake.appId, c.userId, 'Chào'));
      expect(res.status).toBe(200);
      expect(fake.delivered(c.userId)).toHaveLength(0);
    } finally {
      release();
    }
    await fake.waitFor(() => fake.delivered(c.userId).length >= 1);
    await inboxDrained(prisma());
    // The whole turn, as one message: welcome and language question, with the buttons.
    const delivered = fake.delivered(c.userId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.text).toBe(`${t.running.content.ui.welcome.vi}\n\n${t.running.content.ui.chooseLanguage.vi}`);
    expect(payloadIds(delivered)).toEqual(['lang.vi', 'lang.en']);
  });

  it('ignores an event replayed with the same msg_id', async () => {
    const c = chat();
    const event = oaEvents.text(fake.appId, c.userId, 'Chào');
    const first = await c.post(event);
    expect(first.length).toBeGreaterThan(0);
    const logs = await logCount();
    expect(await c.post(event)).toHaveLength(0);
    // Re-delivered at once, several times over (Zalo retries at least once).
    await Promise.all([1, 2, 3].map(() => postOaEvent(t.url, fake.appId, event)));
    await inboxDrained(prisma());
    expect(fake.delivered(c.userId)).toHaveLength(first.length);
    expect(await logCount()).toBe(logs);
  });

  it('ignores echoes of our own messages, seen receipts and unknown events (200, nothing recorded)', async () => {
    const c = await personInVietnamese();
    const logs = await logCount();
    for (const body of [
      oaEvents.echo(fake.appId, c.userId, 'Xin chào'),
      { event_name: 'user_seen_message', app_id: fake.appId, sender: { id: c.userId }, recipient: { id: '1' }, message: { msg_ids: ['x'] }, timestamp: String(Date.now()) },
      { event_name: 'something_new_from_zalo', app_id: fake.appId, timestamp: String(Date.now()) },
    ]) {
      expect(await c.post(body)).toHaveLength(0);
    }
    expect(await logCount()).toBe(logs);
  });

  it('welcomes a new follower and marks an unfollow on the contact', async () => {
    const c = chat();
    const welcome = await c.post(oaEvents.follow(fake.appId, c.userId));
    // One message: the welcome runs into the language question, which carries the buttons.
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.text).toBe(`${t.running.content.ui.welcome.vi}\n\n${t.running.content.ui.chooseLanguage.vi}`);
    expect(payloadIds(welcome)).toEqual(['lang.vi', 'lang.en']);
    expect((await contactOf(c.userId))?.status).toBe('active');
    expect(await c.post(oaEvents.follow(fake.appId, c.userId, 'unfollow'))).toHaveLength(0);
    expect((await contactOf(c.userId))?.status).toBe('unfollowed');
  });

  it('answers images and stickers kindly, in the person’s language', async () => {
    const c = await personInVietnamese();
    const ui = t.running.content.ui;
    // One message each: the kind note runs into the menu (seven choices: a numbered list).
    for (const event of [oaEvents.image(fake.appId, c.userId), oaEvents.sticker(fake.appId, c.userId)]) {
      const replies = await c.post(event);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text.startsWith(`${ui.unsupported.vi}\n\n${ui.menuTitle.vi}\n\n1. `)).toBe(true);
      expect(numberOf(replies, ui.menuScreening.vi)).toBe('1');
    }
  });

  it('keeps user ids beyond 2^53 exact, as strings and as bare JSON numbers', async () => {
    const big = '9007199254740993123';
    expect(Number(big)).not.toBe(9007199254740993123n);
    const c = new OaChat(fake, t.url, prisma(), big);
    const replies = await c.say('Chào');
    expect(replies.length).toBeGreaterThan(0);
    expect(fake.sends().filter((s) => s.userId.startsWith('9007199254740')).map((s) => s.userId)).toEqual(replies.map(() => big));

    const bare = '6142494823123456789';
    const raw = JSON.stringify(oaEvents.text(fake.appId, 'PLACEHOLDER', 'Chào')).replace('"PLACEHOLDER"', bare);
    const res = await postOaEvent(t.url, fake.appId, raw, {
      signature: (await import('../fakes/zalo-oa-webhook.ts')).sign(fake.appId, raw, JSON.parse(raw).timestamp, 'oa-secret-key-Zx81_test'),
    });
    expect(res.status).toBe(200);
    await inboxDrained(prisma());
    expect(fake.delivered(bare).length).toBeGreaterThan(0);
    expect(await contactOf(bare)).not.toBeNull();
  });

  it('maps a tapped button and a typed number of a numbered list back to the choice', async () => {
    const c = chat();
    const first = await c.say('Chào');
    const afterLanguage = await c.choose(first, 'lang.vi');
    const menu = await c.choose(afterLanguage, 'consent.yes');
    // Seven menu entries do not fit in five buttons: a numbered list, no buttons.
    const ui = t.running.content.ui;
    expect(menu.at(-1)!.payloads).toEqual([]);
    const n = numberOf(menu, ui.menuPrivacy.vi);
    const privacy = await c.say(n);
    expect(privacy.length).toBeGreaterThan(0);
    const logged = await prisma().interactionLog.findMany({ where: { channel: 'zalo-oa' }, orderBy: { id: 'desc' }, take: 1 });
    expect(logged[0]?.choiceId).toBe('menu.privacy');
  });

  it('runs one person’s events in arrival order when they arrive faster than they are processed', async () => {
    const c = chat();
    fake.setSendDelayMs(150);
    try {
      const events = [oaEvents.text(fake.appId, c.userId, 'Chào'), oaEvents.text(fake.appId, c.userId, '#c:lang.vi'), oaEvents.text(fake.appId, c.userId, '#c:consent.yes')];
      for (const e of events) expect((await postOaEvent(t.url, fake.appId, e)).status).toBe(200);
      await inboxDrained(prisma());
    } finally {
      fake.setSendDelayMs(0);
    }
    const subject = t.running.engine.subjectOf('zalo-oa', c.userId);
    const row = await prisma().conversation.findUnique({ where: { subjectKey: subject } });
    expect(row).toMatchObject({ flow: 'menu', step: 'main', locale: 'vi' });
  });

  it('processes events a crashed instance recorded but never ran (and a lease that ran out)', async () => {
    const waiting = newUserId();
    const leased = newUserId();
    // They wrote (these are their messages), so Zalo lets the OA answer them.
    fake.interacted(waiting);
    fake.interacted(leased);
    const key = t.running.keys.addressKey;
    const engine = t.running.engine;
    const event = (userId: string) => ({ channel: 'zalo-oa' as const, externalId: `crash-${userId}`, address: userId, kind: 'text' as const, text: 'Chào', receivedAt: new Date() });
    await prisma().inboundEvent.create({ data: { channel: 'zalo-oa', externalId: `crash-${waiting}`, subjectKey: engine.subjectOf('zalo-oa', waiting), payloadEnc: seal(key, event(waiting), false) } });
    await prisma().inboundEvent.create({
      data: {
        channel: 'zalo-oa',
        externalId: `crash-${leased}`,
        subjectKey: engine.subjectOf('zalo-oa', leased),
        payloadEnc: seal(key, event(leased), false),
        attempts: 1,
        leasedUntil: new Date(Date.now() - 1000),
      },
    });
    // Nobody kicks the inbox: the periodic sweep finds both.
    await eventually(() => fake.delivered(waiting).length > 0 && fake.delivered(leased).length > 0);
    await inboxDrained(prisma());
  });
});
