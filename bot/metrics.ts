// Prometheus metrics (GET /metrics): updates by channel and outcome, turn latency, sends.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  updates: Counter<'channel' | 'outcome'>;
  turnSeconds: Histogram<'channel'>;
  sends: Counter<'channel' | 'result'>;
  turnPaths: Counter<'path'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    updates: new Counter({
      name: 'donghanh_updates_total',
      help: 'Inbound platform events by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: 'donghanh_turn_seconds',
      help: 'Time to process one inbound event, from receipt to the platform answered: a Telegram update at its commit (its replies then go out from the outbox; past 32 such deliveries, after its own sends), others once their replies were handed to the channel',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    sends: new Counter({
      name: 'donghanh_sends_total',
      help: 'Outbound messages by channel and result (ok, blocked, outside_window, invalid, rate_limited, transient)',
      labelNames: ['channel', 'result'],
      registers: [registry],
    }),
    turnPaths: new Counter({
      name: 'donghanh_turn_paths_total',
      help: "How turns ran: known (one statement on the row this process kept), stale (the row had changed: read and run again), read (the row read first: a person new to this process, or a step reading clubs or with effects)",
      labelNames: ['path'],
      registers: [registry],
    }),
  };
}
