// Reads and validates every content file once at start-up. A missing translation, a wrong
// type or a broken reference stops start-up with the file and the key that is wrong.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { AREAS, type Area, fileOf } from './areas.ts';
import type { Content } from './types.ts';

export const CONTENT_DIR = path.dirname(fileURLToPath(import.meta.url));

export class ContentError extends Error {
  override name = 'ContentError';
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replace(/\.\[/g, '[');
}

export function parseArea<S extends z.ZodType>(file: string, schema: S, raw: string): z.output<S> {
  let data: unknown;
  try {
    // JSON (generated data such as places.json) is YAML too, but JSON.parse reads it far faster.
    data = file.endsWith('.json') ? JSON.parse(raw) : parse(raw);
  } catch (err) {
    throw new ContentError(`content/${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const res = schema.safeParse(data);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const where = formatPath(issue.path) || '(top level)';
    const more = res.error.issues.length > 1 ? ` (and ${res.error.issues.length - 1} more)` : '';
    throw new ContentError(`content/${file}: ${where}: ${issue.message}${more}`);
  }
  return res.data;
}

export function loadContent(dir: string = CONTENT_DIR): Content {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(AREAS)) {
    const file = fileOf(key as Area);
    let raw: string;
    try {
      raw = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      throw new ContentError(`content/${file}: missing file`);
    }
    out[key] = parseArea(file, schema as z.ZodType, raw);
  }
  return out as Content;
}
