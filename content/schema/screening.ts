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
    options: z.strictObject({ '12-15': TextSchema, '16-17': TextSchema, '18+': TextSchema }),
    /** Said to 12-15: nothing is stored beyond the anonymous result row. */
    under16: TextSchema,
  }),
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
    /** Affirmation after low results only. */
    lowClosing: TextSchema,
    /** {instrument} {score} */
    crafftHeader: TextSchema,
    crafftBands: z.strictObject({ noUse: TextSchema, none: TextSchema, low: TextSchema, positive: TextSchema }),
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
    injecting: TextSchema,
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
