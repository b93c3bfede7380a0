// The optional model client against the fake OpenAI server: redaction, the timeout, the cap on
// calls in flight and the daily budget each fall back (null) and are counted; a reply outside
// the enums is ignored.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiClassifier } from '../../bot/ai/classify.ts';
import { redact } from '../../bot/ai/redact.ts';
import { createLogger } from '../../bot/logger.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../fakes/openai-server.ts';

describe('redact', () => {
  it.each([
    ['tôi tên là Nguyễn Văn An, sđt 0912 345 678, muốn cai', 'tôi tên là [name], sđt [number], muốn cai'],
    ["I'm Lan and my number is +84 912-345-678", "I'm [name] and my number is [number]"],
    ["I'm scared", "I'm scared"],
    ['mail a.b@gmail.com hoặc xem https://x.vn/abc', 'mail [email] hoặc xem [link]'],
    ['tên tôi là Hùng', 'tên tôi là [name]'],
    ['cccd 001234567890 có bị lộ không', 'cccd [number] có bị lộ không'],
    ['uống 20 viên rồi', 'uống 20 viên rồi'],
    ['zalo.me/0912345678 nhé', '[link] nhé'],
    ['mã của tôi là K7P-M2Q-XW4 nhé', 'mã của tôi là [code] nhé'],
    ['invite AB3CD4EF please', 'invite [code] please'],
    ['COVID19 vaccine methadone', 'COVID19 vaccine methadone'],
  ])('%j → %j', (input, out) => {
    expect(redact(input)).toBe(out);
  });
});

describe('AiClassifier', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const make = (o: Partial<ConstructorParameters<typeof AiClassifier>[0]> = {}) => {
    const registry = new Registry();
    const ai = new AiClassifier({
      apiKey: 'sk-test',
      baseURL: fake.url,
      model: 'fake',
      intents: ['services', 'treatment'],
      dailyBudget: 100,
      timeZone: 'Asia/Ho_Chi_Minh',
      log: createLogger('silent'),
      registry,
      ...o,
    });
    return { ai, metrics: () => registry.metrics() };
  };

  it('reads an intent and a crisis level from the enums', async () => {
    fake.delay(0);
    fake.reply(() => ({ intent: 'services', crisis: 'worry' }));
    expect(await make().ai.read('xyz')).toEqual({ intent: 'services', alarm: 'worry' });
  });

  it('ignores what is outside the enums', async () => {
    fake.reply(() => ({ intent: 'hack', crisis: 'extreme' }));
    expect(await make().ai.read('xyz')).toEqual({});
  });

  it('falls back when the server fails or is slower than the timeout', async () => {
    fake.reply(() => null);
    const a = make();
    expect(await a.ai.read('xyz')).toBeNull();
    expect(await a.metrics()).toMatch(/donghanh_ai_calls_total\{outcome="failed"\} 1/);
    fake.reply(() => ({ intent: 'services', crisis: 'none' }));
    fake.delay(1500);
    const b = make({ timeoutMs: 50 });
    expect(await b.ai.read('xyz')).toBeNull();
    expect(await b.metrics()).toMatch(/donghanh_ai_calls_total\{outcome="timeout"\} 1/);
    fake.delay(0);
  });

  it('keeps to the daily budget, and starts again the next day', async () => {
    fake.reply(() => ({ intent: 'treatment', crisis: 'none' }));
    let now = new Date('2026-11-20T10:00:00Z');
    const a = make({ dailyBudget: 2, now: () => now });
    expect(await a.ai.read('a')).not.toBeNull();
    expect(await a.ai.read('b')).not.toBeNull();
    expect(await a.ai.read('c')).toBeNull();
    expect(await a.metrics()).toMatch(/donghanh_ai_fallbacks_total\{reason="budget"\} 1/);
    now = new Date('2026-11-21T10:00:00Z');
    expect(await a.ai.read('d')).not.toBeNull();
  });

  it('does not queue beyond its cap of calls in flight', async () => {
    fake.delay(300);
    const a = make({ maxConcurrent: 1 });
    const [first, second] = await Promise.all([a.ai.read('a'), a.ai.read('b')]);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(await a.metrics()).toMatch(/donghanh_ai_fallbacks_total\{reason="busy"\} 1/);
    fake.delay(0);
  });
});
