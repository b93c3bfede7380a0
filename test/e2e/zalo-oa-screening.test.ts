// A whole conversation on Zalo OA, end to end over HTTP: follow, language, consent, the main
// menu as a numbered list, the adult screening walked to its result by tapping buttons (with a
// token refresh on the way); then the privacy search: no table, column or log line holds the
// Zalo user id, the name and phone number of a submitted form, anything typed, or a token.
import { describe, expect, it } from 'vitest';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { numberOf, OA_SECRET_KEY, OaChat, oaEnv, oaEvents } from '../fakes/zalo-oa-webhook.ts';
import { walkAssistOnZalo } from '../fakes/zalo-screening.ts';
import { type TestApp, type TestDb, withFakeAndApps } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';

let fake: FakeZaloOa;
let db: TestDb;
let t: TestApp;

// Every log line, debug ones too, is searched below.
withFakeAndApps(startFakeZaloOa, (f) => ({ ...oaEnv(f), LOG_LEVEL: 'debug' }), 1, (f, [app], database) => {
  [fake, t, db] = [f, app!, database];
});

const USER_ID = '7391846205123456789';
const NAME = 'Xuânthịnhquế Vĩnhphúcđào';
const PHONE = '0912873465';
const SENTENCE = 'Con mèo tam thể nhà tôi thích ngủ trên chiếc ghế mây màu xanh lục';

describe('zalo-oa conversation', () => {
  it('walks the screening to its result, then keeps none of the id, name, phone, text or tokens', async () => {
    const chat = new OaChat(fake, t.url, db.prisma, USER_ID);
    const initialTokens = [fake.accessToken, fake.refreshToken];
    const welcome = await chat.post(oaEvents.follow(fake.appId, USER_ID));
    const consent = await chat.choose(welcome, 'lang.vi');
    const menu = await chat.choose(consent, 'consent.yes');
    expect(menu.at(-1)!.payloads).toEqual([]);
    const said = async (text: string) => (await chat.say(text)).map((s) => s.text).join('\n');
    expect(await said(SENTENCE)).toContain('Mình chưa chắc bạn muốn hỏi gì');
    // A form with a name and a phone number: answered 200, never recorded.
    expect(await chat.post(oaEvents.submitInfo(fake.appId, USER_ID, NAME, PHONE))).toHaveLength(0);

    const subject = t.running.engine.subjectOf('zalo-oa', USER_ID);
    let last = menu;
    let taps = 0;
    const walk = await walkAssistOnZalo({
      prisma: db.prisma,
      subject,
      choose: async (id, n) => {
        // Buttons when the question had them (payload "#c:<id>"), else the number of the list.
        const buttons = last.filter((s) => s.payloads.length > 0).at(-1)?.payloads ?? [];
        if (id === 'menu.screening') expect(numberOf(last, t.running.content.ui.menuScreening.vi)).toBe(String(n));
        if (++taps === 5) fake.revokeAccessToken();
        last = buttons.includes(`#c:${id}`) ? await chat.tap(id) : await chat.say(String(n));
        expect(last.length).toBeGreaterThan(0);
        return last.map((s) => s.text);
      },
      typeAlong: async () => (await chat.say(SENTENCE)).map((s) => s.text),
    });
    expect(walk.taps).toBeGreaterThan(5);
    expect(await db.prisma.screeningResult.count({ where: { channel: 'zalo-oa', instrument: 'ASSIST' } })).toBeGreaterThan(0);
    // The questions came as buttons, and the answers were taps.
    expect(fake.delivered(USER_ID).filter((s) => s.payloads.includes('#c:screen.freq.weekly')).length).toBeGreaterThan(0);
    expect(fake.refreshCalls().filter((r) => r.ok)).toHaveLength(1);
    expect(await said(SENTENCE.toUpperCase())).toContain('Mình chưa chắc bạn muốn hỏi gì');

    // The conversation did leave traces, so the search below searches something.
    expect(await db.prisma.interactionLog.count()).toBeGreaterThan(10);
    const needles = [USER_ID, '979122185046046317', NAME, 'Xuânthịnhquế', PHONE, SENTENCE, 'mèo tam thể', 'ghế mây'];
    const tokens = [...initialTokens, fake.accessToken, fake.refreshToken];
    expect(await findInSchema(db.url, db.schema, [...needles, ...tokens])).toEqual([]);
    expect(t.logs.length).toBeGreaterThan(10);
    for (const needle of [...needles, ...tokens, OA_SECRET_KEY, fake.appSecret]) {
      const hits = t.logs.filter((line) => line.toLowerCase().includes(needle.toLowerCase()));
      expect(hits, `log lines containing ${needle}`).toEqual([]);
    }
  });
});

