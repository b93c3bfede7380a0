// Every setting, read once from the environment and validated (README "Configuration").
// A missing or malformed setting stops start-up with one line naming the variable.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const url = z.url({ protocol: /^https?$/ });
const optionalUrl = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(url.optional())
  .optional();

/** 32 random bytes as 64 hex characters or base64. */
const key32 = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const buf = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
    if (buf.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes, as 64 hex characters or base64' });
      return z.NEVER;
    }
    return buf;
  });

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional()),
  DATA_DIR: z.string().default('.data'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalUrl,
  PSEUDONYM_SECRET: key32.optional(),
  ADDRESS_KEY: key32.optional(),
  TELEGRAM_BOT_TOKEN: optionalString.pipe(z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def').optional()),
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -').optional(),
  ),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  /** The bot's @username, for invite links t.me/<bot>?start=<code> in the console. */
  TELEGRAM_BOT_USERNAME: optionalString.pipe(z.string().regex(/^\w{5,32}$/, 'must be the bot username without @').optional()),
  /** The Zalo OA's id, for the link zalo.me/<id> in the console. */
  ZALO_OA_ID: optionalString.pipe(z.string().regex(/^\d{5,25}$/, 'must be the OA id (digits)').optional()),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_ACCESS_TOKEN: optionalString,
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OA_API_ROOT: url.default('https://openapi.zalo.me'),
  ZALO_OAUTH_ROOT: url.default('https://oauth.zaloapp.com'),
  ZALO_BOT_TOKEN: optionalString,
  ZALO_BOT_WEBHOOK_SECRET: optionalString.pipe(z.string().min(8, 'must be 8-256 characters').max(256).optional()),
  ZALO_BOT_API_ROOT: url.default('https://bot-api.zaloplatforms.com'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  /** The model asked to classify (bot/ai); any model of the server that supports JSON schema output. */
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** Model calls per day per instance; past it, the local matcher alone. */
  AI_DAILY_BUDGET: z.coerce.number().int().min(0).max(10_000_000).default(2000),
  /** Model calls in flight per instance; more wait for nobody: the local matcher answers. */
  AI_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).default(4),
  DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
  TZ_DEFAULT: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Ho_Chi_Minh'),
  /** Bearer token for GET /metrics; unset, /metrics is not served. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').max(256).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Reminder sends per second per channel, shared by all instances. */
  REMINDER_RATE_TELEGRAM: z.coerce.number().positive().max(1000).default(25),
  REMINDER_RATE_ZALO_OA: z.coerce.number().positive().max(1000).default(10),
  REMINDER_RATE_ZALO_BOT: z.coerce.number().positive().max(1000).default(10),
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const res = ConfigSchema.safeParse(env);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    // Never echo the value: it may be a secret.
    throw new ConfigError(`Configuration error: ${name} ${issue.message}`);
  }
  const cfg = res.data;
  if (cfg.NODE_ENV === 'production') {
    for (const name of ['PSEUDONYM_SECRET', 'ADDRESS_KEY', 'DATABASE_URL'] as const) {
      if (!cfg[name]) throw new ConfigError(`Configuration error: ${name} is required in production`);
    }
  }
  if (cfg.TELEGRAM_BOT_TOKEN && cfg.PUBLIC_URL && !cfg.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError('Configuration error: TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set for Telegram');
  }
  if (cfg.ZALO_BOT_TOKEN && cfg.PUBLIC_URL && !cfg.ZALO_BOT_WEBHOOK_SECRET) {
    throw new ConfigError('Configuration error: ZALO_BOT_WEBHOOK_SECRET is required when PUBLIC_URL is set for the Zalo Bot');
  }
  if (cfg.ZALO_OA_SECRET_KEY && !cfg.ZALO_APP_ID) {
    throw new ConfigError('Configuration error: ZALO_APP_ID is required with ZALO_OA_SECRET_KEY');
  }
  return cfg;
}

// Each platform's settings, derived once from the parsed configuration: null when the channel
// is not configured, and every field a channel needs present, so no channel re-checks them.

/** A webhook: the public base URL it is registered under, and the secret that signs its calls. */
export interface WebhookSettings {
  publicUrl: string;
  secret: string;
}

export interface TelegramSettings {
  token: string;
  apiRoot: string;
  /** null: long polling (no PUBLIC_URL). */
  webhook: WebhookSettings | null;
  /** How long a tapped button waits for the webhook's response to answer it; then (and with
   * 0, at once) it is answered by a request of its own. Not from the environment: tests set it. */
  answerWithinMs?: number;
}

export interface ZaloBotSettings {
  token: string;
  apiRoot: string;
  webhook: WebhookSettings | null;
}

export interface ZaloOaSettings {
  appId: string;
  secretKey: string;
  /** Refreshing tokens needs it; without it the seeded access token is used until it expires. */
  appSecret: string | undefined;
  apiRoot: string;
  oauthRoot: string;
  seed: { accessToken: string | undefined; refreshToken: string | undefined };
}

function webhookOf(cfg: Config, secret: string | undefined, missing: string): WebhookSettings | null {
  if (!cfg.PUBLIC_URL) return null;
  // Without a secret anyone could post updates as any chat.
  if (!secret) throw new ConfigError(`Configuration error: ${missing}`);
  return { publicUrl: cfg.PUBLIC_URL.replace(/\/+$/, ''), secret };
}

export function telegramSettings(cfg: Config): TelegramSettings | null {
  if (!cfg.TELEGRAM_BOT_TOKEN) return null;
  return {
    token: cfg.TELEGRAM_BOT_TOKEN,
    apiRoot: cfg.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    webhook: webhookOf(cfg, cfg.TELEGRAM_WEBHOOK_SECRET, 'TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook'),
  };
}

export function zaloBotSettings(cfg: Config): ZaloBotSettings | null {
  if (!cfg.ZALO_BOT_TOKEN) return null;
  return {
    token: cfg.ZALO_BOT_TOKEN,
    apiRoot: cfg.ZALO_BOT_API_ROOT,
    webhook: webhookOf(cfg, cfg.ZALO_BOT_WEBHOOK_SECRET, 'ZALO_BOT_WEBHOOK_SECRET is required for the Zalo Bot webhook'),
  };
}

export function zaloOaSettings(cfg: Config): ZaloOaSettings | null {
  if (!cfg.ZALO_OA_SECRET_KEY || !cfg.ZALO_APP_ID) return null;
  return {
    appId: cfg.ZALO_APP_ID,
    secretKey: cfg.ZALO_OA_SECRET_KEY,
    appSecret: cfg.ZALO_APP_SECRET,
    apiRoot: cfg.ZALO_OA_API_ROOT,
    oauthRoot: cfg.ZALO_OAUTH_ROOT,
    seed: { accessToken: cfg.ZALO_OA_ACCESS_TOKEN, refreshToken: cfg.ZALO_OA_REFRESH_TOKEN },
  };
}
