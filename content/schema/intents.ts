// Schema of content/intents.yaml: the questions people type, where each leads, and the words
// said on the way. Every `go` must be somewhere the router knows; every `next` an intent here.
import { z } from 'zod';
import { IdSchema, TextSchema } from './common.ts';

/** Where an intent may lead: menu choices, a treatment page, or the family path. */
export const GO_TARGETS = ['menu.treatment', 'menu.services', 'menu.screening', 'menu.clubs', 'menu.urgent', 'menu.privacy', 'family'] as const;
const GoSchema = z.union([z.enum(GO_TARGETS), z.string().regex(/^treat\.[a-z0-9-]+$/, 'expected a menu choice, "family" or treat.<option>')]);

const IntentSchema = z
  .strictObject({
    id: IdSchema,
    /** The button offered when the bot is not sure ("Có phải bạn muốn hỏi về…?"). */
    label: TextSchema,
    go: GoSchema.optional(),
    answer: TextSchema.optional(),
    /** One or two lines, said mid-questionnaire before its question comes again. */
    short: TextSchema,
    /** Intents offered as buttons after an answer without `go`. */
    next: z.array(IdSchema).default([]),
    examples: z.strictObject({ vi: z.array(z.string().trim().min(1)).min(3), en: z.array(z.string().trim().min(1)).min(3) }),
  })
  .refine((i) => i.go || i.answer, { message: 'an intent needs `go`, `answer` or both' });

export const schema = z
  .strictObject({
    suggestTitle: TextSchema,
    fallbackTitle: TextSchema,
    aiNotice: TextSchema,
    intents: z.array(IntentSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const ids = new Set(c.intents.map((i) => i.id));
    if (ids.size !== c.intents.length) ctx.addIssue({ code: 'custom', path: ['intents'], message: 'duplicate intent id' });
    c.intents.forEach((intent, i) => {
      intent.next.forEach((id, j) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ["intents", i, "next", j], message: `unknown intent "${id}"` });
      });
    });
  });
export type IntentsContent = z.infer<typeof schema>;
export type Intent = IntentsContent['intents'][number];
