// What we hold about you, and erasure ("xóa dữ liệu", /delete) with confirmation.
import { toMenu } from './menu.ts';
import { screeningFlow } from './screening/index.ts';
import { servicesFlow } from './services.ts';
import { PLATFORM } from './start.ts';
import { result } from './state.ts';
import { column, msg, tr } from './text.ts';
import { treatmentFlow } from './treatment.ts';
import type { Flow, FlowName, FlowState, StepContext, StepResult } from './types.ts';

/** Flows whose place "Không, giữ lại" returns to (the router's resumable flows). */
const RESUMABLE: Partial<Record<FlowName, Flow>> = { screening: screeningFlow, treatment: treatmentFlow, services: servicesFlow };

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
  return result({ ...state, flow: 'privacy', step: 'overview', data: { back: 'menu' } }, [msg(text, column(choices))]);
}

/** Answers given so far in a screening that is running or paused (read defensively). */
function unfinishedAnswers(state: FlowState): number {
  const data = state.flow === 'screening' ? state.data : state.paused?.flow === 'screening' ? state.paused.data : null;
  const answers = data?.['answers'];
  const n = answers && typeof answers === 'object' ? Object.keys(answers).length : 0;
  return n + (data?.['age'] ? 1 : 0);
}

/** Exactly what erasure removes for this person, one line each. */
function erasedItems(state: FlowState, ctx: StepContext): string {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  const items = [ui.privacyItemPlace[l]];
  if (state.consentScreening) items.push(ui.privacyHeldConsent[l]);
  const answers = unfinishedAnswers(state);
  if (answers > 0) items.push(tr(ui.privacyItemUnfinished, l, { count: answers }));
  else if (state.paused || RESUMABLE[state.flow]) items.push(ui.privacyHeldPaused[l]);
  const mine = ctx.clubs?.mine.length ?? 0;
  if (mine > 0) items.push(tr(ui.privacyHeldClubs, l, { count: mine }));
  const supports = ctx.clubs?.assignments.length ?? 0;
  if (supports > 0) items.push(tr(ui.privacyHeldVolunteer, l, { count: supports }));
  items.push(tr(ui.privacyItemLog, l, { retention: ctx.retentionDays }));
  if (ctx.platform === 'web') items.push(ui.privacyItemWeb[l]);
  return items.join('\n');
}

export function confirmErase(state: FlowState, ctx: StepContext): StepResult {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  // Where "Không, giữ lại" returns: a questionnaire in progress is kept as paused (so its
  // answers still expire after 24 hours), anything else returns to the menu.
  let next: FlowState = state;
  let back = 'menu';
  if (state.flow === 'privacy') back = state.data['back'] === 'paused' ? 'paused' : 'menu';
  else if (RESUMABLE[state.flow]) {
    next = { ...state, paused: { flow: state.flow, step: state.step, data: state.data, at: ctx.now.toISOString() } };
    back = 'paused';
  }
  return result({ ...next, flow: 'privacy', step: 'confirm', data: { back } }, [
    msg(tr(ui.privacyEraseConfirm, l, { items: erasedItems(next, ctx) }), column([
      { id: 'privacy.erase.yes', label: ui.privacyEraseYes[l] },
      { id: 'privacy.erase.no', label: ui.privacyEraseNo[l] },
    ])),
  ]);
}

/** "Không, giữ lại": nothing erased, and the person is back where they were. */
function keep(state: FlowState, ctx: StepContext): StepResult {
  const kept = [msg(ctx.content.ui.privacyEraseCancelled[ctx.locale])];
  const p = state.paused;
  const flow = p ? RESUMABLE[p.flow] : undefined;
  if (state.data['back'] === 'paused' && p && flow) {
    const r = flow.enter({ ...state, flow: p.flow, step: p.step, data: p.data, paused: undefined }, ctx, 'resume');
    return { ...r, messages: [...kept, ...r.messages] };
  }
  return toMenu(state, ctx, kept);
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
      return { state: null, messages: [msg(tr(ui.privacyErased, l, { items: erasedItems(state, ctx) }))], effects: [{ type: 'erase' }] };
    }
    if (choice === 'privacy.erase.no') return keep(state, ctx);
    if (choice === 'privacy.withdraw') {
      return toMenu({ ...state, consentScreening: false }, ctx, [msg(ui.consentWithdrawn[l])], [
        { type: 'consent', purpose: 'screening', granted: false },
      ]);
    }
    return state.step === 'confirm' ? confirmErase(state, ctx) : overview(state, ctx);
  },
};
