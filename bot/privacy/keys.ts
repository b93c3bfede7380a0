// PSEUDONYM_SECRET and ADDRESS_KEY: from the environment in production; for the embedded
// default, generated once and kept under the data directory (with a warning), so that
// pseudonyms stay stable across restarts.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface Keys {
  pseudonymSecret: Buffer;
  addressKey: Buffer;
}

function keep(file: string, log: Logger, name: string): Buffer {
  if (existsSync(file)) {
    const buf = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (buf.length === 32) return buf;
    throw new Error(`${file} is not 32 bytes of hex; delete it to generate a new ${name}`);
  }
  const buf = randomBytes(32);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, buf.toString('hex'), { mode: 0o600 });
  chmodSync(file, 0o600);
  log.warn({ setting: name }, `${name} not set: generated one under the data directory (set it in the environment for production)`);
  return buf;
}

export function resolveKeys(config: Config, log: Logger): Keys {
  const dir = path.join(config.DATA_DIR, 'keys');
  return {
    pseudonymSecret: config.PSEUDONYM_SECRET ?? keep(path.join(dir, 'pseudonym-secret'), log, 'PSEUDONYM_SECRET'),
    addressKey: config.ADDRESS_KEY ?? keep(path.join(dir, 'address-key'), log, 'ADDRESS_KEY'),
  };
}
