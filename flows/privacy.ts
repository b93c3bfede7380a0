// What we hold about you, and erasure ("xóa dữ liệu", /delete) with confirmation.
import { toMenu } from './menu.ts';
import { PLATFORM } from './start.ts';
import { result } from './state.ts';
import { column, msg, tr } from './text.ts';
import type { Flow, FlowState, StepContext, StepResult } from './types.ts';

function overview(state: FlowState, ctx: StepContext): StepResult {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  // Under 16: exactly what is (not) kept, and nothing from before the age was known.
  if (state.noStorage) {
    const text = tr(ui.privacyUnder16, l, { platform: PLATFORM[ctx.platform][l] });
    return result({ ...state, flow: 'privacy', step: 'overview', data: {} }, [msg(text, column([{ id: 'menu.main', label: ui.backToMenu[l] }]))]);
  }
  const held = [ui.privacyNothingHeld[l]];
  if (state.consentScreening) held.push(ui.privacyHeldConsent[l]);
  if (state.paused) held.push(ui.privacyHeldPaused[l]);
  // Club membership and volunteering, when the engine loaded them for this page.
  const mine = ctx.clubs?.mine.length ?? 0;
  if (mine > 0) held.push(tr(ui.privacyHeldClubs, l, { count: mine }));
  const supports = ctx.clubs?.assignments.length ?? 0;
  if (supports > 0) held.push(tr(ui.privacyHeldVolunteer, l, { count: supports }));
  const choices = [{ id: 'privacy.erase', label: ui.privacyErase[l] }];
  if (state.consentScreening) choices.push({ id: 'privacy.withdraw', label: ui.withdrawConsent[l] });
  choices.push({ id: 'menu.main', label: ui.backToMenu[l] });
  let text = tr(ui.privacyWhatWeHold, l, { held: held.join('\n'), retention: ctx.retentionDays });
  // What a configured model receives (bot/ai).
  if (ctx.aiEnabled) text += `\n\n${ctx.content.intents.aiNotice[l]}`;
  return result({ ...state, flow: 'privacy', step: 'overview', data: {} }, [msg(text, column(choices))]);
}

export function confirmErase(state: FlowState, ctx: StepContext): StepResult {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  return result({ ...state, flow: 'privacy', step: 'confirm', data: {} }, [
    msg(ui.privacyEraseConfirm[l], column([
      { id: 'privacy.erase.yes', label: ui.privacyEraseYes[l] },
      { id: 'privacy.erase.no', label: ui.privacyEraseNo[l] },
    ])),
  ]);
}

export const privacyFlow: Flow = {
  name: 'privacy',
  enter: (state, ctx, entry) => (entry === 'erase' ? confirmErase(state, ctx) : overview(state, ctx)),
  step(state, input, ctx) {
    const ui = ctx.content.ui;
    const l = ctx.locale;
    const choice = input.kind === 'choice' ? input.choice : null;
    if (choice === 'privacy.erase') return confirmErase(state, ctx);
    if (choice === 'privacy.erase.yes') {
      // State null: the engine deletes the conversation row with everything else.
      return { state: null, messages: [msg(ui.privacyErased[l])], effects: [{ type: 'erase' }] };
    }
    if (choice === 'privacy.erase.no') return toMenu(state, ctx, [msg(ui.privacyEraseCancelled[l])]);
    if (choice === 'privacy.withdraw') {
      return toMenu({ ...state, consentScreening: false }, ctx, [msg(ui.consentWithdrawn[l])], [
        { type: 'consent', purpose: 'screening', granted: false },
      ]);
    }
    return state.step === 'confirm' ? confirmErase(state, ctx) : overview(state, ctx);
  },
};
