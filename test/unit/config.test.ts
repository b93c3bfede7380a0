import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, telegramSettings, zaloBotSettings, zaloOaSettings } from '../../bot/config.ts';

const HEX = 'a'.repeat(64);

describe('configuration', () => {
  it('has working defaults for the embedded first run', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DEFAULT_LOCALE).toBe('vi');
    expect(c.TZ_DEFAULT).toBe('Asia/Ho_Chi_Minh');
    expect(c.LOG_RETENTION_DAYS).toBe(180);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^Configuration error: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^Configuration error: DATABASE_URL /],
    [{ PSEUDONYM_SECRET: 'short' }, /^Configuration error: PSEUDONYM_SECRET must be 32 random bytes/],
    [{ TELEGRAM_BOT_TOKEN: 'nope' }, /^Configuration error: TELEGRAM_BOT_TOKEN /],
    [{ TELEGRAM_WEBHOOK_SECRET: 'has space' }, /^Configuration error: TELEGRAM_WEBHOOK_SECRET /],
    [{ TZ_DEFAULT: 'Mars/Olympus' }, /^Configuration error: TZ_DEFAULT /],
    [{ LOG_RETENTION_DAYS: '0' }, /^Configuration error: LOG_RETENTION_DAYS /],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgresql://x/y', ADDRESS_KEY: HEX }, /PSEUDONYM_SECRET is required in production/],
    [{ PUBLIC_URL: 'not a url' }, /^Configuration error: PUBLIC_URL /],
  ];
  for (const [env, msg] of bad) {
    it(`rejects ${Object.keys(env).join(', ')} with one line naming it`, () => {
      let err: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  it('never echoes a secret value in the error', () => {
    try {
      loadConfig({ PSEUDONYM_SECRET: 'my-very-secret-value' });
    } catch (e) {
      expect((e as Error).message).not.toContain('my-very-secret-value');
    }
  });

  it('accepts keys as hex or base64', () => {
    const b64 = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({ PSEUDONYM_SECRET: HEX, ADDRESS_KEY: b64 });
    expect(c.PSEUDONYM_SECRET?.length).toBe(32);
    expect(c.ADDRESS_KEY?.equals(Buffer.alloc(32, 7))).toBe(true);
  });
});

describe('channel settings, derived once', () => {
  it('are null for a channel that is not configured', () => {
    const c = loadConfig({});
    expect([telegramSettings(c), zaloBotSettings(c), zaloOaSettings(c)]).toEqual([null, null, null]);
  });

  it('carry the webhook with PUBLIC_URL (no trailing slash) and polling without', () => {
    const env = { TELEGRAM_BOT_TOKEN: '123456:ABC-def', TELEGRAM_WEBHOOK_SECRET: 'tg_secret', ZALO_BOT_TOKEN: 'bot-token', ZALO_BOT_WEBHOOK_SECRET: 'zb-secret-1' };
    const hooked = loadConfig({ ...env, PUBLIC_URL: 'https://bot.example.vn/' });
    expect(telegramSettings(hooked)).toEqual({ token: '123456:ABC-def', apiRoot: 'https://api.telegram.org', webhook: { publicUrl: 'https://bot.example.vn', secret: 'tg_secret' } });
    expect(zaloBotSettings(hooked)?.webhook).toEqual({ publicUrl: 'https://bot.example.vn', secret: 'zb-secret-1' });
    expect(telegramSettings(loadConfig(env))?.webhook).toBeNull();
  });

  it('refuse a webhook without its secret, naming the variable', () => {
    const c = { ...loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC-def' }), PUBLIC_URL: 'https://bot.example.vn' };
    expect(() => telegramSettings(c)).toThrow(new ConfigError('Configuration error: TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook'));
  });

  it('need both the app id and the OA secret key for the Zalo OA', () => {
    expect(zaloOaSettings(loadConfig({ ZALO_APP_ID: '1' }))).toBeNull();
    expect(zaloOaSettings(loadConfig({ ZALO_APP_ID: '1', ZALO_OA_SECRET_KEY: 'k', ZALO_OA_ACCESS_TOKEN: 'a' }))).toMatchObject({ appId: '1', secretKey: 'k', seed: { accessToken: 'a' } });
  });
});
