// Typed messages as tables: a question lands on its page, a crisis interrupts a questionnaire and
// "quay lại" resumes it, a question mid-questionnaire gets its short answer and the question
// again, and a model's hint may place a text or raise an alarm, never lower one.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { route } from '../../flows/router.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Input, Locale, StepContext, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';

const content = loadContent();
const NOW = new Date('2026-11-20T03:00:00Z');

function step(state: FlowState | null, input: Input, understood?: StepContext['understood']): StepResult {
  const ctx: StepContext = { now: NOW, locale: (state?.locale ?? 'vi') as Locale, content, platform: 'telegram', retentionDays: 180 };
  return route(state, input, understood ? { ...ctx, understood } : ctx);
}
function ready(locale: Locale = 'vi'): FlowState {
  return { ...newState(NOW), flow: 'menu', step: 'main', locale, consentScreening: true };
}
/** In the questionnaire, past its first question. */
function inScreening(): FlowState {
  const s = step(ready(), choice('menu.screening')).state!;
  return s;
}

describe('a typed question lands on its page', () => {
  const cases: [string, Locale, string, string, string][] = [
    // text, locale, flow, step, a fragment of what is shown
    ['methadone ở đâu', 'vi', 'services', '', ''],
    ['tôi muốn cai', 'vi', 'treatment', 'list', 'Các lựa chọn điều trị'],
    ['metadon la gi', 'vi', 'treatment', 'option', 'methadone'],
    ['có bị báo công an không?', 'vi', 'menu', 'answer', 'KHÔNG ẩn danh'],
    ['con tôi chơi đá, tôi phải làm sao', 'vi', 'family', 'list', 'Bạn không có lỗi'],
    ['I want to quit meth', 'en', 'treatment', 'list', 'Voluntary treatment options'],
    ['will the police know', 'en', 'menu', 'answer', 'NOT anonymous'],
    ['lam bai kiem tra', 'vi', 'screening', '', ''],
    ['cảm ơn nhiều', 'vi', 'menu', 'main', 'Không có gì'],
    ['quá liều methadone có nguy hiểm không?', 'vi', 'menu', 'answer', '115'],
  ];
  it.each(cases)('%j', (t, locale, flow, stepName, fragment) => {
    const r = step(ready(locale), say(t));
    expect(r.state?.flow).toBe(flow);
    if (stepName) expect(r.state?.step).toBe(stepName);
    if (fragment) expect(text(r)).toContain(fragment);
  });

  it('an overdose question is answered with the number beside it, not a full interruption', () => {
    const r = step(ready(), say('OD là gì'));
    expect(r.state?.flow).not.toBe('crisis');
    expect(text(r)).toContain('☎️ 115');
    expect(ids(r)).toEqual(['intent.urgent', 'intent.treatment', 'menu.main']);
  });

  it('below its confidence the matcher offers the likeliest topics as buttons', () => {
    const r = step(ready(), say('cai methadone'));
    expect(text(r)).toContain('Có phải bạn muốn hỏi về');
    const offered = ids(r);
    expect(offered.length).toBeGreaterThanOrEqual(3);
    expect(offered.length).toBeLessThanOrEqual(4);
    expect(offered.at(-1)).toBe('menu.main');
    // A suggestion, tapped, goes where the intent leads.
    const tapped = step(r.state, choice(offered[0]!));
    expect(['treatment', 'services']).toContain(tapped.state?.flow);
  });

  it('the family path: pages with the numbers from emergency.yaml', () => {
    const list = step(ready(), choice('menu.family'));
    expect(ids(list)).toEqual(['family.talk', 'family.treatment', 'family.register', 'family.counselling', 'family.choice', 'menu.main']);
    const talk = step(list.state, choice('family.talk'));
    expect(text(talk)).toContain('113');
    const reg = step(talk.state, choice('family.register'));
    expect(text(reg)).toContain('KHÔNG ẩn danh');
    expect(ids(reg)).toContain('menu.treatment');
    const back = step(reg.state, choice('family.list'));
    expect(back.state?.step).toBe('list');
  });
});

describe('in the middle of a questionnaire', () => {
  it('a crisis interrupts, and "quay lại" resumes the same question', () => {
    const s = inScreening();
    const r = step(s, say('tôi uống hết vỉ thuốc rồi'));
    expect(r.state?.flow).toBe('crisis');
    expect(r.state?.step).toBe('danger');
    expect(r.state?.paused?.step).toBe(s.step);
    expect(text(r)).toContain('115');
    const back = step(r.state, say('quay lại'));
    expect(back.state?.flow).toBe('screening');
    expect(back.state?.step).toBe(s.step);
    expect(back.state?.offered).toEqual(s.offered);
  });

  it('a zero-width character does not hide a crisis', () => {
    const r = step(inScreening(), say('tôi muốn t\u200bự t\u200bử'));
    expect(r.state?.step).toBe('suicide');
  });

  it('a question gets its short answer, then the question again', () => {
    const s = inScreening();
    const r = step(s, say('có bị báo công an không?'));
    expect(r.state?.flow).toBe('screening');
    expect(r.state?.step).toBe(s.step);
    expect(r.messages[0]?.text).toContain('không ẩn danh');
    expect(r.state?.offered).toEqual(s.offered);
  });
});

describe('a model hint', () => {
  it('places a text the matcher could not', () => {
    const r = step(ready(), say('zzz qqq'), { intent: 'services' });
    expect(r.state?.flow).toBe('services');
  });
  it('ignores an intent that does not exist', () => {
    const r = step(ready(), say('zzz qqq'), { intent: 'nonsense' });
    expect(text(r)).toContain('chọn một mục dưới đây');
  });
  it('raises an alarm', () => {
    const r = step(ready(), say('zzz qqq'), { alarm: 'suicide' });
    expect(r.state?.step).toBe('suicide');
  });
  it('never lowers one', () => {
    const r = step(ready(), say('bạn tôi không thở'), { alarm: 'worry' });
    expect(r.state?.step).toBe('danger');
  });
});

describe('normalising', () => {
  it.each([
    ['worry gives way to a clear question', "I'm so worried, my son uses drugs what do i do", 'family'],
    ['teencode', 'ko mun song nua', 'crisis'],
    ['letters typed over and over', 'cứuuuuu', 'crisis'],
    ['soft hyphen and joiners inside words', 'muốn ch\u00adết\u200d', 'crisis'],
  ])('%s', (_name, t, flow) => {
    expect(step(ready('en'), say(t)).state?.flow).toBe(flow);
  });

  it('crisis guidance carries the numbers to call as tel: links', () => {
    const r = step(ready(), say('nó không thở'));
    expect(r.messages[0]?.links?.[0]?.url).toBe('tel:115');
  });
});

describe('pleas', () => {
  it('"help" opens urgent help; the /help command shows the menu', () => {
    expect(step(ready(), say('help')).state?.flow).toBe('crisis');
    expect(step(ready(), say('/help')).state?.flow).toBe('menu');
  });
});
