// The Fastify server: webhooks, health, metrics, the web chat. Channels add their own routes.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export interface ServerDeps {
  log: Logger;
  metrics: Metrics;
  /** Database reachable and migrations applied; null when ready, else the reason. */
  readiness: () => Promise<string | null>;
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
  });

  // Log one line per request with the route pattern only: URLs and bodies may carry tokens or ids.
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url === '/metrics' || req.routeOptions.url === '/healthz') return;
    req.log.info({ route: req.routeOptions.url ?? 'unknown', method: req.method, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http');
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err: { name: err.name, code: err.code }, route: req.routeOptions.url }, 'request failed');
    // Never echo the request or internal details back.
    const message =
      status === 413 ? 'Payload too large' : status === 400 ? 'Bad request' : status === 401 ? 'Unauthorized' : status === 415 ? 'Unsupported media type' : status >= 500 ? 'Internal error' : 'Request failed';
    void reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ error: 'Not found' });
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const problem = await deps.readiness().catch((e: Error) => `readiness check failed: ${e.name}`);
    if (problem) return reply.code(503).send({ ready: false, reason: problem });
    return { ready: true };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  return app as unknown as FastifyInstance;
}
