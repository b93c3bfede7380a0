// A fake OpenAI-compatible server on 127.0.0.1: POST /v1/chat/completions answers with the JSON
// a test chooses (by default: intent "none", crisis "none"), after an optional delay; every
// request is recorded as received (headers and raw body), so tests can search it for needles.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAiRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { model?: string; store?: boolean; messages?: { role: string; content: string }[]; response_format?: unknown } | null;
}

export interface FakeOpenAi {
  /** Base URL for OPENAI_BASE_URL (…/v1). */
  url: string;
  requests(): OpenAiRequest[];
  /** The user message of each chat completion, as sent. */
  userTexts(): string[];
  /** What the model "says" for a user message; null: a 500 error. */
  reply(fn: (userText: string) => { intent: string; crisis: string } | null): void;
  /** Each answer waits this long first (timeouts, latency bench). */
  delay(ms: number): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const recorded: OpenAiRequest[] = [];
  let answer: (t: string) => { intent: string; crisis: string } | null = () => ({ intent: 'none', crisis: 'none' });
  let delayMs = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: OpenAiRequest['body'] = null;
    try {
      body = JSON.parse(raw) as OpenAiRequest['body'];
    } catch {
      body = null;
    }
    recorded.push({ path: req.url ?? '', headers: req.headers, raw, body });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions' || !body) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
    const out = answer(user);
    if (!out) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'server error', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${recorded.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? 'fake',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(out), refusal: null } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => [...recorded],
    userTexts: () => recorded.flatMap((r) => r.body?.messages?.filter((m) => m.role === 'user').map((m) => m.content) ?? []),
    reply(fn) {
      answer = fn;
    },
    delay(ms) {
      delayMs = ms;
    },
    clear() {
      recorded.length = 0;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
