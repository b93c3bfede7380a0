// Command-line words and --options for the admin tool, validated with zod so every bad input
// gets one clear line naming the option.
import { z } from 'zod';

export class AdminError extends Error {
  override name = 'AdminError';
}

export interface ParsedArgs {
  words: string[];
  options: Record<string, string>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        options[a.slice(2, eq)] = a.slice(eq + 1);
        continue;
      }
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) options[a.slice(2)] = 'true';
      else {
        options[a.slice(2)] = next;
        i++;
      }
    } else words.push(a);
  }
  return { words, options };
}

/** Validate options against a schema; unknown options are an error too (typos must not pass). */
export function validate<S extends z.ZodObject>(schema: S, options: Record<string, string>, usage: string): z.output<S> {
  const known = new Set(Object.keys(schema.shape));
  for (const k of Object.keys(options)) {
    if (!known.has(k)) throw new AdminError(`unknown option --${k}\nusage: ${usage}`);
  }
  const res = schema.safeParse(options);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const key = issue.path[0];
    const what = issue.code === 'invalid_type' && options[String(key)] === undefined ? 'is required' : issue.message;
    throw new AdminError(`--${String(key)} ${what}\nusage: ${usage}`);
  }
  return res.data;
}

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be lower-case letters, digits and "-" (e.g. xuan-tan)');
export const text = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const posInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);
export const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-06-30');
export const role = z.enum(['member', 'volunteer', 'coordinator'], 'must be member, volunteer or coordinator');
