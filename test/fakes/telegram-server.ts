// A fake Telegram Bot API on 127.0.0.1: the method shapes we use at /bot<token>/<method>,
// every call recorded, updates served to getUpdates (with long polling), and failures on demand.
// As strict as Telegram (reference/telegram.md, core.telegram.org/bots/api): text 1-4096
// characters, at most 100 inline buttons, callback_data 1-64 bytes (400 otherwise); one poller
// per token (a second getUpdates ends the first with 409) and no getUpdates while a webhook is
// set (409); chats with negative ids are groups, as on Telegram.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './local-server.ts';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status this fake answered with; 0 while a call (a long poll) is still open. */
  status: number;
  at: number;
  /** The client closed the connection before this fake answered (an aborted long poll). */
  hungUp?: boolean;
  /** Made in a webhook's response, not as a request of its own. */
  viaWebhook?: boolean;
}

export type Failure =
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'blocked' }
  | { kind: 'bad_request'; description?: string }
  | { kind: 'server_error' }
  /** No answer for `ms`, then the connection is dropped: the message was not delivered. */
  | { kind: 'hang'; ms: number }
  /** Answered as usual: queued before a failure, it lets that failure fall on a later call. */
  | { kind: 'pass' };

export interface FakeTelegram {
  url: string;
  token: string;
  calls(method?: string): RecordedCall[];
  /** Resolves with the predicate's first truthy value; rejects after timeoutMs. */
  waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  /** What Telegram does with a bot's answer to a webhook delivery: run the Bot API call it may
   * carry (recorded with `viaWebhook`; its result goes nowhere, as on Telegram). */
  webhookAnswered(res: Response): Promise<void>;
  /** Serve an update to getUpdates. */
  queueUpdate(update: Record<string, unknown>): void;
  /** The next `count` calls of `method` fail this way (after any failures already queued). */
  failNext(method: string, count: number, failure: Failure): void;
  clearCalls(): void;
  close(): Promise<void>;
}

const FAILURES: Record<Failure['kind'], (f: Failure) => { status: number; body: Record<string, unknown> }> = {
  rate_limited: (f) => ({
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${(f as { retryAfter: number }).retryAfter}`,
      parameters: { retry_after: (f as { retryAfter: number }).retryAfter },
    },
  }),
  blocked: () => ({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }),
  bad_request: (f) => ({
    status: 400,
    body: { ok: false, error_code: 400, description: `Bad Request: ${(f as { description?: string }).description ?? 'chat not found'}` },
  }),
  server_error: () => ({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }),
  hang: () => ({ status: 0, body: {} }),
  pass: () => ({ status: 200, body: {} }),
};

/** Telegram's limits. */
export const TG_LIMITS = { text: 4096, inlineButtons: 100, callbackBytes: 64 } as const;

/** Why Telegram would refuse these sendMessage parameters (its description), or null. */
function refuseSendMessage(params: Record<string, unknown>): string | null {
  const text = params['text'];
  if (typeof text !== 'string' || text.trim() === '') return 'Bad Request: message text is empty';
  if (text.length > TG_LIMITS.text) return 'Bad Request: message is too long';
  const markup = params['reply_markup'] as { inline_keyboard?: unknown } | undefined;
  if (markup?.inline_keyboard !== undefined) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) return 'Bad Request: field "inline_keyboard" must be an Array of Arrays';
    const buttons = (rows as Record<string, unknown>[][]).flat();
    if (buttons.length > TG_LIMITS.inlineButtons) return 'Bad Request: too many inline keyboard buttons';
    for (const b of buttons) {
      if (typeof b['text'] !== 'string' || b['text'] === '') return 'Bad Request: BUTTON_TEXT_INVALID';
      const data = b['callback_data'];
      if (data !== undefined && (typeof data !== 'string' || Buffer.byteLength(data, 'utf8') < 1 || Buffer.byteLength(data, 'utf8') > TG_LIMITS.callbackBytes)) {
        return 'Bad Request: BUTTON_DATA_INVALID';
      }
      if (data === undefined && typeof b['url'] !== 'string') return 'Bad Request: can\'t parse inline keyboard button: Text buttons are unallowed in the inline keyboard';
    }
  }
  return null;
}

/** Telegram's chat types by id: users are positive, groups negative, supergroups -100…. */
function chatType(chatId: number): string {
  if (chatId > 0) return 'private';
  return String(chatId).startsWith('-100') ? 'supergroup' : 'group';
}

const CONFLICT_OTHER_POLLER = Symbol('409');

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startFakeTelegram(token = '123456:TEST-token_abc'): Promise<FakeTelegram> {
  const recorded: RecordedCall[] = [];
  const updates: Record<string, unknown>[] = [];
  const failures = new Map<string, { count: number; failure: Failure }[]>();
  const waiters = new Set<() => void>();
  let messageId = 1000;
  let webhookSet = false;
  /** The long poll waiting now; a newer getUpdates ends it with 409. */
  let openPoll: { end: () => void } | null = null;

  const notify = () => {
    for (const w of [...waiters]) w();
  };

  function takeFailure(method: string): Failure | null {
    const queue = failures.get(method) ?? [];
    while (queue.length && queue[0]!.count <= 0) queue.shift();
    const f = queue[0];
    if (!f) return null;
    f.count -= 1;
    return f.failure.kind === 'pass' ? null : f.failure;
  }

  async function getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<unknown> {
    let ended = false;
    const mine = {
      end: () => {
        ended = true;
        notify();
      },
    };
    openPoll?.end();
    openPoll = mine;
    const offset = typeof params['offset'] === 'number' ? params['offset'] : 0;
    // Confirmed updates (below the offset) are gone, as on Telegram.
    while (updates.length && (updates[0]!['update_id'] as number) < offset) updates.shift();
    const timeout = Math.min(typeof params['timeout'] === 'number' ? params['timeout'] : 0, 30) * 1000;
    const deadline = Date.now() + timeout;
    while (updates.length === 0 && Date.now() < deadline && !res.destroyed && !ended) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(200, deadline - Date.now()));
        function done() {
          clearTimeout(t);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
    if (openPoll === mine) openPoll = null;
    if (ended) return CONFLICT_OTHER_POLLER;
    return updates.slice(0, typeof params['limit'] === 'number' ? params['limit'] : 100);
  }

  function answer(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { id: 123456, is_bot: true, first_name: 'Dong Hanh Test', username: 'donghanh_test_bot', can_join_groups: false };
      case 'setWebhook':
        webhookSet = true;
        openPoll?.end();
        return true;
      case 'deleteWebhook':
        webhookSet = false;
        return true;
      case 'answerCallbackQuery':
        return true;
      case 'sendMessage':
        messageId += 1;
        return {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(params['chat_id']), type: chatType(Number(params['chat_id'])) },
          text: params['text'],
        };
      default:
        return undefined;
    }
  }

  const server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '');
    const params = await readJson(req);
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!match || match[1] !== token) {
      send(match ? 401 : 404, { ok: false, error_code: match ? 401 : 404, description: match ? 'Unauthorized' : 'Not Found' });
      return;
    }
    const method = match[2]!;
    // Recorded on arrival (a long poll is visible while it waits); status 0 until answered.
    const call: RecordedCall = { method, params, status: 0, at: Date.now() };
    recorded.push(call);
    const failure = takeFailure(method);
    if (failure?.kind === 'hang') {
      await new Promise((r) => setTimeout(r, failure.ms));
      call.status = -1;
      notify();
      res.destroy();
      return;
    }
    if (failure) {
      const { status, body } = FAILURES[failure.kind](failure);
      call.status = status;
      notify();
      send(status, body);
      return;
    }
    const refusal = method === 'sendMessage' ? refuseSendMessage(params) : null;
    if (refusal) {
      call.status = 400;
      notify();
      send(400, { ok: false, error_code: 400, description: refusal });
      return;
    }
    if (method === 'getUpdates' && webhookSet) {
      call.status = 409;
      notify();
      send(409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
      return;
    }
    const result = method === 'getUpdates' ? await getUpdates(params, res) : answer(method, params);
    if (res.destroyed) {
      call.hungUp = true;
      notify();
      return;
    }
    if (result === CONFLICT_OTHER_POLLER) {
      call.status = 409;
      notify();
      send(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
      return;
    }
    call.status = result === undefined ? 404 : 200;
    notify();
    if (result === undefined) send(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    else send(200, { ok: true, result });
  });
  const listening = await listenLocal(server);

  /** A webhook response's call: JSON with a method Telegram knows (anything else is ignored). */
  async function webhookAnswered(res: Response): Promise<void> {
    if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('application/json')) return;
    let body: unknown;
    try {
      // A clone: the caller may still read the body.
      body = JSON.parse(await res.clone().text());
    } catch {
      return;
    }
    if (!body || typeof body !== 'object' || typeof (body as { method?: unknown }).method !== 'string') return;
    const { method, ...params } = body as { method: string } & Record<string, unknown>;
    // getUpdates and the webhook's own settings cannot be called this way.
    const allowed = !['getUpdates', 'setWebhook', 'deleteWebhook', 'getMe'].includes(method);
    const bad = method === 'answerCallbackQuery' ? typeof params['callback_query_id'] !== 'string' : method === 'sendMessage' ? refuseSendMessage(params) !== null : false;
    const result = allowed && !bad ? answer(method, params) : undefined;
    recorded.push({ method, params, status: !allowed || result === undefined ? (bad ? 400 : 404) : 200, at: Date.now(), viaWebhook: true });
    notify();
  }

  return {
    url: listening.url,
    token,
    calls: (method) => recorded.filter((c) => !method || c.method === method),
    waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs = 120_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const v = predicate();
          if (v) {
            cleanup();
            resolve(v);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Telegram: condition not met within ${timeoutMs} ms`));
        }, timeoutMs);
        // Also poll: the condition may depend on things other than calls (a database row).
        const interval = setInterval(check, 50);
        function cleanup() {
          clearTimeout(timer);
          clearInterval(interval);
          waiters.delete(check);
        }
        waiters.add(check);
        check();
      });
    },
    webhookAnswered,
    queueUpdate(update) {
      updates.push(update);
      notify();
    },
    failNext(method, count, failure) {
      failures.set(method, [...(failures.get(method) ?? []), { count, failure }]);
    },
    clearCalls() {
      recorded.length = 0;
    },
    close: listening.close,
  };
}
