// One conversational step for one person: the crisis check first, then words that work
// anywhere, then the current flow. Pure: the engine persists the state and carries out effects.
import { consoleLink } from './clubs/console.ts';
import { chooseClub, clubsFlow, fromCode, isClubChoice, stopAll } from './clubs/index.ts';
import { commandOf } from './commands.ts';
import { crisisFlow, readCrisisText } from './crisis.ts';
import { familyFlow } from './family.ts';
import { menuFlow, toMenu } from './menu.ts';
import { confirmErase, privacyFlow } from './privacy.ts';
import { screeningFlow } from './screening/index.ts';
import { servicesFlow } from './services.ts';
import { askConsent, languageQuestion, startFlow } from './start.ts';
import { newState, result } from './state.ts';
import { column, msg } from './text.ts';
import { treatmentFlow } from './treatment.ts';
import { ALARMS, type Alarm } from './understand/crisis-read.ts';
import { answerThenResume, goIntent, INTENT_CHOICE, suggest } from './understand/answer.ts';
import { readIntent } from './understand/intents.ts';
import { words } from './understand/normalise.ts';
import type { Flow, FlowName, FlowState, Input, Locale, OutboundMessage, StepContext, StepResult } from './types.ts';

export const RESUME_WINDOW_MS = 24 * 60 * 60 * 1000;

const FLOWS: Partial<Record<FlowName, Flow>> = {
  start: startFlow,
  menu: menuFlow,
  screening: screeningFlow,
  treatment: treatmentFlow,
  services: servicesFlow,
  crisis: crisisFlow,
  privacy: privacyFlow,
  clubs: clubsFlow,
  family: familyFlow,
};

/** Flows whose place is worth keeping when interrupted (by "dừng", a crisis, a sticker…). */
const RESUMABLE: ReadonlySet<FlowName> = new Set(['screening', 'treatment', 'services']);

function flowOf(name: FlowName): Flow {
  return FLOWS[name] ?? menuFlow;
}

/** Unfinished answers older than 24 hours are gone, whether paused or simply abandoned. */
function expireStale(state: FlowState, now: Date): { state: FlowState; expired: boolean } {
  let expired = false;
  let s = state;
  if (s.paused && now.getTime() - Date.parse(s.paused.at) > RESUME_WINDOW_MS) {
    s = { ...s, paused: undefined };
    expired = true;
  }
  if (s.flow === 'screening' && now.getTime() - Date.parse(s.updatedAt) > RESUME_WINDOW_MS) {
    s = { ...s, flow: 'menu', step: 'main', data: {} };
    expired = true;
  }
  return { state: s, expired };
}

function pauseCurrent(state: FlowState, now: Date): FlowState {
  if (!RESUMABLE.has(state.flow)) return state;
  return { ...state, paused: { flow: state.flow, step: state.step, data: state.data, at: now.toISOString() }, data: {} };
}

function resume(state: FlowState, ctx: StepContext): StepResult {
  const p = state.paused;
  if (!p) return toMenu(state, ctx);
  const restored: FlowState = { ...state, flow: p.flow, step: p.step, data: p.data, paused: undefined };
  return flowOf(p.flow).enter(restored, ctx, 'resume');
}

function startScreening(state: FlowState, ctx: StepContext, expired: boolean): StepResult {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  if (!state.consentScreening) return askConsent(state, ctx, 'screening', [msg(ui.consentNeeded[l])]);
  if (state.paused?.flow === 'screening') {
    return result({ ...state, flow: 'menu', step: 'resume', data: {} }, [
      msg(ui.resumeOffer[l], column([
        { id: 'resume.continue', label: ui.resumeContinue[l] },
        { id: 'resume.restart', label: ui.resumeRestart[l] },
      ])),
    ]);
  }
  const entered = screeningFlow.enter({ ...state, paused: undefined, data: {} }, ctx);
  return expired ? { ...entered, messages: [msg(ui.resumeExpired[l]), ...entered.messages] } : entered;
}

function setLanguage(state: FlowState, ctx: StepContext, locale: Locale): StepResult {
  const next = { ...state, locale };
  const c = { ...ctx, locale };
  // First contact: the language question is followed by the privacy notice and consent.
  if (state.flow === 'start' && state.step === 'language') return askConsent(next, c, 'menu');
  return toMenu(next, c, [msg(c.content.ui.languageChanged[locale])]);
}

function routeChoice(state: FlowState, choice: string, ctx: StepContext, expired: boolean): StepResult | null {
  switch (choice) {
    case 'lang.vi':
    case 'lang.en':
      return setLanguage(state, ctx, choice === 'lang.vi' ? 'vi' : 'en');
    case 'consent.yes': {
      const next = { ...state, consentScreening: true };
      const consent = { type: 'consent', purpose: 'screening', granted: true } as const;
      const r = state.data['then'] === 'screening' ? screeningFlow.enter({ ...next, data: {}, paused: undefined }, ctx) : toMenu(next, ctx);
      return { ...r, effects: [consent, ...r.effects] };
    }
    case 'menu.main':
      return toMenu(state, ctx);
    case 'menu.screening':
      return startScreening(state, ctx, expired);
    case 'menu.treatment':
      return treatmentFlow.enter({ ...state, data: {} }, ctx);
    case 'menu.services':
      return servicesFlow.enter({ ...state, data: {} }, ctx);
    case 'menu.urgent':
      return crisisFlow.enter({ ...state, flow: 'crisis', step: 'menu', data: {} }, ctx, 'menu');
    case 'menu.privacy':
      return privacyFlow.enter(state, ctx);
    case 'menu.language':
      return result({ ...state, flow: 'menu', step: 'language', data: {} }, [languageQuestion(ctx)]);
    case 'resume.continue':
    case 'crisis.back':
      return resume(state, ctx);
    case 'menu.reduce-risk':
      return screeningFlow.enter({ ...state, data: {} }, ctx, 'reduce');
    case 'resume.restart':
      return screeningFlow.enter({ ...state, paused: undefined, data: {} }, ctx);
    case 'menu.family':
      return familyFlow.enter({ ...state, data: {} }, ctx);
    default:
      // Suggested topics ("Có phải bạn muốn hỏi về…?") work from anywhere.
      if (choice.startsWith(INTENT_CHOICE)) return goIntent(state, choice.slice(INTENT_CHOICE.length), ctx, (s, c) => routeChoice(s, c, ctx, expired));
      // Club choices work from anywhere: a reminder's buttons arrive whatever the state.
      return isClubChoice(choice) ? chooseClub(state, choice, ctx) : null;
  }
}

function routeCommand(state: FlowState, text: string, ctx: StepContext, expired: boolean): StepResult | null {
  const ui = ctx.content.ui;
  switch (commandOf(text)) {
    case 'start':
      return startFlow.enter({ ...state, paused: state.paused }, ctx);
    case 'menu':
      return toMenu(state, ctx);
    case 'stop': {
      if (!RESUMABLE.has(state.flow)) {
        // Outside a questionnaire, "dừng" stops every club reminder and nudge at once.
        const stopped = stopAll(state, ctx);
        return toMenu(state, ctx, stopped.messages, stopped.effects);
      }
      return toMenu(pauseCurrent(state, ctx.now), ctx, [msg(ui.paused[ctx.locale])]);
    }
    case 'delete':
      return confirmErase(state, ctx);
    case 'language':
      return routeChoice(state, 'menu.language', ctx, expired);
    case 'privacy':
      return privacyFlow.enter(state, ctx);
    case 'urgent':
      return routeChoice(pauseCurrent(state, ctx.now), 'menu.urgent', ctx, expired);
    case 'console':
      return consoleLink(state, ctx);
    case null:
      return null;
  }
}

function mostUrgent(a: Alarm | null, b: Alarm | undefined): Alarm | null {
  if (!b) return a;
  if (!a) return b;
  return ALARMS.indexOf(a) <= ALARMS.indexOf(b) ? a : b;
}

/** The intent a text clearly names, locally or (when the matcher is unsure) by the model. */
function confidentIntent(text: string, ctx: StepContext): string | null {
  const local = readIntent(text, ctx.content).best?.id;
  if (local) return local;
  const hinted = ctx.understood?.intent;
  return hinted && ctx.content.intents.intents.some((i) => i.id === hinted) ? hinted : null;
}

/** "quay lại", "tiếp tục", "back": return to what a crisis or "dừng" interrupted. */
const BACK = new Set(['quay lai', 'tiep tuc', 'quay lai di', 'lam tiep', 'back', 'go back', 'continue', 'resume']);

/** Flows that read free text themselves, where only a clear question is taken from them. */
const READS_TEXT: ReadonlySet<FlowName> = new Set(['services', 'clubs', 'crisis', 'start']);

/** A typed message the current flow did not ask for: a question, a way back, or suggestions. */
function understand(state: FlowState, text: string, question: boolean, ctx: StepContext, expired: boolean): StepResult | null {
  if (state.paused && BACK.has(words(text).folded.join(' '))) return resume(state, ctx);
  if (state.flow === 'start') return null;
  const intent = question ? 'overdose' : confidentIntent(text, ctx);
  if (state.flow === 'screening') return intent ? answerThenResume(state, intent, ctx) : null;
  // An intent that leads only where the person already is (a province typed on the services
  // flow's own question reads as "find services") is the flow's to read.
  const here = READS_TEXT.has(state.flow) && ctx.content.intents.intents.find((i) => i.id === intent)?.go === `menu.${state.flow}`;
  if (intent && !here) return goIntent(state, intent, ctx, (s, c) => routeChoice(s, c, ctx, expired));
  if (READS_TEXT.has(state.flow)) return null;
  return suggest(state, text, ctx);
}

export function route(prev: FlowState | null, input: Input, ctx: StepContext): StepResult {
  const { state, expired } = expireStale(prev ?? newState(ctx.now), ctx.now);
  const ui = ctx.content.ui;
  const l = ctx.locale;

  // Safety first: every text is checked before any flow sees it.
  let question = false;
  if ((input.kind === 'text' || input.kind === 'unsupported') && input.text) {
    const reading = readCrisisText(input.text, ctx.content);
    question = reading.question;
    // "/help" is the platform's command for how to use the bot, not a plea.
    const plea = reading.alarm === 'help' && input.text.trim().startsWith('/') ? null : reading.alarm;
    const alarm = mostUrgent(plea, ctx.understood?.alarm);
    // Worry gives way to a question the person clearly asked ("I'm worried: my son uses drugs").
    const asked = alarm === 'worry' && input.kind === 'text' && state.locale !== null && confidentIntent(input.text, ctx);
    if (alarm && !asked) {
      const step = alarm === 'help' ? 'menu' : alarm;
      return crisisFlow.enter({ ...pauseCurrent(state, ctx.now), flow: 'crisis', step, data: {} }, ctx, step);
    }
  }

  const before: OutboundMessage[] = input.kind === 'text' && input.truncated ? [msg(ui.truncated[l])] : [];
  const prefix = (r: StepResult): StepResult => (before.length ? { ...r, messages: [...before, ...r.messages] } : r);

  // An invite or link code, brought by a deep link or sent as a message (flows/clubs/link.ts).
  const coded = input.kind === 'start' || input.kind === 'text' ? fromCode(pauseCurrent(state, ctx.now), input, ctx) : null;
  if (coded) return prefix(coded);

  switch (input.kind) {
    case 'start':
    case 'follow':
      return startFlow.enter(state, ctx);
    case 'unfollow':
      return { state, messages: [], effects: [] };
    case 'unsupported':
      if (state.locale === null) return startFlow.enter(state, ctx);
      return toMenu(pauseCurrent(state, ctx.now), ctx, [msg(ui.unsupported[l])]);
    case 'choice': {
      if (state.locale === null && !input.choice.startsWith('lang.')) return startFlow.enter(state, ctx);
      const routed = routeChoice(state, input.choice, ctx, expired);
      if (routed) return routed;
      break;
    }
    case 'text': {
      const routed = routeCommand(state, input.text, ctx, expired);
      if (routed) return prefix(routed);
      if (state.locale === null) return prefix(startFlow.enter(state, ctx));
      // A questionnaire that just expired says so first (below).
      const understood = expired ? null : understand(state, input.text, question, ctx, expired);
      if (understood) return prefix(understood);
      break;
    }
  }
  if (expired && state.flow === 'menu' && prev?.flow === 'screening') {
    return prefix(toMenu(state, ctx, [msg(ui.resumeExpired[l])]));
  }
  return prefix(flowOf(state.flow).step(state, input, ctx));
}
