// A fake Zalo Bot Platform on 127.0.0.1 (bot.zaloplatforms.com/docs shapes): POST
// /bot<token>/<method> with a JSON body, envelope {ok, result | error_code, description};
// getUpdates hands out one queued update, or answers 408 when the poll times out. Every call is
// recorded; failures on demand. Also: updates as the platform sends them, wrapped or bare.
// As strict as the platform: polling and a webhook exclude each other (reference/zalo.md), so
// getUpdates while a webhook is set is refused, and one poller per token: a newer getUpdates
// ends the one still waiting. Zalo publishes no code or wording for either; the Bot Platform
// copies Telegram's Bot API, whose answer (409 Conflict, as test/fakes/telegram-server.ts) is
// used, with error_code mirroring the status as Zalo's envelope does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal, pollUntil } from './local-server.ts';

export interface BotCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  at: number;
}

export interface FakeZaloBot {
  url: string;
  token: string;
  calls(method?: string): BotCall[];
  /** sendMessage calls answered with 200 to this chat. */
  texts(chatId: string): string[];
  queueUpdate(update: Record<string, unknown>): void;
  /** Queued updates not yet handed to getUpdates. */
  pending(): Record<string, unknown>[];
  /** The next `count` calls of `method` fail with this HTTP status (mirrored in error_code). */
  failNext(method: string, count: number, status: number): void;
  waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `holdMs`: how long getUpdates waits for an update before answering 408 (short, for tests). */
export async function startFakeZaloBot(options: { token?: string; holdMs?: number } = {}): Promise<FakeZaloBot> {
  const token = options.token ?? '1234567890:fake-zalo-bot-TOKEN_abc';
  const holdMs = options.holdMs ?? 300;
  const recorded: BotCall[] = [];
  const updates: Record<string, unknown>[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  let messageId = 9000;
  let webhookUrl = '';
  /** The long poll waiting now; a newer getUpdates (or setWebhook) ends it with 409. */
  let openPoll: { end: () => void } | null = null;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '');
    const params = await readJson(req);
    if (!match || match[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const call: BotCall = { method, params, status: 200, at: Date.now() };
    recorded.push(call);
    const f = failures.get(method);
    if (f && f.count > 0) {
      f.count -= 1;
      call.status = f.status;
      return send(res, f.status, { ok: false, error_code: f.status, description: `Simulated ${f.status}` });
    }
    switch (method) {
      case 'getMe':
        return send(res, 200, { ok: true, result: { id: '4242', account_name: 'bot.donghanh', account_type: 'BASIC', can_join_groups: false } });
      case 'setWebhook':
        webhookUrl = typeof params['url'] === 'string' ? params['url'] : '';
        openPoll?.end();
        return send(res, 200, { ok: true, result: { url: webhookUrl, updated_at: Date.now() } });
      case 'deleteWebhook':
        webhookUrl = '';
        return send(res, 200, { ok: true, result: { url: '', updated_at: Date.now() } });
      case 'getWebhookInfo':
        return send(res, 200, { ok: true, result: { url: webhookUrl, updated_at: Date.now() } });
      case 'sendMessage': {
        const text = params['text'];
        if (typeof params['chat_id'] !== 'string' || typeof text !== 'string' || text.length < 1 || text.length > 2000) {
          call.status = 400;
          return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid parameters' });
        }
        messageId += 1;
        return send(res, 200, { ok: true, result: { message_id: `sent${messageId}`, date: Date.now() } });
      }
      case 'getUpdates': {
        if (webhookUrl) {
          call.status = 409;
          return send(res, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
        }
        let ended = false;
        const mine = {
          end: () => {
            ended = true;
          },
        };
        openPoll?.end();
        openPoll = mine;
        const deadline = Date.now() + holdMs;
        while (updates.length === 0 && Date.now() < deadline && !res.destroyed && !ended) await sleep(20);
        if (openPoll === mine) openPoll = null;
        if (ended) {
          call.status = 409;
          return send(res, 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
        }
        const next = updates.shift();
        if (!next) {
          call.status = 408;
          return send(res, 408, { ok: false, error_code: 408, description: 'Request timeout' });
        }
        return send(res, 200, { ok: true, result: next });
      }
      default:
        call.status = 404;
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  });
  const listening = await listenLocal(server);

  return {
    url: listening.url,
    token,
    calls: (method) => recorded.filter((c) => !method || c.method === method),
    texts: (chatId) => recorded.filter((c) => c.method === 'sendMessage' && c.status === 200 && c.params['chat_id'] === chatId).map((c) => String(c.params['text'])),
    queueUpdate(update) {
      updates.push(update);
    },
    pending: () => [...updates],
    failNext(method, count, status) {
      failures.set(method, { count, status });
    },
    waitFor: (predicate, timeoutMs) => pollUntil('fake Zalo Bot', predicate, timeoutMs),
    close: listening.close,
  };
}

let seq = 0;
export const newBotMessageId = () => `${Date.now().toString(16)}${(seq++).toString(16).padStart(4, '0')}${Math.random().toString(16).slice(2, 6)}`;
/** Bot Platform chat ids are 20 hex characters. */
export const newChatId = () => `${Math.random().toString(16).slice(2, 12)}${Math.random().toString(16).slice(2, 12)}`.padEnd(20, '0');

export interface BotPerson {
  chatId: string;
  displayName: string;
}

export const botUpdates = {
  text: (p: BotPerson, text: string, messageId = newBotMessageId()) => ({
    event_name: 'message.text.received',
    message: {
      from: { id: p.chatId, display_name: p.displayName, is_bot: false },
      chat: { id: p.chatId, chat_type: 'PRIVATE' },
      text,
      message_id: messageId,
      date: Date.now(),
    },
  }),
  /** `words`: a photo's caption, or the text an unsupported event carries (protected users). */
  other: (p: BotPerson, event: 'message.image.received' | 'message.sticker.received' | 'message.unsupported.received', messageId = newBotMessageId(), words?: string) => ({
    event_name: event,
    message: {
      from: { id: p.chatId, display_name: p.displayName, is_bot: false },
      chat: { id: p.chatId, chat_type: 'PRIVATE' },
      message_id: messageId,
      date: Date.now(),
      ...(event === 'message.image.received' ? { photo_url: 'https://example.invalid/p.jpg', message_type: 'CHAT_PHOTO', ...(words !== undefined ? { caption: words } : {}) } : {}),
      ...(event === 'message.sticker.received' ? { sticker: 'stk_1', url: 'https://example.invalid/s.webp' } : {}),
      ...(event === 'message.unsupported.received' && words !== undefined ? { text: words } : {}),
    },
  }),
  group: (p: BotPerson, text: string) => ({
    event_name: 'message.text.received',
    message: { from: { id: p.chatId, display_name: p.displayName, is_bot: false }, chat: { id: 'grp0123456789abcdef', chat_type: 'GROUP' }, text, message_id: newBotMessageId(), date: Date.now() },
  }),
  /** As documented: the update inside {ok, result}. */
  wrap: (update: Record<string, unknown>) => ({ ok: true, result: update }),
};

export const BOT_WEBHOOK_SECRET = 'zalo-bot-webhook-SECRET_42';

export function botEnv(fake: FakeZaloBot, mode: 'webhook' | 'polling' = 'webhook'): Record<string, string> {
  return {
    ZALO_BOT_TOKEN: fake.token,
    ZALO_BOT_API_ROOT: fake.url,
    ZALO_BOT_WEBHOOK_SECRET: BOT_WEBHOOK_SECRET,
    ...(mode === 'webhook' ? { PUBLIC_URL: 'https://donghanh.example.org' } : {}),
  };
}

export async function postBotUpdate(appUrl: string, body: unknown, secret: string | null = BOT_WEBHOOK_SECRET): Promise<Response> {
  return fetch(`${appUrl}/webhooks/zalo-bot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'X-Bot-Api-Secret-Token': secret }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
