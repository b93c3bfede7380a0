// A thin typed client for the two OA endpoints we use, on fetch, with zod-checked answers.
// Results are values, never thrown errors, and never carry the request (address, text, token).
import { z } from 'zod';
import { parseExactJson } from '../inbox/exact-json.ts';
import type { OaMessageBody } from './render.ts';

export interface OaApiOptions {
  /** ZALO_OA_API_ROOT, e.g. https://openapi.zalo.me */
  apiRoot: string;
  /** ZALO_OAUTH_ROOT, e.g. https://oauth.zaloapp.com */
  oauthRoot: string;
  appId: string;
  /** ZALO_APP_SECRET: the OAuth `secret_key` header. Without it tokens cannot be refreshed. */
  appSecret: string | undefined;
  timeoutMs?: number;
}

export type CsResult =
  | { kind: 'ok'; messageId: string | undefined }
  /** Zalo answered with `error !== 0` (usually with HTTP 200). */
  | { kind: 'error'; code: number }
  /** No Zalo body: an HTTP error status or an answer that is not Zalo's JSON. */
  | { kind: 'http'; status: number }
  | { kind: 'network'; name: string };

export type RefreshResult =
  | { ok: true; accessToken: string; refreshToken: string; expiresInSeconds: number }
  /** A short reason fit for logs and /readyz (a code or an error name, never a token). */
  | { ok: false; reason: string };

// Exact JSON turns every number into its digits as a string.
const Num = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().int());
const CsBody = z.looseObject({
  error: Num,
  data: z.looseObject({ message_id: z.union([z.string(), z.number()]).transform(String).optional() }).optional(),
});
const TokenBody = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: Num.pipe(z.number().positive()),
});
const OauthError = z.looseObject({ error: Num.optional(), error_name: z.string().optional() });

async function readJson(res: Response): Promise<unknown> {
  const raw = await res.text();
  try {
    return parseExactJson(raw);
  } catch {
    return undefined;
  }
}

export class OaApi {
  private readonly o: OaApiOptions;
  private readonly timeoutMs: number;

  constructor(options: OaApiOptions) {
    this.o = { ...options, apiRoot: options.apiRoot.replace(/\/+$/, ''), oauthRoot: options.oauthRoot.replace(/\/+$/, '') };
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  get canRefresh(): boolean {
    return Boolean(this.o.appSecret);
  }

  /** POST /v3.0/oa/message/cs with the `access_token` header (not Authorization). */
  async sendCs(accessToken: string, userId: string, message: OaMessageBody): Promise<CsResult> {
    let res: Response;
    try {
      res = await fetch(`${this.o.apiRoot}/v3.0/oa/message/cs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: accessToken },
        body: JSON.stringify({ recipient: { user_id: userId }, message }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      return { kind: 'network', name: (err as Error).name };
    }
    const body = CsBody.safeParse(await readJson(res));
    if (!body.success) return { kind: 'http', status: res.status };
    if (body.data.error !== 0) return { kind: 'error', code: body.data.error };
    if (!res.ok) return { kind: 'http', status: res.status };
    return { kind: 'ok', messageId: body.data.data?.message_id };
  }

  /** POST {oauth}/v4/oa/access_token, form-encoded, with the `secret_key` header. */
  async refresh(refreshToken: string): Promise<RefreshResult> {
    if (!this.o.appSecret) return { ok: false, reason: 'ZALO_APP_SECRET not set' };
    let res: Response;
    try {
      res = await fetch(`${this.o.oauthRoot}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.o.appSecret },
        body: new URLSearchParams({ app_id: this.o.appId, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      return { ok: false, reason: `network: ${(err as Error).name}` };
    }
    const json = await readJson(res);
    const ok = TokenBody.safeParse(json);
    if (ok.success && res.ok) {
      return { ok: true, accessToken: ok.data.access_token, refreshToken: ok.data.refresh_token, expiresInSeconds: ok.data.expires_in };
    }
    // Errors can come with HTTP 200 as {error, error_name, error_description}.
    const err = OauthError.safeParse(json);
    if (err.success && (err.data.error !== undefined || err.data.error_name)) {
      const name = (err.data.error_name ?? '').replace(/[^\w .-]/g, '').slice(0, 60);
      return { ok: false, reason: `error ${err.data.error ?? '?'}${name ? ` ${name}` : ''}` };
    }
    return { ok: false, reason: `http ${res.status}` };
  }
}
