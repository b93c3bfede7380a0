// Moving a web membership to Zalo or Telegram (docs/architecture.md, "Link codes"). The web
// cannot reach anyone once the page is closed, so a web member is offered a one-time code; sent
// from a chat (typed, or as Telegram's "/start <code>"), it moves their club memberships, and
// only those, to that chat identity, which then gets reminders. Pure: the code is made and
// looked up by the engine (ctx.clubs.newLink, ctx.clubs.link); effects store, use or count it.
import { result } from '../state.ts';
import { column, msg, tr } from '../text.ts';
import type { Choice, FlowState, OutboundMessage, StepContext, StepResult } from '../types.ts';
import { showLinkCode } from './codes.ts';

/** The choice a web member taps to get a code. */
export const LINK_CHOICE = 'clubs.move';

const T = (ctx: StepContext) => ctx.content.clubs.text;

function home(state: FlowState, messages: OutboundMessage[], effects: StepResult['effects'] = []): StepResult {
  return result({ ...state, flow: 'clubs', step: 'home', data: {} }, messages, effects);
}

/** On the web: a fresh code, how to send it on each configured channel, and what moves. */
export function offerLink(state: FlowState, ctx: StepContext): StepResult {
  const t = T(ctx);
  const l = ctx.locale;
  const back: Choice[] = [{ id: 'clubs.mine', label: t.myClubs[l] }, { id: 'menu.main', label: t.back[l] }];
  const link = ctx.clubs?.newLink;
  if (!link || (!link.telegram && !link.zalo)) return home(state, [msg(t.linkNoChannel[l], column(back))]);
  const code = showLinkCode(link.code);
  const lines = [tr(t.linkCode, l, { code, minutes: link.minutes })];
  const links: NonNullable<OutboundMessage['links']> = [];
  if (link.telegram) {
    lines.push(tr(t.linkViaTelegram, l, { code: link.code }));
    if (link.telegram.url) links.push({ label: t.linkOpenTelegram[l], url: link.telegram.url });
  }
  if (link.zalo) {
    lines.push(tr(t.linkViaZalo, l, { code }));
    if (link.zalo.url) links.push({ label: t.linkOpenZalo[l], url: link.zalo.url });
  }
  const codeMessage: OutboundMessage = { text: lines.join('\n'), ...(links.length ? { links } : {}) };
  return home(state, [codeMessage, msg(t.linkWhatMoves[l], column(back))], [{ type: 'linkCreate', hash: link.hash }]);
}

/** In a chat: a link code was sent. Moves the memberships, or says kindly why not. */
export function redeemLink(state: FlowState, ctx: StepContext): StepResult {
  const t = T(ctx);
  const l = ctx.locale;
  // Someone's first message may be the code itself: greet them, in the language their app uses.
  const fresh = state.locale === null;
  const s: FlowState = fresh ? { ...state, locale: l } : state;
  const before = fresh ? [msg(ctx.content.ui.welcome[l])] : [];
  const next: Choice[] = [{ id: 'clubs.mine', label: t.myClubs[l] }, { id: 'menu.main', label: ctx.content.ui.backToMenu[l] }];
  const link = ctx.clubs?.link;
  if (link?.status === 'blocked') return home(s, [...before, msg(t.linkBlocked[l], column(next.slice(1)))]);
  if (link?.status !== 'ok') return home(s, [...before, msg(t.linkWrong[l], column(next.slice(1)))], [{ type: 'linkFailed' }]);
  const names = link.clubIds.map((id) => ctx.clubs?.clubs.find((c) => c.id === id)?.name ?? id);
  const words = names.length ? tr(t.linkMoved, l, { clubs: names.join(', ') }) : t.linkNothing[l];
  return home(s, [...before, msg(words, column(names.length ? next : next.slice(1)))], [{ type: 'linkRedeem', hash: link.hash }]);
}
