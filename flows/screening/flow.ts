// The self-screening flow: intro, age group, then WHO ASSIST (18+) or CRAFFT 2.1 (12-17), one
// question per message, then the result. The answers so far are the state; an input that is not
// an answer re-asks the same question and loses nothing.
import { result } from '../state.ts';
import { msg } from '../text.ts';
import type { Flow, FlowState, Input, OutboundMessage, StepContext, StepResult } from '../types.ts';
import { readData, type ScreeningData, writeData } from './data.ts';
import { nextQuestion, parseAnswer, type Question, questionMessage, stepOf, transitionBefore, UNDER_12 } from './questions.ts';
import { finish, nextMenu, reducePage } from './result.ts';
import { numberVars } from '../crisis.ts';
import { tr } from '../text.ts';

/** Ask the next question (with its part's introduction), or give the result when none is left. */
function proceed(state: FlowState, data: ScreeningData, ctx: StepContext, before: OutboundMessage[] = []): StepResult {
  const q = nextQuestion(ctx.content, data);
  if (!q) return finish(state, data, ctx, before);
  // CRAFFT Part A asks for a number of days: "1" typed there means one day, not the first button.
  const typedNumbers = q.kind === 'crafftA' ? ('answer' as const) : undefined;
  return result({ ...state, flow: 'screening', step: stepOf(q), data: writeData(data), typedNumbers }, [
    ...before,
    ...transitionBefore(q, data, ctx),
    questionMessage(q, ctx, data),
  ]);
}

function start(state: FlowState, ctx: StepContext): StepResult {
  const fresh: ScreeningData = { age: null, answers: {} };
  return proceed(state, fresh, ctx, [msg(ctx.content.screening.intro[ctx.locale])]);
}

function reask(state: FlowState, data: ScreeningData, q: Question, ctx: StepContext): StepResult {
  const typedNumbers = q.kind === 'crafftA' ? ('answer' as const) : undefined;
  return result({ ...state, flow: 'screening', step: stepOf(q), data: writeData(data), typedNumbers }, [
    msg(ctx.content.screening.notUnderstood[ctx.locale]),
    questionMessage(q, ctx, data),
  ]);
}

function answer(state: FlowState, input: Input, ctx: StepContext): StepResult {
  const data = readData(state.data);
  const q = nextQuestion(ctx.content, data);
  if (!q) return finish(state, data, ctx);
  const value = parseAnswer(q, input, ctx.content);
  if (value === null) return reask(state, data, q, ctx);
  if (q.kind === 'age' && value === UNDER_12) return underTwelve(state, ctx);
  if (q.kind === 'age') {
    const age = value as NonNullable<ScreeningData['age']>;
    const under16 = age === '12-15';
    // Under 16: nothing is stored beyond the anonymous result row (and it stays that way).
    if (!under16) return proceed(state, { age, answers: {} }, ctx);
    // What was kept before the age was known (consent, contact, today's log) goes now too.
    const r = proceed({ ...state, noStorage: true }, { age, answers: {} }, ctx, [msg(ctx.content.screening.age.under16[ctx.locale])]);
    return { ...r, effects: [{ type: 'erase' }, ...r.effects] };
  }
  return proceed(state, { ...data, answers: { ...data.answers, [q.key]: value } }, ctx);
}

/** Under 12: no questionnaire (CRAFFT is validated from 12), a kind page with the child line and
 * what a trusted adult can do; nothing kept, as for every child under 16. */
function underTwelve(state: FlowState, ctx: StepContext): StepResult {
  const page = msg(tr(ctx.content.screening.age.under12, ctx.locale, numberVars(ctx)));
  const r = result({ ...state, flow: 'menu', step: 'main', data: {}, noStorage: true }, [page, nextMenu(ctx, false)]);
  return { ...r, effects: [{ type: 'erase' }] };
}

function resume(state: FlowState, ctx: StepContext): StepResult {
  const data = readData(state.data);
  return proceed(state, data, ctx, [msg(ctx.content.screening.resumed[ctx.locale])]);
}

export const screeningFlow: Flow = {
  name: 'screening',
  /** entry: undefined starts afresh; 'resume' re-asks the current question; 'reduce' shows the
   * "ways to reduce risk" page (the REDUCE_CHOICE after a result). */
  enter(state, ctx, entry) {
    if (entry === 'resume') return resume(state, ctx);
    if (entry === 'reduce') return reducePage(state, ctx);
    return start(state, ctx);
  },
  step(state, input, ctx) {
    return answer(state, input, ctx);
  },
};
