// Voluntary-treatment options: a list, then one short page per option (two phone-sized
// messages) with its legal sources, review date, and the plain statement that registering is
// not anonymous. Words and facts live in content/treatment.yaml.
import type { TreatmentOption } from '../content/schema/treatment.ts';
import { result } from './state.ts';
import { column, formatDay, msg, tr } from './text.ts';
import type { Choice, Flow, FlowState, OutboundMessage, StepContext, StepResult } from './types.ts';

const PREFIX = 'treat.';

function optionById(ctx: StepContext, id: unknown): TreatmentOption | undefined {
  if (typeof id !== 'string') return undefined;
  const bare = id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id;
  return ctx.content.treatment.options.find((o) => o.id === bare);
}

function exits(ctx: StepContext): Choice[] {
  const ui = ctx.content.ui;
  return [
    { id: 'menu.services', label: ui.menuServices[ctx.locale] },
    { id: 'menu.main', label: ui.backToMenu[ctx.locale] },
  ];
}

function list(state: FlowState, ctx: StepContext, before: OutboundMessage[] = []): StepResult {
  const t = ctx.content.treatment;
  const l = ctx.locale;
  const options = t.options.map((o) => ({ id: PREFIX + o.id, label: o.label[l] }));
  const text = tr(t.intro, l, { date: formatDay(t.reviewedOn, l) });
  return result({ ...state, flow: 'treatment', step: 'list', data: {} }, [...before, msg(text, column([...options, ...exits(ctx)]))]);
}

/** The two messages of one option's page; exported so tests can check every page's content. */
export function pageMessages(o: TreatmentOption, ctx: StepContext): [string, string] {
  const t = ctx.content.treatment;
  const l = ctx.locale;
  const lb = t.labels;
  const first = [
    `🏥 ${o.title[l]}`,
    o.whatItIs[l],
    `${lb.whoDecides[l]}: ${o.whoDecides[l]}`,
    `${lb.howLong[l]}: ${o.howLong[l]}`,
    `${lb.cost[l]}: ${o.cost[l]}`,
    `${lb.register[l]}: ${o.register[l]}`,
  ].join('\n\n');
  const second = [
    `${lb.privacy[l]} ${o.privacy[l]}\n${t.notAnonymous[l]}`,
    t.lawChange[l],
    `${lb.sources[l]}: ${o.sources.map((s) => s.title).join('; ')}`,
    `${lb.reviewedOn[l]}: ${formatDay(t.reviewedOn, l)}`,
  ].join('\n\n');
  return [first, second];
}

function page(state: FlowState, ctx: StepContext, o: TreatmentOption): StepResult {
  const l = ctx.locale;
  const [first, second] = pageMessages(o, ctx);
  const choices = [{ id: `${PREFIX}list`, label: ctx.content.treatment.labels.backToList[l] }, ...exits(ctx)];
  const links = o.sources.flatMap((s) => (s.url ? [{ label: s.title, url: s.url }] : []));
  const last = msg(second, column(choices));
  return result({ ...state, flow: 'treatment', step: 'option', data: { option: o.id } }, [
    msg(first),
    links.length ? { ...last, links } : last,
  ]);
}

export const treatmentFlow: Flow = {
  name: 'treatment',
  /** entry: an option id ('methadone' or 'treat.methadone') opens it; 'resume' re-shows where the person was. */
  enter(state, ctx, entry) {
    const o = entry === 'resume' ? (state.step === 'option' ? optionById(ctx, state.data['option']) : undefined) : optionById(ctx, entry);
    return o ? page(state, ctx, o) : list(state, ctx);
  },
  step(state, input, ctx) {
    if (input.kind === 'choice') {
      if (input.choice === `${PREFIX}list`) return list(state, ctx);
      const o = input.choice.startsWith(PREFIX) ? optionById(ctx, input.choice) : undefined;
      if (o) return page(state, ctx, o);
    }
    // Not understood: a short kind answer and the same choices again.
    const sorry = ctx.content.ui.unknownInput[ctx.locale];
    if (state.offered.length === 0) return list(state, ctx, [msg(sorry)]);
    return result(state, [msg(sorry, column(state.offered))]);
  },
};
