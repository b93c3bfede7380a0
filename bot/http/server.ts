// The Fastify server: webhooks, health, metrics, the web chat. Channels add their own routes.
// No error body says more than its status (never the URL, a header or the body sent), /readyz
// answers within 2 s whatever the database does, and /metrics needs METRICS_TOKEN.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { safeEqual } from '../privacy/compare.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export interface ServerDeps {
  log: Logger;
  metrics: Metrics;
  /** Database reachable and migrations applied; null when ready, else the reason. */
  readiness: () => Promise<string | null>;
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`; unset, /metrics is off. */
  metricsToken?: string | undefined;
  /** How long /readyz waits for the checks before it answers 503. */
  readyTimeoutMs?: number;
}

/** A reason fit for a response: what failed, never a value. */
const GENERIC: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  431: 'Request header fields too large',
};
export function genericError(status: number): string {
  return GENERIC[status] ?? (status >= 500 ? 'Internal error' : 'Request failed');
}

export const BODY_LIMIT = 1024 * 1024;

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Our own one-line-per-request hook below logs route patterns only, never URLs.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    trustProxy: true,
    // Platform ids exceed 2^53: JSON is parsed by each route where that matters.
    return503OnClosing: true,
    // Fastify's own answers to a bad URL ("GET /%") would quote it back: a generic 400 instead.
    frameworkErrors: (err, req, reply) => {
      req.log.info({ err: { code: (err as Error & { code?: string }).code }, method: req.method }, 'request refused by the router');
      void (reply as unknown as { code(n: number): { send(b: unknown): unknown } }).code(400).send({ error: genericError(400) });
    },
  });

  // Log one line per request with the route pattern only: URLs and bodies may carry tokens or ids.
  // A platform's webhook answered well is at debug (one line per message costs a busy bot about
  // 4% of its CPU; /metrics counts them); a refused one, and every other route, at info.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (route === '/metrics' || route === '/healthz') return;
    const quiet = reply.statusCode < 400 && route?.startsWith('/webhooks/');
    req.log[quiet ? 'debug' : 'info']({ route: route ?? 'unknown', method: req.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http');
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err: { name: err.name, code: err.code }, route: req.routeOptions.url }, 'request failed');
    // Never echo the request or internal details back.
    void reply.code(status).send({ error: genericError(status) });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ error: genericError(404) });
  });

  app.get('/healthz', async () => ({ ok: true }));

  // One check at a time: while the database hangs, every probe shares the one waiting query
  // instead of taking another pooled connection each. A check stuck for good (a connection
  // silently dropped) is given up after a while, so readiness can come back.
  const readyTimeoutMs = deps.readyTimeoutMs ?? 1500;
  const ABANDON_MS = 30_000;
  let checking: { promise: Promise<string | null>; since: number } | null = null;
  app.get('/readyz', async (_req, reply) => {
    if (!checking || Date.now() - checking.since > ABANDON_MS) {
      const mine: { promise: Promise<string | null>; since: number } = { promise: Promise.resolve(null), since: Date.now() };
      mine.promise = deps
        .readiness()
        .catch((e: Error) => `readiness check failed: ${e.name}`)
        .finally(() => {
          if (checking === mine) checking = null;
        });
      checking = mine;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`database did not answer within ${readyTimeoutMs} ms`), readyTimeoutMs);
    });
    const problem = await Promise.race([checking.promise, late]);
    clearTimeout(timer);
    if (problem) return reply.code(503).send({ ready: false, reason: problem });
    return { ready: true };
  });

  const token = deps.metricsToken;
  if (token) {
    app.get('/metrics', async (req, reply) => {
      const auth = req.headers.authorization ?? '';
      const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      if (!safeEqual(given, token)) {
        reply.header('www-authenticate', 'Bearer');
        return reply.code(401).send({ error: genericError(401) });
      }
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    });
  }
  return app as unknown as FastifyInstance;
}
