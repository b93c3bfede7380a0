// Zalo OA webhook acknowledgement latency under load: the real bot (child process, PostgreSQL,
// the durable inbox) receives signed user_send_text events from C concurrent senders while its
// turns run behind the acknowledgements. Reports ack p50/p99 (Zalo wants 200 within ~2 s), and
// how long the inbox took to drain afterwards. Everything on 127.0.0.1; bounded in count and time.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDatabase } from '../support/db.ts';
import { percentile } from './load.ts';

const APP_ID = '2553928453557884079';
const OA_KEY = 'bench-oa-secret-key';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_ZALO_MAX_REQUESTS ?? 5000);
const PEOPLE = 1000;
const SCRIPT = ['Chào', '#c:lang.vi', '#c:consent.yes', '#c:menu.treatment', 'xin chào', '#c:menu.main'];

/** A minimal OA API + OAuth that accepts every call, so the bench measures the bot. */
async function fakeOa(): Promise<{ url: string; sends: () => number; close(): Promise<void> }> {
  let sends = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/v3.0/oa/message/cs')) sends++;
      const body = req.url?.startsWith('/v4/') ? { access_token: 'bench-a2', refresh_token: 'bench-r2', expires_in: '90000' } : { error: 0, message: 'Success', data: { message_id: `m${sends}` } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sends: () => sends, close: () => new Promise((r) => server.close(() => r())) };
}

function signedEvent(i: number): { body: string; signature: string } {
  const person = i % PEOPLE;
  const text = SCRIPT[Math.floor(i / PEOPLE) % SCRIPT.length]!;
  // Now: the webhook refuses signed events older than its window (two days).
  const timestamp = String(Date.now());
  const body = JSON.stringify({
    event_name: 'user_send_text',
    app_id: APP_ID,
    sender: { id: `61420000000${String(person).padStart(8, '0')}` },
    recipient: { id: '3662729599332560487' },
    message: { text, msg_id: `bench${i.toString(16).padStart(15, '0')}` },
    timestamp,
  });
  return { body, signature: `mac=${createHash('sha256').update(APP_ID + body + timestamp + OA_KEY).digest('hex')}` };
}

async function startBot(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--experimental-strip-types', 'bot/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bot did not start in 60 s')), 60_000);
    child.stdout?.on('data', (buf: Buffer) => {
      if (buf.toString().includes('Đồng Hành is up')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (b: Buffer) => process.stderr.write(b));
    child.on('exit', (code) => reject(new Error(`bot exited with ${code}`)));
  });
  return child;
}

/** Closed loop: each worker posts one signed event, waits for the answer, posts the next. */
async function load(port: number, first: number, maxRequests: number, seconds: number): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const one = (i: number) =>
    new Promise<number>((resolve) => {
      const { body, signature } = signedEvent(i);
      const req = http.request(
        { host: '127.0.0.1', port, path: '/webhooks/zalo-oa', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-zevent-signature': signature } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < maxRequests && performance.now() < deadline) {
        const i = first + next++;
        const t0 = performance.now();
        const status = await one(i);
        latencies.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

export async function benchZaloOaAck(): Promise<Record<string, number>> {
  const oa = await fakeOa();
  const db = await testDatabase();
  let bot: ChildProcess | null = null;
  try {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    bot = await startBot({
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      ZALO_APP_ID: APP_ID,
      ZALO_APP_SECRET: 'bench-app-secret',
      ZALO_OA_SECRET_KEY: OA_KEY,
      ZALO_OA_ACCESS_TOKEN: 'bench-a1',
      ZALO_OA_REFRESH_TOKEN: 'bench-r1',
      ZALO_OA_API_ROOT: oa.url,
      ZALO_OAUTH_ROOT: oa.url,
      PSEUDONYM_SECRET: 'b'.repeat(64),
      ADDRESS_KEY: 'c'.repeat(64),
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    });
    // Warm up (JIT, pools), and let those turns finish before measuring.
    await load(port, 0, 300, 10);
    const drained = async (limitMs: number) => {
      const t0 = performance.now();
      while ((await db.prisma.inboundEvent.count()) > 0 && performance.now() - t0 < limitMs) await new Promise((r) => setTimeout(r, 50));
      return (performance.now() - t0) / 1000;
    };
    await drained(60_000);
    const logged = await db.prisma.interactionLog.count();
    const r = await load(port, 300, MAX_REQUESTS, SECONDS);
    const drainSeconds = await drained(120_000);
    const left = await db.prisma.inboundEvent.count();
    const turns = (await db.prisma.interactionLog.count()) - logged;
    return {
      requests: r.latencies.length,
      errors: r.errors,
      acksPerSecond: r.latencies.length / r.seconds,
      ackP50Ms: percentile(r.latencies, 50),
      ackP99Ms: percentile(r.latencies, 99),
      ackMaxMs: r.latencies.at(-1) ?? 0,
      drainSecondsAfterLoad: drainSeconds,
      turnsPerSecond: turns / (r.seconds + drainSeconds),
      leftInInbox: left,
      sendsAccepted: oa.sends(),
    };
  } finally {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((r) => bot!.once('exit', r));
      bot.kill('SIGTERM');
      await exited;
    }
    await db.drop();
    await oa.close();
  }
}

// `node --experimental-strip-types test/bench/zalo-oa-ack.ts` runs this bench alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchZaloOaAck().then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err: Error) => {
      process.stderr.write(`bench failed: ${err.stack}\n`);
      process.exit(1);
    },
  );
}
