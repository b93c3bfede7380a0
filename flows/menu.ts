// The main menu: only what works. "Cần giúp ngay" is always on it (docs/architecture.md, "The path of one message").
import { result } from './state.ts';
import { column, msg } from './text.ts';
import type { Flow, FlowState, StepContext, StepResult } from './types.ts';

export function menuMessage(ctx: StepContext) {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  return msg(
    ui.menuTitle[l],
    column([
      { id: 'menu.screening', label: ui.menuScreening[l] },
      { id: 'menu.treatment', label: ui.menuTreatment[l] },
      { id: 'menu.services', label: ui.menuServices[l] },
      { id: 'menu.clubs', label: ctx.content.clubs.text.menuClubs[l] },
      { id: 'menu.family', label: ctx.content.family.menuLabel[l] },
      { id: 'menu.urgent', label: ui.menuUrgent[l] },
      { id: 'menu.privacy', label: ui.menuPrivacy[l] },
      { id: 'menu.language', label: ui.menuLanguage[l] },
    ]),
  );
}

/** Go to the main menu, optionally after some messages. */
export function toMenu(state: FlowState, ctx: StepContext, before: StepResult['messages'] = [], effects: StepResult['effects'] = []): StepResult {
  return result({ ...state, flow: 'menu', step: 'main', data: {} }, [...before, menuMessage(ctx)], effects);
}

export const menuFlow: Flow = {
  name: 'menu',
  enter: (state, ctx) => toMenu(state, ctx),
  // Menu choices themselves are routed by the router; anything else here is not understood.
  step: (state, _input, ctx) => toMenu(state, ctx, [msg(ctx.content.ui.unknownInput[ctx.locale])]),
};
