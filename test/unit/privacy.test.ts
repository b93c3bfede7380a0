import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeEqual } from '../../bot/privacy/compare.ts';
import { decrypt, encrypt } from '../../bot/privacy/crypto.ts';
import { dayKey, dayOf, subjectKey } from '../../bot/privacy/pseudonym.ts';

const secret = Buffer.alloc(32, 1);
const key = Buffer.alloc(32, 2);

describe('pseudonyms', () => {
  it('are stable, per channel, and do not contain the address', () => {
    const a = subjectKey(secret, 'telegram', '123456789');
    expect(a).toBe(subjectKey(secret, 'telegram', '123456789'));
    expect(a).not.toBe(subjectKey(secret, 'zalo-oa', '123456789'));
    expect(a).not.toBe(subjectKey(Buffer.alloc(32, 9), 'telegram', '123456789'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain('123456789');
  });
  it('per-day keys differ between days and people', () => {
    const s = subjectKey(secret, 'telegram', '1');
    expect(dayKey(secret, s, '2026-11-20')).not.toBe(dayKey(secret, s, '2026-11-21'));
    expect(dayKey(secret, s, '2026-11-20')).not.toBe(dayKey(secret, subjectKey(secret, 'telegram', '2'), '2026-11-20'));
    // Knowing the subject key (as a database reader does) is not enough to compute it.
    expect(dayKey(secret, s, '2026-11-20')).not.toBe(dayKey(Buffer.alloc(32, 9), s, '2026-11-20'));
  });
  it('kept answers are the HMACs themselves, for every secret and past the bound', () => {
    const hmac = (k: Buffer, input: string) => createHmac('sha256', k).update(input).digest('hex');
    const other = Buffer.alloc(32, 9);
    for (let i = 0; i < 10_050; i++) subjectKey(secret, 'telegram', String(i));
    for (const id of ['0', '10049', '555']) {
      expect(subjectKey(secret, 'telegram', id)).toBe(hmac(secret, `telegram:${id}`));
      expect(subjectKey(other, 'telegram', id)).toBe(hmac(other, `telegram:${id}`));
    }
    const s = subjectKey(secret, 'zalo-oa', '42');
    expect(dayKey(secret, s, '2026-11-20')).toBe(hmac(secret, `day:${s}:2026-11-20`).slice(0, 32));
    expect(dayKey(other, s, '2026-11-20')).toBe(hmac(other, `day:${s}:2026-11-20`).slice(0, 32));
  });
  it('days are counted in Vietnam time', () => {
    expect(dayOf(new Date('2026-11-20T18:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-21');
    expect(dayOf(new Date('2026-11-20T16:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-20');
  });
});

describe('address encryption', () => {
  it('round-trips, is randomised and hides the plain text', () => {
    const a = encrypt(key, '6142494823123456789');
    const b = encrypt(key, '6142494823123456789');
    expect(a).not.toBe(b);
    expect(a).not.toContain('6142494823123456789');
    expect(decrypt(key, a)).toBe('6142494823123456789');
  });
  it('refuses a tampered value or the wrong key', () => {
    const a = encrypt(key, 'x');
    const parts = a.split('.');
    // One bit of the ciphertext flipped (a fixed replacement would equal it once in 256 runs).
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0]! ^= 1;
    parts[2] = body.toString('base64url');
    expect(() => decrypt(key, parts.join('.'))).toThrow();
    expect(() => decrypt(Buffer.alloc(32, 3), a)).toThrow();
  });
});

describe('safeEqual', () => {
  it('compares exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
