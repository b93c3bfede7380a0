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
    // Law 73/2021 was replaced by Law 120/2025 on 1 July 2026: it may appear only as history.
    for (const [where, text] of lawMentions(c)) {
      if (/73\/2021/.test(text) && !HISTORY.test(text)) {
        ctx.addIssue({ code: 'custom', path: where, message: 'Law 73/2021 is no longer in force: say so ("hết hiệu lực" / "no longer in force") or cite Law 120/2025' });
      }
    }
    const seen = new Set<string>();
    c.options.forEach((o, i) => {
      if (seen.has(o.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `duplicate id "${o.id}"` });
      seen.add(o.id);
    });
  });
export type TreatmentContent = z.infer<typeof schema>;

/** How a text marks a law as history. */
export const HISTORY = /hết hiệu lực|no longer in force/i;

/** Every text and source title people read, with where it is. */
export function lawMentions(c: { intro: unknown; notAnonymous: unknown; lawChange: unknown; options: TreatmentOption[] }): [PropertyKey[], string][] {
  const out: [PropertyKey[], string][] = [];
  const walk = (node: unknown, at: PropertyKey[]) => {
    if (typeof node === 'string') out.push([at, node]);
    else if (Array.isArray(node)) {
      for (const [i, x] of node.entries()) walk(x, [...at, i]);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (k !== 'url' && k !== 'id') walk(v, [...at, k]);
    }
  };
  walk({ intro: c.intro, notAnonymous: c.notAnonymous, lawChange: c.lawChange, options: c.options }, []);
  return out;
}
