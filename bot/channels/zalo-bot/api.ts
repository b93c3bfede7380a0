// A thin typed client for the Zalo Bot Platform (bot.zaloplatforms.com/docs): POST JSON to
// {root}/bot<TOKEN>/<method>, envelope {ok, result, description, error_code}. Results are values;
// the URL (it holds the token) and the parameters (chat id, text) never reach a log or an error.
import { z } from 'zod';
import { parseExactJson } from '../inbox/exact-json.ts';

export interface BotApiOptions {
  /** ZALO_BOT_API_ROOT, e.g. https://bot-api.zaloplatforms.com */
  apiRoot: string;
  token: string;
  timeoutMs?: number;
}

export type BotResult =
  | { kind: 'ok'; result: unknown }
  /** HTTP status, and error_code when the body had one (Zalo mirrors the status there). */
  | { kind: 'error'; status: number; code: number; description: string }
  | { kind: 'network'; name: string };

const Envelope = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.union([z.string(), z.number()]).transform(Number).optional(),
  description: z.string().optional(),
});

/** Descriptions may quote ids: keep them short and without long digit or hex runs. */
export function safeDescription(d: string | undefined): string {
  return (d ?? '').replace(/[0-9a-f]{8,}/gi, '…').slice(0, 120);
}

export class BotApi {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(o: BotApiOptions) {
    this.base = `${o.apiRoot.replace(/\/+$/, '')}/bot${o.token}`;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  async call(method: string, params?: Record<string, unknown>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<BotResult> {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    let res: Response;
    let raw: string;
    try {
      res = await fetch(`${this.base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params ?? {}),
        signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
      });
      raw = await res.text();
    } catch (err) {
      return { kind: 'network', name: (err as Error).name };
    }
    let json: unknown;
    try {
      json = parseExactJson(raw);
    } catch {
      json = undefined;
    }
    const env = Envelope.safeParse(json);
    if (env.success && env.data.ok && res.ok) return { kind: 'ok', result: env.data.result };
    const code = env.success && env.data.error_code !== undefined && Number.isFinite(env.data.error_code) ? env.data.error_code : res.status;
    return { kind: 'error', status: res.status, code, description: safeDescription(env.success ? env.data.description : undefined) };
  }
}
