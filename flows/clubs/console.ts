// "quản lý câu lạc bộ" / "/console": a coordinator gets a one-time sign-in link to their club's
// console (valid 10 minutes, single use); anyone else gets a kind word on who the console is for.
// Pure: the tokens come in through ctx.clubs.console; storing them is the consoleLink effect.
import { toMenu } from '../menu.ts';
import { msg, tr } from '../text.ts';
import type { Effect, FlowState, OutboundMessage, StepContext, StepResult } from '../types.ts';

export function consoleLink(state: FlowState, ctx: StepContext): StepResult {
  const t = ctx.content.clubs.text;
  const l = ctx.locale;
  const clubs = ctx.clubs;
  const boards = (clubs?.mine ?? []).filter((m) => m.role === 'coordinator');
  if (!boards.length) return toMenu(state, ctx, [msg(t.consoleNotBoard[l])]);
  const c = clubs?.console;
  if (!c || c.tokens.length < Math.min(boards.length, 3)) return toMenu(state, ctx, [msg(t.consoleUnavailable[l])]);
  const messages: OutboundMessage[] = [];
  const effects: Effect[] = [];
  boards.slice(0, 3).forEach((b, i) => {
    const name = clubs?.clubs.find((x) => x.id === b.clubId)?.name ?? b.clubId;
    const token = c.tokens[i]!;
    messages.push({ text: tr(t.consoleLink, l, { club: name }), links: [{ label: tr(t.consoleOpen, l, { club: name }), url: `${c.baseUrl}/console/in/${token}` }] });
    effects.push({ type: 'consoleLink', clubId: b.clubId, token });
  });
  return { state: { ...state }, messages, effects };
}
