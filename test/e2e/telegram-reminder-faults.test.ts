// Reminders and replies on one delivery path, through faults: club reminders are due for several
// members while the Bot API answers 500, then 429 with retry_after, then hangs; one member says
// "dừng" meanwhile. Once it recovers every reminder arrives once, none twice, none to the member
// who stopped; a member who writes meanwhile gets the reminder first and then the reply, in the
// order they were written.
// Then a reply too long for one Telegram message, the platform failing on its second part:
// each part arrives once, in order. The real app (jobs on) over HTTP to the fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from '../fakes/telegram-server.ts';
import { eventually, startTestApp, type TestApp } from '../support/app.ts';
import { person, postUpdate, type TgPerson, telegramEnv, updates } from '../support/telegram.ts';

const MEMBERS = 6;
let fake: FakeTelegram;
let t: TestApp;
let occurrenceId: number;

beforeAll(async () => {
  fake = await startFakeTelegram();
  t = await startTestApp({ env: telegramEnv(fake), jobs: true });
  const p = t.running.prisma;
  await p.club.create({ data: { id: 'faults', name: 'CLB Bền Bỉ', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  const start = new Date(Date.now() + 3 * 86_400_000);
  // An ended series: the planner adds nothing of its own; the test's plan rows are the work.
  const s = await p.meetingSeries.create({
    data: { clubId: 'faults', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ', endedAt: new Date() },
  });
  const occ = await p.meetingOccurrence.create({
    data: { seriesId: s.id, clubId: 'faults', originalStart: start, startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), topic: 'Chia sẻ', venue: 'Nhà văn hóa' },
  });
  occurrenceId = occ.id;
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const chatOf = (c: RecordedCall) => String(c.params['chat_id']);
const isReminder = (c: RecordedCall) => String(c.params['text']).startsWith('Nhắc lịch');
const accepted = () => fake.calls('sendMessage').filter((c) => c.status === 200);

/** Members who joined (as the join flow leaves them: contact with the sealed address). */
async function members(n: number): Promise<TgPerson[]> {
  const p = t.running.prisma;
  const people = Array.from({ length: n }, () => person());
  const now = new Date();
  for (const x of people) {
    const subjectKey = t.running.engine.subjectOf('telegram', String(x.chatId));
    await p.contact.create({ data: { subjectKey, channel: 'telegram', addressEnc: encrypt(t.running.keys.addressKey, String(x.chatId)), lastInboundAt: now } });
    await p.membership.create({ data: { clubId: 'faults', subjectKey, role: 'member', consentAt: now } });
  }
  return people;
}

describe('reminders through Bot API faults', () => {
  it('500s, 429s, a hang: every reminder arrives once after recovery, none to a member who stopped', async () => {
    const p = t.running.prisma;
    const people = await members(MEMBERS);
    fake.failNext('sendMessage', 30, { kind: 'server_error' });
    fake.failNext('sendMessage', 3, { kind: 'rate_limited', retryAfter: 2 });
    fake.failNext('sendMessage', 2, { kind: 'hang', ms: 11_000 });
    const ms = await p.membership.findMany({ where: { clubId: 'faults' }, orderBy: { id: 'asc' } });
    const now = new Date();
    await p.reminderDelivery.createMany({
      data: ms.map((m) => ({ dedupeKey: `faults:${m.id}`, clubId: 'faults', membershipId: m.id, occurrenceId, kind: 'reminder', channel: 'telegram', dueAt: now, sendAt: now })),
    });
    // Handed over to the outbox and failing.
    await eventually(async () => (await p.reminderDelivery.count({ where: { status: 'sending' } })) === MEMBERS && fake.calls('sendMessage').length > 0);
    expect(accepted()).toHaveLength(0);

    // One member stops while the platform is down: their turn commits, its reply queues behind
    // the reminder already in the outbox, which is dropped instead of sent.
    const stopper = people[0]!;
    expect((await postUpdate(t.url, updates.text(stopper, 'dừng'))).status).toBe(200);
    expect(await p.reminderDelivery.findFirst({ where: { membershipId: ms[0]!.id } })).toMatchObject({ status: 'cancelled', reason: 'stopped' });
    // Another writes meanwhile: the reply waits behind the reminder already due for them.
    const writer = people[1]!;
    expect((await postUpdate(t.url, updates.text(writer, '/start'))).status).toBe(200);

    await eventually(async () => (await p.outbox.count()) === 0 && (await p.reminderDelivery.count({ where: { status: 'sending' } })) === 0, 180_000);
    const calls = fake.calls('sendMessage');
    const failures = calls.filter((c) => c.status !== 200);
    const reminders = accepted().filter(isReminder);
    const perChat = new Map<string, number>();
    for (const c of reminders) perChat.set(chatOf(c), (perChat.get(chatOf(c)) ?? 0) + 1);
    const lastFailure = Math.max(...failures.map((c) => c.at));
    const lastReminder = Math.max(...reminders.map((c) => c.at));
    process.stdout.write(
      `reminder faults: ${MEMBERS} due, ${reminders.length} delivered to ${perChat.size} members, ${reminders.length - perChat.size} twice, ` +
        `${failures.length} failed calls (${failures.filter((c) => c.status === 500).length}×500, ${failures.filter((c) => c.status === 429).length}×429, ` +
        `${failures.filter((c) => c.status <= 0).length} hangs); all delivered ${((lastReminder - lastFailure) / 1000).toFixed(1)} s after the last failure\n`,
    );
    // Every kind of failure was met.
    expect(failures.filter((c) => c.status === 500)).toHaveLength(30);
    expect(failures.filter((c) => c.status === 429)).toHaveLength(3);
    expect(failures.filter((c) => c.status <= 0)).toHaveLength(2);
    // Everyone who did not stop: exactly one reminder. The one who stopped: none, and the
    // answer to "dừng".
    for (const x of people.slice(1)) expect(perChat.get(String(x.chatId))).toBe(1);
    expect(perChat.has(String(stopper.chatId))).toBe(false);
    expect(accepted().filter((c) => chatOf(c) === String(stopper.chatId))).toHaveLength(1);
    const toWriter = accepted().filter((c) => chatOf(c) === String(writer.chatId));
    expect(toWriter.map(isReminder)).toEqual([true, false]);
    expect(String(toWriter[1]!.params['text'])).toContain(t.running.content.ui.welcome.vi);
    const plan = await p.reminderDelivery.findMany({ where: { clubId: 'faults' }, orderBy: { id: 'asc' } });
    expect(plan.map((r) => r.status)).toEqual(['cancelled', ...people.slice(1).map(() => 'sent')]);
  });

  it('a reply too long for one message, the platform failing on part 2: each part once, in order', async () => {
    const p = t.running.prisma;
    const x = person();
    const subjectKey = t.running.engine.subjectOf('telegram', String(x.chatId));
    // Three parts at Telegram's limit; as a turn writes a reply the platform did not take at once.
    const paragraphs = ['Một', 'Hai', 'Ba'].map((w) => `${w}: ${'chữ '.repeat(900).trim()}`);
    const text = paragraphs.join('\n');
    fake.failNext('sendMessage', 1, { kind: 'pass' });
    fake.failNext('sendMessage', 4, { kind: 'server_error' });
    await p.outbox.create({ data: { subjectKey, channel: 'telegram', payloadEnc: t.running.engine.outbox.seal(String(x.chatId), [{ text }]) } });
    await eventually(async () => (await p.outbox.count()) === 0, 120_000);
    const mine = fake.calls('sendMessage').filter((c) => chatOf(c) === String(x.chatId));
    expect(mine.map((c) => c.status)).toEqual([200, 500, 500, 500, 500, 200, 200]);
    const got = mine.filter((c) => c.status === 200).map((c) => String(c.params['text']));
    expect(got.map((s) => s.slice(0, 4))).toEqual(['Một:', 'Hai:', 'Ba: ']);
    expect(got.join('\n')).toBe(text);
  });
});
