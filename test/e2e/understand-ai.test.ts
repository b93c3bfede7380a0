// With OPENAI_API_KEY and OPENAI_BASE_URL pointing at a fake OpenAI server on 127.0.0.1: a
// question the local matcher cannot place is routed by the model's pick, on every channel; what
// reached the server holds no name, phone number, chat id or pseudonym, asked not to be stored;
// a model that fails or is slow leaves the local reading (suggestions) in place; a model's
// crisis level raises the alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../fakes/openai-server.ts';
import type { TestApp } from '../support/app.ts';
import { conversation, everyChannelApp, talkersOn, toMainMenu, webTalker, type EveryChannel } from '../support/talkers.ts';

let ai: FakeOpenAi;
let apps: EveryChannel;
let t: TestApp;
const KEY = 'sk-test-NEEDLE-9f8e7d6c5b4a';
const METRICS_TOKEN = 'metrics-token-for-tests-0123';

beforeAll(async () => {
  ai = await startFakeOpenAi();
});
afterAll(async () => {
  await ai?.close();
});
everyChannelApp(
  () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: ai.url, OPENAI_MODEL: 'fake-model', METRICS_TOKEN }),
  (started) => {
    apps = started;
    t = started.t;
  },
);
const talkers = talkersOn(() => apps);
const prisma = () => apps.db.prisma;

const NAME = 'Trần Thị Mơ';
const PHONE = '0987 654 321';
/** Unplaced by the local matcher: only the model can tell it is about finding a service. */
const UNPLACED = `tôi tên là ${NAME}, sđt ${PHONE}, có chỗ nào kín đáo giúp người như tôi không`;


describe.each(talkers)('on %s', (_name, make) => {
  it('an unplaced question is routed by the model, and the request holds no needle', async () => {
    const p = make();
    await toMainMenu(p);
    ai.clear();
    ai.reply((text) => (text.includes('kín đáo') ? { intent: 'services', crisis: 'none' } : { intent: 'none', crisis: 'none' }));
    await p.say(UNPLACED);
    expect((await conversation(prisma(), p.subject))?.flow).toBe('services');
    const sent = ai.requests();
    expect(sent).toHaveLength(1);
    const req = sent[0]!;
    expect(req.body?.store).toBe(false);
    expect(req.body?.model).toBe('fake-model');
    expect(ai.userTexts()).toEqual(['tôi tên là [name], sđt [number], có chỗ nào kín đáo giúp người như tôi không']);
    const everything = `${req.raw}\n${JSON.stringify(req.headers)}`.toLowerCase();
    for (const needle of [NAME, 'Mơ', PHONE, PHONE.replace(/\s/g, ''), '654 321', p.address, p.subject]) {
      expect(everything, `request contains ${needle}`).not.toContain(needle.toLowerCase());
    }
    // The structured output offers only the intents of content/intents.yaml.
    const schema = JSON.stringify(req.body?.response_format);
    expect(schema).toContain('"services"');
    expect(schema).toContain('"danger"');
  });
});

describe('when the model is not there', () => {
  it('a failing model leaves the suggestions', async () => {
    const p = webTalker(t);
    await toMainMenu(p);
    ai.reply(() => null);
    const r = (await p.say('cai methadone')).join('\n');
    expect(r).toContain('Có phải bạn muốn hỏi về');
  });

  it('a placed question is not sent at all', async () => {
    const p = webTalker(t);
    await toMainMenu(p);
    ai.clear();
    await p.say('methadone ở đâu');
    expect(ai.requests()).toHaveLength(0);
  });

  it("a model's crisis level raises the alarm", async () => {
    const p = webTalker(t);
    await toMainMenu(p);
    ai.reply(() => ({ intent: 'none', crisis: 'suicide' }));
    await p.say('mọi thứ sắp kết thúc rồi, cảm ơn bạn vì đã nghe');
    expect((await conversation(prisma(), p.subject))?.step).toBe('suicide');
    ai.reply(() => ({ intent: 'none', crisis: 'none' }));
  });

  it('the privacy page says what is sent when a model is configured', async () => {
    const p = webTalker(t);
    await toMainMenu(p);
    const r = (await p.choose('menu.privacy')).join('\n');
    expect(r).toContain('dịch vụ AI');
  });

  it('metrics count calls and fallbacks, never text', async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const body = await res.text();
    expect(body).toMatch(/donghanh_ai_calls_total\{outcome="ok"\} [1-9]/);
    expect(body).toMatch(/donghanh_ai_fallbacks_total\{reason="failed"\} [1-9]/);
    expect(body).not.toContain('kín đáo');
    for (const line of t.logs) expect(line).not.toContain('kín đáo');
  });
});
