// Schema of content/emergency.yaml: emergency numbers (each with a source), crisis keywords in
// three tiers, and the guidance each tier shows. Numbers reach people only through this file:
// guidance texts name them as {id} placeholders and may not contain a phone number of their own.
import { z } from 'zod';
import { DaySchema, SourceSchema, TextSchema } from './common.ts';

/** Number ids double as {placeholders}, so they are plain words (no '-'). */
const NumberIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a number id like "ambulance"');

const EmergencyNumberSchema = z.strictObject({
  id: NumberIdSchema,
  /** As dialled and shown, digits and spaces only: "115", "096 306 1414". */
  number: z.string().regex(/^\d[\d ]*\d$/, 'expected digits and spaces'),
  name: TextSchema,
  hours: TextSchema,
  note: TextSchema.optional(),
  sources: z.array(SourceSchema).min(1, 'every number needs a source'),
});

/**
 * A keyword is a phrase matched on whole folded words (diacritics stripped). A phrase whose
 * unmarked spelling is also an everyday word ("tự tử" / "từ từ") lists those `homographs`: typed
 * with marks it must not be spelled like one of them; typed without marks it counts only inside
 * one of the `contexts` (not followed by a `notFollowedBy` word), or when it is the whole message
 * (`alone`).
 */
const GuardedKeywordSchema = z.strictObject({
  phrase: z.string().trim().min(1),
  homographs: z.array(z.string().trim().min(1)).min(1),
  contexts: z.array(z.string().trim().min(1)).default([]),
  notFollowedBy: z.array(z.string().trim().min(1)).default([]),
  alone: z.boolean().default(true),
});
const KeywordSchema = z.union([z.string().trim().min(1), GuardedKeywordSchema]);
export type Keyword = z.infer<typeof KeywordSchema>;

const GuidanceSchema = z.strictObject({
  messages: z.array(TextSchema).min(1),
});

const TIERS = ['danger', 'suicide', 'worry'] as const;

export const schema = z
  .strictObject({
    reviewedOn: DaySchema,
    numbers: z.array(EmergencyNumberSchema).min(1),
    /** Honest about what does not exist (no national drug-counselling hotline). */
    noHotline: TextSchema,
    keywords: z.strictObject({
      danger: z.array(KeywordSchema).min(1),
      suicide: z.array(KeywordSchema).min(1),
      worry: z.array(KeywordSchema).min(1),
    }),
    guidance: z.strictObject({
      danger: GuidanceSchema,
      suicide: GuidanceSchema,
      worry: GuidanceSchema,
      menu: GuidanceSchema,
    }),
    texts: z.strictObject({
      numbersTitle: TextSchema,
      source: TextSchema,
      stillHere: TextSchema,
      chooseDanger: TextSchema,
      chooseSuicide: TextSchema,
      chooseWorry: TextSchema,
      chooseNumbers: TextSchema,
      findService: TextSchema,
      back: TextSchema,
    }),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.numbers.forEach((n, i) => {
      if (ids.has(n.id)) ctx.addIssue({ code: 'custom', path: ['numbers', i, 'id'], message: `duplicate id "${n.id}"` });
      ids.add(n.id);
    });
    const texts: [PropertyKey[], string][] = [];
    for (const [tier, g] of Object.entries(c.guidance)) {
      g.messages.forEach((m, i) => {
        texts.push([['guidance', tier, 'messages', i, 'vi'], m.vi], [['guidance', tier, 'messages', i, 'en'], m.en]);
      });
    }
    for (const [key, t] of Object.entries(c.texts)) texts.push([['texts', key, 'vi'], t.vi], [['texts', key, 'en'], t.en]);
    texts.push([['noHotline', 'vi'], c.noHotline.vi], [['noHotline', 'en'], c.noHotline.en]);
    for (const [path, s] of texts) {
      for (const m of s.matchAll(/\{(\w+)\}/g)) {
        if (m[1] !== 'date' && !ids.has(m[1]!)) ctx.addIssue({ code: 'custom', path, message: `unknown number {${m[1]}}` });
      }
      // A number typed into a text would escape the sources check: use a {placeholder}.
      if (/\d{3}/.test(s.replace(/\{\w+\}/g, ''))) ctx.addIssue({ code: 'custom', path, message: 'write numbers as {id} placeholders' });
    }
    for (const tier of TIERS) {
      c.keywords[tier].forEach((k, i) => {
        if (typeof k === 'string') return;
        const words = (x: string) => x.split(/\s+/).length;
        if (k.homographs.some((h) => words(h) !== words(k.phrase))) {
          ctx.addIssue({ code: 'custom', path: ['keywords', tier, i, 'homographs'], message: `a homograph of "${k.phrase}" must have as many words` });
        }
        const bad = k.contexts.find((x) => !` ${x} `.includes(` ${k.phrase} `));
        if (bad) ctx.addIssue({ code: 'custom', path: ['keywords', tier, i, 'contexts'], message: `context "${bad}" must contain "${k.phrase}"` });
      });
    }
  });
export type EmergencyContent = z.infer<typeof schema>;
