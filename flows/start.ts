// First contact: greeting, language, what is stored and what is not, explicit consent.
import { toMenu } from './menu.ts';
import { result } from './state.ts';
import { column, msg, tr } from './text.ts';
import type { Flow, FlowState, Locale, OutboundMessage, StepContext, StepResult } from './types.ts';

export const PLATFORM: Record<StepContext['platform'], Record<Locale, string>> = {
  telegram: { vi: 'Telegram', en: 'Telegram' },
  zalo: { vi: 'Zalo', en: 'Zalo' },
  web: { vi: 'Trình duyệt và nhà mạng của bạn', en: 'Your network provider (and your browser)' },
};

export function languageQuestion(ctx: StepContext): OutboundMessage {
  return msg(
    ctx.content.ui.chooseLanguage[ctx.locale],
    [[{ id: 'lang.vi', label: 'Tiếng Việt' }, { id: 'lang.en', label: 'English' }]],
  );
}

export function consentQuestion(ctx: StepContext, retentionDays: number): OutboundMessage[] {
  const ui = ctx.content.ui;
  const l = ctx.locale;
  return [
    msg(tr(ui.privacyNotice, l, { platform: PLATFORM[ctx.platform][l], retention: retentionDays })),
    msg(
      ui.consentQuestion[l],
      column([
        { id: 'consent.yes', label: ui.consentAgree[l] },
        { id: 'consent.no', label: ui.consentNotNow[l] },
        { id: 'consent.more', label: ui.consentMore[l] },
      ]),
    ),
  ];
}

/** Ask for consent; `then` says where to go after "yes" ('menu' or 'screening'). */
export function askConsent(state: FlowState, ctx: StepContext, then: 'menu' | 'screening', before: OutboundMessage[] = []): StepResult {
  return result({ ...state, flow: 'start', step: 'consent', data: { then } }, [...before, ...consentQuestion(ctx, ctx.retentionDays)]);
}

export const startFlow: Flow = {
  name: 'start',
  enter(state, ctx) {
    const ui = ctx.content.ui;
    if (state.locale === null) {
      return result({ ...state, flow: 'start', step: 'language', data: {} }, [msg(ui.welcome[ctx.locale]), languageQuestion(ctx)]);
    }
    if (!state.consentScreening) return askConsent(state, ctx, 'menu', [msg(ui.welcome[ctx.locale])]);
    return toMenu(state, ctx, [msg(ui.welcome[ctx.locale])]);
  },
  step(state, input, ctx) {
    const ui = ctx.content.ui;
    const l = ctx.locale;
    if (state.step === 'language') {
      // Language choices are handled by the router; anything else re-asks.
      return result(state, [msg(ui.unknownInput[l]), languageQuestion(ctx)]);
    }
    const choice = input.kind === 'choice' ? input.choice : null;
    const then = state.data['then'] === 'screening' ? 'screening' : 'menu';
    // 'consent.yes' is routed (it may lead into the screening, which this flow does not know).
    if (choice === 'consent.no') return toMenu(state, ctx, [msg(ui.consentDeclined[l])]);
    if (choice === 'consent.more') return askConsent(state, ctx, then, [msg(ui.consentMoreText[l])]);
    return askConsent(state, ctx, then, [msg(ui.unknownInput[l])]);
  },
};
