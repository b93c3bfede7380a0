// The router as tables: input → messages and effects, with no database and no network.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Input, Locale, StepContext, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';

const content = loadContent();
const NOW = new Date('2026-11-20T03:00:00Z');

function ctxFor(state: FlowState | null, now = NOW): StepContext {
  return { now, locale: (state?.locale ?? 'vi') as Locale, content, platform: 'telegram', retentionDays: 180 };
}
function step(state: FlowState | null, input: Input, now = NOW): StepResult {
  return route(state, input, ctxFor(state, now));
}

/** A person who chose a language and consented. */
function ready(locale: Locale = 'vi'): FlowState {
  return { ...newState(NOW), flow: 'menu', step: 'main', locale, consentScreening: true };
}

describe('first contact', () => {
  const cases: { name: string; state: FlowState | null; input: Input; has: string[]; choices: string[]; flow: string }[] = [
    { name: '/start greets and asks the language', state: null, input: { kind: 'start' }, has: ['Đồng Hành'], choices: ['lang.vi', 'lang.en'], flow: 'start' },
    { name: 'any first text does the same', state: null, input: say('alo'), has: ['Đồng Hành'], choices: ['lang.vi', 'lang.en'], flow: 'start' },
    { name: 'a sticker first does the same', state: null, input: { kind: 'unsupported' }, has: ['Đồng Hành'], choices: ['lang.vi', 'lang.en'], flow: 'start' },
    { name: 'Zalo follow welcomes', state: null, input: { kind: 'follow' }, has: ['Đồng Hành'], choices: ['lang.vi', 'lang.en'], flow: 'start' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = step(c.state, c.input);
      for (const h of c.has) expect(text(r)).toContain(h);
      expect(ids(r)).toEqual(c.choices);
      expect(r.state?.flow).toBe(c.flow);
      expect(r.effects).toEqual([]);
      expect(r.state?.offered.map((o) => o.id)).toEqual(c.choices);
    });
  }

  it('language → what is stored → consent → menu, with a consent effect', () => {
    const a = step(null, { kind: 'start' });
    const b = step(a.state, choice('lang.en'));
    expect(b.state?.locale).toBe('en');
    expect(text(b)).toContain("I don't ask your name");
    expect(text(b)).toContain('Telegram knows');
    expect(text(b)).toContain('180 days');
    expect(ids(b)).toEqual(['consent.yes', 'consent.no', 'consent.more']);
    const c = step(b.state, choice('consent.yes'));
    expect(c.effects).toEqual([{ type: 'consent', purpose: 'screening', granted: true }]);
    expect(c.state?.consentScreening).toBe(true);
    expect(ids(c)).toContain('menu.screening');
    expect(ids(c)).toContain('menu.urgent');
  });

  it('"not now" leads to the menu without consent; the screening then asks again', () => {
    const b = step(step(null, { kind: 'start' }).state, choice('lang.vi'));
    const c = step(b.state, choice('consent.no'));
    expect(c.effects).toEqual([]);
    expect(c.state?.consentScreening).toBe(false);
    expect(ids(c)).toContain('menu.treatment');
    const d = step(c.state, choice('menu.screening'));
    expect(ids(d)).toEqual(['consent.yes', 'consent.no', 'consent.more']);
    const e = step(d.state, choice('consent.yes'));
    expect(e.effects[0]).toEqual({ type: 'consent', purpose: 'screening', granted: true });
    expect(e.state?.flow).toBe('screening');
  });

  it('"tell me more" explains and asks again', () => {
    const b = step(step(null, { kind: 'start' }).state, choice('lang.vi'));
    const c = step(b.state, choice('consent.more'));
    expect(text(c)).toContain('không phải chẩn đoán');
    expect(ids(c)).toEqual(['consent.yes', 'consent.no', 'consent.more']);
  });
});

describe('menu', () => {
  const cases: { choice: string; flow: string }[] = [
    { choice: 'menu.screening', flow: 'screening' },
    { choice: 'menu.treatment', flow: 'treatment' },
    { choice: 'menu.services', flow: 'services' },
    { choice: 'menu.urgent', flow: 'crisis' },
    { choice: 'menu.privacy', flow: 'privacy' },
    { choice: 'menu.main', flow: 'menu' },
  ];
  for (const c of cases) {
    it(`${c.choice} opens ${c.flow}`, () => {
      const r = step(ready(), choice(c.choice));
      expect(r.state?.flow).toBe(c.flow);
      expect(r.messages.length).toBeGreaterThan(0);
    });
  }

  it('"ways to reduce risk" after a result opens its page, then the menu', () => {
    const r = step(ready(), choice('menu.reduce-risk'));
    expect(r.messages.length).toBeGreaterThan(0);
    expect(ids(r)).toContain('menu.main');
    expect(r.state?.data).toEqual({});
  });

  it('urgent help shows 115', () => {
    expect(text(step(ready(), choice('menu.urgent')))).toContain('115');
  });

  it('language can be changed at any time', () => {
    const a = step(ready('vi'), choice('menu.language'));
    expect(ids(a)).toEqual(['lang.vi', 'lang.en']);
    const b = step(a.state, choice('lang.en'));
    expect(b.state?.locale).toBe('en');
    expect(text(b)).toContain('Switched to English');
    expect(ids(b)).toContain('menu.screening');
  });

  it('unknown text gets topics to choose from, never a bare "not understood"', () => {
    const r = step(ready(), say('asdfgh'));
    expect(text(r)).toContain('chọn một mục dưới đây');
    expect(ids(r)).toContain('menu.screening');
  });

  it('a photo gets a kind answer and the menu', () => {
    const r = step(ready(), { kind: 'unsupported' });
    expect(text(r)).toContain('chỉ đọc được tin nhắn chữ');
    expect(ids(r)).toContain('menu.screening');
  });

  it('over-long text is answered with a note that only the start was read', () => {
    const r = step(ready(), { kind: 'text', text: 'x'.repeat(4000), truncated: true });
    expect(r.messages[0]?.text).toContain('chỉ đọc phần đầu');
  });
});

describe('stop and resume', () => {
  function inScreening(): FlowState {
    return step(ready(), choice('menu.screening')).state!;
  }

  for (const word of ['dừng', 'dung', '/stop', 'DỪNG']) {
    it(`"${word}" pauses the questionnaire and keeps its place`, () => {
      const s = inScreening();
      const r = step(s, say(word));
      expect(r.state?.flow).toBe('menu');
      expect(r.state?.paused?.flow).toBe('screening');
      expect(r.state?.paused?.step).toBe(s.step);
      expect(text(r)).toContain('24 giờ');
    });
  }

  it('coming back within 24 hours offers to continue, and continues where it stopped', () => {
    const s = inScreening();
    const paused = step(s, say('dừng')).state!;
    const later = new Date(NOW.getTime() + 23 * 3600_000);
    const offer = step(paused, choice('menu.screening'), later);
    expect(ids(offer)).toEqual(['resume.continue', 'resume.restart']);
    const cont = step(offer.state, choice('resume.continue'), later);
    expect(cont.state?.flow).toBe('screening');
    expect(cont.state?.step).toBe(s.step);
    expect(cont.state?.paused).toBeUndefined();
  });

  it('after 24 hours the unfinished answers are gone', () => {
    const paused = step(inScreening(), say('dừng')).state!;
    const later = new Date(NOW.getTime() + 25 * 3600_000);
    const r = step(paused, choice('menu.screening'), later);
    expect(text(r)).toContain('quá 24 giờ');
    expect(r.state?.paused).toBeUndefined();
    expect(r.state?.flow).toBe('screening');
  });

  it('an abandoned questionnaire expires too', () => {
    const s = { ...inScreening(), updatedAt: NOW.toISOString() };
    const later = new Date(NOW.getTime() + 25 * 3600_000);
    const r = step(s, say('1'), later);
    expect(text(r)).toContain('quá 24 giờ');
    expect(r.state?.flow).toBe('menu');
    expect(r.state?.data).toEqual({});
  });

  it('"dừng" with no questionnaire running pauses nothing and shows the menu', () => {
    const r = step(ready(), say('dừng'));
    expect(r.state?.paused).toBeUndefined();
    expect(r.messages.length).toBeGreaterThan(1);
    expect(ids(r)).toContain('menu.screening');
  });
});

describe('crisis check before any flow', () => {
  for (const t of ['tôi muốn tự tử', 'toi muon tu tu', 'bạn tôi bị quá liều', 'overdose', 'I want to kill myself']) {
    it(`"${t}" interrupts with emergency guidance`, () => {
      const r = step(step(ready(), choice('menu.screening')).state, say(t));
      expect(r.state?.flow).toBe('crisis');
      expect(text(r)).toMatch(/115|111|096 306 1414/);
    });
  }

  it('the way back resumes the questionnaire', () => {
    const s = step(ready(), choice('menu.screening')).state!;
    const c = step(s, say('quá liều'));
    expect(ids(c)).toContain('crisis.back');
    const back = step(c.state, choice('crisis.back'));
    expect(back.state?.flow).toBe('screening');
    expect(back.state?.step).toBe(s.step);
  });

  it('a photo caption is checked too', () => {
    const r = step(ready(), { kind: 'unsupported', text: 'tôi muốn chết' });
    expect(r.state?.flow).toBe('crisis');
    expect(step(ready(), { kind: 'unsupported', text: 'ảnh đẹp' }).state?.flow).toBe('menu');
  });

  it('works before a language is chosen', () => {
    const r = step(null, say('muốn chết'));
    expect(r.state?.flow).toBe('crisis');
  });
});

describe('privacy and erasure', () => {
  for (const t of ['xóa dữ liệu', 'xoa du lieu', '/delete', 'delete my data']) {
    it(`"${t}" asks for confirmation`, () => {
      const r = step(ready(), say(t));
      expect(ids(r)).toEqual(['privacy.erase.yes', 'privacy.erase.no']);
      expect(r.effects).toEqual([]);
    });
  }

  it('confirming erases: no state, an erase effect', () => {
    const c = step(ready(), say('/delete'));
    const r = step(c.state, choice('privacy.erase.yes'));
    expect(r.state).toBeNull();
    expect(r.effects).toEqual([{ type: 'erase' }]);
    expect(text(r)).toContain('Đã xóa');
  });

  it('declining keeps everything', () => {
    const c = step(ready(), say('/delete'));
    const r = step(c.state, choice('privacy.erase.no'));
    expect(r.effects).toEqual([]);
    expect(r.state?.consentScreening).toBe(true);
  });

  it('mid-screening: the confirmation lists the unfinished answers, and "Không, giữ lại" returns to the question', () => {
    let s = step(ready(), choice('menu.screening'));
    s = step(s.state, choice('screen.age.18-plus'));
    const question = s.messages.at(-1)!.text;
    expect(question).toMatch(/câu 1\/10/i);
    s = step(s.state, choice('screen.yes'));
    expect(s.messages.at(-1)!.text).toMatch(/câu 2\/10/i);
    const c = step(s.state, say('xóa dữ liệu'));
    expect(text(c)).toContain('2 câu trả lời của bài sàng lọc đang làm dở');
    expect(text(c)).toContain('Bạn đã đồng ý làm sàng lọc');
    expect(text(c)).toContain('Nhật ký ẩn danh');
    const kept = step(c.state, choice('privacy.erase.no'));
    expect(kept.effects).toEqual([]);
    expect(text(kept)).toContain('Đã giữ nguyên');
    expect(kept.messages.at(-1)!.text).toMatch(/câu 2\/10/i);
    expect(kept.state?.flow).toBe('screening');
    expect(kept.state?.paused).toBeUndefined();
    // Erasing instead says the same list.
    const gone = step(c.state, choice('privacy.erase.yes'));
    expect(text(gone)).toContain('Đã xóa mọi dữ liệu');
    expect(text(gone)).toContain('2 câu trả lời của bài sàng lọc đang làm dở');
  });

  it('from the menu, "Không, giữ lại" returns to the menu', () => {
    const c = step(ready('en'), say('delete my data'));
    expect(text(c)).not.toContain('unfinished');
    const r = step(c.state, choice('privacy.erase.no'));
    expect(r.state?.flow).toBe('menu');
    expect(ids(r)).toContain('menu.screening');
  });

  it('the privacy page lists club membership and volunteering when there are some', () => {
    const clubs = {
      clubs: [],
      mine: [{ clubId: 'x', role: 'member' as const, offsets: [1440], remindersOn: true }],
      assignments: [{ id: 1, clubId: 'x', alias: 'A', nextDueAt: NOW.toISOString(), timeZone: 'Asia/Ho_Chi_Minh' }],
    };
    const r = route(ready('en'), choice('menu.privacy'), { ...ctxFor(ready('en')), clubs });
    expect(text(r)).toContain('You belong to 1 club(s)');
    expect(text(r)).toContain('You volunteer for 1 person');
  });

  it('the privacy page says what is held and offers withdrawal', () => {
    const r = step(ready('en'), choice('menu.privacy'));
    expect(text(r)).toContain('What I hold');
    expect(ids(r)).toEqual(['privacy.erase', 'privacy.withdraw', 'menu.main']);
    const w = step(r.state, choice('privacy.withdraw'));
    expect(w.effects).toEqual([{ type: 'consent', purpose: 'screening', granted: false }]);
    expect(w.state?.consentScreening).toBe(false);
  });
});
