// A small closed-loop HTTP load generator: C workers each send one request, wait for the
// answer, send the next; bounded by a request count and a time limit. Loopback only.
import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(opts: {
  url: string;
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
  headers: Record<string, string>;
  /** The i-th request body. */
  body: (i: number) => string;
}): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + opts.maxSeconds * 1000;

  const one = (body: string) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...opts.headers } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const worker = async () => {
    while (next < opts.maxRequests && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const status = await one(opts.body(i));
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
  };
}

/** Open loop: requests start on a fixed schedule (rate per second) whether or not earlier ones
 * have answered, so latency includes any queueing in the server. Latency is measured from the
 * moment the request was actually sent (never before it, so never negative); how far the
 * generator itself fell behind its schedule is reported apart (`late`, `maxLagMs`), so a
 * slow generator cannot pass for a slow server or the other way round. */
export async function runOpenLoop(opts: {
  url: string;
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  body: (i: number) => string;
  maxInFlight?: number;
}): Promise<LoadResult & { late: number; maxLagMs: number }> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxInFlight ?? 256 });
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let late = 0;
  let maxLagMs = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const lag = performance.now() - due;
    if (lag > 50) late++;
    maxLagMs = Math.max(maxLagMs, lag);
    const body = opts.body(i);
    pending.push(
      new Promise<void>((resolve) => {
        let sentAt = 0;
        const req = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...opts.headers } },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - sentAt);
              statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
              if (res.statusCode !== 200) errors++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        sentAt = performance.now();
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), statuses, late, maxLagMs };
}
