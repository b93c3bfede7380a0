// `npm run bench`: webhook throughput and turn latency of the real bot (every turn through the
// engine: dedupe, lock, state, log, outbox) beside its peer (grammY + storage-psql session + a
// log INSERT + a reply with a 7-button keyboard), the bot without its outbox (what the outbox
// costs) and a bare grammY webhook (the ceiling), one after another, in BENCH_ROUNDS rounds (3):
// a machine's slow spells fall on every contender alike, and each figure is the median of its
// rounds, each ratio the median of the rounds' own ratios. Then the other channels' figures.
// Everything on 127.0.0.1; bounded in count and time.
import { type ChildProcess, spawn } from 'node:child_process';
import { anyFreePort } from '../../bot/db/embedded.ts';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadContent } from '../../content/load.ts';
import { loadSamplesIfEmpty } from '../../bot/clubs/samples.ts';
import { loadServiceSamplesIfEmpty } from '../../bot/services/directory.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { createTestSchema, dropSchema, testDatabase } from '../support/db.ts';
import { type LoadResult, percentile, runLoad, runOpenLoop } from './load.ts';
import { poolOf } from '../../bot/db/client.ts';
import { placeId } from '../../flows/clubs/index.ts';

const TOKEN = '123456:bench-token';
const SECRET = 'bench_secret_1';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 20_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
// The steady rate's run: 30 s is 6,000 requests at 200/s, so one stall of the machine (40 ms,
// every request in flight held up: seen on this 2-core box for every contender alike) is not
// by itself the p99.
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 30);

/** How long a person waits for the reply: from the moment their update is sent to the moment
 * the first sendMessage to their chat reaches the fake Bot API (one clock: both are in this
 * process). The webhook's own answer may come before the reply (the bot answers at the commit)
 * or after it (the peer answers once its reply is sent); this is the same for both. */
class ReplyClock {
  private readonly since = new Map<number, number>();
  private waits: number[] = [];
  updateSent(chat: number): void {
    this.since.set(chat, performance.now());
  }
  replyArrived(chat: number): void {
    const t = this.since.get(chat);
    if (t === undefined) return;
    this.since.delete(chat);
    this.waits.push(performance.now() - t);
  }
  /** p50 and p99 of the waits since the last call, and forget them. */
  take(): { p50Ms: number; p99Ms: number; replies: number } {
    const w = this.waits.sort((a, b) => a - b);
    this.waits = [];
    this.since.clear();
    return { p50Ms: percentile(w, 50), p99Ms: percentile(w, 99), replies: w.length };
  }
}
const replyClock = new ReplyClock();

/** A minimal Bot API that accepts every call, so the bench measures the bot, not the fake. */
async function fakeBotApi(): Promise<{ url: string; sends: () => number; close(): Promise<void> }> {
  let sends = 0;
  let messageId = 1;
  const server = http.createServer((req, res) => {
    const method = req.url?.split('/').pop() ?? '';
    const chunks: Buffer[] = [];
    if (method === 'sendMessage') req.on('data', (b: Buffer) => chunks.push(b));
    else req.resume();
    req.on('end', () => {
      let result: unknown = true;
      if (method === 'sendMessage') {
        sends++;
        const m = /"chat_id":"?(\d+)/.exec(Buffer.concat(chunks).toString());
        if (m) replyClock.replyArrived(Number(m[1]));
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

/** A process's command name and the CPU time (user + system) it has used so far, in ms; null
 * once it is gone. CPU time is a figure a busy machine disturbs far less than throughput. */
function procCpu(pid: number | string): { comm: string; ms: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(') ');
    const fields = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
  } catch {
    return null;
  }
}

function cpuMs(pid: number): number {
  return procCpu(pid)?.ms ?? 0;
}

/** CPU time of every PostgreSQL process on this machine, in ms (the database's share of a turn). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = procCpu(pid);
    if (p?.comm === 'postgres') total += p.ms;
  }
  return total;
}

/** The database as a running deployment has it, the same for every contender, before each
 * contender and again before its steady run: every table vacuumed and analysed (autovacuum
 * would have done it; on a fresh schema it did it mid-run, on whichever contender came first),
 * and no dirty pages left by the run before (a checkpoint; skipped without the privilege). */
async function steadyDatabase(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = current_schema()`);
    for (const { t } of tables.rows) await c.query(`VACUUM (ANALYZE) ${t}`);
    await c.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await c.end();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Field by field, the median of the rounds' figures. */
function medianOf<T>(list: T[]): T {
  const first = list[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(first)) {
    const all = list.map((x) => (x as Record<string, unknown>)[k]);
    out[k] = typeof v === 'number' ? median(all as number[]) : v && typeof v === 'object' && !Array.isArray(v) ? medianOf(all) : v;
  }
  return out as T;
}

function rssMb(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function spawnAndWait(args: string[], env: Record<string, string>, ready: (line: string) => boolean, cwd?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
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

type Step = { text: string } | { data: string };
/** The issue's 8-step mix: welcome, language, consent, a page, a typed greeting, the privacy page. */
const DEFAULT_MIX: Step[] = [
  { text: '/start' },
  { data: 'lang.vi' },
  { data: 'consent.yes' },
  { data: 'menu.treatment' },
  { text: 'xin chào' },
  { data: 'menu.main' },
  { data: 'menu.privacy' },
  { data: 'menu.main' },
];
/** BENCH_MIX=clubs: a person finds a sample club by place (every step after consent reads the
 * club directory and their memberships). */
function clubsMix(): Step[] {
  const club = loadContent().clubSamples.clubs[0]!;
  return [
    { text: '/start' },
    { data: 'lang.vi' },
    { data: 'consent.yes' },
    { data: 'menu.clubs' },
    { data: 'clubs.find' },
    { data: `clubs.p.${placeId(club.province)}` },
    { data: `clubs.c.${placeId(club.commune)}` },
    { data: `clubs.card.${club.id}` },
  ];
}
const SCRIPT = process.env.BENCH_MIX === 'clubs' ? clubsMix() : DEFAULT_MIX;
// The issue's method: the mix over 1,000 people (BENCH_CHATS). With 2,000, a 10 s burst at
// ~850/s reached only the first five steps, every one a newcomer's.
const CHATS = Number(process.env.BENCH_CHATS ?? 1000);

/** The warm-up's own people: few enough that each walks the whole mix within it. */
const WARM_CHATS = 64;
const WARM_REQUESTS = WARM_CHATS * SCRIPT.length * 2;

function update(i: number, base: number, chats = CHATS): string {
  // Each contender its own people (base differs): none finds the conversations and contacts
  // another left, so each starts as the first did.
  const chat = 700_000_000 + base + (i % chats);
  // Built just before it is sent: the person's wait for the reply starts here.
  replyClock.updateSent(chat);
  const s = SCRIPT[Math.floor(i / chats) % SCRIPT.length]!;
  const from = { id: chat, is_bot: false, first_name: 'B', language_code: 'vi' };
  const message = { message_id: i + 1, date: 1_763_000_000, chat: { id: chat, type: 'private' }, from };
  if ('text' in s) return JSON.stringify({ update_id: base + i, message: { ...message, text: s.text } });
  return JSON.stringify({ update_id: base + i, callback_query: { id: `cb${i}`, from, chat_instance: 'x', data: s.data, message: { ...message, text: 'menu' } } });
}

const OPEN_RATE = Number(process.env.BENCH_RATE ?? 200);

interface Measured {
  /** CPU of the process per update handled in the closed-loop run. */
  cpuMsPerUpdate: number;
  /** CPU of PostgreSQL per update in that run. */
  pgCpuMsPerUpdate: number;
  /** PostgreSQL's work per update in that run: transactions that wrote (each commit a WAL
   * flush the turn waits for, a costly disk write on a VM) and WAL bytes. */
  commitsPerUpdate: number;
  walBytesPerUpdate: number;
  /** BENCH_PERF_STAT's counts per update, when asked for. */
  perfPerUpdate?: Record<string, number>;
  idleRssMb: number;
  peakRssMb: number;
  max: LoadResult;
  atRate: LoadResult;
  /** How long people waited for their reply (ReplyClock), at saturation and at the steady rate. */
  replyMax: ReturnType<ReplyClock['take']>;
  replyAtRate: ReturnType<ReplyClock['take']>;
  /** Replies the fake Bot API accepted during the run. */
  sendsAccepted?: number;
}

interface PgCounters {
  commits: number;
  walBytes: number;
}

/** The whole server's counters (the bench is all there is on it), exact at once: the next
 * transaction id counts the transactions that wrote (the statistics views lag by seconds). */
async function pgCounters(url: string): Promise<PgCounters> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ xids: string; wal_bytes: string }>(
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xids, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal_bytes`,
    );
    const row = r.rows[0]!;
    return { commits: Number(row.xids), walBytes: Number(row.wal_bytes) };
  } finally {
    await c.end();
  }
}

/** BENCH_PERF_STAT=events (perf's names, comma-separated, e.g.
 * raw_syscalls:sys_enter,syscalls:sys_enter_writev): counted with `perf stat` on the contender
 * and on PostgreSQL's processes during the closed-loop run, per update. Where system calls are
 * dear (a VM), their count per update is a figure to compare. */
function startPerfStat(pid: number): ((updates: number) => Promise<Record<string, number>>) | null {
  const events = process.env.BENCH_PERF_STAT;
  if (!events) return null;
  const pgPids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && procCpu(p)?.comm === 'postgres');
  const run = (who: string, pids: string) => {
    const child = spawn('perf', ['stat', '-x', ',', '-e', events, '-p', pids], { stdio: ['ignore', 'ignore', 'pipe'] });
    let out = '';
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    // perf may end by itself (a process it counts is gone, or it cannot count): then it is not waited for again.
    const ended = new Promise((r) => child.once('close', r));
    child.once('error', () => undefined);
    return async (updates: number) => {
      child.kill('SIGINT');
      await ended;
      const counts: Record<string, number> = {};
      for (const line of out.split('\n')) {
        const [value, , event] = line.split(',');
        if (event && value && !Number.isNaN(Number(value))) counts[`${who} ${event}`] = Number(value) / Math.max(1, updates);
      }
      return counts;
    };
  };
  const own = run('process', String(pid));
  const db = run('postgres', pgPids.join(','));
  return async (updates) => ({ ...(await own(updates)), ...(await db(updates)) });
}

async function measure(port: number, pid: number, base: number, dbUrl: string): Promise<Measured> {
  // Idle: started, settled, nothing handled yet.
  await new Promise((r) => setTimeout(r, 2000));
  const idleRssMb = rssMb(pid);
  let peak = idleRssMb;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  // Warm up: JIT, connection pools, and every step of the mix, twice, on people of its own
  // (a warm-up of the first step alone left the steady run to meet the typed greeting for the
  // first time: the code paths of a first typed message were then the bot's p99 at the rate).
  await runLoad({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    concurrency: 8,
    maxRequests: WARM_REQUESTS,
    maxSeconds: 20,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    body: (i) => update(i, base + 500_000, WARM_CHATS),
  });
  replyClock.take();
  const countersBefore = await pgCounters(dbUrl);
  const perfStat = startPerfStat(pid);
  const cpuBefore = cpuMs(pid);
  const pgBefore = postgresCpuMs();
  const r = await runLoad({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    concurrency: CONCURRENCY,
    maxRequests: MAX_REQUESTS,
    maxSeconds: SECONDS,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    body: (i) => update(i, base),
  });
  const cpuMsPerUpdate = (cpuMs(pid) - cpuBefore) / Math.max(1, r.requests);
  const replyMax = replyClock.take();
  const pgCpuMsPerUpdate = (postgresCpuMs() - pgBefore) / Math.max(1, r.requests);
  const countersAfter = await pgCounters(dbUrl);
  const events = await perfStat?.(r.requests);
  const per = (k: keyof PgCounters) => (countersAfter[k] - countersBefore[k]) / Math.max(1, r.requests);
  // Then a steady rate, as a platform would send them: latency at that load, on a database
  // autovacuum has caught up with (the burst leaves thousands of dead rows in a queue table, and
  // autovacuum may be off where the bench runs: CI's machine has it off).
  await steadyDatabase(dbUrl);
  const atRate = await runOpenLoop({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    rate: OPEN_RATE,
    seconds: RATE_SECONDS,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    body: (i) => update(i + MAX_REQUESTS, base),
  });
  // The last replies of the run, still on their way.
  await new Promise((r) => setTimeout(r, 500));
  const replyAtRate = replyClock.take();
  clearInterval(sampler);
  return { ...(events ? { perfPerUpdate: events } : {}), cpuMsPerUpdate, pgCpuMsPerUpdate, commitsPerUpdate: per('commits'), walBytesPerUpdate: per('walBytes'), max: r, atRate, replyMax, replyAtRate, idleRssMb, peakRssMb: Math.max(peak, rssMb(pid)) };
}

/** The node flags of `npm start` (package.json), so the bench runs the bot as it is deployed. */
function startFlags(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts['start'] ?? '').split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bot/main.ts')).filter((w) => w.startsWith('--'));
}

async function main() {
  const results: Record<string, unknown> = {};
  const api = await fakeBotApi();
  // Another checkout migrates an empty schema itself, with its own migrations.
  const db: { url: string; drop(): Promise<void>; prisma?: PrismaClient } = process.env.BENCH_BOT_DIR
    ? await createTestSchema('bench').then((s) => ({ url: s.url, drop: () => dropSchema(s.schema) }))
    : await testDatabase();
  // The database as a bot finds it on every start but its very first: the samples in place (a
  // first start loads them itself, in its first seconds).
  if (db.prisma) {
    const content = loadContent();
    await loadSamplesIfEmpty(poolOf(db.prisma), content.clubSamples, new Date());
    await loadServiceSamplesIfEmpty(poolOf(db.prisma), content);
  }
  // BENCH_BOT_DIR: another checkout of the bot (e.g. the commit before a change), same bench.
  const botDir = path.resolve(process.env.BENCH_BOT_DIR ?? '.');
  const flags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean) : startFlags(botDir);
  const botEnv = (p: number) => ({
    DATABASE_URL: db.url,
    PORT: String(p),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${p}`,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.url,
    PSEUDONYM_SECRET: 'b'.repeat(64),
    ADDRESS_KEY: 'c'.repeat(64),
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  });
  const contenders: { name: string; args: string[]; env: Record<string, string>; ready: (line: string) => boolean; cwd?: string }[] = [
    { name: 'bot', args: [...flags, path.join(botDir, 'bot/main.ts')], env: {}, ready: (l) => l.includes('Đồng Hành is up'), cwd: botDir },
    { name: 'peer', args: ['--experimental-strip-types', 'test/bench/peer-grammy.ts'], env: {}, ready: (l) => l.startsWith('LISTENING') },
  ];
  if (process.env.BENCH_OUTBOX_COST !== '0' && !process.env.BENCH_BOT_DIR) {
    contenders.push({ name: 'botWithoutOutbox', args: [...flags, 'test/bench/bot-direct.ts'], env: {}, ready: (l) => l.includes('Đồng Hành is up') });
  }
  if (process.env.BENCH_TWICE) contenders.push({ ...contenders[0]!, name: 'botAgain' });
  // BENCH_BASE_DIR: another checkout (with the same migrations) beside this one, in the same run.
  const baseDir = process.env.BENCH_BASE_DIR ? path.resolve(process.env.BENCH_BASE_DIR) : null;
  if (baseDir) contenders.push({ name: 'base', args: [...startFlags(baseDir), path.join(baseDir, 'bot/main.ts')], env: {}, ready: (l) => l.includes('Đồng Hành is up'), cwd: baseDir });
  if (process.env.BENCH_BARE !== '0') contenders.push({ name: 'bareGrammy', args: ['--experimental-strip-types', 'test/bench/bare-grammy.ts'], env: {}, ready: (l) => l.startsWith('LISTENING') });
  const runs = new Map<string, Measured[]>(contenders.map((c) => [c.name, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts one contender further on: none always runs first or last.
      for (let k = 0; k < contenders.length; k++) {
        const i = (k + round) % contenders.length;
        const c = contenders[i]!;
        // A port free now, from the system (a random one in the ephemeral range could be held by
        // one of this machine's own outgoing connections: EADDRINUSE was seen).
        const port = await anyFreePort();
        const args = c.args.includes('--experimental-strip-types') ? c.args : ['--experimental-strip-types', ...c.args];
        // BENCH_CPU_PROF=dir: a CPU profile of each contender (written when it exits), to compare.
        if (process.env.BENCH_CPU_PROF) args.unshift('--cpu-prof', `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF, c.name)}`);
        const child = await spawnAndWait(args, { ...botEnv(port), ...c.env }, c.ready, c.cwd);
        await steadyDatabase(db.url);
        const sendsBefore = api.sends();
        const m = await measure(port, child.pid!, 1_000_000 * (round * contenders.length + i + 1), db.url);
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        runs.get(c.name)!.push({ ...m, sendsAccepted: api.sends() - sendsBefore });
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${c.name}: ${m.max.perSecond.toFixed(0)} updates/s\n`);
      }
    }
    for (const [name, list] of runs) results[name] = { ...medianOf(list), perSecondByRound: list.map((m) => Math.round(m.max.perSecond)) };
    const byRound = (f: (r: number) => number) => median(Array.from({ length: ROUNDS }, (_, r) => f(r)));
    const bot = runs.get('bot')!;
    const peer = runs.get('peer')!;
    const direct = runs.get('botWithoutOutbox');
    results['ratio'] = {
      throughputBotOverPeer: byRound((r) => bot[r]!.max.perSecond / peer[r]!.max.perSecond),
      p99AtRateBotOverPeer: byRound((r) => bot[r]!.atRate.p99Ms / peer[r]!.atRate.p99Ms),
      // The same for the wait until the reply reaches the Bot API, which the webhook's answer
      // no longer includes for the bot.
      replyP99AtRateBotOverPeer: byRound((r) => bot[r]!.replyAtRate.p99Ms / peer[r]!.replyAtRate.p99Ms),
      // The same by CPU per update, which a machine busy with other work disturbs far less.
      peerCpuOverBot: byRound((r) => peer[r]!.cpuMsPerUpdate / bot[r]!.cpuMsPerUpdate),
      ...(direct
        ? {
            outboxCost: byRound((r) => 1 - bot[r]!.max.perSecond / direct[r]!.max.perSecond),
            outboxCostCpu: byRound((r) => 1 - direct[r]!.cpuMsPerUpdate / bot[r]!.cpuMsPerUpdate),
          }
        : {}),
    };
    const counter = new pg.Client({ connectionString: db.url });
    await counter.connect();
    results['loggedTurns'] = Number((await counter.query<{ n: string }>('SELECT count(*) AS n FROM interaction_log')).rows[0]?.n);
    await counter.end();

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
  // The issue's table: one line per contender.
  process.stdout.write(
    '\n| contender | updates/s | CPU per update | PostgreSQL CPU per update | commits / WAL bytes per update | p99 at saturation (reply) | p99 at the steady rate (reply) | idle RSS | peak RSS |\n|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const c of contenders) {
    const m = results[c.name] as Measured;
    process.stdout.write(
      `| ${c.name} | ${m.max.perSecond.toFixed(0)} | ${m.cpuMsPerUpdate.toFixed(2)} ms | ${m.pgCpuMsPerUpdate.toFixed(2)} ms | ${m.commitsPerUpdate.toFixed(2)} / ${m.walBytesPerUpdate.toFixed(0)} | ${m.max.p99Ms.toFixed(1)} ms (${m.replyMax.p99Ms.toFixed(1)} ms) | ${m.atRate.p99Ms.toFixed(1)} ms (${m.replyAtRate.p99Ms.toFixed(1)} ms) | ${m.idleRssMb.toFixed(0)} MB | ${m.peakRssMb.toFixed(0)} MB |\n`,
    );
  }
  process.stdout.write('(reply: from the update sent to its first reply at the Bot API; the webhook answers the bot\'s updates at the commit, the peer\'s once its reply is sent)\n');
  const ratio = results['ratio'] as Record<string, number>;
  process.stdout.write(`\nMedians of ${ROUNDS} round(s); updates/s by round: ${contenders.map((c) => `${c.name} ${(results[c.name] as { perSecondByRound: number[] }).perSecondByRound.join(', ')}`).join('; ')}\n`);
  process.stdout.write(
    `\nbot/peer throughput ${ratio['throughputBotOverPeer']!.toFixed(2)} (by CPU per update ${ratio['peerCpuOverBot']!.toFixed(2)}), p99 at ${OPEN_RATE}/s bot/peer ${ratio['p99AtRateBotOverPeer']!.toFixed(2)} (to the reply ${ratio['replyP99AtRateBotOverPeer']!.toFixed(2)})${ratio['outboxCost'] !== undefined ? `, outbox cost ${(ratio['outboxCost'] * 100).toFixed(1)}% (by CPU ${(ratio['outboxCostCpu']! * 100).toFixed(1)}%)` : ''}\n`,
  );
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
