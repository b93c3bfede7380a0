// The services directory: province → area → entries, from content/services.yaml. While that
// file is sample data, every list says so ("dữ liệu mẫu — hãy gọi trước để kiểm tra").
import type { District, Province, ServiceEntry } from '../content/schema/services.ts';
import { result } from './state.ts';
import { column, fold, msg, tr } from './text.ts';
import { formatDay } from './text.ts';
import type { Choice, Flow, FlowState, OutboundMessage, StepContext, StepResult } from './types.ts';

/** Choices per page before "More": a longer list is hard to scan on a phone or in Zalo. */
export const PAGE_SIZE = 8;
const MESSAGE_LIMIT = 1500;

type Step = 'provinces' | 'districts' | 'entries';
interface Data {
  province?: string;
  district?: string;
  page?: number;
}

function dataOf(state: FlowState): Data {
  const d = state.data;
  return {
    province: typeof d['province'] === 'string' ? d['province'] : undefined,
    district: typeof d['district'] === 'string' ? d['district'] : undefined,
    page: typeof d['page'] === 'number' ? d['page'] : 0,
  };
}

function at(state: FlowState, step: Step, data: Data): FlowState {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) clean[k] = v;
  return { ...state, flow: 'services', step, data: clean };
}

function findProvince(ctx: StepContext, id: string | undefined): Province | undefined {
  return ctx.content.services.provinces.find((p) => p.id === id);
}

/** One page of a long list, with "More" (which wraps to the start after the last page). */
function paged(items: Choice[], page: number, ctx: StepContext): { choices: Choice[]; page: number } {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const p = ((page % pages) + pages) % pages;
  const choices = items.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  if (pages > 1) {
    const t = ctx.content.services.texts;
    choices.push({ id: 'svc.more', label: (p < pages - 1 ? t.more : t.firstPage)[ctx.locale] });
  }
  return { choices, page: p };
}

function menuChoice(ctx: StepContext): Choice {
  return { id: 'menu.main', label: ctx.content.ui.backToMenu[ctx.locale] };
}

function sampleNote(ctx: StepContext): string[] {
  const s = ctx.content.services;
  return s.sample ? [s.sampleNote[ctx.locale]] : [];
}

function provinces(state: FlowState, ctx: StepContext, page = 0, before: OutboundMessage[] = []): StepResult {
  const l = ctx.locale;
  const items = ctx.content.services.provinces.map((p) => ({ id: `svc.p.${p.id}`, label: p.name[l] }));
  const pg = paged(items, page, ctx);
  const text = [...sampleNote(ctx), ctx.content.services.texts.chooseProvince[l]].join('\n\n');
  return result(at(state, 'provinces', { page: pg.page }), [...before, msg(text, column([...pg.choices, menuChoice(ctx)]))]);
}

function districts(state: FlowState, ctx: StepContext, p: Province, page = 0, before: OutboundMessage[] = []): StepResult {
  const l = ctx.locale;
  const t = ctx.content.services.texts;
  const items = p.districts.map((d) => ({ id: `svc.d.${p.id}.${d.id}`, label: d.name[l] }));
  const pg = paged(items, page, ctx);
  const choices = [...pg.choices, { id: 'svc.back', label: t.otherProvince[l] }, menuChoice(ctx)];
  return result(at(state, 'districts', { province: p.id, page: pg.page }), [
    ...before,
    msg(tr(t.chooseDistrict, l, { province: p.name[l] }), column(choices)),
  ]);
}

function entryBlock(e: ServiceEntry, ctx: StepContext): string {
  const s = ctx.content.services;
  const t = s.texts;
  const l = ctx.locale;
  const lines = [`• ${e.name[l]}`, `${t.type[l]}: ${s.types[e.type][l]}`, `${t.address[l]}: ${e.address[l]}`];
  if (e.phone) lines.push(`${t.phone[l]}: ${e.phone}`);
  lines.push(`${t.hours[l]}: ${e.hours[l]}`);
  if (e.notes) lines.push(`${t.notes[l]}: ${e.notes[l]}`);
  const day = formatDay(e.verifiedOn, l);
  lines.push(s.sample ? tr(t.sampleDate, l, { date: day }) : `${t.verifiedOn[l]}: ${day}`);
  return lines.join('\n');
}

/** Join blocks into as few messages as fit under the limit. */
function pack(blocks: string[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.length + 2 + b.length <= MESSAGE_LIMIT) out[last] += `\n\n${b}`;
    else out.push(b);
  }
  return out;
}

function entries(state: FlowState, ctx: StepContext, p: Province, d: District, before: OutboundMessage[] = []): StepResult {
  const l = ctx.locale;
  const t = ctx.content.services.texts;
  const title = tr(t.entriesTitle, l, { district: d.name[l], province: p.name[l] });
  const texts = pack([[title, ...sampleNote(ctx)].join('\n'), ...d.entries.map((e) => entryBlock(e, ctx))]);
  const choices = column([{ id: 'svc.back', label: t.otherDistrict[l] }, menuChoice(ctx)]);
  const messages = texts.map((text, i) => (i === texts.length - 1 ? msg(text, choices) : msg(text)));
  return result(at(state, 'entries', { province: p.id, district: d.id }), [...before, ...messages]);
}

/** Re-show where the person is (after "resume", or when the state has lost its place). */
function current(state: FlowState, ctx: StepContext, before: OutboundMessage[] = []): StepResult {
  const data = dataOf(state);
  const p = findProvince(ctx, data.province);
  const d = p?.districts.find((x) => x.id === data.district);
  if (p && d && state.step === 'entries') return entries(state, ctx, p, d, before);
  if (p && state.step !== 'provinces') return districts(state, ctx, p, data.page, before);
  return provinces(state, ctx, data.page, before);
}

/** A place typed by name, with or without diacritics ("ha noi", "Long Khánh", "hcm"). */
function findPlace(text: string, ctx: StepContext, inProvince?: Province): { p: Province; d?: District } | null {
  const q = fold(text);
  if (q.length < 2) return null;
  const keys = (name: { vi: string; en: string }, aliases: string[]) =>
    [name.vi, name.en, ...aliases].map((s) => fold(s.replace(/\(.*?\)/g, '')));
  const hit = (name: { vi: string; en: string }, aliases: string[]) =>
    keys(name, aliases).some((k) => k === q || k.startsWith(`${q} `));
  const unique = <T>(xs: T[]): T | null => (xs.length === 1 ? xs[0]! : null);
  const all = ctx.content.services.provinces;
  if (inProvince) {
    const d = unique(inProvince.districts.filter((x) => hit(x.name, x.aliases)));
    if (d) return { p: inProvince, d };
  }
  const p = unique(all.filter((x) => hit(x.name, x.aliases)));
  if (p) return { p };
  const ds = all.flatMap((x) => x.districts.filter((d) => hit(d.name, d.aliases)).map((d) => ({ p: x, d })));
  return unique(ds);
}

export const servicesFlow: Flow = {
  name: 'services',
  /** entry 'resume' re-shows where the person was; anything else starts at the province list. */
  enter(state, ctx, entry) {
    return entry === 'resume' ? current(state, ctx) : provinces(state, ctx);
  },
  step(state, input, ctx) {
    const data = dataOf(state);
    const p = findProvince(ctx, data.province);
    if (input.kind === 'choice') {
      const c = input.choice;
      if (c === 'svc.more') {
        if (state.step === 'districts' && p) return districts(state, ctx, p, (data.page ?? 0) + 1);
        if (state.step === 'provinces') return provinces(state, ctx, (data.page ?? 0) + 1);
      }
      if (c === 'svc.back') {
        if (state.step === 'entries' && p) return districts(state, ctx, p);
        return provinces(state, ctx);
      }
      if (c.startsWith('svc.p.')) {
        const chosen = findProvince(ctx, c.slice('svc.p.'.length));
        if (chosen) return districts(state, ctx, chosen);
      }
      if (c.startsWith('svc.d.')) {
        const [pid, did] = c.slice('svc.d.'.length).split('.');
        const chosen = findProvince(ctx, pid);
        const d = chosen?.districts.find((x) => x.id === did);
        if (chosen && d) return entries(state, ctx, chosen, d);
      }
    }
    if (input.kind === 'text') {
      const found = findPlace(input.text, ctx, p);
      if (found?.d) return entries(state, ctx, found.p, found.d);
      if (found) return districts(state, ctx, found.p);
    }
    // Not understood: a short kind answer and the same choices again.
    const l = ctx.locale;
    const sorry = input.kind === 'text' ? ctx.content.services.texts.notFound[l] : ctx.content.ui.unknownInput[l];
    if (state.offered.length === 0) return current(state, ctx, [msg(sorry)]);
    return result(state, [msg(sorry, column(state.offered))]);
  },
};
