// Schema of content/instruments/crafft.yaml: CRAFFT 2.1 (ages 12-17), its wording, the day
// buckets of Part A, the points of Part B and the score bands.
import { z } from 'zod';
import { IdSchema, SourceSchema, TextSchema } from './common.ts';

const Words = z.array(z.string().regex(/^[a-z0-9 ]+$/, 'words are folded: lower case, no diacritics')).default([]);

const ItemSchema = z.strictObject({ id: IdSchema, text: TextSchema });

/** A Part A button: typed day counts map to the bucket with the largest `min` not above them. */
const DaysSchema = z.strictObject({ id: IdSchema, min: z.int().min(0), label: TextSchema, words: Words });

export const schema = z
  .strictObject({
    instrument: z.literal('CRAFFT'),
    version: z.string().min(1),
    sources: z.array(SourceSchema).min(1),
    licence: z.strictObject({ copyright: z.string().min(1), terms: z.string().min(1) }),
    /** The copyright notice the licence asks for, shown when the questionnaire starts. */
    notice: TextSchema,
    intro: TextSchema,
    partA: z.strictObject({
      /** How to answer, shown under every Part A question and when re-asking. */
      hint: TextSchema,
      days: z.array(DaysSchema).min(2),
      /** Alcohol, cannabis, anything else: any day above 0 opens all of Part B. */
      items: z.array(ItemSchema).min(1),
      /** CRAFFT 2.1+N item 4, nicotine and vaping: above 0 opens Part C. */
      nicotine: ItemSchema,
    }),
    partB: z.strictObject({
      intro: TextSchema,
      /** The first item is CAR: the only one asked when every Part A answer is 0. */
      items: z.array(ItemSchema).min(1),
      points: z.strictObject({ yes: z.int().min(0).max(1), no: z.int().min(0).max(1) }),
    }),
    /** CRAFFT 2.1+N: the Hooked on Nicotine Checklist (HONC), asked when the nicotine item is
     * above 0 days; any yes means lost full autonomy over nicotine. */
    partC: z.strictObject({
      intro: TextSchema,
      sources: z.array(SourceSchema).min(1),
      items: z.array(ItemSchema).length(10),
    }),
    /** Lowest total of each band; below `low` is "none". */
    bands: z.strictObject({ low: z.int().min(1), positive: z.int().min(1) }),
  })
  .superRefine((c, ctx) => {
    const days = c.partA.days;
    if (days[0]?.min !== 0) ctx.addIssue({ code: 'custom', path: ['partA', 'days', 0, 'min'], message: 'the first bucket must start at 0 days' });
    days.forEach((d, i) => {
      if (i > 0 && d.min <= days[i - 1]!.min) ctx.addIssue({ code: 'custom', path: ['partA', 'days', i, 'min'], message: 'buckets must rise' });
    });
    if (c.partB.items[0]?.id !== 'car') ctx.addIssue({ code: 'custom', path: ['partB', 'items', 0, 'id'], message: 'the first Part B item must be "car"' });
    if (c.partB.points.yes !== 1 || c.partB.points.no !== 0) ctx.addIssue({ code: 'custom', path: ['partB', 'points'], message: 'CRAFFT scores yes 1, no 0' });
    if (c.bands.low >= c.bands.positive) ctx.addIssue({ code: 'custom', path: ['bands'], message: 'low must be below positive' });
    for (const [key, list] of [['partA', [...c.partA.items, c.partA.nicotine]], ['partB', c.partB.items], ['partC', c.partC.items]] as const) {
      const seen = new Set<string>();
      list.forEach((it, i) => {
        if (seen.has(it.id)) ctx.addIssue({ code: 'custom', path: [key, 'items', i, 'id'], message: `duplicate id "${it.id}"` });
        seen.add(it.id);
      });
    }
  });
export type CrafftContent = z.infer<typeof schema>;
