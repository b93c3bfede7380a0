// The end of a questionnaire: the result in the FRAMES style (feedback, responsibility, advice,
// menu, empathy, self-efficacy), one anonymous result effect per scored row, and the menu of
// next steps. The answers are wiped here: nothing but the effects survives.
import type { Content } from '../../content/types.ts';
import { result } from '../state.ts';
import { column, msg, tr } from '../text.ts';
import { numberVars } from '../crisis.ts';
import type { AgeGroup, Choice, Effect, FlowState, Locale, OutboundMessage, StepContext, StepResult } from '../types.ts';
import { type AssistBand, type AssistClassResult, injected, scoreAssist } from './assist-score.ts';
import { anyUse, crafftBand, crafftScore, honcScore, usesNicotine } from './crafft-score.ts';
import type { ScreeningData } from './data.ts';

/** The choice that opens the "ways to reduce risk" page: the router sends it to enter(…, 'reduce'). */
export const REDUCE_CHOICE = 'menu.reduce-risk';

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}

/** "a", "a và b", "a, b và c" */
function joinNames(names: string[], content: Content, l: Locale): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${content.screening.result.and[l]} ${names.at(-1)}`;
}

/** The menu after a result (and after the reduce-risk page, without its own entry). */
export function nextMenu(ctx: StepContext, withReduce: boolean): OutboundMessage {
  const m = ctx.content.screening.menu;
  const l = ctx.locale;
  const choices: Choice[] = [
    ...(withReduce ? [{ id: REDUCE_CHOICE, label: m.reduce[l] }] : []),
    { id: 'menu.treatment', label: m.treatment[l] },
    { id: 'menu.services', label: m.services[l] },
    { id: 'menu.urgent', label: m.urgent[l] },
    { id: 'menu.main', label: m.later[l] },
  ];
  return msg(`${tr(ctx.content.screening.result.urgent, l, numberVars(ctx))}\n\n${m.prompt[l]}`, column(choices));
}

/** Leave the questionnaire: flow back to the menu, every answer gone. */
function done(state: FlowState, messages: OutboundMessage[], effects: Effect[]): StepResult {
  return result({ ...state, flow: 'menu', step: 'main', data: {} }, messages, effects);
}

function row(instrument: 'ASSIST' | 'CRAFFT', substance: string | null, score: number, band: string, ageGroup: AgeGroup): Effect {
  return { type: 'screeningResult', instrument, substance, score, band, ageGroup, province: null };
}

const BAND_ORDER: readonly AssistBand[] = ['high', 'moderate', 'low'];

function assistResult(state: FlowState, data: ScreeningData, ctx: StepContext): StepResult {
  const { content, locale: l } = ctx;
  const r = content.screening.result;
  const a = content.assist;
  const results = scoreAssist(a, data.answers);
  if (results.length === 0) {
    // Nobody used anything: one row (substance null, score 0, band "none") still counts the screening.
    return done(state, [msg(r.noneUsed[l]), nextMenu(ctx, true)], [row('ASSIST', null, 0, 'none', '18+')]);
  }
  const lines = results.map((x) => tr(r.scoreLine, l, { substance: capitalise(x.cls.name[l]), score: x.score, band: r.bandNames[x.band][l] }));
  const names = (xs: AssistClassResult[]) => joinNames(xs.map((x) => x.cls.short[l]), content, l);
  const bandTexts: string[] = [];
  for (const b of BAND_ORDER) {
    const inBand = results.filter((x) => x.band === b);
    if (b !== 'low') {
      if (inBand.length) bandTexts.push(tr(r.assistBands[b], l, { substances: names(inBand) }));
      continue;
    }
    // Moderate or high for an illegal drug: the legal risk, once, before the low band.
    const risky = results.filter((x) => x.band !== 'low' && x.cls.legalRisk);
    if (risky.length) bandTexts.push(tr(r.assistLegalRisk, l, { substances: names(risky) }));
    // A low score for an illegal drug is never praised: the legal risk is said plainly.
    const legal = inBand.filter((x) => !x.cls.legalRisk);
    const illegal = inBand.filter((x) => x.cls.legalRisk);
    if (legal.length) bandTexts.push(tr(r.assistBands.low, l, { substances: names(legal) }));
    if (illegal.length) bandTexts.push(tr(r.assistLowIllegal, l, { substances: names(illegal) }));
  }
  const feedback = [r.thanks[l], [tr(r.assistHeader, l, { instrument: `${a.instrument} ${a.version}` }), ...lines].join('\n'), ...bandTexts, r.notDiagnosis[l]];

  const concern = results.some((x) => x.band !== 'low');
  const anyIllegal = results.some((x) => x.cls.legalRisk);
  const advice = [concern ? r.support[l] : anyIllegal ? r.lowLegalClosing[l] : r.lowClosing[l], ...substanceAdvice(results, ctx)];
  const inject = injectingAdvice(data, ctx);
  advice.push(...inject.texts);
  // Before anyone is pointed to a formal assessment, they learn what it entails.
  const later = results.some((x) => x.band === 'high') || inject.frequent ? [r.formalFinding[l]] : [];

  const effects = results.map((x) => row('ASSIST', x.cls.id, x.score, x.band, '18+'));
  const messages = [msg(feedback.join('\n\n')), msg(advice.join('\n\n')), ...later.map((t) => msg(t)), nextMenu(ctx, true)];
  return done(state, messages, effects);
}

/** Q8 and the WHO form's follow-up: earlier injecting → testing; weekly or less → brief
 * intervention and the injecting-risks card; more → further assessment. Always the overdose warning. */
function injectingAdvice(data: ScreeningData, ctx: StepContext): { texts: string[]; frequent: boolean } {
  if (!injected(data.answers)) return { texts: [], frequent: false };
  const adv = ctx.content.screening.advice;
  const l = ctx.locale;
  const freq = data.answers['q8freq'];
  const frequent = data.answers['q8'] === 'recent' && freq === 'more-than-weekly';
  const main = data.answers['q8'] !== 'recent' ? adv.injecting : frequent ? adv.injectingFrequent : adv.injectingWeekly;
  return { texts: [main[l], tr(adv.overdose, l, numberVars(ctx))], frequent };
}

/** Class advice (e.g. methadone for opioids) for classes used lately or not at low risk. */
function substanceAdvice(results: AssistClassResult[], ctx: StepContext): string[] {
  const by = ctx.content.screening.advice.bySubstance;
  return results.filter((x) => (x.recent || x.band !== 'low') && by[x.cls.id]).map((x) => by[x.cls.id]![ctx.locale]);
}

function crafftResult(state: FlowState, data: ScreeningData, ctx: StepContext, ageGroup: AgeGroup): StepResult {
  const { content, locale: l } = ctx;
  const r = content.screening.result;
  const c = content.crafft;
  const score = crafftScore(c, data.answers);
  const band = crafftBand(c, score);
  const used = anyUse(c, data.answers);
  const car = data.answers['b.car'] === 'yes';
  // Any use deserves brief advice; not using deserves praise, even with the CAR point.
  const bandText = used ? (band === 'none' ? r.crafftBands.usedNoSigns : r.crafftBands[band]) : car ? r.crafftBands.noUseCar : r.crafftBands.noUse;
  const feedback = [r.thanks[l], tr(r.crafftHeader, l, { instrument: `${c.instrument} ${c.version}`, score }), bandText[l], r.notDiagnosis[l]];
  const effects: Effect[] = [row('CRAFFT', null, score, band, ageGroup)];
  if (usesNicotine(c, data.answers)) {
    const honc = honcScore(c, data.answers);
    feedback.splice(3, 0, tr(honc > 0 ? r.nicotine.hooked : r.nicotine.notHooked, l, { score: honc }));
    effects.push(row('CRAFFT', 'nicotine', honc, honc > 0 ? 'positive' : 'none', ageGroup));
  }
  const closing = [...(car ? [r.crafftCar[l]] : []), tr(r.crafftClosing, l, numberVars(ctx))];
  return done(state, [msg(feedback.join('\n\n')), msg(closing.join('\n\n')), nextMenu(ctx, true)], effects);
}

export function finish(state: FlowState, data: ScreeningData, ctx: StepContext, before: OutboundMessage[] = []): StepResult {
  const age = data.age ?? '18+';
  const r = age === '18+' ? assistResult(state, data, ctx) : crafftResult(state, data, ctx, age);
  return before.length ? { ...r, messages: [...before, ...r.messages] } : r;
}

/** The "ways to reduce risk" page, then the menu again. */
export function reducePage(state: FlowState, ctx: StepContext): StepResult {
  return done(state, [msg(tr(ctx.content.screening.reduceRisk, ctx.locale, numberVars(ctx))), nextMenu(ctx, false)], []);
}
