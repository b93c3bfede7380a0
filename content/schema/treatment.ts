// Schema of content/treatment.yaml: the voluntary-treatment options, each a short page with its
// legal sources and review date. Every page must say plainly that registering is not anonymous.
import { z } from 'zod';
import { DaySchema, IdSchema, SourceSchema, TextSchema } from './common.ts';

const OptionSchema = z.strictObject({
  id: IdSchema,
  /** The button label: short, with an emoji. */
  label: TextSchema,
  title: TextSchema,
  whatItIs: TextSchema,
  whoDecides: TextSchema,
  howLong: TextSchema,
  cost: TextSchema,
  register: TextSchema,
  /** What this option records and who sees it; the shared `notAnonymous` line follows it. */
  privacy: TextSchema,
  sources: z.array(SourceSchema).min(1, 'every page cites its legal source'),
});
export type TreatmentOption = z.infer<typeof OptionSchema>;

export const schema = z
  .strictObject({
    reviewedOn: DaySchema,
    intro: TextSchema,
    notAnonymous: TextSchema,
    lawChange: TextSchema,
    labels: z.strictObject({
      whoDecides: TextSchema,
      howLong: TextSchema,
      cost: TextSchema,
      register: TextSchema,
      privacy: TextSchema,
      sources: TextSchema,
      reviewedOn: TextSchema,
      backToList: TextSchema,
    }),
    options: z.array(OptionSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.options.forEach((o, i) => {
      if (seen.has(o.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `duplicate id "${o.id}"` });
      seen.add(o.id);
    });
  });
export type TreatmentContent = z.infer<typeof schema>;
