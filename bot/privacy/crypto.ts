// AES-256-GCM for the few secrets a table must hold: addresses of people who opted in to
// reminders, Zalo OA tokens, and inbound events waiting to be processed.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomFillSync } from 'node:crypto';

const VERSION = 'v1';

// Every turn seals its replies: a key object made once per key, and IVs cut from a block of
// random bytes filled 512 IVs at a time, cost far less than a fresh key and one random call each.
const keys = new WeakMap<Buffer, KeyObject>();

/** The key object of a secret, made once: turning a Buffer into a key on every call costs more
 * than the cipher or HMAC itself (bot/privacy/pseudonym.ts uses it too). */
export function keyOf(key: Buffer): KeyObject {
  let k = keys.get(key);
  if (!k) {
    k = createSecretKey(key);
    keys.set(key, k);
  }
  return k;
}
const IV_BYTES = 12;
const ivBlock = Buffer.alloc(IV_BYTES * 512);
let ivAt = ivBlock.length;
function freshIv(): Buffer {
  if (ivAt === ivBlock.length) {
    randomFillSync(ivBlock);
    ivAt = 0;
  }
  // A copy: the block is refilled later, and an IV must never be reused.
  const iv = Buffer.from(ivBlock.subarray(ivAt, ivAt + IV_BYTES));
  ivAt += IV_BYTES;
  return iv;
}

export function encrypt(key: Buffer, plain: string): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}.${tag.toString('base64url')}`;
}

export function decrypt(key: Buffer, sealed: string): string {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('unreadable sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
