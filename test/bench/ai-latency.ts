// What a model call adds to a turn: the real app in process (PostgreSQL, the web chat's
// POST /api/chat), one visitor per request so no turn waits for another, a text the local matcher
// cannot place (so the model is asked), measured without a model, with a fake OpenAI server that
// answers at once, and with one that takes MODEL_MS (a plausible hosted model). Sequential, so
// the figures are per turn, not under load. Everything on 127.0.0.1; bounded in count.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { startFakeOpenAi } from '../fakes/openai-server.ts';
import { startTestApp } from '../support/app.ts';
import { percentile } from './load.ts';

const TURNS = Number(process.env.BENCH_AI_TURNS ?? 200);
const MODEL_MS = Number(process.env.BENCH_AI_MODEL_MS ?? 300);
const TEXT = 'có chỗ nào kín đáo giúp người như mình không';

async function turns(url: string, n: number): Promise<{ p50: number; p90: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    // Each visitor already chose a language, so the text reaches the matcher.
    const cookie = `dh_vid=${randomUUID().replace(/-/g, '')}`;
    const post = (body: Record<string, unknown>) =>
      fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ id: randomUUID(), ...body }) });
    await post({ kind: 'choice', choice: 'lang.vi' });
    const started = performance.now();
    const res = await post({ kind: 'text', text: TEXT });
    await res.arrayBuffer();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99) };
}

export async function benchAiLatency(): Promise<Record<string, number>> {
  const ai = await startFakeOpenAi();
  ai.reply(() => ({ intent: 'services', crisis: 'none' }));
  const out: Record<string, number> = { turns: TURNS, modelMs: MODEL_MS };
  for (const [name, env, delay] of [
    ['noModel', {}, 0],
    ['instantModel', { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: ai.url, AI_DAILY_BUDGET: '1000000' }, 0],
    ['slowModel', { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: ai.url, AI_DAILY_BUDGET: '1000000' }, MODEL_MS],
  ] as const) {
    ai.delay(delay);
    const app = await startTestApp({ env: { LOG_LEVEL: 'warn', ...env } });
    try {
      await turns(app.url, 20); // warm-up
      const r = await turns(app.url, TURNS);
      out[`${name}P50Ms`] = r.p50;
      out[`${name}P90Ms`] = r.p90;
      out[`${name}P99Ms`] = r.p99;
    } finally {
      await app.stop();
    }
  }
  out['addedP50Ms'] = out['instantModelP50Ms']! - out['noModelP50Ms']!;
  out['addedP50WithSlowModelMs'] = out['slowModelP50Ms']! - out['noModelP50Ms']!;
  await ai.close();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAiLatency()
    .then((r) => {
      process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(2))])), null, 2)}\n`);
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
      process.exit(1);
    });
}
