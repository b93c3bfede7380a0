// Schema of content/instruments/assist.yaml: WHO ASSIST v3.1, its wording, the points of every
// answer and the risk bands of every substance class. The points live in the YAML so a reviewer
// can check them against the WHO table; this schema makes sure they are complete and sane.
import { z } from 'zod';
import { IdSchema, SourceSchema, TextSchema } from './common.ts';

/** Answer ids the scoring relies on: Q2-Q5 ask "how often", Q6-Q8 ask "ever, and when". */
export const FREQUENCY = ['never', 'once-twice', 'monthly', 'weekly', 'daily'] as const;
export const EVER = ['no', 'recent', 'earlier'] as const;
export type FrequencyAnswer = (typeof FREQUENCY)[number];
export type EverAnswer = (typeof EVER)[number];
export const INJECT_FREQ = ['weekly-or-less', 'more-than-weekly'] as const;
export type InjectFrequency = (typeof INJECT_FREQ)[number];

const Points = z.int().min(0).max(10);

const AnswerSchema = z.strictObject({
  id: IdSchema,
  label: TextSchema,
  /** Extra typed words (folded: lower case, no diacritics) that mean this answer. */
  words: z.array(z.string().regex(/^[a-z0-9 ]+$/, 'words are folded: lower case, no diacritics')).default([]),
});
export type AssistAnswer = z.infer<typeof AnswerSchema>;

/** A scale whose answers are exactly `ids`, in that order. */
function scale<const T extends readonly string[]>(ids: T) {
  return z.array(AnswerSchema).refine(
    (a) => a.length === ids.length && a.every((x, i) => x.id === ids[i]),
    { message: `answers must be exactly ${ids.join(', ')}, in this order` },
  );
}

const FrequencyPoints = z
  .strictObject(Object.fromEntries(FREQUENCY.map((k) => [k, Points])) as Record<FrequencyAnswer, typeof Points>)
  .refine((p) => p.never === 0, { message: '"never" must score 0' })
  .refine((p) => FREQUENCY.every((k, i) => i === 0 || p[k] > p[FREQUENCY[i - 1]!]), {
    message: 'points must rise with frequency',
  });

const EverPoints = z
  .strictObject(Object.fromEntries(EVER.map((k) => [k, Points])) as Record<EverAnswer, typeof Points>)
  .refine((p) => p.no === 0, { message: '"no" must score 0' })
  .refine((p) => p.recent > p.earlier && p.earlier > 0, { message: 'expected recent > earlier > 0' });

const Scored = <P extends z.ZodType>(points: P) => z.strictObject({ text: TextSchema, points });

const ClassSchema = z
  .strictObject({
    id: IdSchema,
    /** The short name used inside questions and results ("rượu bia"). */
    name: TextSchema,
    /** A shorter name for lists in the result ("ma túy đá/thuốc lắc"). */
    short: TextSchema,
    /** Local and street names, shown with the "ever used" question. */
    examples: TextSchema,
    /** Q5 ("failed to do what was expected") is not asked for tobacco. */
    askQ5: z.boolean(),
    /** Any use is against the law in Vietnam (illegal drugs): a low score is never praised. */
    legalRisk: z.boolean(),
    /** Lowest score of each band; below `moderate` is low. */
    bands: z.strictObject({ moderate: z.int().min(1), high: z.int().min(2) }),
  })
  .refine((c) => c.bands.moderate < c.bands.high, { message: 'bands: moderate must be below high' });
export type AssistClass = z.infer<typeof ClassSchema>;

export const schema = z
  .strictObject({
    instrument: z.literal('ASSIST'),
    version: z.string().min(1),
    sources: z.array(SourceSchema).min(1),
    licence: z.strictObject({
      copyright: z.string().min(1),
      terms: z.string().min(1),
      /** For the people who deploy the bot, not for users. */
      deployerNote: z.string().min(1),
    }),
    /** Attribution shown to people when the questionnaire starts. */
    notice: TextSchema,
    intro: TextSchema,
    /** Shown before the first "past 3 months" question. */
    recentIntro: TextSchema,
    scales: z.strictObject({ frequency: scale(FREQUENCY), ever: scale(EVER) }),
    items: z.strictObject({
      /** {n}, {total}, {substance}, {examples} */
      q1: z.strictObject({ text: TextSchema }),
      q2: Scored(FrequencyPoints),
      q3: Scored(FrequencyPoints),
      q4: Scored(FrequencyPoints),
      q5: Scored(FrequencyPoints),
      q6: Scored(EverPoints),
      q7: Scored(EverPoints),
      /** Injection: not scored; any "yes" adds the injecting advice. */
      q8: z.strictObject({ text: TextSchema }),
      /** The WHO form's follow-up to Q8 "yes, in the past 3 months": how often. Weekly or less
       * → brief intervention and the injecting-risks card; more → further assessment. */
      q8freq: z.strictObject({ text: TextSchema, options: scale(INJECT_FREQ) }),
    }),
    classes: z.array(ClassSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.classes.forEach((k, i) => {
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `duplicate id "${k.id}"` });
      seen.add(k.id);
    });
  });
export type AssistContent = z.infer<typeof schema>;
export type AssistItem = keyof AssistContent['items'];
