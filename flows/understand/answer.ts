// What the bot does with a typed message no flow asked for: take the person to the intent it
// clearly names (content/intents.yaml), answer a question in the middle of a questionnaire and
// ask its question again, or offer the two or three likeliest topics ("Có phải bạn muốn hỏi
// về…?"). Pure: the router supplies `go`, which routes a menu choice.
import type { Intent } from '../../content/schema/intents.ts';
import { numberVars } from '../crisis.ts';
import { familyFlow } from '../family.ts';
import { toMenu } from '../menu.ts';
import { screeningFlow } from '../screening/index.ts';
import { result } from '../state.ts';
import { column, msg, tr } from '../text.ts';
import { treatmentFlow } from '../treatment.ts';
import type { Choice, FlowState, OutboundMessage, StepContext, StepResult } from '../types.ts';
import { readIntent, SUGGEST } from './intents.ts';

/** Routes a menu choice such as 'menu.services' (the router's own switch). */
export type Go = (state: FlowState, choice: string) => StepResult | null;

export const INTENT_CHOICE = 'intent.';

function intentOf(ctx: StepContext, id: string): Intent | undefined {
  return ctx.content.intents.intents.find((i) => i.id === id);
}

function withBefore(r: StepResult, before: OutboundMessage[]): StepResult {
  return before.length ? { ...r, messages: [...before, ...r.messages] } : r;
}

/** Take the person where the intent leads, after its answer if it has one. */
export function goIntent(state: FlowState, id: string, ctx: StepContext, go: Go): StepResult | null {
  const intent = intentOf(ctx, id);
  if (!intent) return null;
  const l = ctx.locale;
  const before = intent.answer ? [msg(tr(intent.answer, l, numberVars(ctx)))] : [];
  const fresh = { ...state, data: {} };
  if (intent.go) {
    let r: StepResult | null;
    if (intent.go === 'family') r = familyFlow.enter(fresh, ctx);
    else if (intent.go.startsWith('treat.')) r = treatmentFlow.enter(fresh, ctx, intent.go);
    else r = go(state, intent.go);
    return r ? withBefore(r, before) : null;
  }
  if (intent.next.length === 0) return toMenu(state, ctx, before);
  const choices: Choice[] = intent.next.flatMap((n) => {
    const i = intentOf(ctx, n);
    return i ? [{ id: INTENT_CHOICE + i.id, label: i.label[l] }] : [];
  });
  choices.push({ id: 'menu.main', label: ctx.content.ui.backToMenu[l] });
  return result({ ...state, flow: 'menu', step: 'answer', data: {} }, [msg(before[0]?.text ?? '', column(choices))]);
}

/** Mid-questionnaire: the short answer, then the questionnaire's question again. */
export function answerThenResume(state: FlowState, id: string, ctx: StepContext): StepResult | null {
  const intent = intentOf(ctx, id);
  if (!intent) return null;
  const resumed = screeningFlow.enter(state, ctx, 'resume');
  return withBefore(resumed, [msg(tr(intent.short, ctx.locale, numberVars(ctx)))]);
}

/** Not sure: the likeliest topics as buttons, or the usual ones; never a bare "not understood". */
export function suggest(state: FlowState, text: string, ctx: StepContext): StepResult {
  const t = ctx.content.intents;
  const l = ctx.locale;
  const likely = readIntent(text, ctx.content)
    .ranked.filter((m) => m.score >= SUGGEST)
    .slice(0, 3)
    .map((m) => m.id);
  // Nothing close: the whole menu, after a line that says so.
  if (likely.length === 0) return toMenu(state, ctx, [msg(t.fallbackTitle[l])]);
  const choices: Choice[] = likely.flatMap((id) => {
    const i = intentOf(ctx, id);
    return i ? [{ id: INTENT_CHOICE + i.id, label: i.label[l] }] : [];
  });
  choices.push({ id: 'menu.main', label: ctx.content.ui.backToMenu[l] });
  return result({ ...state, flow: 'menu', step: 'suggest', data: {} }, [msg(t.suggestTitle[l], column(choices))]);
}
