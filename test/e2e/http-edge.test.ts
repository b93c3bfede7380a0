// The HTTP edge for operators and strangers: /readyz answers 503 promptly while the database
// hangs (a relay that stops passing bytes), /metrics needs METRICS_TOKEN, and no error body
// echoes what was sent (Fastify's default would quote a bad URL back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { type PgProxy, startPgProxy } from '../fakes/pg-proxy.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabase } from '../support/db.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
let db: Awaited<ReturnType<typeof testDatabase>>;
let proxy: PgProxy;
let t: TestApp;

beforeAll(async () => {
  db = await testDatabase();
  proxy = await startPgProxy();
  t = await startTestApp({ databaseUrl: proxy.urlFor(db.url), env: { METRICS_TOKEN } });
});
afterAll(async () => {
  proxy?.thaw();
  await t?.stop();
  await proxy?.close();
  await db?.drop();
});

describe('error bodies', () => {
  it.each([
    ['GET', '/%', 400],
    ['GET', '/%E0%A4%A', 400],
    ['GET', '/no-such-page-<script>alert(1)</script>', 404],
    ['POST', '/webhooks/unknown-platform?token=abc123secret', 404],
  ] as const)('%s %s → %i with a generic body', async (method, path, status) => {
    const res = await fetch(`${t.url}${path}`, { method });
    expect(res.status).toBe(status);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: status === 400 ? 'Bad request' : 'Not found' });
  });

  it('answers malformed JSON on the web chat with a generic 400', async () => {
    const res = await fetch(`${t.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"số của tôi 0912345678' });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('0912345678');
  });
});

describe('/metrics', () => {
  it('refuses without the token, or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: METRICS_TOKEN }, { authorization: `Bearer ${METRICS_TOKEN}x` }]) {
      const res = await fetch(`${t.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('donghanh_');
    }
  });

  it('serves Prometheus text with the token', async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('donghanh_updates_total');
  });

  it('refuses a METRICS_TOKEN too short to be a secret, without echoing it', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-tok' })).toThrow(/^Configuration error: METRICS_TOKEN must be at least 16 characters$/);
  });

  it('is not served at all without METRICS_TOKEN', async () => {
    const other = await startTestApp({ databaseUrl: db.url });
    try {
      const res = await fetch(`${other.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('donghanh_');
    } finally {
      await other.running.stop();
    }
  });
});

describe('/readyz', () => {
  it('is ready while the database answers', async () => {
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('answers 503 promptly while the database hangs, every time, and recovers', async () => {
    proxy.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const res = await fetch(`${t.url}/readyz`);
        const ms = Math.round(performance.now() - started);
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({ ready: false, reason: expect.stringMatching(/did not answer/) });
        // The figure for the report; the bound itself is the server's timer, not this test's.
        console.info(`readyz under a frozen database: 503 in ${ms} ms`);
      }
    } finally {
      proxy.thaw();
    }
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await fetch(`${t.url}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});
