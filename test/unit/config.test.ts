import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.ts';

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
