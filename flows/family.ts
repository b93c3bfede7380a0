// For family members: a list of short pages (content/family.yaml) and, from each, the way to
// the treatment options, the services search or back to the list.
import { numberVars } from './crisis.ts';
import { result } from './state.ts';
import { column, msg, tr } from './text.ts';
import type { Choice, Flow, FlowState, StepContext, StepResult } from './types.ts';

const PREFIX = 'family.';

function list(state: FlowState, ctx: StepContext, before: StepResult['messages'] = []): StepResult {
  const f = ctx.content.family;
  const l = ctx.locale;
  const choices: Choice[] = f.pages.map((p) => ({ id: PREFIX + p.id, label: p.label[l] }));
  choices.push({ id: 'menu.main', label: ctx.content.ui.backToMenu[l] });
  return result({ ...state, flow: 'family', step: 'list', data: {} }, [...before, msg(f.intro[l], column(choices))]);
}

function page(state: FlowState, ctx: StepContext, id: string): StepResult | null {
  const f = ctx.content.family;
  const l = ctx.locale;
  const p = f.pages.find((x) => x.id === id);
  if (!p) return null;
  const ui = ctx.content.ui;
  const choices: Choice[] = [{ id: `${PREFIX}list`, label: f.backToFamily[l] }];
  if (id === 'treatment' || id === 'register' || id === 'choice') choices.push({ id: 'menu.treatment', label: ui.menuTreatment[l] });
  if (id === 'counselling' || id === 'talk') choices.push({ id: 'menu.services', label: ui.menuServices[l] });
  choices.push({ id: 'menu.main', label: ui.backToMenu[l] });
  return result({ ...state, flow: 'family', step: 'page', data: { page: id } }, [msg(tr(p.text, l, numberVars(ctx)), column(choices))]);
}

export const familyFlow: Flow = {
  name: 'family',
  /** entry: a page id opens it; anything else shows the list. */
  enter(state, ctx, entry) {
    return (entry && page(state, ctx, entry)) || list(state, ctx);
  },
  step(state, input, ctx) {
    if (input.kind === 'choice' && input.choice.startsWith(PREFIX)) {
      const id = input.choice.slice(PREFIX.length);
      if (id !== 'list') {
        const p = page(state, ctx, id);
        if (p) return p;
      }
    }
    return list(state, ctx);
  },
};
