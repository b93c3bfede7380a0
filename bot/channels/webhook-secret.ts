// The secret-token header of the Telegram and Zalo Bot webhooks, checked in constant time before
// the body is even read: without it anyone could post updates as any chat.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchesSecret } from '../privacy/compare.ts';

/** An onRequest hook answering 401 unless `header` carries `secret`; `refused` hears why (never the value). */
export function secretHeaderCheck(header: string, secret: string, refused?: (why: 'secret mismatch' | 'secret missing') => void) {
  const matches = matchesSecret(secret);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const got = req.headers[header];
    if (typeof got !== 'string' || !matches(got)) {
      refused?.(typeof got === 'string' ? 'secret mismatch' : 'secret missing');
      return reply.code(401).send({ error: 'Unauthorized' });
    }
  };
}
