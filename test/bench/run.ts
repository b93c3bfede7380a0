// `npm run bench`: webhook throughput and turn latency of the real bot (PostgreSQL logging,
// every turn through the engine) against a bare grammY webhook on the same machine, plus the
// other channels' figures. Everything on 127.0.0.1; bounded in count and time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { testDatabase } from '../support/db.ts';
import { type LoadResult, runLoad, runOpenLoop } from './load.ts';

const TOKEN = '123456:bench-token';
const SECRET = 'bench_secret_1';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 20_000);

/** A minimal Bot API that accepts every call, so the bench measures the bot, not the fake. */
async function fakeBotApi(): Promise<{ url: string; sends: () => number; close(): Promise<void> }> {
  let sends = 0;
  let messageId = 1;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const method = req.url?.split('/').pop() ?? '';
      let result: unknown = true;
      if (method === 'sendMessage') {
        sends++;
        result = { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: 1, type: 'private' } };
      } else if (method === 'getMe') {
        result = { id: 123456, is_bot: true, first_name: 'Bench', username: 'bench_bot' };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sends: () => sends, close: () => new Promise((r) => server.close(() => r())) };
}

function rssMb(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function spawnAndWait(args: string[], env: Record<string, string>, ready: (line: string) => boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not start in 60 s')), 60_000);
    const onData = (buf: Buffer) => {
      for (const line of buf.toString().split('\n')) {
        if (ready(line)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => process.stderr.write(b));
    child.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
  return child;
}

const SCRIPT: ({ text: string } | { data: string })[] = [
  { text: '/start' },
  { data: 'lang.vi' },
  { data: 'consent.yes' },
  { data: 'menu.treatment' },
  { text: 'xin chào' },
  { data: 'menu.main' },
  { data: 'menu.privacy' },
  { data: 'menu.main' },
];
const CHATS = 2000;

function update(i: number, base: number): string {
  const chat = 700_000_000 + (i % CHATS);
  const s = SCRIPT[Math.floor(i / CHATS) % SCRIPT.length]!;
  const from = { id: chat, is_bot: false, first_name: 'B', language_code: 'vi' };
  const message = { message_id: i + 1, date: 1_763_000_000, chat: { id: chat, type: 'private' }, from };
  if ('text' in s) return JSON.stringify({ update_id: base + i, message: { ...message, text: s.text } });
  return JSON.stringify({ update_id: base + i, callback_query: { id: `cb${i}`, from, chat_instance: 'x', data: s.data, message: { ...message, text: 'menu' } } });
}

const OPEN_RATE = Number(process.env.BENCH_RATE ?? 300);

async function measure(port: number, pid: number, base: number): Promise<{ peakRssMb: number; max: LoadResult; atRate: LoadResult }> {
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  // Warm up: JIT, connection pools, first-turn paths.
  await runLoad({ url: `http://127.0.0.1:${port}/webhooks/telegram`, concurrency: 8, maxRequests: 500, maxSeconds: 10, headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: (i) => update(i, base) });
  const r = await runLoad({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    concurrency: CONCURRENCY,
    maxRequests: MAX_REQUESTS,
    maxSeconds: SECONDS,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    body: (i) => update(i + 500, base),
  });
  // Then a steady 300 updates/s, as a platform would send them: latency at that load.
  const atRate = await runOpenLoop({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    rate: OPEN_RATE,
    seconds: SECONDS,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    body: (i) => update(i + 500 + MAX_REQUESTS, base),
  });
  clearInterval(sampler);
  return { max: r, atRate, peakRssMb: Math.max(peak, rssMb(pid)) };
}

async function main() {
  const results: Record<string, unknown> = {};
  const api = await fakeBotApi();
  const db = await testDatabase();
  try {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const bot = await spawnAndWait([...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), '--experimental-strip-types', 'bot/main.ts'], {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.url,
      PSEUDONYM_SECRET: 'b'.repeat(64),
      ADDRESS_KEY: 'c'.repeat(64),
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    }, (line) => line.includes('Đồng Hành is up'));
    const full = await measure(port, bot.pid!, 1_000_000);
    const turns = await db.prisma.interactionLog.count();
    bot.kill('SIGTERM');
    results['bot'] = { ...full, loggedTurns: turns, sendsAccepted: api.sends() };

    const barePort = port + 1;
    const bare = await spawnAndWait(['--experimental-strip-types', 'test/bench/bare-grammy.ts'], {
      PORT: String(barePort),
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    }, (line) => line.startsWith('LISTENING'));
    const ceiling = await measure(barePort, bare.pid!, 5_000_000);
    bare.kill('SIGTERM');
    results['bareGrammy'] = ceiling;
    results['fractionOfCeiling'] = Number((full.max.perSecond / ceiling.max.perSecond).toFixed(3));

    // The other channels' benches, where present.
    for (const [name, file, fn] of [
      ['zaloOaAck', './zalo-oa-ack.ts', 'benchZaloOaAck'],
      ['reminders', './reminders.ts', 'benchReminders'],
      ['aiLatency', './ai-latency.ts', 'benchAiLatency'],
    ] as const) {
      if (!existsSync(new URL(file, import.meta.url)) || process.env.BENCH_ONLY === 'webhook') continue;
      const mod = (await import(file)) as Record<string, () => Promise<Record<string, number>>>;
      results[name] = await mod[fn]!();
    }
  } finally {
    await db.drop();
    await api.close();
  }
  const round = (v: unknown): unknown =>
    typeof v === 'number' ? Number(v.toFixed(2)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v;
  process.stdout.write(`${JSON.stringify(round(results), null, 2)}\n`);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
