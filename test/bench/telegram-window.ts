// A fake Bot API for the reminders bench: sendMessage only, answered 429 (retry_after 1) when
// 30 messages were already accepted in the last second (a sliding window), as a strict Telegram
// would. Counts deliveries per chat so duplicates can be told apart from retries. `latencyMs`
// delays every answer, as the real Bot API's round trip from Vietnam does (~150 ms).
import { createServer } from 'node:http';
import { listenLocal } from '../fakes/local-server.ts';

export interface WindowedTelegram {
  url: string;
  token: string;
  /** Accepted sendMessage calls per chat id. */
  perChat: Map<string, number>;
  accepted(): number;
  rejected(): number;
  close(): Promise<void>;
}

export async function startWindowedTelegram(limitPerSecond = 30, token = '123456:bench-reminders', latencyMs = 0): Promise<WindowedTelegram> {
  const perChat = new Map<string, number>();
  const window: number[] = []; // acceptance times within the last second, oldest first
  let accepted = 0;
  let rejected = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.url?.split('/').pop() ?? '';
      const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const reply = (status: number, body: unknown) => (latencyMs ? void setTimeout(() => answer(status, body), latencyMs) : answer(status, body));
      if (method !== 'sendMessage') return reply(200, { ok: true, result: true });
      const now = performance.now();
      while (window.length && window[0]! <= now - 1000) window.shift();
      if (window.length >= limitPerSecond) {
        rejected++;
        return reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      }
      window.push(now);
      accepted++;
      const params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { chat_id?: unknown };
      const chat = String(params.chat_id);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      reply(200, { ok: true, result: { message_id: accepted, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: 'private' } } });
    });
  });
  const listening = await listenLocal(server);
  return {
    url: listening.url,
    token,
    perChat,
    accepted: () => accepted,
    rejected: () => rejected,
    close: listening.close,
  };
}
