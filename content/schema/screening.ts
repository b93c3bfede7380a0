// Schema of content/screening.yaml: the words around the instruments: intro, age question,
// yes/no, re-asks, result messages (FRAMES), advice, the "ways to reduce risk" page and the
// menu after a result. The instruments' own wording lives in content/instruments/.
import { z } from 'zod';
import { IdSchema, TextSchema } from './common.ts';

const Words = z.array(z.string().regex(/^[a-z0-9 ]+$/, 'words are folded: lower case, no diacritics')).min(1);
const Answer = z.strictObject({ label: TextSchema, words: Words });

export const schema = z.strictObject({
  /** How long, anonymous, "dừng" and 24 hours, not a diagnosis. */
  intro: TextSchema,
  age: z.strictObject({
    question: TextSchema,
    options: z.strictObject({ 'under-12': TextSchema, '12-15': TextSchema, '16-17': TextSchema, '18+': TextSchema }),
    /** Said to 12-15: nothing is stored beyond the anonymous result row. */
    under16: TextSchema,
    /** Under 12 (below CRAFFT's validated range): no questionnaire; the child line ({child},
     * from content/emergency.yaml) and what a trusted adult can do. */
    under12: TextSchema,
  }),
  /** "Phần 1/2 · câu {n}/{total}"; `atMost` when later answers can still shorten part 2. */
  progress: z.strictObject({ exact: TextSchema, atMost: TextSchema }),
  yes: Answer,
  no: Answer,
  notUnderstood: TextSchema,
  resumed: TextSchema,
  result: z.strictObject({
    thanks: TextSchema,
    /** {instrument} */
    assistHeader: TextSchema,
    /** {substance} {score} {band} */
    scoreLine: TextSchema,
    bandNames: z.strictObject({ low: TextSchema, moderate: TextSchema, high: TextSchema }),
    /** {substances}: the classes in that band. */
    assistBands: z.strictObject({ low: TextSchema, moderate: TextSchema, high: TextSchema }),
    noneUsed: TextSchema,
    notDiagnosis: TextSchema,
    /** Responsibility, empathy, self-efficacy: after a moderate or high result. */
    support: TextSchema,
    /** Affirmation after low results only, when no illegal drug was used. */
    lowClosing: TextSchema,
    /** After low results that include an illegal drug: no praise, the legal risk said plainly. */
    lowLegalClosing: TextSchema,
    /** Low band for a class with `legalRisk`: {substances}. */
    assistLowIllegal: TextSchema,
    /** Moderate or high for a class with `legalRisk`: the legal risk said plainly, {substances}. */
    assistLegalRisk: TextSchema,
    /** What a formal assessment entails (the registration duty): before pointing to one. */
    formalFinding: TextSchema,
    /** {instrument} {score} */
    crafftHeader: TextSchema,
    /** noUse: no days in Part A; noUseCar: no use, but rode with a driver who had used;
     * usedNoSigns: some use, score 0 (any use still deserves brief advice). */
    crafftBands: z.strictObject({ noUse: TextSchema, noUseCar: TextSchema, usedNoSigns: TextSchema, low: TextSchema, positive: TextSchema }),
    /** CRAFFT 2.1+N Part C (HONC) {score}: any yes, or use with none. */
    nicotine: z.strictObject({ hooked: TextSchema, notHooked: TextSchema }),
    /** Added when the CAR answer is yes. */
    crafftCar: TextSchema,
    crafftClosing: TextSchema,
    /** Every result ends with the way to urgent help. */
    urgent: TextSchema,
    /** Joins the last two names of a list ("và", "and"). */
    and: TextSchema,
  }),
  advice: z.strictObject({
    /** Extra advice per ASSIST class id, given when that class is moderate or high. */
    bySubstance: z.record(IdSchema, TextSchema),
    /** Q8: injected, but not in the past 3 months. */
    injecting: TextSchema,
    /** Q8 follow-up, weekly or less: brief intervention and the injecting-risks card. */
    injectingWeekly: TextSchema,
    /** Q8 follow-up, more than weekly or 3+ days in a row: further assessment, more intensive treatment. */
    injectingFrequent: TextSchema,
    /** Added to every injecting advice: overdose risk and what to do ({ambulance}). */
    overdose: TextSchema,
  }),
  menu: z.strictObject({
    prompt: TextSchema,
    reduce: TextSchema,
    treatment: TextSchema,
    services: TextSchema,
    urgent: TextSchema,
    later: TextSchema,
  }),
  reduceRisk: TextSchema,
});
export type ScreeningContent = z.infer<typeof schema>;
