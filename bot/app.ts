// Wiring: config → keys → database → content → engine → HTTP server → channels → jobs.
// Tests start several of these on one database to prove multi-instance behaviour.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { loadContent } from '../content/load.ts';
import type { Content } from '../content/types.ts';
import type { PrismaClient } from '../prisma/generated/client.ts';
import { startTelegram } from './channels/telegram/index.ts';
import { startZaloBot } from './channels/zalo-bot/index.ts';
import { startZaloOa } from './channels/zalo-oa/index.ts';
import type { Channel, ChannelName } from './channels/types.ts';
import type { ChannelDeps, ChannelHandle } from './channels/wiring.ts';
import { registerWebChat } from './channels/web/routes.ts';
import { registerConsole } from './console/routes.ts';
import { type Config, type TelegramSettings, telegramSettings, zaloBotSettings, zaloOaSettings } from './config.ts';
import { loadSamplesIfEmpty } from './clubs/samples.ts';
import { loadServiceSamplesIfEmpty } from './services/directory.ts';
import { createPrisma, ping, poolOf, schemaOf } from './db/client.ts';
import { noClubs } from './db/club.ts';
import { noServices } from './db/service.ts';
import { pgSql } from './db/sql.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { migrate, pendingMigrations } from './db/migrate.ts';
import { Engine, type EngineOptions } from './engine/engine.ts';
import { buildServer } from './http/server.ts';
import { startJobs } from './jobs/boss.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { type Keys, resolveKeys } from './privacy/keys.ts';

export interface AppOptions {
  config: Config;
  logDestination?: DestinationStream;
  /** Start the job queue (retention, reminders). Tests of other things turn it off. */
  jobs?: boolean;
  now?: () => Date;
  /** Engine settings for tests and the bench (e.g. the outbox's lease). */
  engine?: Pick<EngineOptions, 'outbox' | 'directReplies'>;
  /** Telegram settings for tests (how long a tapped button waits for the webhook's response). */
  telegram?: Pick<TelegramSettings, 'answerWithinMs'>;
}

export interface RunningApp {
  app: FastifyInstance;
  url: string;
  config: Config;
  log: Logger;
  prisma: PrismaClient;
  engine: Engine;
  content: Content;
  metrics: Metrics;
  keys: Keys;
  channels: Partial<Record<Channel['name'], Channel>>;
  stop(): Promise<void>;
}

/** Shutdown steps, run last-first; a failing step is logged and the rest still run. */
type Stops = (() => Promise<void>)[];

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config } = opts;
  const log = createLogger(config.LOG_LEVEL, opts.logDestination);
  const stops: Stops = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: Error) => log.error({ err: { name: err.name } }, 'shutdown step failed'));
  };
  try {
    const content = loadContent();
    const keys = resolveKeys(config, log);
    const dbUrl = await openDatabase(config, log, stops);
    const prisma = createPrisma(dbUrl);
    stops.push(() => prisma.$disconnect());
    await loadSamples(prisma, content, opts.now?.() ?? new Date(), log);

    const metrics = createMetrics();
    // The console's public address: PUBLIC_URL, else this server once it listens.
    let publicBase = config.PUBLIC_URL?.replace(/\/$/, '') ?? '';
    const engine = await createEngine(opts, { prisma, content, keys, log, metrics, consoleUrl: () => publicBase });
    stops.push(() => engine.stop());

    // Channels add checks here (e.g. a Zalo OA token that could not be refreshed).
    const readinessProblems: (() => string | null)[] = [];
    const app = buildServer({ log, metrics, metricsToken: config.METRICS_TOKEN, readiness: readinessCheck(prisma, dbUrl, readinessProblems) });
    stops.push(() => app.close());
    registerPages(app, opts, { engine, prisma, content, keys, log, baseUrl: () => publicBase });

    const channels: RunningApp['channels'] = {};
    /** What the outbox sender sends through: like `channels`, but never waiting out a 429 itself. */
    const bulkChannels: RunningApp['channels'] = {};
    const afterListen: (() => Promise<void>)[] = [];
    const use = (name: ChannelName, h: ChannelHandle) => {
      channels[name] = h.channel;
      bulkChannels[name] = h.bulkChannel ?? h.channel;
      stops.push(h.stop);
      afterListen.push(h.afterListen);
      readinessProblems.push(h.readiness);
    };
    await startChannels(config, { app, engine, log, metrics, prisma, addressKey: keys.addressKey, content }, use, opts.telegram);
    // Replies left by a failed send or a crash, and reminders, are sent from here too, from the start.
    for (const c of Object.values(channels)) if (c) engine.useChannel(c, bulkChannels[c.name]);

    await app.listen({ host: config.HOST, port: config.PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://127.0.0.1:${port}`;
    if (!publicBase) publicBase = config.HOST === '127.0.0.1' ? url : `http://localhost:${port}`;
    // Polling (no PUBLIC_URL) starts after the server is up so /healthz answers meanwhile.
    for (const start of afterListen) await start();

    if (opts.jobs !== false) {
      const jobs = await startJobs({
        connectionString: dbUrl,
        schema: `pgboss_${schemaOf(dbUrl)}`.slice(0, 50),
        prisma,
        retentionDays: config.LOG_RETENTION_DAYS,
        timeZone: config.TZ_DEFAULT,
        log,
        reminders: { content, channels: Object.keys(channels) as ChannelName[], addressKey: keys.addressKey, outbox: engine.outbox },
      });
      stops.push(() => jobs.stop());
    }

    log.info({ port, channels: ['web', ...Object.keys(channels)] }, 'Đồng Hành is up');
    return { app, url, config, log, prisma, engine, content, metrics, keys, channels, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** DATABASE_URL, or the embedded PostgreSQL under DATA_DIR; migrated either way. */
async function openDatabase(config: Config, log: Logger, stops: Stops): Promise<string> {
  let dbUrl: string;
  if (config.DATABASE_URL) dbUrl = config.DATABASE_URL;
  else {
    log.warn('DATABASE_URL not set: starting embedded PostgreSQL under the data directory');
    const pg = await startEmbeddedPostgres(path.join(config.DATA_DIR, 'pg'));
    stops.push(pg.stop);
    dbUrl = pg.url;
  }
  const applied = await migrate(dbUrl, { log: (line: string) => log.info(line) });
  if (applied.applied.length) log.info({ migrations: applied.applied.length }, 'migrations applied');
  return dbUrl;
}

/** A newcomer's first start shows schedules and services at once: the shipped samples, while
 * the clubs or the services directory are empty. */
async function loadSamples(prisma: PrismaClient, content: Content, now: Date, log: Logger): Promise<void> {
  // Looked at first without a transaction: a start that finds both in place takes no lock.
  const sql = pgSql(poolOf(prisma));
  const samples = (await noClubs(sql)) ? await loadSamplesIfEmpty(poolOf(prisma), content.clubSamples, now) : [];
  if (samples.length) log.info({ clubs: samples.length }, 'sample clubs loaded (remove: npm run admin -- sample remove)');
  const services = (await noServices(sql)) ? await loadServiceSamplesIfEmpty(poolOf(prisma), content) : 0;
  if (services) log.info({ services }, 'sample services loaded (replace: npm run admin -- services import FILE.csv)');
}

interface Core {
  prisma: PrismaClient;
  content: Content;
  keys: Keys;
  log: Logger;
}

async function createEngine(opts: AppOptions, o: Core & { metrics: Metrics; consoleUrl: () => string }): Promise<Engine> {
  const { config } = opts;
  const { content, log, metrics } = o;
  return new Engine({
    prisma: o.prisma,
    content,
    pseudonymSecret: o.keys.pseudonymSecret,
    defaultLocale: config.DEFAULT_LOCALE,
    timeZone: config.TZ_DEFAULT,
    retentionDays: config.LOG_RETENTION_DAYS,
    addressKey: o.keys.addressKey,
    log,
    metrics,
    consoleUrl: o.consoleUrl,
    links: {
      telegram: telegramSettings(config) !== null,
      telegramBot: config.TELEGRAM_BOT_USERNAME,
      zalo: zaloOaSettings(config) !== null || zaloBotSettings(config) !== null,
      zaloOaId: config.ZALO_OA_ID,
    },
    ...(opts.now ? { now: opts.now } : {}),
    // Imported only when configured: the model's SDK alone is about 14 MB of a process.
    ai: config.OPENAI_API_KEY
      ? new (await import('./ai/classify.ts')).AiClassifier({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          intents: content.intents.intents.map((i) => i.id),
          dailyBudget: config.AI_DAILY_BUDGET,
          maxConcurrent: config.AI_MAX_CONCURRENT,
          timeZone: config.TZ_DEFAULT,
          log,
          registry: metrics.registry,
        })
      : undefined,
    ...opts.engine,
    // The outbox sender paces its sends (retries, reminders) per channel, for every instance.
    outbox: {
      ratePerSecond: (channel: string) =>
        channel === 'telegram' ? config.REMINDER_RATE_TELEGRAM : channel === 'zalo-bot' ? config.REMINDER_RATE_ZALO_BOT : config.REMINDER_RATE_ZALO_OA,
      ...opts.engine?.outbox,
    },
  });
}

/** /readyz: the database answers, no migration is pending, and no channel reports a problem. */
function readinessCheck(prisma: PrismaClient, dbUrl: string, problems: (() => string | null)[]): () => Promise<string | null> {
  let migrationsOk = false;
  return async () => {
    await ping(prisma);
    if (!migrationsOk) {
      const pending = await pendingMigrations(dbUrl);
      if (pending.length) return `migrations pending: ${pending.length}`;
      migrationsOk = true;
    }
    for (const p of problems) {
      const problem = p();
      if (problem) return problem;
    }
    return null;
  };
}

/** The web chat and the console. */
function registerPages(app: FastifyInstance, opts: AppOptions, o: Core & { engine: Engine; baseUrl: () => string }): void {
  const { config } = opts;
  registerWebChat(app, {
    engine: o.engine,
    prisma: o.prisma,
    content: o.content,
    log: o.log,
    pseudonymSecret: o.keys.pseudonymSecret,
    defaultLocale: config.DEFAULT_LOCALE,
    retentionDays: config.LOG_RETENTION_DAYS,
    secureCookie: config.PUBLIC_URL?.startsWith('https:') ?? false,
    pagePath: new URL('./channels/web/page.html', import.meta.url),
    ...(opts.now ? { now: opts.now } : {}),
  });
  registerConsole(app, {
    prisma: o.prisma,
    content: o.content,
    addressKey: o.keys.addressKey,
    secret: o.keys.pseudonymSecret,
    secure: config.NODE_ENV === 'production' || (config.PUBLIC_URL?.startsWith('https:') ?? false),
    now: () => opts.now?.() ?? new Date(),
    baseUrl: o.baseUrl,
    telegramBot: config.TELEGRAM_BOT_USERNAME,
    zaloOaId: config.ZALO_OA_ID,
    timeZone: config.TZ_DEFAULT,
  });
}

/** Each platform channel the config sets up, handed to `use` once started. */
async function startChannels(
  config: Config,
  deps: ChannelDeps,
  use: (name: ChannelName, h: ChannelHandle) => void,
  telegramOptions?: Pick<TelegramSettings, 'answerWithinMs'>,
): Promise<void> {
  const telegram = telegramSettings(config);
  if (telegram) use('telegram', await startTelegram(deps, { ...telegram, ...telegramOptions }));
  const zaloOa = zaloOaSettings(config);
  if (zaloOa) use('zalo-oa', await startZaloOa(deps, zaloOa));
  const zaloBot = zaloBotSettings(config);
  if (zaloBot) use('zalo-bot', await startZaloBot(deps, zaloBot));
}
