// Secret tokens for one-time links and sessions: random, and stored only as a SHA-256 hash, so a
// copy of the tables signs nobody in.
import { createHash, randomBytes } from 'node:crypto';

export const newToken = (): string => randomBytes(24).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
