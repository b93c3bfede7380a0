// The services directory: province → commune, ward or special zone → entries (no districts since
// 1 July 2025). Places come from content/places.json; a person may type a province by its name,
// with or without marks, or by a province merged into it in 2025 ("Bình Dương" → Thành phố Hồ
// Chí Minh, and they are told so). Entries come from the database (ctx.services); sample
// entries say so, and every entry shows the day it was last checked.
import type { ServiceType } from '../content/schema/services.ts';
import type { PlaceCommune, PlaceProvince } from '../content/schema/places.ts';
import { telUrl } from './phone.ts';
import { bareName, communeByCode, findCommunes, findProvinces, type ProvinceHit, provinceByCode } from './places.ts';
import { result } from './state.ts';
import { column, formatDay, msg, tr } from './text.ts';
import type { Choice, Flow, FlowState, OutboundMessage, StepContext, StepResult, Text } from './types.ts';

export interface DirectoryEntry {
  id: string;
  provinceCode: string;
  /** null: the entry serves the whole province. */
  communeCode: string | null;
  type: ServiceType;
  name: Text;
  address: Text;
  phone: string | null;
  hours: Text;
  notes: Text | null;
  /** YYYY-MM-DD */
  verifiedOn: string;
  sample: boolean;
}

export interface ServicesView {
  entries: DirectoryEntry[];
}

/** Choices per page before "More": a longer list is hard to scan on a phone or in Zalo. */
export const PAGE_SIZE = 8;
const MESSAGE_LIMIT = 1500;
/** The commune choice meaning "every entry in the province". */
const ALL = 'all';

type Step = 'provinces' | 'communes' | 'entries';
interface Data {
  province?: string;
  commune?: string;
  page?: number;
}

function dataOf(state: FlowState): Data {
  const d = state.data;
  return {
    province: typeof d['province'] === 'string' ? d['province'] : undefined,
    commune: typeof d['commune'] === 'string' ? d['commune'] : undefined,
    page: typeof d['page'] === 'number' ? d['page'] : 0,
  };
}

function at(state: FlowState, step: Step, data: Data): FlowState {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) clean[k] = v;
  return { ...state, flow: 'services', step, data: clean };
}

const entriesOf = (ctx: StepContext) => ctx.services?.entries ?? [];
const texts = (ctx: StepContext) => ctx.content.services.texts;
const menuChoice = (ctx: StepContext): Choice => ({ id: 'menu.main', label: ctx.content.ui.backToMenu[ctx.locale] });
const byName = (l: StepContext['locale']) => (a: { name: string }, b: { name: string }) => bareName(a.name).localeCompare(bareName(b.name), l);

/** One page of a long list, with "More" (which wraps to the start after the last page). */
function paged(items: Choice[], page: number, ctx: StepContext): { choices: Choice[]; page: number } {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const p = ((page % pages) + pages) % pages;
  const choices = items.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  if (pages > 1) choices.push({ id: 'svc.more', label: (p < pages - 1 ? texts(ctx).more : texts(ctx).firstPage)[ctx.locale] });
  return { choices, page: p };
}

function sampleNote(ctx: StepContext, entries: DirectoryEntry[]): string[] {
  return entries.some((e) => e.sample) ? [ctx.content.services.sampleNote[ctx.locale]] : [];
}

/** The provinces with at least one entry, as choices. */
function provinces(state: FlowState, ctx: StepContext, page = 0, before: OutboundMessage[] = []): StepResult {
  const places = ctx.content.places;
  const withEntries = new Set(entriesOf(ctx).map((e) => e.provinceCode));
  const items = places.provinces
    .filter((p) => withEntries.has(p.code))
    .sort(byName(ctx.locale))
    .map((p) => ({ id: `svc.p.${p.code}`, label: p.name }));
  const pg = paged(items, page, ctx);
  const text = [...sampleNote(ctx, entriesOf(ctx)), texts(ctx).chooseProvince[ctx.locale]].join('\n\n');
  return result(at(state, 'provinces', { page: pg.page }), [...before, msg(text, column([...pg.choices, menuChoice(ctx)]))]);
}

/** A province: its communes with entries, "everything in the province", or the entries at once
 * when they do not name a commune. */
function province(state: FlowState, ctx: StepContext, p: PlaceProvince, page = 0, before: OutboundMessage[] = []): StepResult {
  const l = ctx.locale;
  const t = texts(ctx);
  const here = entriesOf(ctx).filter((e) => e.provinceCode === p.code);
  if (here.length === 0) {
    const choices = column([{ id: 'svc.back', label: t.otherProvince[l] }, menuChoice(ctx)]);
    return result(at(state, 'communes', { province: p.code }), [...before, msg(tr(t.noServices, l, { place: p.name }), choices)]);
  }
  const codes = new Set(here.map((e) => e.communeCode).filter((c): c is string => c !== null));
  if (codes.size === 0) return entries(state, ctx, p, null, before);
  const items = p.communes
    .filter((c) => codes.has(c.code))
    .sort(byName(l))
    .map((c) => ({ id: `svc.c.${c.code}`, label: c.name }));
  const pg = paged(items, page, ctx);
  const choices = [...pg.choices, { id: `svc.c.${ALL}`, label: tr(t.allInProvince, l, { province: p.name }) }, { id: 'svc.back', label: t.otherProvince[l] }, menuChoice(ctx)];
  return result(at(state, 'communes', { province: p.code, page: pg.page }), [...before, msg(tr(t.chooseCommune, l, { province: p.name }), column(choices))]);
}

function entryBlock(e: DirectoryEntry, ctx: StepContext, places: Map<string, string>): string {
  const s = ctx.content.services;
  const t = s.texts;
  const l = ctx.locale;
  const lines = [`• ${e.name[l]}`, `${t.type[l]}: ${s.types[e.type][l]}`, `${t.address[l]}: ${e.address[l]}`];
  const where = e.communeCode ? places.get(e.communeCode) : undefined;
  if (where) lines[2] += ` (${where})`;
  if (e.phone) lines.push(`${t.phone[l]}: ${e.phone}`);
  lines.push(`${t.hours[l]}: ${e.hours[l]}`);
  if (e.notes) lines.push(`${t.notes[l]}: ${e.notes[l]}`);
  const day = formatDay(e.verifiedOn, l);
  lines.push(e.sample ? tr(t.sampleDate, l, { date: day }) : `${t.verifiedOn[l]}: ${day}`);
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

/** The entries of a commune (with those serving the whole province), or of the whole province. */
function entries(state: FlowState, ctx: StepContext, p: PlaceProvince, c: PlaceCommune | null, before: OutboundMessage[] = []): StepResult {
  const l = ctx.locale;
  const t = texts(ctx);
  const inProvince = entriesOf(ctx).filter((e) => e.provinceCode === p.code);
  let list = c ? inProvince.filter((e) => e.communeCode === c.code || e.communeCode === null) : inProvince;
  const lead: OutboundMessage[] = [];
  if (c && list.length === 0) {
    // Nothing in that commune: say so, and show the rest of the province.
    lead.push(msg(tr(t.noneInCommune, l, { commune: c.name, province: p.name })));
    list = inProvince;
  }
  if (list.length === 0) return province(state, ctx, p, 0, before);
  const names = new Map(p.communes.map((x) => [x.code, x.name]));
  const place = c && lead.length === 0 ? `${c.name}, ${p.name}` : p.name;
  const sorted = [...list].sort((a, b) => (names.get(a.communeCode ?? '') ?? '').localeCompare(names.get(b.communeCode ?? '') ?? '', l) || a.name[l].localeCompare(b.name[l], l));
  const blocks = pack([[tr(t.entriesTitle, l, { place }), ...sampleNote(ctx, sorted)].join('\n'), ...sorted.map((e) => entryBlock(e, ctx, names))]);
  const choices = column([{ id: 'svc.back', label: t.otherCommune[l] }, { id: 'svc.province', label: t.otherProvince[l] }, menuChoice(ctx)]);
  // Every phone number also as a tappable link (tel:), on the last message.
  const links = sorted.flatMap((e) => {
    const url = e.phone ? telUrl(e.phone) : null;
    return url ? [{ label: `${t.call[l]} ${e.name[l]}: ${e.phone}`, url }] : [];
  });
  const messages = blocks.map((text, i) => {
    if (i < blocks.length - 1) return msg(text);
    const m = msg(text, choices);
    return links.length ? { ...m, links } : m;
  });
  return result(at(state, 'entries', { province: p.code, commune: c && lead.length === 0 ? c.code : ALL }), [...before, ...lead, ...messages]);
}

/** Re-show where the person is (after "resume", or when the state has lost its place). */
function current(state: FlowState, ctx: StepContext, before: OutboundMessage[] = []): StepResult {
  const data = dataOf(state);
  const p = provinceByCode(ctx.content.places, data.province);
  if (p && state.step === 'entries') return entries(state, ctx, p, communeByCode(p, data.commune) ?? null, before);
  if (p && state.step === 'communes') return province(state, ctx, p, data.page, before);
  return provinces(state, ctx, data.page, before);
}

function formerlyNote(hit: ProvinceHit, ctx: StepContext): OutboundMessage[] {
  return hit.formerly ? [msg(tr(texts(ctx).formerly, ctx.locale, { former: hit.formerly, province: hit.province.name }))] : [];
}

/** A typed place: a commune of the current province first, then a province (or a former one). */
function typed(state: FlowState, ctx: StepContext, text: string): StepResult | null {
  const data = dataOf(state);
  const here = provinceByCode(ctx.content.places, data.province);
  if (here && state.step !== 'provinces') {
    const cs = findCommunes(here, text);
    if (cs.length === 1) return entries(state, ctx, here, cs[0]!);
  }
  const hits = findProvinces(ctx.content.places, text);
  if (hits.length === 1) return province(state, ctx, hits[0]!.province, 0, formerlyNote(hits[0]!, ctx));
  if (hits.length > 1) {
    const choices = hits.map((h) => ({ id: `svc.p.${h.province.code}`, label: h.formerly ? `${h.province.name} (${h.formerly})` : h.province.name }));
    return result(at(state, 'provinces', {}), [msg(texts(ctx).pickOne[ctx.locale], column([...choices, menuChoice(ctx)]))]);
  }
  if (here && state.step !== 'provinces') {
    const cs = findCommunes(here, text);
    if (cs.length > 1) {
      const choices = cs.slice(0, PAGE_SIZE).map((c) => ({ id: `svc.c.${c.code}`, label: c.name }));
      return result(at(state, 'communes', { province: here.code }), [msg(texts(ctx).pickOne[ctx.locale], column([...choices, menuChoice(ctx)]))]);
    }
  }
  return null;
}

export const servicesFlow: Flow = {
  name: 'services',
  /** entry 'resume' re-shows where the person was; anything else starts at the province list. */
  enter(state, ctx, entry) {
    return entry === 'resume' ? current(state, ctx) : provinces(state, ctx);
  },
  step(state, input, ctx) {
    const data = dataOf(state);
    const p = provinceByCode(ctx.content.places, data.province);
    if (input.kind === 'choice') {
      const c = input.choice;
      if (c === 'svc.more') {
        if (state.step === 'communes' && p) return province(state, ctx, p, (data.page ?? 0) + 1);
        if (state.step === 'provinces') return provinces(state, ctx, (data.page ?? 0) + 1);
      }
      if (c === 'svc.back') {
        if (state.step === 'entries' && p) return province(state, ctx, p);
        return provinces(state, ctx);
      }
      if (c === 'svc.province') return provinces(state, ctx);
      if (c.startsWith('svc.p.')) {
        const chosen = provinceByCode(ctx.content.places, c.slice('svc.p.'.length));
        if (chosen) return province(state, ctx, chosen);
      }
      if (c.startsWith('svc.c.') && p) {
        const code = c.slice('svc.c.'.length);
        if (code === ALL) return entries(state, ctx, p, null);
        const commune = communeByCode(p, code);
        if (commune) return entries(state, ctx, p, commune);
      }
    }
    if (input.kind === 'text') {
      const found = typed(state, ctx, input.text);
      if (found) return found;
    }
    // Not understood: a short kind answer and the same choices again.
    const l = ctx.locale;
    const sorry = input.kind === 'text' ? texts(ctx).notFound[l] : ctx.content.ui.unknownInput[l];
    if (state.offered.length === 0) return current(state, ctx, [msg(sorry)]);
    return result(state, [msg(sorry, column(state.offered))]);
  },
};
