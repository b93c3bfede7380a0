// A fake Zalo OA Open API and OAuth server on 127.0.0.1, speaking the shapes in
// reference/zalo.md: POST /v3.0/oa/message/cs with the `access_token` header (errors as HTTP 200
// with `error` < 0), and POST /v4/oa/access_token (form-encoded, `secret_key` header) issuing a
// new pair and killing the single-use refresh token. Every call is recorded; failures on demand.
// As strict as Zalo where reference/zalo.md is sure: a consultation message reaches only a person
// who interacted within 7 days (-232 never, -230 too long ago, -213 after an unfollow; the fake
// learns of interactions from the events posted to a webhook, see `zaloSaw`); an access token
// lives 25 hours (-220 once expired, -216 when replaced or revoked); text 1-2000 characters and at
// most 5 buttons with titles of at most 100 characters (-201).
import { createServer, type IncomingMessage } from 'node:http';
import { listenLocal, pollUntil } from './local-server.ts';

export interface OaSend {
  token: string;
  userId: string;
  text: string;
  /** `#c:<id>` payloads of oa.query.hide buttons. */
  payloads: string[];
  buttons: { title: string; type: string; payload: unknown }[];
  /** The Zalo error code answered (0: delivered). */
  error: number;
  httpStatus: number;
  at: number;
}

export interface RefreshCall {
  appId: string;
  secretKey: string;
  grantType: string;
  refreshToken: string;
  ok: boolean;
  at: number;
}

export interface FakeZaloOa {
  /** ZALO_OA_API_ROOT and ZALO_OAUTH_ROOT (one server; the paths differ). */
  url: string;
  appId: string;
  appSecret: string;
  /** The pair Zalo currently honours. */
  accessToken: string;
  refreshToken: string;
  /** Every send attempt, failed ones included. */
  sends(userId?: string): OaSend[];
  /** Sends answered with error 0. */
  delivered(userId?: string): OaSend[];
  refreshCalls(): RefreshCall[];
  /** The current access token stops working (-216) until the next refresh. */
  revokeAccessToken(): void;
  /** The next `count` sends fail with this Zalo code (HTTP 200), or with an HTTP status and no Zalo body. */
  failNextSends(count: number, failure: { error: number } | { httpStatus: number }): void;
  /** Every send to this user fails with `error` (e.g. -230: outside the window). */
  failUser(userId: string, error: number | null): void;
  /** The person wrote to the OA at `at` (ms; default now): opens their 7-day window. */
  interacted(userId: string, at?: number): void;
  /** The current access token's 25 hours are over (-220) until the next refresh. */
  expireAccessToken(): void;
  /** The next `count` refreshes fail (HTTP 200 with an error body). */
  failNextRefreshes(count: number): void;
  setSendDelayMs(ms: number): void;
  /** Sends wait (unanswered) until the returned function is called. */
  holdSends(): () => void;
  setRefreshDelayMs(ms: number): void;
  waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Zalo's limits (reference/zalo.md). */
export const OA_LIMITS = { text: 2000, buttons: 5, title: 100, windowMs: 7 * 86_400_000, accessTokenMs: 25 * 3_600_000 } as const;

const live = new Set<{ appId: string; saw(body: Record<string, unknown>): void }>();

/** What Zalo itself knows when a person acts: every event posted to a webhook passes here, so a
 * fake OA with that app id opens (or, on unfollow, closes) the person's window at the event's time. */
export function zaloSaw(appId: string, body: unknown): void {
  if (!body || typeof body !== 'object') return;
  for (const f of live) if (f.appId === appId) f.saw(body as Record<string, unknown>);
}

export async function startFakeZaloOa(options: { appId?: string; appSecret?: string } = {}): Promise<FakeZaloOa> {
  const appId = options.appId ?? '2553928453557884079';
  const appSecret = options.appSecret ?? 'fake-app-secret-Qw3rty';
  let generation = 1;
  const pair = { access: `oa-access-${generation}-${Math.random().toString(36).slice(2)}`, refresh: `oa-refresh-${generation}-${Math.random().toString(36).slice(2)}` };
  let accessValid = true;
  const sends: OaSend[] = [];
  const refreshes: RefreshCall[] = [];
  const userFailures = new Map<string, number>();
  let nextFailures: { count: number; failure: { error: number } | { httpStatus: number } } | null = null;
  let refreshFailures = 0;
  let sendDelay = 0;
  let sendGate: Promise<void> | null = null;
  let refreshDelay = 0;
  let messageId = 5000;
  let accessIssuedAt = Date.now();
  const lastInteraction = new Map<string, number>();
  const unfollowed = new Set<string>();
  const state = {
    appId,
    saw(body: Record<string, unknown>) {
      const name = String(body['event_name'] ?? '');
      const at = Number(body['timestamp']);
      if (!Number.isFinite(at) || /(^|_)group(_|$)/.test(name)) return;
      const sender = (body['sender'] as { id?: unknown } | undefined)?.id;
      const follower = (body['follower'] as { id?: unknown } | undefined)?.id;
      if (name.startsWith('user_send_') && typeof sender === 'string') {
        lastInteraction.set(sender, Math.max(lastInteraction.get(sender) ?? 0, at));
        unfollowed.delete(sender);
      }
      // Whether a follow opens the window is unconfirmed: the fake lets it (the welcome answers it).
      if (name === 'follow' && typeof follower === 'string') {
        unfollowed.delete(follower);
        lastInteraction.set(follower, Math.max(lastInteraction.get(follower) ?? 0, at));
      }
      if (name === 'unfollow' && typeof follower === 'string') unfollowed.add(follower);
    },
  };
  live.add(state);

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const raw = await readBody(req);
    if (req.method === 'POST' && path === '/v3.0/oa/message/cs') {
      if (sendDelay) await sleep(sendDelay);
      if (sendGate) await sendGate;
      const token = String(req.headers['access_token'] ?? '');
      let body: { recipient?: { user_id?: unknown }; message?: { text?: unknown; attachment?: { payload?: { buttons?: OaSend['buttons'] } } } } = {};
      try {
        body = JSON.parse(raw);
      } catch {}
      const buttons = body.message?.attachment?.payload?.buttons ?? [];
      const call: OaSend = {
        token,
        userId: typeof body.recipient?.user_id === 'string' ? body.recipient.user_id : `!${String(body.recipient?.user_id)}`,
        text: typeof body.message?.text === 'string' ? body.message.text : '',
        payloads: buttons.filter((b) => b.type === 'oa.query.hide').map((b) => String(b.payload)),
        buttons,
        error: 0,
        httpStatus: 200,
        at: Date.now(),
      };
      sends.push(call);
      if (nextFailures && nextFailures.count > 0) {
        nextFailures.count -= 1;
        const f = nextFailures.failure;
        if ('httpStatus' in f) {
          call.httpStatus = f.httpStatus;
          call.error = -1;
          res.writeHead(f.httpStatus, { 'content-type': 'text/html' }).end('<html>error</html>');
          return;
        }
        call.error = f.error;
        return json(res, 200, { error: f.error, message: 'Simulated failure' });
      }
      if (!accessValid || token !== pair.access) {
        call.error = -216;
        return json(res, 200, { error: -216, message: 'Access token is invalid' });
      }
      if (Date.now() - accessIssuedAt > OA_LIMITS.accessTokenMs) {
        call.error = -220;
        return json(res, 200, { error: -220, message: 'Access token has expired' });
      }
      const badButtons =
        buttons.length > OA_LIMITS.buttons ||
        buttons.some((b) => typeof b.title !== 'string' || b.title.length === 0 || b.title.length > OA_LIMITS.title || typeof b.type !== 'string');
      if (!/^\d+$/.test(call.userId) || call.text.length === 0 || call.text.length > OA_LIMITS.text || badButtons) {
        call.error = -201;
        return json(res, 200, { error: -201, message: 'Parameters are invalid' });
      }
      const windowError = unfollowed.has(call.userId) ? -213 : !lastInteraction.has(call.userId) ? -232 : Date.now() - lastInteraction.get(call.userId)! > OA_LIMITS.windowMs ? -230 : 0;
      if (windowError) {
        call.error = windowError;
        const message = windowError === -213 ? 'User has not followed the OA' : 'User has not interacted with the OA in the last 7 days';
        return json(res, 200, { error: windowError, message });
      }
      const userError = userFailures.get(call.userId);
      if (userError) {
        call.error = userError;
        return json(res, 200, { error: userError, message: 'Simulated user failure' });
      }
      messageId += 1;
      return json(res, 200, { error: 0, message: 'Success', data: { message_id: `m${messageId}`, user_id: call.userId } });
    }
    if (req.method === 'POST' && path === '/v4/oa/access_token') {
      if (refreshDelay) await sleep(refreshDelay);
      const form = new URLSearchParams(raw);
      const call: RefreshCall = {
        appId: form.get('app_id') ?? '',
        secretKey: String(req.headers['secret_key'] ?? ''),
        grantType: form.get('grant_type') ?? '',
        refreshToken: form.get('refresh_token') ?? '',
        ok: false,
        at: Date.now(),
      };
      refreshes.push(call);
      if (refreshFailures > 0) {
        refreshFailures -= 1;
        return json(res, 200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' });
      }
      if (call.appId !== appId || call.secretKey !== appSecret) {
        return json(res, 200, { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key is invalid' });
      }
      if (call.grantType !== 'refresh_token' || call.refreshToken !== pair.refresh) {
        return json(res, 200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' });
      }
      generation += 1;
      pair.access = `oa-access-${generation}-${Math.random().toString(36).slice(2)}`;
      pair.refresh = `oa-refresh-${generation}-${Math.random().toString(36).slice(2)}`;
      accessValid = true;
      accessIssuedAt = Date.now();
      call.ok = true;
      return json(res, 200, { access_token: pair.access, refresh_token: pair.refresh, expires_in: '90000' });
    }
    json(res, 404, { error: 404, message: 'Not found' });
  });
  const listening = await listenLocal(server);

  return {
    url: listening.url,
    appId,
    appSecret,
    get accessToken() {
      return pair.access;
    },
    get refreshToken() {
      return pair.refresh;
    },
    sends: (userId) => sends.filter((s) => userId === undefined || s.userId === userId),
    delivered: (userId) => sends.filter((s) => s.error === 0 && (userId === undefined || s.userId === userId)),
    refreshCalls: () => [...refreshes],
    revokeAccessToken() {
      accessValid = false;
    },
    failNextSends(count, failure) {
      nextFailures = { count, failure };
    },
    failUser(userId, error) {
      if (error === null) userFailures.delete(userId);
      else userFailures.set(userId, error);
    },
    interacted(userId, at = Date.now()) {
      lastInteraction.set(userId, at);
      unfollowed.delete(userId);
    },
    expireAccessToken() {
      accessIssuedAt = Date.now() - OA_LIMITS.accessTokenMs - 1;
    },
    failNextRefreshes(count) {
      refreshFailures = count;
    },
    setSendDelayMs(ms) {
      sendDelay = ms;
    },
    holdSends() {
      let open = () => {};
      sendGate = new Promise<void>((resolve) => {
        open = resolve;
      });
      return () => {
        sendGate = null;
        open();
      };
    },
    setRefreshDelayMs(ms) {
      refreshDelay = ms;
    },
    waitFor: (predicate, timeoutMs) => pollUntil('fake Zalo OA', predicate, timeoutMs),
    async close() {
      live.delete(state);
      await listening.close();
    },
  };
}
