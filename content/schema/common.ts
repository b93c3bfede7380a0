// Building blocks shared by every content file's schema.
import { z } from 'zod';

/** A text in every locale: a missing or empty translation fails the load, naming the key. */
export const TextSchema = z.strictObject({
  vi: z.string().trim().min(1, 'missing Vietnamese text'),
  en: z.string().trim().min(1, 'missing English text'),
});

/** Where a fact comes from: shown to people next to legal and medical statements. */
export const SourceSchema = z.strictObject({
  title: z.string().min(1),
  url: z.url().optional(),
});

/** ISO calendar day, e.g. "2026-11-20". */
export const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** Stable ids used in choices and references: lower-case words, digits, '-' and '_'. */
export const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected an id like "home-rehab"');
